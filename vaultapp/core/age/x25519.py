"""The X25519 recipient type (classic, not post-quantum).

    -> X25519 <base64 ephemeral share, 32 bytes>
    <base64 ChaCha20-Poly1305(HKDF(shared secret, share || recipient, label), file key)>
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from . import b64, bech32
from .base import single_argument, unwrap_file_key, wrap_file_key
from .errors import AgeHeaderError
from .header import Stanza, hkdf

TYPE = "X25519"
LABEL = b"age-encryption.org/v1/X25519"
RECIPIENT_HRP = "age"
IDENTITY_HRP = "AGE-SECRET-KEY-"
KEY_SIZE = 32


def _shared(secret: X25519PrivateKey, point: bytes) -> bytes | None:
    """X25519, or None for the all-zero result of a low-order point (refused by age)."""
    try:
        shared = secret.exchange(X25519PublicKey.from_public_bytes(point))
    except ValueError:
        return None
    return None if shared == bytes(32) else shared


_PROBE = X25519PrivateKey.from_private_bytes(bytes(range(32)))


def is_low_order(point: bytes) -> bool:
    """A point whose X25519 with any secret is zero: no one can decrypt for it."""
    return _shared(_PROBE, point) is None


class X25519Recipient:
    """An `age1…` recipient: a Curve25519 point."""

    kind = "x25519"
    post_quantum = False

    def __init__(self, public: bytes) -> None:
        if len(public) != KEY_SIZE:
            raise ValueError("an X25519 recipient is 32 bytes")
        if is_low_order(public):
            raise ValueError("it is a low-order point, which no one can decrypt for")
        self.public_bytes = bytes(public)

    def encode(self) -> str:
        return bech32.encode(RECIPIENT_HRP, self.public_bytes)

    def wrap(self, file_key: bytes) -> list[Stanza]:
        ephemeral = X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes_raw()
        shared = _shared(ephemeral, self.public_bytes)
        assert shared is not None  # low-order points are refused when the recipient is made
        key = hkdf(shared, share + self.public_bytes, LABEL)
        return [Stanza(TYPE, (b64.encode(share).decode("ascii"),), wrap_file_key(key, file_key))]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, X25519Recipient) and other.public_bytes == self.public_bytes

    def __hash__(self) -> int:
        return hash((TYPE, self.public_bytes))

    def __repr__(self) -> str:
        return f"X25519Recipient({self.encode()!r})"


class X25519Identity:
    """An `AGE-SECRET-KEY-1…` identity, backed by its 32-byte secret scalar."""

    kind = "x25519"

    def __init__(self, secret: bytes) -> None:
        if len(secret) != KEY_SIZE:
            raise ValueError("an X25519 identity is 32 bytes")
        self.secret_bytes = bytes(secret)
        self._key = X25519PrivateKey.from_private_bytes(self.secret_bytes)
        self._public = self._key.public_key().public_bytes_raw()

    @classmethod
    def generate(cls) -> X25519Identity:
        return cls(os.urandom(KEY_SIZE))

    def recipient(self) -> X25519Recipient:
        return X25519Recipient(self._public)

    def encode(self) -> str:
        return bech32.encode(IDENTITY_HRP, self.secret_bytes)

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        for stanza in stanzas:
            if stanza.type != TYPE:
                continue
            share = single_argument(stanza, "share", KEY_SIZE)
            shared = _shared(self._key, share)
            if shared is None:
                raise AgeHeaderError("X25519 share is a low-order point")
            file_key = unwrap_file_key(hkdf(shared, share + self._public, LABEL), stanza.body)
            if file_key is not None:
                return file_key
        return None

    def __repr__(self) -> str:
        return f"X25519Identity(recipient={self.recipient().encode()!r})"
