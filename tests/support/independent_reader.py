"""An independent reader for the vaultapp sealed-file format, version 1.

Written from ``docs/FORMAT.md`` alone, with ``cryptography`` primitives and the standard
library only; it deliberately imports nothing from ``vaultapp``. Its purpose is to show that
the spec is complete: if this module opens every ``ok`` vector and rejects every other one
with the labelled outcome, the spec describes the format byte for byte.

The reader works on a whole file in memory (the vectors are small); it does not try to be a
streaming implementation.
"""

from __future__ import annotations

import hmac
import struct
from collections.abc import Collection
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "FormatError",
    "Header",
    "HeaderFailure",
    "KeyUnusable",
    "Metadata",
    "NoMatchingKey",
    "PayloadFailure",
    "Stanza",
    "find_file_key",
    "open_sealed",
    "parse_header",
]

# Section 2: header layout.
MAGIC = b"\x89VAULT\r\n"
VERSION = 1
FIXED_PREFIX_SIZE = 12  # magic (8) || version (2) || c (1) || n (1)
SALT_SIZE = 32
STANZA_SIZE = 80
MAC_SIZE = 32
MIN_CHUNK_EXPONENT = 12
MAX_CHUNK_EXPONENT = 24
MIN_STANZAS = 1
MAX_STANZAS = 32

# Section 3: key derivation labels (ASCII, no terminator).
LABEL_WRAP = b"vaultapp/v1/wrap"
LABEL_STANZA_AAD = b"vaultapp/v1/stanza"
LABEL_HEADER = b"vaultapp/v1/header"
LABEL_METADATA = b"vaultapp/v1/metadata"
LABEL_PAYLOAD = b"vaultapp/v1/payload"

# Sections 2, 5 and 6: sizes and limits.
KEY_SIZE = 32
ID_SIZE = 16
TAG_SIZE = 16
ZERO_NONCE = bytes(12)
METADATA_LENGTH_SIZE = 4
METADATA_FIXED_SIZE = 18  # size (8) || mtime (8) || name length (2)
MIN_METADATA_LENGTH = 35
MAX_METADATA_LENGTH = 289
MIN_NAME_LENGTH = 1
MAX_NAME_LENGTH = 255
MAX_PLAINTEXT_SIZE = 2**63  # exclusive
COUNTER_SIZE = 11
MAX_COUNTER = 2 ** (8 * COUNTER_SIZE)  # exclusive


class FormatError(Exception):
    """Base class of every error this reader raises."""


class HeaderFailure(FormatError):
    """The header or the metadata block is malformed, out of bounds or fails authentication.

    Covers a wrong magic, an unknown version, out-of-range ``c``/``n``, truncation inside
    the header, a wrapped file key that does not unwrap, a bad header MAC, and every
    failure of the metadata block (length, tag, contents).
    """


class PayloadFailure(FormatError):
    """The payload (STREAM chunks) is truncated, extended, reordered or fails a tag."""


class NoMatchingKey(FormatError):
    """No stanza of the file names a (profile id, key id) the caller holds."""


class KeyUnusable(FormatError):
    """Stanzas name keys the caller holds, but none of them may be used (section 7, step 3:
    disabled, pending destruction or destroyed; exit code 4)."""


@dataclass(frozen=True, slots=True)
class Stanza:
    """One 80-byte stanza: who the file key is wrapped for, and the wrapped key."""

    profile_id: bytes
    key_id: bytes
    wrapped_file_key: bytes


@dataclass(frozen=True, slots=True)
class Header:
    """A parsed (not yet authenticated) header."""

    chunk_exponent: int
    salt: bytes
    stanzas: tuple[Stanza, ...]
    mac: bytes
    mac_input: bytes  # header bytes 0 .. 44 + 80·n - 1

    @property
    def size(self) -> int:
        """Total header size in bytes: ``76 + 80·n``."""
        return len(self.mac_input) + MAC_SIZE

    @property
    def chunk_size(self) -> int:
        """Plaintext chunk size, ``2^c``."""
        return 1 << self.chunk_exponent


@dataclass(frozen=True, slots=True)
class Metadata:
    """The decrypted metadata block ``M``."""

    size: int
    mtime_ns: int
    name: str


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 with the header's salt, output length 32 (section 3)."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=salt, info=info).derive(ikm)


