"""Seal and open sealed files over binary streams: the public face of format v1.

`seal(src, dst, recipients, metadata)` writes a sealed file; `open_envelope(src,
resolver)` authenticates the header and metadata and returns an `Opening` whose
`decrypt_to(dst)` streams the payload out. Key derivation, nonces and framing stay
private to this module, `format` and `stream` (docs/FORMAT.md describes them all).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import format as fmt
from .errors import FileIntegrityError, KeyUnusableError
from .format import Header, Metadata, Stanza
from .stream import Cancel, Progress, Sink, open_payload, seal_payload

_ZERO_NONCE = bytes(12)
_LABEL_WRAP = b"vaultapp/v1/wrap"
_LABEL_STANZA_AAD = b"vaultapp/v1/stanza"
_LABEL_HEADER = b"vaultapp/v1/header"
_LABEL_METADATA = b"vaultapp/v1/metadata"
_LABEL_PAYLOAD = b"vaultapp/v1/payload"

Random = Callable[[int], bytes]


class NoMatchingKeyError(FileIntegrityError):
    """No stanza of the file names a key this keybox holds. Exit code 3."""

    def __init__(self) -> None:
        super().__init__(
            "no key in this keybox can open this file: it was sealed with another keybox "
            "or with a key this keybox never had; nothing was written"
        )


class KeyResolver(Protocol):
    """Finds the profile key a stanza names (the keybox implements this).

    Returns the 32-byte key, or None when the key is not one of ours ("not mine").
    Raises KeyUnusableError when the key is ours but disabled, pending destruction or
    destroyed ("not usable").
    """

    def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None: ...


@dataclass(frozen=True)
class Recipient:
    """A profile key to wrap the file key under."""

    profile_id: bytes
    key_id: bytes
    key: bytes


class StaticResolver:
    """A resolver over a fixed set of recipients (tests, selftest, vectors)."""

    def __init__(self, recipients: Sequence[Recipient]) -> None:
        self._keys = {(r.profile_id, r.key_id): r.key for r in recipients}

    def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None:
        return self._keys.get((profile_id, key_id))


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _stanza_aad(profile_id: bytes, key_id: bytes) -> bytes:
    return _LABEL_STANZA_AAD + profile_id + key_id


def _wrap(recipient: Recipient, salt: bytes, file_key: bytes) -> Stanza:
    # The wrapping key is unique to (profile key, file salt, ids) and wraps exactly one
    # value, the file key, so the fixed all-zero nonce never protects two plaintexts.
    ids = recipient.profile_id + recipient.key_id
    wrapping_key = _hkdf(recipient.key, salt, _LABEL_WRAP + ids)
    wrapped = AESGCM(wrapping_key).encrypt(
        _ZERO_NONCE, file_key, _stanza_aad(recipient.profile_id, recipient.key_id)
    )
    return Stanza(recipient.profile_id, recipient.key_id, wrapped)


def _unwrap(stanza: Stanza, profile_key: bytes, salt: bytes) -> bytes:
    wrapping_key = _hkdf(profile_key, salt, _LABEL_WRAP + stanza.profile_id + stanza.key_id)
    try:
        return AESGCM(wrapping_key).decrypt(
            _ZERO_NONCE, stanza.wrapped_file_key, _stanza_aad(stanza.profile_id, stanza.key_id)
        )
    except InvalidTag:
        raise FileIntegrityError() from None


def _header_mac(file_key: bytes, salt: bytes, body: bytes) -> bytes:
    mac = HMAC(_hkdf(file_key, salt, _LABEL_HEADER), hashes.SHA256())
    mac.update(body)
    return mac.finalize()


def _build_header(
    chunk_log2: int, salt: bytes, stanzas: tuple[Stanza, ...], file_key: bytes
) -> Header:
    body = fmt.encode_header_body(chunk_log2, salt, stanzas)
    return Header(fmt.FORMAT_VERSION, chunk_log2, salt, stanzas, _header_mac(file_key, salt, body))


@dataclass(frozen=True)
class SealResult:
    header: Header
    plaintext_size: int


def seal(
    src: BinaryIO,
    dst: Sink,
    recipients: Sequence[Recipient],
    metadata: Metadata,
    *,
    chunk_size_log2: int = fmt.DEFAULT_CHUNK_LOG2,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    random: Random = os.urandom,
) -> SealResult:
    """Seal all of `src` into `dst` for every recipient; `metadata` travels encrypted.

    `random` is injectable only so test vectors are reproducible; use the default.
    """
    if not recipients:
        raise ValueError("at least one recipient is needed")
    file_key = random(fmt.FILE_KEY_SIZE)
    salt = random(fmt.SALT_SIZE)
    stanzas = tuple(_wrap(r, salt, file_key) for r in recipients)
    header = _build_header(chunk_size_log2, salt, stanzas, file_key)
    dst.write(memoryview(header.to_bytes()))
    meta_ct = AESGCM(_hkdf(file_key, salt, _LABEL_METADATA)).encrypt(
        _ZERO_NONCE, fmt.encode_metadata(metadata), None
    )
    dst.write(memoryview(fmt.encode_metadata_length(len(meta_ct)) + meta_ct))
    size = seal_payload(
        src, dst, _hkdf(file_key, salt, _LABEL_PAYLOAD), header.chunk_size, progress, cancel
    )
    return SealResult(header, size)


def read_header(src: BinaryIO) -> Header:
    """Parse the header without any key (for `inspect`); the MAC is not checked."""
    return fmt.read_header(src)


def _find_file_key(header: Header, resolver: KeyResolver) -> tuple[bytes, Stanza]:
    """Unwrap the file key with the first usable stanza and check the header MAC."""
    unusable: KeyUnusableError | None = None
    for stanza in header.stanzas:
        try:
            profile_key = resolver.resolve(stanza.profile_id, stanza.key_id)
        except KeyUnusableError as exc:
            unusable = unusable or exc
            continue
        if profile_key is None:
            continue
        file_key = _unwrap(stanza, profile_key, header.salt)
        if not hmac.compare_digest(
            _header_mac(file_key, header.salt, header.body), header.mac
        ):
            raise FileIntegrityError()
        return file_key, stanza
    if unusable is not None:
        raise unusable
    raise NoMatchingKeyError()


@dataclass(frozen=True)
class Opening:
    """A sealed file whose header and metadata authenticated; the payload is next."""

    header: Header
    metadata: Metadata
    stanza: Stanza
    _src: BinaryIO
    _payload_key: bytes

    def decrypt_to(
        self, dst: Sink, progress: Progress | None = None, cancel: Cancel | None = None
    ) -> int:
        """Stream the authenticated plaintext into `dst`; raise FileIntegrityError on any fault.

        On error the caller must discard whatever `dst` received.
        """
        n = open_payload(
            self._src, dst, self._payload_key, self.header.chunk_size, progress, cancel
        )
        if n != self.metadata.size:
            raise FileIntegrityError()
        return n


def open_envelope(src: BinaryIO, resolver: KeyResolver) -> Opening:
    """Authenticate the header and metadata of the sealed file at the start of `src`."""
    header = fmt.read_header(src)
    file_key, stanza = _find_file_key(header, resolver)
    meta_ct = fmt.read_metadata_ciphertext(src)
    try:
        meta_plain = AESGCM(_hkdf(file_key, header.salt, _LABEL_METADATA)).decrypt(
            _ZERO_NONCE, meta_ct, None
        )
    except InvalidTag:
        raise FileIntegrityError() from None
    metadata = fmt.decode_metadata(meta_plain)
    return Opening(
        header, metadata, stanza, src, _hkdf(file_key, header.salt, _LABEL_PAYLOAD)
    )


class _Discard:
    def write(self, data: memoryview, /) -> int:
        return len(data)


def verify(
    src: BinaryIO,
    resolver: KeyResolver,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Opening:
    """Authenticate every byte of a sealed file, writing nothing."""
    opening = open_envelope(src, resolver)
    opening.decrypt_to(_Discard(), progress, cancel)
    return opening


def rewrap_header(
    header: Header,
    resolver: KeyResolver,
    replacement: Callable[[Stanza], Recipient | None],
) -> Header:
    """Return `header` with stanzas replaced by `replacement(stanza)` where it gives one.

    The file key is unwrapped with `resolver` and the header MAC checked first. The
    stanza count, and so the header size, never changes: the new header can be written
    over the old one in place without touching the payload.
    """
    file_key, _ = _find_file_key(header, resolver)
    stanzas = []
    for stanza in header.stanzas:
        target = replacement(stanza)
        stanzas.append(stanza if target is None else _wrap(target, header.salt, file_key))
    return _build_header(header.chunk_size_log2, header.salt, tuple(stanzas), file_key)
