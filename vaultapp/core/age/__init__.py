"""age v1 files (age-encryption.org/v1): the open format vaultapp shares files in, so
that `age`, `rage` and typage open what vaultapp writes and vaultapp opens what they write.

Recipient types: mlkem768x25519 (post-quantum hybrid, age 1.3; the default for new
identities), X25519, scrypt (passphrase). Strict parsing as the reference implementation's,
checked against every C2SP CCTV test vector (tests/unit/core/age/test_cctv.py); the
byte-level choices, refusals and caps are in docs/FORMAT.md, "age files".

    identity = HybridIdentity.generate()
    encrypt(plain, out, [parse_recipient(text)], armor=False)
    facts = decrypt(sealed, out, [identity])

Identities are plain bytes-backed values (`secret_bytes`, 32 bytes for both kinds) so the
keybox can store them wrapped; `encode()` gives the age string of any key.
"""

from __future__ import annotations

from .base import Identity, Recipient
from .errors import (
    NO_MATCH_MESSAGE,
    AgeArmorError,
    AgeError,
    AgeHeaderError,
    AgeIdentityError,
    AgeMacError,
    AgeNoMatchError,
    AgePayloadError,
    AgeRecipientError,
    AgeVersionError,
    AgeWorkFactorError,
)
from .file import SNIFF_SIZE, AgeFacts, Identities, decrypt, encrypt, is_age, read_header
from .hybrid import HybridIdentity, HybridRecipient
from .keys import KeyIdentity, KeyRecipient, parse_identity, parse_identity_file, parse_recipient
from .scrypt import ScryptIdentity, ScryptRecipient
from .x25519 import X25519Identity, X25519Recipient

__all__ = [
    "NO_MATCH_MESSAGE",
    "SNIFF_SIZE",
    "AgeArmorError",
    "AgeError",
    "AgeFacts",
    "AgeHeaderError",
    "AgeIdentityError",
    "AgeMacError",
    "AgeNoMatchError",
    "AgePayloadError",
    "AgeRecipientError",
    "AgeVersionError",
    "AgeWorkFactorError",
    "HybridIdentity",
    "HybridRecipient",
    "Identities",
    "Identity",
    "KeyIdentity",
    "KeyRecipient",
    "Recipient",
    "ScryptIdentity",
    "ScryptRecipient",
    "X25519Identity",
    "X25519Recipient",
    "decrypt",
    "encrypt",
    "is_age",
    "parse_identity",
    "parse_identity_file",
    "parse_recipient",
    "read_header",
]
