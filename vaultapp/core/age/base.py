"""What a recipient and an identity are to the file layer, and the one fixed-nonce AEAD
the native stanzas wrap the 16-byte file key with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from . import b64
from .errors import AgeHeaderError
from .header import Stanza

FILE_KEY_SIZE = 16
WRAPPED_SIZE = FILE_KEY_SIZE + 16
_ZERO_NONCE = bytes(12)


class Recipient(Protocol):
    """Wraps a file key into stanzas. `post_quantum` recipients are never mixed with
    classic ones in one file; a passphrase (`kind` "scrypt") is always alone."""

    @property
    def kind(self) -> str: ...
    @property
    def post_quantum(self) -> bool: ...
    def wrap(self, file_key: bytes) -> list[Stanza]: ...


class Identity(Protocol):
    """Unwraps the file key from the stanza addressed to it: None when no stanza is
    ("not mine"); AgeHeaderError when one of its own stanza type is malformed."""

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None: ...


def wrap_file_key(key: bytes, file_key: bytes) -> bytes:
    """ChaCha20-Poly1305 with a zero nonce: every wrap key is derived from fresh
    randomness (an ephemeral share, an HPKE context, a salt) and used once."""
    return ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, file_key, None)


def single_argument(stanza: Stanza, what: str, size: int) -> bytes:
    """The one base64 argument of a native key stanza (an X25519 share, an HPKE enc),
    decoded and of exactly `size` bytes, with the body checked too; AgeHeaderError
    otherwise."""
    if len(stanza.args) != 1:
        raise AgeHeaderError(f"{stanza.type} stanza with a wrong number of arguments")
    value = b64.decode(stanza.args[0].encode("ascii"))
    if value is None or len(value) != size:
        raise AgeHeaderError(f"{stanza.type} stanza with a malformed {what}")
    check_body(stanza)
    return value


def check_body(stanza: Stanza) -> None:
    """A wrapped file key is exactly 32 bytes, checked before any decryption (a longer
    ciphertext could be made to open under several keys: a partitioning oracle)."""
    if len(stanza.body) != WRAPPED_SIZE:
        raise AgeHeaderError(f"{stanza.type} stanza body is not {WRAPPED_SIZE} bytes")


def unwrap_file_key(key: bytes, body: bytes) -> bytes | None:
    """The file key, or None when `key` is not the one it was wrapped with."""
    try:
        return ChaCha20Poly1305(key).decrypt(_ZERO_NONCE, body, None)
    except InvalidTag:
        return None
