"""What every key slot is: a stored record, a provider that unlocks it, a request that
creates it. Any one slot recovers the root key.

A provider is one small class per kind (one module each, loaded by `registry`), like
age's identities: `unlock` returns the root key or raises `SlotFailure` saying why not
(shown to the person beside the other slots' reasons). A `SlotRequest` carries what a
new slot needs (a passphrase, a KMS key ARN); the keybox service hands it the root key
and stores the record it makes, so no front end ever holds the root key.

Two answers may depend on the slot rather than its kind (a TPM slot made with a PIN
proves a person, one without does not): a provider that needs this defines
`proves_person_for(record)` and `needs_pin(record)`, asked through the functions of the
same names below; every other provider answers for its whole kind.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..wrapping import context

JsonValue = str | int | float | bool | None
SlotParams = dict[str, JsonValue]


class SlotFailure(Exception):
    """This slot could not unlock (or be created); the message says why, in English.

    `code` (one of REASONS, or "" when the case is rare enough to stay in words) and
    `values` (its details: a device name, tries left, seconds) let a front end say the
    same in its own language (the window's gui/slot_reasons.py); the CLI prints the
    message."""

    def __init__(self, message: str, code: str = "", **values: str | int | float) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


REASONS: dict[str, tuple[str, ...]] = {
    "damaged": (),
    "added-since": (),
    "unknown-kind": (),
    "no-passphrase": (),
    "no-pin": (),
    "wrong-passphrase": (),
    "wrong-recovery-code": (),
    "keyring-missing": (),
    "keyring-no-answer": (),
    "no-key": (),
    "not-this-key": (),
    "key-pin-wrong": ("device", "retries"),
    "key-pin-blocked": ("device",),
    "key-pin-replug": ("device",),
    "key-not-touched": ("device", "seconds"),
    "key-cancelled": ("device",),
    "key-touch-refused": ("device",),
    "key-unplugged": ("device",),
    "key-not-asked": (),
    "key-already-added": ("device",),
    "tpm-unreachable": (),
    "tpm-wrong-pin": ("retries",),
    "tpm-locked-out": (),
    "tpm-cleared": (),
}
"""Every SlotFailure code and the values it comes with (retries -1: not known)."""


def parse_params(text: str) -> SlotParams:
    """A slot's stored parameters; damaged JSON reads as no parameters (the slot then
    fails to unlock with "damaged" instead of crashing the unlock)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if v is None or isinstance(v, str | int | float)}


@dataclass
class SlotRecord:
    """A key slot as stored in the keybox."""

    slot_id: str
    kind: str
    label: str
    params: SlotParams = field(default_factory=dict)
    wrapped_root_key: bytes | None = None

    @property
    def params_json(self) -> str:
        return json.dumps(self.params, sort_keys=True)

    def text(self, name: str) -> str | None:
        """A string parameter, or None when it is missing or not a string."""
        value = self.params.get(name)
        return value if isinstance(value, str) else None


def new_slot_id() -> str:
    return secrets.token_hex(8)


def slot_context(keybox_id: str, slot: SlotRecord) -> bytes:
    """The associated data binding a wrapped root key to its keybox, slot and kind."""
    return context("root-key-slot", keybox_id, slot.slot_id, slot.kind)


class SlotProvider(Protocol):
    """One kind of key slot."""

    @property
    def kind(self) -> str: ...

    @property
    def unlock_order(self) -> int:
        """Lower first: silent slots (keyring) before network (KMS) before typed ones."""
        ...

    @property
    def needs_secret(self) -> bool:
        """Whether unlocking needs a secret the person types (a passphrase)."""
        ...

    @property
    def proves_person(self) -> bool:
        """Whether unlocking through it proves a person is here, so that it may unlock
        after a lock (a typed passphrase; not the keyring, which the session unlocked)."""
        ...

    @property
    def portable(self) -> bool:
        """Whether it survives the loss of this machine (a passphrase, a KMS key; not the
        OS keyring, whose entry lives here)."""
        ...

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        """The root key, or SlotFailure saying why not."""
        ...

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        """Remove what the slot keeps outside the keybox (a keyring entry); never fails."""
        ...


class SlotRequest(Protocol):
    """What a new slot needs; `create` wraps the root key into its record."""

    @property
    def kind(self) -> str: ...

    @property
    def noun(self) -> str:
        """The kind for a sentence ("cannot add the KMS slot")."""
        ...

    def create(self, keybox_id: str, root_key: bytes,
               existing: Sequence[SlotRecord] = ()) -> SlotRecord:
        """The new slot's record, or SlotFailure saying why it cannot be made. `existing`:
        the keybox's slots, so a request can refuse to repeat one (the same security key
        twice)."""
        ...


def proves_person(provider: SlotProvider, record: SlotRecord) -> bool:
    """Whether unlocking through `record` proves a person is here (so it may unlock after
    a lock): the provider's `proves_person_for(record)` when it has one, else its kind's
    `proves_person`."""
    per_slot = getattr(provider, "proves_person_for", None)
    return bool(per_slot(record)) if callable(per_slot) else bool(provider.proves_person)


def needs_pin(provider: SlotProvider, record: SlotRecord) -> bool:
    """Whether unlocking `record` needs a PIN of its own (a TPM slot made with one).

    Unlike a passphrase (`needs_secret`), a PIN is asked for that one slot and is never
    filled in from a passphrase given for the others: each wrong PIN counts toward the
    device's dictionary-attack lockout. The provider says so with `needs_pin(record)`.
    """
    per_slot = getattr(provider, "needs_pin", None)
    return bool(per_slot(record)) if callable(per_slot) else False
