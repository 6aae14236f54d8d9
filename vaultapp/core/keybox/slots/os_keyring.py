"""The OS keyring slot: the root key stored in the Secret Service, Keychain or
Credential Locker through the `keyring` package. It unlocks silently at start-up (the
desktop session already proved the person), never after an explicit lock.

Plaintext and "fail" backends are refused: a root key in a base64 file next to the
keybox would protect nothing. On Linux an item stored by the Secret Service backend is
read with `secretstorage` alone, since importing keyring costs about 120 ms a command
on the reference VM; any doubt falls back to keyring itself.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .base import SlotFailure, SlotRecord, new_slot_id

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

KIND = "keyring"
KEYRING_SERVICE = "vaultapp"
SECRET_SERVICE = "keyring.backends.SecretService.Keyring"
_INSECURE_BACKENDS = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


def _backend_name(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


class NoSecureKeyring(SlotFailure):
    """There is no OS keyring, or only an insecure one (the front ends suggest a
    passphrase-only keybox instead)."""


def secure_keyring_backend() -> KeyringBackend:
    """The OS keyring backend, or NoSecureKeyring if there is none or it is not secure."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    backend = keyring.get_keyring()
    members = backend.backends if isinstance(backend, ChainerBackend) else [backend]
    usable = [
        b for b in members
        if not _backend_name(b).startswith(_INSECURE_BACKENDS) and getattr(b, "priority", 0) > 0
    ]
    if not usable:
        names = ", ".join(_backend_name(b) for b in members) or "none"
        raise NoSecureKeyring(f"no secure OS keyring is available (found: {names})")
    return backend


def keyring_user(keybox_id: str, slot_id: str) -> str:
    """The keyring item's user name for one slot of one keybox."""
    return f"keybox-{keybox_id}/slot-{slot_id}"


def store(keybox_id: str, slot_id: str, secret: bytes) -> str:
    """Put `secret` (base64) into the OS keyring; returns the backend's name."""
    backend = secure_keyring_backend()
    try:
        backend.set_password(KEYRING_SERVICE, keyring_user(keybox_id, slot_id),
                             base64.b64encode(secret).decode())
    except Exception as exc:
        raise SlotFailure(f"the OS keyring refused to store the key ({type(exc).__name__})") \
            from None
    return _backend_name(backend)


def load(keybox_id: str, record: SlotRecord,
         missing: str = "no key for this keybox (another machine or user?)") -> bytes:
    """The secret a slot keeps in the OS keyring, by the quickest safe way; `missing` says
    what the keyring lacks when it has no item for the slot."""
    user = keyring_user(keybox_id, record.slot_id)
    if record.text("backend") == SECRET_SERVICE and sys.platform.startswith("linux") \
            and not _keyring_configured_elsewhere(SECRET_SERVICE):
        with contextlib.suppress(Exception):  # any doubt: ask keyring itself
            found = _secret_service_lookup(user)
            if found is not None:
                return base64.b64decode(found, validate=True)
    recorded = _recorded_backend(record)
    if recorded is not None:
        with contextlib.suppress(Exception):  # any doubt: ask keyring's own choice
            found = recorded.get_password(KEYRING_SERVICE, user)
            if isinstance(found, str):
                return base64.b64decode(found, validate=True)
    backend = secure_keyring_backend()
    try:
        secret = backend.get_password(KEYRING_SERVICE, user)
    except Exception as exc:
        raise SlotFailure(f"the OS keyring did not answer ({type(exc).__name__})",
                          "keyring-no-answer") from None
    if secret is None:
        raise SlotFailure(f"the OS keyring has {missing}", "keyring-missing")
    try:
        return base64.b64decode(secret, validate=True)
    except ValueError:
        raise SlotFailure("the OS keyring entry is damaged", "damaged") from None


def erase(keybox_id: str, record: SlotRecord) -> None:
    """Delete the slot's keyring item; already gone, or no keyring here, is fine."""
    with contextlib.suppress(Exception):
        secure_keyring_backend().delete_password(
            KEYRING_SERVICE, keyring_user(keybox_id, record.slot_id))


def _keyring_configured_elsewhere(name: str) -> bool:
    """Whether keyring's configuration (Linux) may pick another backend than `name`, or
    store items under another scheme: PYTHON_KEYRING_BACKEND, KEYRING_PROPERTY_* or a
    keyringrc.cfg in keyring's config folder."""
    chosen = os.environ.get("PYTHON_KEYRING_BACKEND")
    if chosen:
        return chosen != name
    if any(key.startswith("KEYRING_PROPERTY_") for key in os.environ):
        return True
    return (_config_root() / "keyringrc.cfg").exists()


def _config_root() -> Path:
    """keyring's config folder; on Linux computed as keyring does, without importing it."""
    if sys.platform.startswith("linux"):
        config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return Path(config_home) / "python_keyring"
    from keyring.util import platform_

    return Path(platform_.config_root())


def _secret_service_lookup(user: str) -> str | None:
    """What keyring's SecretService backend returns for (KEYRING_SERVICE, user), read
    with secretstorage alone. None when anything is unusual (a locked collection or item
    that needs a prompt, no such item): the caller then asks keyring, which handles
    prompts."""
    from contextlib import closing

    import secretstorage

    with closing(secretstorage.dbus_init()) as bus:
        collection = secretstorage.get_default_collection(bus)
        if collection.is_locked():
            return None
        for item in collection.search_items({"username": user, "service": KEYRING_SERVICE}):
            if item.is_locked():
                return None
            return str(item.get_secret().decode("utf-8"))
    return None


def _recorded_backend(record: SlotRecord) -> KeyringBackend | None:
    """The keyring backend that stored this slot's key, loaded directly, or None.

    keyring.get_keyring() imports and probes every installed backend (about 110 ms); the
    recorded one answers in a few ms. Used only when keyring's own configuration would
    not choose another, only for keyring's own secure backends, and only if usable here.
    """
    name = record.text("backend")
    if name is None or not name.startswith("keyring.backends.") or \
            name.startswith(_INSECURE_BACKENDS) or _keyring_configured_elsewhere(name):
        return None
    module_name, _, class_name = name.rpartition(".")
    try:
        backend: KeyringBackend = getattr(importlib.import_module(module_name), class_name)()
        if getattr(backend, "priority", 0) <= 0:
            return None
    except Exception:  # not installed, not usable here, or not a backend class
        return None
    return backend


@dataclass(frozen=True)
class KeyringRequest:
    """A new OS keyring slot."""

    kind: str = KIND
    noun: str = "OS keyring"

    def create(self, keybox_id: str, root_key: bytes,
               existing: Sequence[SlotRecord] = ()) -> SlotRecord:
        slot_id = new_slot_id()
        backend = store(keybox_id, slot_id, root_key)
        return SlotRecord(slot_id, KIND, "OS keyring", {"backend": backend})


class KeyringProvider:
    kind = KIND
    unlock_order = 0
    needs_secret = False
    proves_person = False
    portable = False

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        return load(keybox_id, record)

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        erase(keybox_id, record)
