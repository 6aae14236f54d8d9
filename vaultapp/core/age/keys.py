"""Recipient and identity strings: which Bech32 prefix is which key type."""

from __future__ import annotations

from . import bech32, hybrid, x25519
from .errors import AgeIdentityError, AgeRecipientError
from .hybrid import HybridIdentity, HybridRecipient
from .x25519 import X25519Identity, X25519Recipient

KeyRecipient = X25519Recipient | HybridRecipient
KeyIdentity = X25519Identity | HybridIdentity

_UNSUPPORTED = {
    "age1tag": "tagged (hardware key) recipients are not supported",
    "age1tagpq": "tagged (hardware key) recipients are not supported",
}


def parse_recipient(text: str) -> KeyRecipient:
    """An `age1…` (X25519) or `age1pq1…` (hybrid) recipient, surrounding whitespace
    ignored. Raises AgeRecipientError (a usage error naming the string) otherwise."""
    stripped = text.strip()
    if stripped.startswith(("ssh-", "ecdsa-")):
        raise AgeRecipientError(stripped, "SSH keys are not supported as recipients")
    try:
        hrp, data = bech32.decode(stripped)
    except bech32.Bech32Error as error:
        raise AgeRecipientError(stripped, f"not a Bech32 key ({error})") from None
    try:
        if hrp == x25519.RECIPIENT_HRP:
            return X25519Recipient(data)
        if hrp == hybrid.RECIPIENT_HRP:
            return HybridRecipient(data)
    except ValueError as error:
        raise AgeRecipientError(stripped, str(error)) from None
    if hrp in _UNSUPPORTED:
        raise AgeRecipientError(stripped, _UNSUPPORTED[hrp])
    if hrp.startswith("age1") and hrp == hrp.lower():
        raise AgeRecipientError(stripped, "plugin recipients are not supported")
    raise AgeRecipientError(stripped, "expected age1… or age1pq1…")


def parse_identity(text: str) -> KeyIdentity:
    """An `AGE-SECRET-KEY-1…` (X25519) or `AGE-SECRET-KEY-PQ-1…` (hybrid) identity,
    surrounding whitespace ignored. Raises AgeIdentityError, which never repeats it."""
    try:
        hrp, data = bech32.decode(text.strip())
    except bech32.Bech32Error as error:
        raise AgeIdentityError(f"not a Bech32 key ({error})") from None
    try:
        if hrp == x25519.IDENTITY_HRP:
            return X25519Identity(data)
        if hrp == hybrid.IDENTITY_HRP:
            return HybridIdentity(data)
    except ValueError as error:
        raise AgeIdentityError(str(error)) from None
    if hrp.startswith("AGE-PLUGIN-"):
        raise AgeIdentityError("plugin identities are not supported")
    raise AgeIdentityError("expected AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…")


def parse_identity_file(text: str) -> list[KeyIdentity]:
    """The identities of an age identity file (as `age-keygen` writes): one a line,
    empty lines and lines starting with `#` ignored. Raises AgeIdentityError naming the
    line number of the first bad line, or when there is none."""
    found: list[KeyIdentity] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            found.append(parse_identity(line))
        except AgeIdentityError as error:
            raise AgeIdentityError(f"line {number}: {error.why}") from None
    if not found:
        raise AgeIdentityError("no identity in it")
    return found
