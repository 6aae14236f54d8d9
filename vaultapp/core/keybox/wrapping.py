"""Wrapping secrets under a key, bound by AAD to keybox, profile, key and purpose.

Every wrap derives a one-use key with HKDF from the wrapping key and the context, so the
fixed zero nonce never protects two different plaintexts: one context wraps one secret.
"""

from __future__ import annotations

import hmac

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_ZERO_NONCE = bytes(12)


def context(purpose: str, *parts: str) -> bytes:
    """A length-prefixed, unambiguous encoding of the purpose and ids."""
    out = bytearray(b"vaultapp/v1/keybox")
    for field in (purpose, *parts):
        data = field.encode("utf-8")
        out += len(data).to_bytes(2, "big") + data
    return bytes(out)


def _derive(key: bytes | bytearray, ctx: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=ctx).derive(bytes(key))


def wrap(key: bytes | bytearray, secret: bytes | bytearray, ctx: bytes) -> bytes:
    return AESGCM(_derive(key, ctx)).encrypt(_ZERO_NONCE, bytes(secret), ctx)


def unwrap(key: bytes | bytearray, wrapped: bytes, ctx: bytes) -> bytes | None:
    """The secret, or None if the key is wrong or the wrapped bytes or context changed."""
    try:
        return AESGCM(_derive(key, ctx)).decrypt(_ZERO_NONCE, wrapped, ctx)
    except InvalidTag:
        return None


def root_key_check(root_key: bytes | bytearray, keybox_id: str) -> bytes:
    """A value stored in the keybox that proves a candidate root key is the right one."""
    return _derive(root_key, context("root-key-check", keybox_id))


def is_root_key(root_key: bytes | bytearray, keybox_id: str, check: bytes) -> bool:
    return hmac.compare_digest(root_key_check(root_key, keybox_id), check)
