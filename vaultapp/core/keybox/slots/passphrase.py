"""The passphrase slot: the root key wrapped under a key derived with Argon2id.

The parameters are stored in the slot and bounded on read, so a hostile keybox cannot
demand absurd memory or time; the defaults take about 0.5 s on the reference machine.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import ClassVar

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from ...errors import UsageError
from ..wrapping import unwrap, wrap
from .base import SlotFailure, SlotRecord, new_slot_id, slot_context

KIND = "passphrase"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters."""

    memory_kib: int = 192 * 1024
    iterations: int = 3
    lanes: int = 4

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
"""Read at call time (tests lower it for speed)."""


def _short(value: int) -> str:
    """A number for a message, never thousands of digits from a hostile keybox."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:6]}…({len(text)} digits)"


def _kdf(passphrase: str, salt: bytes, p: KdfParams) -> bytes:
    p.check()
    return Argon2id(
        salt=salt, length=32, iterations=p.iterations, lanes=p.lanes, memory_cost=p.memory_kib
    ).derive(passphrase.encode("utf-8"))


@dataclass(frozen=True)
class PassphraseRequest:
    """A new passphrase slot."""

    passphrase: str
    kdf: KdfParams | None = None
    kind: str = KIND
    noun: str = "passphrase"

    def create(self, keybox_id: str, root_key: bytes) -> SlotRecord:
        if not self.passphrase:
            raise UsageError("the passphrase must not be empty")
        p = self.kdf or DEFAULT_KDF
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
        raise SlotFailure("the passphrase slot is damaged") from None
    if record.text("kdf") != "argon2id" or not 16 <= len(salt) <= 64 or \
            record.wrapped_root_key is None:
        raise SlotFailure("the passphrase slot is damaged")
    return p, salt


class PassphraseProvider:
    kind = KIND
    unlock_order = 3
    needs_secret = True

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        if secret is None:
            raise SlotFailure("no passphrase was given")
        p, salt = _stored_params(record)
        assert record.wrapped_root_key is not None
        root = unwrap(_kdf(secret, salt, p), record.wrapped_root_key,
                      slot_context(keybox_id, record))
        if root is None:
            raise SlotFailure("wrong passphrase")
        return root

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        """Nothing outside the keybox."""
