"""The passphrase slot: the root key wrapped under a key derived with Argon2id.

The parameters are stored in the slot. The defaults (192 MiB, 3 passes, 4 lanes) take
about 0.5 s on the reference machine. Cost is memory (KiB) x passes:

- read (every unlock): at most 4x the default memory and 4x the default cost, at most
  16 lanes, so a hostile keybox cannot demand absurd memory or time — it fails at once
  with "out-of-bounds key-derivation parameters";
- created: at least the floor, OWASP's minimum for Argon2id (19 MiB, 2 passes), or the
  defaults where those are lower (tests lower DEFAULT_KDF for speed, and with it the
  floor). The command line and the window always create slots with the defaults.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from ...errors import UsageError
from ...strength import require_strong
from ..wrapping import unwrap, wrap
from .base import SlotFailure, SlotRecord, new_slot_id, slot_context

KIND = "passphrase"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters."""

    memory_kib: int = 192 * 1024
    iterations: int = 3
    lanes: int = 4

    DEFAULT_COST: ClassVar[int] = 192 * 1024 * 3
    MAX_MEMORY_KIB: ClassVar[int] = 4 * 192 * 1024
    MAX_COST: ClassVar[int] = 4 * DEFAULT_COST
    MAX_ITERATIONS: ClassVar[int] = MAX_COST // (8 * 1024)  # the cost bound at 8 MiB
    MAX_LANES: ClassVar[int] = 16

    @property
    def cost(self) -> int:
        return self.memory_kib * self.iterations

    def check(self) -> None:
        """The bound on read: refuse what would take absurd memory or time."""
        if not (
            8 * self.lanes <= self.memory_kib <= self.MAX_MEMORY_KIB
            and 1 <= self.iterations <= self.MAX_ITERATIONS
            and 1 <= self.lanes <= self.MAX_LANES
            and self.cost <= self.MAX_COST
        ):
            raise SlotFailure(
                "the passphrase slot asks for out-of-bounds key-derivation parameters "
                f"({_short(self.memory_kib)} KiB, {_short(self.iterations)} passes, "
                f"{_short(self.lanes)} lanes); the keybox may have been tampered with"
            )


DEFAULT_KDF = KdfParams()
"""Read at call time (tests lower it for speed, and so the floor)."""

PRODUCT_KDF_FLOOR = KdfParams(memory_kib=19 * 1024, iterations=2, lanes=1)
"""OWASP's minimum for Argon2id: the least a new slot may ask for."""

KDF_FLOOR = PRODUCT_KDF_FLOOR
"""Read at call time; the floor is the lower of this and DEFAULT_KDF (tests lower both)."""


def check_new(p: KdfParams) -> None:
    """The floor on creation: a new slot is never cheaper to guess than KDF_FLOOR (or
    DEFAULT_KDF where that is lower), nor beyond the bound on read."""
    floor_memory = min(KDF_FLOOR.memory_kib, DEFAULT_KDF.memory_kib)
    floor_passes = min(KDF_FLOOR.iterations, DEFAULT_KDF.iterations)
    if p.memory_kib < floor_memory or p.iterations < floor_passes:
        raise UsageError(
            f"key-derivation parameters below the floor ({p.memory_kib} KiB, {p.iterations} "
            f"passes; at least {floor_memory} KiB and {floor_passes} passes)")
    try:
        p.check()
    except SlotFailure as exc:
        raise UsageError(str(exc).split(";")[0]) from None


def _short(value: int) -> str:
    """A number for a message, never thousands of digits from a hostile keybox."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:6]}…({len(text)} digits)"


def _kdf(passphrase: str, salt: bytes, p: KdfParams) -> bytes:
    p.check()
    try:
        secret = passphrase.encode("utf-8")
    except UnicodeError:  # undecodable input kept as surrogates: never its bytes in a message
        raise UsageError("the passphrase is not valid UTF-8 text") from None
    return Argon2id(
        salt=salt, length=32, iterations=p.iterations, lanes=p.lanes, memory_cost=p.memory_kib
    ).derive(secret)


@dataclass(frozen=True)
class PassphraseRequest:
    """A new passphrase slot."""

    passphrase: str
    kdf: KdfParams | None = None
    kind: str = KIND
    noun: str = "passphrase"

    def create(self, keybox_id: str, root_key: bytes,
               existing: Sequence[SlotRecord] = ()) -> SlotRecord:
        if not self.passphrase:
            raise UsageError("the passphrase must not be empty")
        require_strong(self.passphrase)
        p = self.kdf or DEFAULT_KDF
        check_new(p)
        salt = os.urandom(16)
        record = SlotRecord(
            new_slot_id(), KIND, "recovery passphrase",
            {"kdf": "argon2id", "memory_kib": p.memory_kib, "iterations": p.iterations,
             "lanes": p.lanes, "salt": base64.b64encode(salt).decode()},
        )
        record.wrapped_root_key = wrap(_kdf(self.passphrase, salt, p), root_key,
                                       slot_context(keybox_id, record))
        return record


def _stored_params(record: SlotRecord) -> tuple[KdfParams, bytes]:
    try:
        params = record.params
        p = KdfParams(int(params["memory_kib"] or 0), int(params["iterations"] or 0),
                      int(params["lanes"] or 0))
        salt = base64.b64decode(str(params["salt"]), validate=True)
    except (KeyError, ValueError, TypeError, OverflowError):
        raise SlotFailure("the passphrase slot is damaged", "damaged") from None
    if record.text("kdf") != "argon2id" or not 16 <= len(salt) <= 64 or \
            record.wrapped_root_key is None:
        raise SlotFailure("the passphrase slot is damaged", "damaged")
    return p, salt


class PassphraseProvider:
    kind = KIND
    unlock_order = 4  # after the recovery code (3), which tells a passphrase at once
    needs_secret = True
    proves_person = True
    portable = True

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        if secret is None:
            raise SlotFailure("no passphrase was given", "no-passphrase")
        p, salt = _stored_params(record)
        assert record.wrapped_root_key is not None
        root = unwrap(_kdf(secret, salt, p), record.wrapped_root_key,
                      slot_context(keybox_id, record))
        if root is None:
            raise SlotFailure("wrong passphrase", "wrong-passphrase")
        return root

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        """Nothing outside the keybox."""
