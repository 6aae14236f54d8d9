"""Key slots: the ways to recover the root key. Any one slot unlocks the keybox.

Each provider is one class with `create(...)` (wrap the root key into a new slot record)
and `unlock(...)` (get the root key back, or raise SlotFailure saying why not), like
age's recipients and identities. AWS KMS slots add one class (slots_kms.py).
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import json
import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from ..errors import UsageError, VaultError
from .wrapping import context, unwrap, wrap

KEYRING_SERVICE = "vaultapp"


class SlotFailure(Exception):
    """This slot could not unlock; the message says why (shown to the person)."""


def parse_params(text: str) -> dict[str, Any]:
    """A slot's stored parameters; damaged JSON reads as no parameters (the slot then
    fails to unlock with "damaged" instead of crashing the unlock)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class SlotRecord:
    """A key slot as stored in the keybox."""

    slot_id: str
    kind: str
    label: str
    params: dict[str, Any] = field(default_factory=dict)
    wrapped_root_key: bytes | None = None

    @property
    def params_json(self) -> str:
        return json.dumps(self.params, sort_keys=True)


def new_slot_id() -> str:
    return secrets.token_hex(8)


def slot_context(keybox_id: str, slot: SlotRecord) -> bytes:
    return context("root-key-slot", keybox_id, slot.slot_id, slot.kind)


# --- passphrase -------------------------------------------------------------------------

@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters; the defaults take about 0.5 s on the reference machine."""

    memory_kib: int = 192 * 1024
    iterations: int = 3
    lanes: int = 4

    # Bounds enforced on read, so a hostile keybox cannot demand absurd memory or time.
    MAX_MEMORY_KIB: ClassVar[int] = 1024 * 1024
    MAX_ITERATIONS: ClassVar[int] = 16
    MAX_LANES: ClassVar[int] = 16

    def check(self) -> None:
        if not (
            8 * self.lanes <= self.memory_kib <= self.MAX_MEMORY_KIB
            and 1 <= self.iterations <= self.MAX_ITERATIONS
            and 1 <= self.lanes <= self.MAX_LANES
        ):
            raise SlotFailure(
                "the passphrase slot asks for out-of-bounds key-derivation parameters "
                f"({_short(self.memory_kib)} KiB, {_short(self.iterations)} passes, "
                f"{_short(self.lanes)} lanes); the keybox may have been tampered with"
            )


DEFAULT_KDF = KdfParams()


def _short(value: int) -> str:
    """A number for a message, never thousands of digits from a hostile keybox."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:6]}…({len(text)} digits)"


def _kdf(passphrase: str, salt: bytes, p: KdfParams) -> bytes:
    p.check()
    return Argon2id(
        salt=salt, length=32, iterations=p.iterations, lanes=p.lanes, memory_cost=p.memory_kib
    ).derive(passphrase.encode("utf-8"))


class PassphraseSlot:
    kind: ClassVar[str] = "passphrase"

    @staticmethod
    def create(
        keybox_id: str, root_key: bytes | bytearray, passphrase: str, kdf: KdfParams | None = None
    ) -> SlotRecord:
        if not passphrase:
            raise UsageError("the passphrase must not be empty")
        p = kdf or DEFAULT_KDF
        salt = os.urandom(16)
        record = SlotRecord(
            new_slot_id(), "passphrase", "recovery passphrase",
            {"kdf": "argon2id", "memory_kib": p.memory_kib, "iterations": p.iterations,
             "lanes": p.lanes, "salt": base64.b64encode(salt).decode()},
        )
        record.wrapped_root_key = wrap(
            _kdf(passphrase, salt, p), root_key, slot_context(keybox_id, record)
        )
        return record

    @staticmethod
    def unlock(keybox_id: str, record: SlotRecord, passphrase: str | None) -> bytes:
        if passphrase is None:
            raise SlotFailure("no passphrase was given")
        try:
            params = record.params
            p = KdfParams(int(params["memory_kib"]), int(params["iterations"]),
                          int(params["lanes"]))
            salt = base64.b64decode(params["salt"], validate=True)
        except (KeyError, ValueError, TypeError, OverflowError):
            raise SlotFailure("the passphrase slot is damaged") from None
        if params.get("kdf") != "argon2id" or not 16 <= len(salt) <= 64:
            raise SlotFailure("the passphrase slot is damaged")
        if record.wrapped_root_key is None:
            raise SlotFailure("the passphrase slot is damaged")
        root = unwrap(_kdf(passphrase, salt, p), record.wrapped_root_key,
                      slot_context(keybox_id, record))
        if root is None:
            raise SlotFailure("wrong passphrase")
        return root


# --- OS keyring -------------------------------------------------------------------------

_INSECURE_BACKENDS = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