def parse_header(data: bytes) -> Header:
    """Parse and bounds-check the header (section 2 and section 7, steps 1-2).

    Raises:
        HeaderFailure: wrong magic, unknown version, ``c`` or ``n`` out of range, or the
            data ends inside the header.
    """
    if len(data) < FIXED_PREFIX_SIZE:
        raise HeaderFailure("truncated inside the fixed header prefix")
    if data[:8] != MAGIC:
        raise HeaderFailure("not a vaultapp sealed file")
    (version,) = struct.unpack_from(">H", data, 8)
    if version != VERSION:
        raise HeaderFailure(f"unknown version {version}")
    c = data[10]
    n = data[11]
    if not MIN_CHUNK_EXPONENT <= c <= MAX_CHUNK_EXPONENT:
        raise HeaderFailure(f"chunk size exponent {c} out of range")
    if not MIN_STANZAS <= n <= MAX_STANZAS:
        raise HeaderFailure(f"stanza count {n} out of range")
    mac_offset = FIXED_PREFIX_SIZE + SALT_SIZE + STANZA_SIZE * n
    header_size = mac_offset + MAC_SIZE
    if len(data) < header_size:
        raise HeaderFailure("truncated inside the header")
    salt = data[FIXED_PREFIX_SIZE : FIXED_PREFIX_SIZE + SALT_SIZE]
    stanzas = []
    for i in range(n):
        off = FIXED_PREFIX_SIZE + SALT_SIZE + STANZA_SIZE * i
        stanzas.append(
            Stanza(
                profile_id=data[off : off + ID_SIZE],
                key_id=data[off + ID_SIZE : off + 2 * ID_SIZE],
                wrapped_file_key=data[off + 2 * ID_SIZE : off + STANZA_SIZE],
            )
        )
    return Header(
        chunk_exponent=c,
        salt=salt,
        stanzas=tuple(stanzas),
        mac=data[mac_offset:header_size],
        mac_input=data[:mac_offset],
    )


def find_file_key(
    header: Header,
    keys: list[tuple[bytes, bytes, bytes]],
    unusable: Collection[tuple[bytes, bytes]] = (),
) -> bytes:
    """Recover and authenticate the file key FK (section 7, step 3).

    Args:
        header: the parsed header.
        keys: the caller's profile keys as ``(profile_id, key_id, key)`` triples.
        unusable: ``(profile_id, key_id)`` of keys the caller holds but may not use.

    Tries stanzas in file order, skips those whose key is not known or not usable, and
    uses the *first* whose key is known and usable. A failure to unwrap that stanza, or a
    bad header MAC, is an integrity failure; the reader does not go on to later stanzas.

    Raises:
        KeyUnusable: no stanza's key is known and usable, but some stanza's key is known.
        NoMatchingKey: no stanza names a key in ``keys``.
        HeaderFailure: the wrapped key does not unwrap, or the header MAC is wrong.
    """
    known = {}
    for profile_id, key_id, key in keys:
        known.setdefault((bytes(profile_id), bytes(key_id)), bytes(key))
    held_unusable = {(bytes(p), bytes(k)) for p, k in unusable}
    saw_unusable = False
    for stanza in header.stanzas:
        if (stanza.profile_id, stanza.key_id) in held_unusable:
            saw_unusable = True
            continue
        profile_key = known.get((stanza.profile_id, stanza.key_id))
        if profile_key is None:
            continue
        ids = stanza.profile_id + stanza.key_id
        wrapping_key = _hkdf(profile_key, header.salt, LABEL_WRAP + ids)
        try:
            file_key = AESGCM(wrapping_key).decrypt(
                ZERO_NONCE, stanza.wrapped_file_key, LABEL_STANZA_AAD + ids
            )
        except InvalidTag as exc:
            raise HeaderFailure("wrapped file key does not unwrap") from exc
        header_key = _hkdf(file_key, header.salt, LABEL_HEADER)
        mac = crypto_hmac.HMAC(header_key, hashes.SHA256())
        mac.update(header.mac_input)
        if not hmac.compare_digest(mac.finalize(), header.mac):
            raise HeaderFailure("header MAC mismatch")
        return file_key
    if saw_unusable:
        raise KeyUnusable("every known key of the file is not usable")
    raise NoMatchingKey("no stanza names a known key")


