"""The recovery code slot: a printable code, shown once, that unlocks wherever a passphrase
does (typed, read from stdin, or from VAULTAPP_PASSPHRASE).

A code is 160 random bits from `secrets` written as 8 groups of 5 characters of
Crockford's base32 alphabet (no I, L, O, U), `7K2QF-…`: each group is 4 characters of
data and 1 check character, so a typo is caught, and named by its group, before any
key is derived ("not a valid recovery code: group 3 has a typo"). The check character
is a linear check over GF(32) that also covers the group's position: every single wrong
character, every swap of two characters within a group and every swap of two groups is
caught (tests/unit/core/keybox/test_recovery_code.py tries them all).

Input is normalised first: case, spaces and dashes do not matter, and Crockford's
look-alikes are read as he says (O as 0, I and L as 1).

The root key is wrapped under HKDF-SHA256 of the code's 160 bits with a random salt.
A slow KDF would add nothing: guessing a uniformly random 160-bit value takes about
2^159 tries whatever each costs (docs/KEYBOX.md § 4.7).
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..wrapping import unwrap, wrap
from .base import SlotFailure, SlotRecord, new_slot_id, slot_context

KIND = "recovery-code"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: digits and letters without I, L, O and U."""
GROUPS = 8
DATA_PER_GROUP = 4
GROUP_LENGTH = DATA_PER_GROUP + 1
DATA_BYTES = 20
"""160 bits: 8 groups x 4 data characters x 5 bits."""
ENTROPY_BITS = DATA_BYTES * 8
KDF_INFO = b"vaultapp/v1/recovery-code"

_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-]+")


class NotARecoveryCode(SlotFailure):
    """The text is not a recovery code, or one with a typo; the message says which group."""


# --- the check character: GF(32) with x^5 + x^2 + 1 (primitive), alpha = x ----------------