def _backend_name(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def secure_keyring_backend() -> Any:
    """The OS keyring backend, or raise if there is none or it is not secure.

    Plaintext and "fail" backends are refused: a root key in a base64 file next to the
    keybox would protect nothing.
    """
    try:
        import keyring
        from keyring.backends.chainer import ChainerBackend
    except ImportError:  # pragma: no cover - keyring is a dependency
        raise VaultError("the keyring package is missing") from None
    backend = keyring.get_keyring()
    members = backend.backends if isinstance(backend, ChainerBackend) else [backend]
    usable = [
        b for b in members
        if not _backend_name(b).startswith(_INSECURE_BACKENDS) and getattr(b, "priority", 0) > 0
    ]
    if not usable:
        names = ", ".join(_backend_name(b) for b in members) or "none"
        raise SlotFailure(
            f"no secure OS keyring is available (found: {names}). Use 'vaultapp init "
            "--no-keyring' with a passphrase, or start a Secret Service such as gnome-keyring"
        )
    return backend


SECRET_SERVICE = "keyring.backends.SecretService.Keyring"


def _keyring_configured_elsewhere(name: str) -> bool:
    """Whether keyring's configuration (Linux) may pick another backend than `name`, or
    store items under another scheme: PYTHON_KEYRING_BACKEND, KEYRING_PROPERTY_* or a
    keyringrc.cfg in keyring's config folder."""
    chosen = os.environ.get("PYTHON_KEYRING_BACKEND")
    if chosen:
        return chosen != name
    if any(key.startswith("KEYRING_PROPERTY_") for key in os.environ):
        return True
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return (Path(config_home) / "python_keyring" / "keyringrc.cfg").exists()


def _secret_service_lookup(user: str) -> str | None:
    """What keyring's SecretService backend returns for (KEYRING_SERVICE, user), read
    with secretstorage alone, the library that backend uses.

    Importing keyring costs about 120 ms a command on the reference VM (it loads urllib,
    http and email through jaraco.context), more than the lookup. The item is found by
    the attributes keyring's default scheme gives it. None when anything is unusual (a
    locked collection or item that needs a prompt, no such item): the caller then asks
    keyring, which also handles prompts.
    """
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


def _recorded_backend(record: SlotRecord) -> Any | None:
    """The keyring backend that stored this slot's key, loaded directly, or None.

    keyring.get_keyring() imports and probes every installed backend, about 110 ms on
    the reference VM, on every command; the backend recorded when the slot was made
    answers in a few ms. It is used only when keyring's own configuration (the
    PYTHON_KEYRING_BACKEND variable or a keyringrc.cfg file) would not choose another,
    only for keyring's own secure backends, and only if it says it is usable here.
    """
    name = record.params.get("backend")
    if not isinstance(name, str) or not name.startswith("keyring.backends.") or \
            name.startswith(_INSECURE_BACKENDS):
        return None
    chosen = os.environ.get("PYTHON_KEYRING_BACKEND")
    if chosen and chosen != name:
        return None
    module_name, _, class_name = name.rpartition(".")
    try:
        module = importlib.import_module(module_name)
        from keyring.util import platform_

        if not chosen and (Path(platform_.config_root()) / "keyringrc.cfg").exists():
            return None
        backend = getattr(module, class_name)()
        if getattr(backend, "priority", 0) <= 0:
            return None
    except Exception:  # not installed, not usable here, or not a backend class
        return None
    return backend


def _keyring_user(keybox_id: str, slot_id: str) -> str:
    return f"keybox-{keybox_id}/slot-{slot_id}"


class KeyringSlot:
    """The root key stored in the OS keyring (Secret Service, Keychain, Credential Locker)."""

    kind: ClassVar[str] = "keyring"

    @staticmethod
    def create(keybox_id: str, root_key: bytes | bytearray) -> SlotRecord:
        backend = secure_keyring_backend()
        record = SlotRecord(new_slot_id(), "keyring", "OS keyring",
                            {"backend": _backend_name(backend)})
        try:
            backend.set_password(
                KEYRING_SERVICE, _keyring_user(keybox_id, record.slot_id),
                base64.b64encode(bytes(root_key)).decode(),
            )
        except Exception as exc:
            raise SlotFailure(f"the OS keyring refused to store the key ({type(exc).__name__})")\
                from None
        return record

    @staticmethod
    def unlock(keybox_id: str, record: SlotRecord, passphrase: str | None = None) -> bytes:
        user = _keyring_user(keybox_id, record.slot_id)
        if record.params.get("backend") == SECRET_SERVICE and sys.platform.startswith("linux") \
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
            raise SlotFailure(f"the OS keyring did not answer ({type(exc).__name__})") from None
        if secret is None:
            raise SlotFailure(
                "the OS keyring has no key for this keybox (another machine or user?)"
            )
        try:
            return base64.b64decode(secret, validate=True)
        except ValueError:
            raise SlotFailure("the OS keyring entry is damaged") from None

    @staticmethod
    def forget(keybox_id: str, record: SlotRecord) -> None:
        # Already gone, or no keyring here: the slot row goes anyway.
        with contextlib.suppress(Exception):
            secure_keyring_backend().delete_password(
                KEYRING_SERVICE, _keyring_user(keybox_id, record.slot_id)
            )


PROVIDERS: dict[str, Any] = {"passphrase": PassphraseSlot, "keyring": KeyringSlot}


def provider_for(kind: str) -> Any:
    """The provider class of a slot kind (KMS kinds load on first use), or None."""
    if kind in ("aws-kms", "keyring-kms"):
        from .slots_kms import AwsKmsSlot, KeyringKmsSlot

        return AwsKmsSlot if kind == "aws-kms" else KeyringKmsSlot
    return PROVIDERS.get(kind)