def _read_metadata(data: bytes, offset: int, file_key: bytes, salt: bytes) -> tuple[Metadata, int]:
    """Decrypt and parse the metadata block at ``offset`` (section 5).

    Returns the metadata and the offset of the first payload byte.

    Raises:
        HeaderFailure: any failure of the metadata block (the vectors classify metadata
            failures with the header ones).
    """
    if len(data) < offset + METADATA_LENGTH_SIZE:
        raise HeaderFailure("truncated before the metadata length")
    (length,) = struct.unpack_from(">I", data, offset)
    if not MIN_METADATA_LENGTH <= length <= MAX_METADATA_LENGTH:
        raise HeaderFailure(f"metadata length {length} out of range")
    start = offset + METADATA_LENGTH_SIZE
    end = start + length
    if len(data) < end:
        raise HeaderFailure("truncated inside the metadata block")
    metadata_key = _hkdf(file_key, salt, LABEL_METADATA)
    try:
        plain = AESGCM(metadata_key).decrypt(ZERO_NONCE, data[start:end], b"")
    except InvalidTag as exc:
        raise HeaderFailure("metadata does not authenticate") from exc
    size, mtime_ns, name_length = struct.unpack_from(">QqH", plain, 0)
    if size >= MAX_PLAINTEXT_SIZE:
        raise HeaderFailure("size out of range")
    if not MIN_NAME_LENGTH <= name_length <= MAX_NAME_LENGTH:
        raise HeaderFailure(f"name length {name_length} out of range")
    # Section 5: M is exactly 18 + k bytes; bytes after the name are refused.
    if len(plain) != METADATA_FIXED_SIZE + name_length:
        raise HeaderFailure("metadata length does not match the name length")
    try:
        name = plain[METADATA_FIXED_SIZE:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HeaderFailure("name is not valid UTF-8") from exc
    return Metadata(size=size, mtime_ns=mtime_ns, name=name), end


def _nonce(index: int, last: bool) -> bytes:
    """``N(i, last)``: 11-byte big-endian counter || last flag (section 6)."""
    if index >= MAX_COUNTER:
        raise PayloadFailure("chunk counter overflow")
    return index.to_bytes(COUNTER_SIZE, "big") + (b"\x01" if last else b"\x00")


def _read_payload(payload: bytes, file_key: bytes, header: Header, expected_size: int) -> bytes:
    """Decrypt the STREAM payload (section 6).

    Raises:
        PayloadFailure: a tag fails, the final piece is shorter than a tag, an empty final
            chunk is not chunk 0, or the plaintext size differs from the metadata.
    """
    stored_chunk = header.chunk_size + TAG_SIZE
    aead = AESGCM(_hkdf(file_key, header.salt, LABEL_PAYLOAD))
    if len(payload) < TAG_SIZE:
        raise PayloadFailure("final chunk shorter than a tag")
    pieces = [payload[i : i + stored_chunk] for i in range(0, len(payload), stored_chunk)]
    if len(pieces[-1]) < TAG_SIZE:
        raise PayloadFailure("final chunk shorter than a tag")
    out = bytearray()
    last_index = len(pieces) - 1
    for index, piece in enumerate(pieces):
        is_last = index == last_index
        if is_last and len(piece) == TAG_SIZE and index > 0:
            raise PayloadFailure("empty final chunk after other chunks")
        try:
            out += aead.decrypt(_nonce(index, is_last), piece, b"")
        except InvalidTag as exc:
            raise PayloadFailure(f"chunk {index} does not authenticate") from exc
    if len(out) != expected_size:
        raise PayloadFailure("plaintext size differs from the metadata")
    return bytes(out)


def open_sealed(
    data: bytes,
    keys: list[tuple[bytes, bytes, bytes]],
    unusable: Collection[tuple[bytes, bytes]] = (),
) -> tuple[str, int, int, bytes]:
    """Open a whole sealed file held in memory.

    Args:
        data: the complete ``.vault`` file.
        keys: profile keys the caller holds, as ``(profile_id, key_id, key)`` triples of
            16, 16 and 32 bytes.
        unusable: ``(profile_id, key_id)`` of held keys that may not be used (disabled,
            pending destruction, destroyed).

    Returns:
        ``(name, size, mtime_ns, plaintext)``.

    Raises:
        HeaderFailure: header or metadata failure.
        NoMatchingKey: no stanza is for a key in ``keys``.
        KeyUnusable: stanzas name held keys, but none that may be used.
        PayloadFailure: payload failure.
    """
    header = parse_header(data)
    file_key = find_file_key(header, keys, unusable)
    metadata, payload_offset = _read_metadata(data, header.size, file_key, header.salt)
    plaintext = _read_payload(data[payload_offset:], file_key, header, metadata.size)
    return metadata.name, metadata.size, metadata.mtime_ns, plaintext
