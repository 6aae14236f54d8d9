"""Byte layout of sealed-file format v1: the header, its stanzas and the metadata block.

This module only encodes and parses; it holds no keys. docs/FORMAT.md is the normative
description of every byte here, and the limits below are the ones a reader enforces.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from .errors import FileIntegrityError, UnknownVersionError

MAGIC = b"\x89VAULT\r\n"
FORMAT_VERSION = 1

SALT_SIZE = 32
ID_SIZE = 16
FILE_KEY_SIZE = 32
TAG_SIZE = 16
WRAPPED_KEY_SIZE = FILE_KEY_SIZE + TAG_SIZE
STANZA_SIZE = 2 * ID_SIZE + WRAPPED_KEY_SIZE
MAC_SIZE = 32

# magic(8) version(2) chunk_size_log2(1) stanza_count(1) salt(32)
_FIXED = struct.Struct(">8sHBB32s")
FIXED_SIZE = _FIXED.size
_STANZA = struct.Struct(f">{ID_SIZE}s{ID_SIZE}s{WRAPPED_KEY_SIZE}s")

MIN_CHUNK_LOG2 = 12  # 4 KiB
MAX_CHUNK_LOG2 = 24  # 16 MiB
DEFAULT_CHUNK_LOG2 = 16  # 64 KiB: fastest streamed size measured here (docs/FORMAT.md)
MAX_STANZAS = 32
MAX_HEADER_SIZE = FIXED_SIZE + MAX_STANZAS * STANZA_SIZE + MAC_SIZE

# Metadata block: u32 length, then AES-GCM ciphertext of the metadata plaintext.
_META_LEN = struct.Struct(">I")
# size(u64) mtime_ns(i64) name_length(u16)
_META_FIXED = struct.Struct(">QqH")
MAX_NAME_BYTES = 255
MAX_META_CIPHERTEXT = _META_FIXED.size + MAX_NAME_BYTES + TAG_SIZE
MIN_META_CIPHERTEXT = _META_FIXED.size + 1 + TAG_SIZE


@dataclass(frozen=True)
class Stanza:
    """One wrapping of the file key: which profile key, and the file key wrapped under it."""

    profile_id: bytes
    key_id: bytes
    wrapped_file_key: bytes


@dataclass(frozen=True)
class Header:
    """The parsed header of a sealed file. `body` is every byte the header MAC covers."""

    version: int
    chunk_size_log2: int
    salt: bytes
    stanzas: tuple[Stanza, ...]
    mac: bytes

    @property
    def chunk_size(self) -> int:
        return 1 << self.chunk_size_log2

    @property
    def body(self) -> bytes:
        return encode_header_body(self.chunk_size_log2, self.salt, self.stanzas)

    @property
    def size(self) -> int:
        return header_size(len(self.stanzas))

    def to_bytes(self) -> bytes:
        return self.body + self.mac


@dataclass(frozen=True)
class Metadata:
    """What travels encrypted beside the payload: original name, size and modification time."""

    name: str
    size: int
    mtime_ns: int


def header_size(stanza_count: int) -> int:
    return FIXED_SIZE + stanza_count * STANZA_SIZE + MAC_SIZE


def encode_header_body(chunk_size_log2: int, salt: bytes, stanzas: tuple[Stanza, ...]) -> bytes:
    """Every header byte before the MAC, in file order."""
    if not MIN_CHUNK_LOG2 <= chunk_size_log2 <= MAX_CHUNK_LOG2:
        raise ValueError("chunk size out of bounds")
    if not 1 <= len(stanzas) <= MAX_STANZAS:
        raise ValueError("stanza count out of bounds")
    if len(salt) != SALT_SIZE:
        raise ValueError("salt must be 32 bytes")
    parts = [_FIXED.pack(MAGIC, FORMAT_VERSION, chunk_size_log2, len(stanzas), salt)]
    for s in stanzas:
        if len(s.profile_id) != ID_SIZE or len(s.key_id) != ID_SIZE:
            raise ValueError("ids must be 16 bytes")
        if len(s.wrapped_file_key) != WRAPPED_KEY_SIZE:
            raise ValueError("wrapped file key must be 48 bytes")
        parts.append(_STANZA.pack(s.profile_id, s.key_id, s.wrapped_file_key))
    return b"".join(parts)


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    data = stream.read(n)
    if data is None or len(data) != n:
        raise FileIntegrityError()
    return data


def read_header(stream: BinaryIO) -> Header:
    """Parse a header from the start of `stream`, leaving the stream just after it.

    Needs no key and does not check the MAC (that needs the file key). Reads at most
    MAX_HEADER_SIZE bytes whatever the input claims.
    """
    fixed = stream.read(FIXED_SIZE)
    if fixed is None or len(fixed) < 10 or fixed[:8] != MAGIC:
        raise FileIntegrityError("this is not a vaultapp sealed file (no vaultapp header found)")
    version = int.from_bytes(fixed[8:10], "big")
    if version != FORMAT_VERSION:
        raise UnknownVersionError(version)
    if len(fixed) != FIXED_SIZE:
        raise FileIntegrityError()
    _, _, log2, count, salt = _FIXED.unpack(fixed)
    if not MIN_CHUNK_LOG2 <= log2 <= MAX_CHUNK_LOG2 or not 1 <= count <= MAX_STANZAS:
        raise FileIntegrityError()
    raw = _read_exact(stream, count * STANZA_SIZE + MAC_SIZE)
    stanzas = tuple(
        Stanza(*_STANZA.unpack_from(raw, i * STANZA_SIZE)) for i in range(count)
    )
    return Header(FORMAT_VERSION, log2, salt, stanzas, raw[count * STANZA_SIZE :])


def encode_metadata(meta: Metadata) -> bytes:
    name = meta.name.encode("utf-8")
    if not 1 <= len(name) <= MAX_NAME_BYTES:
        raise ValueError("file name must be 1 to 255 bytes of UTF-8")
    if not 0 <= meta.size < 1 << 63:
        raise ValueError("size out of range")
    return _META_FIXED.pack(meta.size, meta.mtime_ns, len(name)) + name


def decode_metadata(plain: bytes) -> Metadata:
    """Decode authenticated metadata; the name is checked later by fileops.safe_name."""
    if len(plain) < _META_FIXED.size:
        raise FileIntegrityError()
    size, mtime_ns, name_len = _META_FIXED.unpack_from(plain)
    name_bytes = plain[_META_FIXED.size :]
    if len(name_bytes) != name_len or not 1 <= name_len <= MAX_NAME_BYTES or size >= 1 << 63:
        raise FileIntegrityError()
    try:
        name = name_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise FileIntegrityError() from None
    return Metadata(name, size, mtime_ns)


def encode_metadata_length(n: int) -> bytes:
    return _META_LEN.pack(n)


def read_metadata_ciphertext(stream: BinaryIO) -> bytes:
    """Read the length-prefixed metadata ciphertext, bounded by MAX_META_CIPHERTEXT."""
    (n,) = _META_LEN.unpack(_read_exact(stream, _META_LEN.size))
    if not MIN_META_CIPHERTEXT <= n <= MAX_META_CIPHERTEXT:
        raise FileIntegrityError()
    return _read_exact(stream, n)
