"""The security-key slot (kind `fido2`): the root key wrapped under a secret that only one
hardware security key can compute, its hmac-secret extension's HMAC of a per-slot salt.

Adding the slot makes a credential for this keybox on the key (relying party
`vaultapp.keybox`, the keybox id as user handle; not resident, so the key stores
nothing and the credential id kept in the slot is all it needs to recognise it), with
user verification (the key's PIN, or its fingerprint reader) whenever the key has it set
up, and asks the key for HMAC(CredRandom, salt) through the WebAuthn PRF extension
(python-fido2's `HmacSecretExtension`; the authenticator runs hmac-secret). The root key
is wrapped under that secret with the slot's context. Unlocking finds every connected
key, skips those that do not hold the credential, and asks the one that does for the
same HMAC: a touch always (user presence), the PIN when the slot was made with it.
Any number of keys, each its own slot, so a spare key works. It proves a person is here
(a touch, a PIN) and survives the loss of this machine (the key is in a pocket), but
not the loss of the key.

How the person is reached: the PIN is not the slot's secret (`needs_secret` is False:
a typed passphrase is never tried against it), so it does not travel as the unlock's
`secret`. A front end installs a `SecurityKeyPrompts` for the duration of an unlock —
`with prompting(prompts): keybox.unlock(...)` — a context variable, so the keybox
service and the SlotProvider interface stay as they are and each thread (the window's
serial executor) sees only its own prompts. `Fido2Request` takes one directly. With
none installed no key is contacted at all: nothing could tell the person to touch it, so
a silent unlock (the window's start-up through the keyring) passes over the slot at once
instead of waiting for a touch nobody was asked for.

python-fido2 is imported only when a key is talked to (`fido2_keys`), so a keybox with
a security-key slot still unlocks through its keyring without loading it.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from ..wrapping import unwrap, wrap
from .base import SlotFailure, SlotRecord, new_slot_id, slot_context
from .registry import install_hint

KIND = "fido2"
RP_ID = "vaultapp.keybox"
"""The relying party of every credential vaultapp makes (the keybox id is the user handle)."""
SALT_BYTES = 32
TOUCH_TIMEOUT_S = 30.0
"""How long a key may wait for its touch (or a PIN be typed) before the wait is given up."""


class SecurityKeyPrompts(Protocol):
    """How a security key reaches the person: a front end's implementation (the command
    line prints and reads at the terminal; the window shows a prompt with a Cancel)."""

    cancel: threading.Event | None
    """Set it to stop waiting for the key (the window's Cancel); None: no way to cancel."""

    def touch(self, device: str) -> None:
        """The key named `device` now waits for a touch (called before the wait)."""

    def ask_pin(self, device: str, retries: int | None, wrong: bool) -> str | None:
        """The PIN of `device`, or None to give up. `retries`: tries left before the key
        blocks its PIN (None: unknown); `wrong`: the PIN given before was wrong."""

    def no_pin(self, device: str) -> None:
        """While adding: `device` has no PIN set, so the slot is protected by the key
        alone (whoever holds it and a copy of the keybox unlocks with a touch)."""


_prompts: ContextVar[SecurityKeyPrompts | None] = ContextVar(
    "vaultapp_security_key_prompts", default=None)


@contextmanager
def prompting(prompts: SecurityKeyPrompts | None) -> Iterator[None]:
    """Security-key slots unlocked in this block reach the person through `prompts`."""
    token = _prompts.set(prompts)
    try:
        yield
    finally:
        _prompts.reset(token)


def current_prompts() -> SecurityKeyPrompts | None:
    return _prompts.get()


device_source: Callable[[], Sequence[Any]] | None = None
"""Where connected security keys come from: None is the system's (USB HID keys, or on
Windows the WebAuthn API). Tests set a function that returns in-process authenticators
(python-fido2 `CtapDevice`s, tests/support/soft_authenticator.py)."""


def _keys() -> ModuleType:
    """The module that talks to keys, or a SlotFailure saying how to get python-fido2."""
    try:
        from . import fido2_keys
    except ImportError:
        raise SlotFailure("security key slots need the optional FIDO2 support "
                          f"(python-fido2): {install_hint(KIND)}") from None
    return fido2_keys


@dataclass(frozen=True)
class Fido2Params:
    """A security-key slot's stored parameters (docs/KEYBOX.md, 4.6)."""

    credential_id: bytes
    salt: bytes
    rp_id: str
    uv: bool
    device: str

    def to_params(self) -> dict[str, str | int | float | bool | None]:
        return {"credential_id": base64.b64encode(self.credential_id).decode(),
                "salt": base64.b64encode(self.salt).decode(), "rp_id": self.rp_id,
                "uv": self.uv, "device": self.device, "extension": "prf"}


def stored_params(record: SlotRecord) -> Fido2Params:
    """The slot's parameters, or SlotFailure("damaged"): a relying party other than
    vaultapp's is refused too, so an edited slot never asks a key about another site."""
    try:
        credential_id = base64.b64decode(record.text("credential_id") or "", validate=True)
        salt = base64.b64decode(record.text("salt") or "", validate=True)
    except (binascii.Error, ValueError):
        raise SlotFailure("the security key slot is damaged", "damaged") from None
    uv = record.params.get("uv")
    if not 16 <= len(credential_id) <= 1023 or len(salt) != SALT_BYTES or \
            record.text("rp_id") != RP_ID or record.text("extension") != "prf" or \
            not isinstance(uv, bool | int) or record.wrapped_root_key is None:
        raise SlotFailure("the security key slot is damaged", "damaged")
    device = (record.text("device") or "security key")[:80]
    return Fido2Params(credential_id, salt, RP_ID, bool(uv), device)


def _taken(existing: Sequence[SlotRecord]) -> tuple[tuple[bytes, str], ...]:
    """(credential id, slot label) of the keybox's security-key slots (damaged ones
    are left out: they name no credential anyone could check)."""
    taken = []
    for record in existing:
        if record.kind == KIND:
            try:
                taken.append((stored_params(record).credential_id, record.label))
            except SlotFailure:
                continue
    return tuple(taken)


def _required(prompts: SecurityKeyPrompts | None) -> SecurityKeyPrompts:
    if prompts is None:
        raise SlotFailure("not tried: nothing here can ask for the touch of a security key",
                          "key-not-asked")
    return prompts


def derive_secret(params: Fido2Params, prompts: SecurityKeyPrompts | None) -> bytes:
    """The slot's secret from whichever connected key holds its credential."""
    return _keys().derive(params, _access(prompts))  # type: ignore[no-any-return]


def _access(prompts: SecurityKeyPrompts | None) -> Any:
    """How fido2_keys reaches keys and the person, read now (tests change the settings)."""
    return _keys().Access(prompts, device_source, TOUCH_TIMEOUT_S, RP_ID)


@dataclass(frozen=True)
class Fido2Request:
    """A new security-key slot on the one key that is connected."""

    prompts: SecurityKeyPrompts | None = None
    kind: str = KIND
    noun: str = "security key"

    def create(self, keybox_id: str, root_key: bytes,
               existing: Sequence[SlotRecord] = ()) -> SlotRecord:
        """Refuses a key that already holds one of the keybox's credentials: a second
        slot on the same key is no spare (both go when the key goes)."""
        salt = os.urandom(SALT_BYTES)
        prompts = _required(self.prompts or current_prompts())
        made = _keys().enroll(keybox_id, salt, _access(prompts), _taken(existing))
        params = Fido2Params(made.credential_id, salt, RP_ID, made.uv, made.device[:80])
        record = SlotRecord(new_slot_id(), KIND, "security key", params.to_params())
        record.wrapped_root_key = wrap(made.secret, root_key, slot_context(keybox_id, record))
        return record


class Fido2Provider:
    kind = KIND
    unlock_order = 2
    needs_secret = False  # the PIN reaches the key through SecurityKeyPrompts, not here
    proves_person = True  # a touch, and the PIN when the key has one
    portable = True  # the key goes with its owner, not with this machine

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        params = stored_params(record)
        answer = derive_secret(params, _required(current_prompts()))
        assert record.wrapped_root_key is not None
        root = unwrap(answer, record.wrapped_root_key, slot_context(keybox_id, record))
        if root is None:
            raise SlotFailure("the security key answered, but not with this slot's secret "
                              "(the slot was changed, or made with another key)")
        return root

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        """Nothing: the credential is not resident, so the key keeps nothing to erase."""