def _mul(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0x20:
            a ^= 0x25
    return product


_POWERS = [1]
for _ in range(30):
    _POWERS.append(_mul(_POWERS[-1], 2))


def _check_value(group: int, data: list[int]) -> int:
    """The check c of group `group` (0-based): sum(alpha^i * d_i, i = 1..4) + alpha^5 * c
    + (group + 1) = 0 in GF(32), so c = alpha^-5 * (group + 1 + sum(alpha^i * d_i))."""
    total = group + 1
    for i, value in enumerate(data, start=1):
        total ^= _mul(_POWERS[i], value)
    return _mul(_POWERS[31 - GROUP_LENGTH], total)


# --- writing and reading codes ---------------------------------------------------------------

def format_code(data: bytes) -> str:
    """The printed form of 20 bytes: 8 dash-separated groups of 5 characters."""
    if len(data) != DATA_BYTES:
        raise ValueError(f"a recovery code holds {DATA_BYTES} bytes")
    number = int.from_bytes(data, "big")
    symbols = [(number >> (5 * (GROUPS * DATA_PER_GROUP - 1 - i))) & 31
               for i in range(GROUPS * DATA_PER_GROUP)]
    groups = []
    for g in range(GROUPS):
        chunk = symbols[g * DATA_PER_GROUP:(g + 1) * DATA_PER_GROUP]
        groups.append("".join(ALPHABET[v] for v in [*chunk, _check_value(g, chunk)]))
    return "-".join(groups)


def new_code() -> str:
    """A fresh code: 160 bits from the operating system's CSPRNG."""
    return format_code(secrets.token_bytes(DATA_BYTES))


def _groups(text: str) -> list[str]:
    """The groups a person typed, normalised; NotARecoveryCode when the text is not
    shaped like a code at all (a passphrase) or has the wrong number of groups."""
    chunks = [c for c in _SEPARATORS.split(text.strip().upper()) if c]
    joined = "".join(chunks)
    if not joined or not (joined.isascii() and joined.isalnum()):
        raise NotARecoveryCode("not a recovery code")
    total = GROUPS * GROUP_LENGTH
    if len(chunks) == 1 and len(joined) == total:
        return [joined[i:i + GROUP_LENGTH] for i in range(0, total, GROUP_LENGTH)]
    if len(chunks) == GROUPS and all(3 <= len(c) <= 7 for c in chunks):
        return chunks
    if total - 5 <= len(joined) <= total + 5:
        if len(chunks) == 1:
            raise NotARecoveryCode(f"not a valid recovery code: it has {len(joined)} "
                                   f"characters; a recovery code has {total}")
        if all(len(c) <= 7 for c in chunks):
            raise NotARecoveryCode(f"not a valid recovery code: it has {len(chunks)} "
                                   f"groups; a recovery code has {GROUPS} groups of "
                                   f"{GROUP_LENGTH} characters")
    raise NotARecoveryCode("not a recovery code")


def parse(text: str) -> bytes:
    """The 20 bytes of a typed code, or NotARecoveryCode naming each group with a typo.
    Nothing here derives a key, so a typo costs nothing."""
    groups = _groups(text)
    symbols: list[int] = []
    wrong_length: list[str] = []
    typos: list[int] = []
    for g, group in enumerate(groups):
        if len(group) != GROUP_LENGTH:
            wrong_length.append(f"group {g + 1} has {len(group)} characters, not "
                                f"{GROUP_LENGTH}")
            continue
        values = [_VALUE.get(c, -1) for c in group.translate(_LOOK_ALIKES)]
        data, check = values[:DATA_PER_GROUP], values[DATA_PER_GROUP]
        if -1 in values or _check_value(g, data) != check:
            typos.append(g + 1)
            continue
        symbols.extend(data)
    if wrong_length:
        raise NotARecoveryCode("not a valid recovery code: " + "; ".join(wrong_length))
    if typos:
        names = ", ".join(str(n) for n in typos[:-1])
        which = f"group {typos[0]} has" if len(typos) == 1 else \
            f"groups {names} and {typos[-1]} have"
        raise NotARecoveryCode(f"not a valid recovery code: {which} a typo")
    number = 0
    for value in symbols:
        number = (number << 5) | value
    return number.to_bytes(DATA_BYTES, "big")


def problem(text: str) -> str | None:
    """What is wrong with a typed code (for live feedback), or None when it is valid."""
    try:
        parse(text)
    except NotARecoveryCode as exc:
        return str(exc)
    return None


def _kdf(data: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=KDF_INFO).derive(data)


# --- the slot ----------------------------------------------------------------------------

@dataclass(frozen=True)
class RecoveryCodeRequest:
    """A new recovery code slot. `code` is made here unless given; the front end shows it
    once, after the slot was stored, and keeps it nowhere."""

    code: str = field(default_factory=new_code, repr=False)
    kind: str = KIND
    noun: str = "recovery code"

    def create(self, keybox_id: str, root_key: bytes,
               existing: Sequence[SlotRecord] = ()) -> SlotRecord:
        data = parse(self.code)
        salt = os.urandom(16)
        record = SlotRecord(new_slot_id(), KIND, "recovery code",
                            {"kdf": "hkdf-sha256", "salt": base64.b64encode(salt).decode()})
        record.wrapped_root_key = wrap(_kdf(data, salt), root_key,
                                       slot_context(keybox_id, record))
        return record


def _salt(record: SlotRecord) -> bytes:
    try:
        salt = base64.b64decode(record.text("salt") or "", validate=True)
    except ValueError:
        salt = b""
    if record.text("kdf") != "hkdf-sha256" or not 16 <= len(salt) <= 64 or \
            record.wrapped_root_key is None:
        raise SlotFailure("the recovery code slot is damaged", "damaged")
    return salt


class RecoveryCodeProvider:
    kind = KIND
    unlock_order = 3  # before the passphrase (4): telling a code from a passphrase is free
    needs_secret = True
    proves_person = True
    portable = True

    def unlock(self, keybox_id: str, record: SlotRecord, secret: str | None) -> bytes:
        if secret is None:
            raise SlotFailure("no recovery code was given", "no-passphrase")
        data = parse(secret)
        salt = _salt(record)
        assert record.wrapped_root_key is not None
        root = unwrap(_kdf(data, salt), record.wrapped_root_key,
                      slot_context(keybox_id, record))
        if root is None:
            raise SlotFailure("wrong recovery code (a valid code, but not this slot's)",
                              "wrong-recovery-code")
        return root

    def forget(self, keybox_id: str, record: SlotRecord) -> None:
        """Nothing outside the keybox (the code is on paper)."""
