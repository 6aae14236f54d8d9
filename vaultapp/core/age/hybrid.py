"""The mlkem768x25519 recipient type of age 1.3: post-quantum hybrid, ML-KEM-768 +
X25519 (X-Wing) through HPKE.

    -> mlkem768x25519 <base64 HPKE enc, 1120 bytes>
    <base64 HPKE SealBase ciphertext of the file key, 32 bytes>

HPKE: KEM MLKEM768-X25519, KDF HKDF-SHA256, AEAD ChaCha20Poly1305, info
"age-encryption.org/mlkem768x25519", empty aad. The identity is a 32-byte seed, expanded
as filippo.io/hpke-pq does: SHAKE256(seed) gives the 64-byte ML-KEM-768 seed (d || z), then
the 32-byte X25519 scalar. The recipient is the ML-KEM encapsulation key (1184 bytes)
followed by the X25519 point (32 bytes).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from hashlib import shake_256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from . import b64, bech32
from .base import single_argument
from .errors import AgeHeaderError
from .header import Stanza
from .x25519 import is_low_order

TYPE = "mlkem768x25519"
INFO = b"age-encryption.org/mlkem768x25519"
RECIPIENT_HRP = "age1pq"
IDENTITY_HRP = "AGE-SECRET-KEY-PQ-"
SEED_SIZE = 32
MLKEM_PUBLIC_SIZE = 1184
MLKEM_CIPHERTEXT_SIZE = 1088
PUBLIC_SIZE = MLKEM_PUBLIC_SIZE + 32
ENC_SIZE = MLKEM_CIPHERTEXT_SIZE + 32
_SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)


class HybridRecipient:
    """An `age1pq1…` recipient."""

    kind = "hybrid"
    post_quantum = True

    def __init__(self, public: bytes) -> None:
        if len(public) != PUBLIC_SIZE:
            raise ValueError(f"a hybrid recipient is {PUBLIC_SIZE} bytes")
        self.public_bytes = bytes(public)
        try:  # FIPS 203's check of the encapsulation key (every coefficient below q)
            kem = mlkem.MLKEM768PublicKey.from_public_bytes(public[:MLKEM_PUBLIC_SIZE])
        except ValueError:
            raise ValueError("its ML-KEM-768 key is not valid") from None
        if is_low_order(public[MLKEM_PUBLIC_SIZE:]):
            raise ValueError("its X25519 key is a low-order point")
        self._key = hpke.MLKEM768X25519PublicKey(
            kem, X25519PublicKey.from_public_bytes(public[MLKEM_PUBLIC_SIZE:]))

    def encode(self) -> str:
        return bech32.encode(RECIPIENT_HRP, self.public_bytes)

    def wrap(self, file_key: bytes) -> list[Stanza]:
        sealed = _SUITE.encrypt(file_key, self._key, info=INFO)
        enc, body = sealed[:ENC_SIZE], sealed[ENC_SIZE:]
        return [Stanza(TYPE, (b64.encode(enc).decode("ascii"),), body)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HybridRecipient) and other.public_bytes == self.public_bytes

    def __hash__(self) -> int:
        return hash((TYPE, self.public_bytes))

    def __repr__(self) -> str:
        return f"HybridRecipient({self.encode()[:24]!r}…)"


class HybridIdentity:
    """An `AGE-SECRET-KEY-PQ-1…` identity, backed by its 32-byte seed."""

    kind = "hybrid"

    def __init__(self, seed: bytes) -> None:
        if len(seed) != SEED_SIZE:
            raise ValueError("a hybrid identity is a 32-byte seed")
        self.secret_bytes = bytes(seed)
        expanded = shake_256(self.secret_bytes).digest(64 + 32)
        kem = mlkem.MLKEM768PrivateKey.from_seed_bytes(expanded[:64])
        self._x25519 = X25519PrivateKey.from_private_bytes(expanded[64:])
        self._key = hpke.MLKEM768X25519PrivateKey(kem, self._x25519)
        self._public = (kem.public_key().public_bytes_raw()
                        + self._x25519.public_key().public_bytes_raw())

    @classmethod
    def generate(cls) -> HybridIdentity:
        return cls(os.urandom(SEED_SIZE))

    def recipient(self) -> HybridRecipient:
        return HybridRecipient(self._public)

    def encode(self) -> str:
        return bech32.encode(IDENTITY_HRP, self.secret_bytes)

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        for stanza in stanzas:
            if stanza.type != TYPE:
                continue
            enc = single_argument(stanza, "enc", ENC_SIZE)
            # HPKE would fail such a stanza as "not mine"; age refuses the all-zero X25519
            # secret of a low-order point as malformed, so check it first.
            try:
                shared = self._x25519.exchange(
                    X25519PublicKey.from_public_bytes(enc[MLKEM_CIPHERTEXT_SIZE:]))
            except ValueError:
                shared = bytes(32)
            if shared == bytes(32):
                raise AgeHeaderError("mlkem768x25519 enc has a low-order X25519 point")
            try:
                return _SUITE.decrypt(enc + stanza.body, self._key, info=INFO)
            except InvalidTag:
                continue  # ML-KEM rejects implicitly: another recipient's stanza
        return None

    def __repr__(self) -> str:
        return f"HybridIdentity(recipient={self.recipient().encode()[:24]!r}…)"
