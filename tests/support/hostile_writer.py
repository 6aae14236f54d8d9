"""A writer of hostile sealed files, built from docs/FORMAT.md with `cryptography` only.

It imports nothing from ``vaultapp``: every byte comes from the spec. Unlike vaultapp's own
sealer it never checks what it is asked to write, so it can produce files that
*authenticate* under a known profile key (the wrapped file key, the header MAC and the
metadata AES-GCM tag are all genuine) yet carry content a reader must refuse: unsafe names,
lying sizes, out-of-bounds lengths, counts and exponents. A reader that rejects such a file
therefore does so through its later defences, not because a MAC failed.

Used by tests/adversarial/test_hostile_files.py and by the fuzz harnesses in tests/fuzz/ (see
`reauthenticate`, which turns arbitrary fuzzer bytes into an authenticated file).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# docs/FORMAT.md, sections 2 to 6.
MAGIC = b"\x89VAULT\r\n"
VERSION = 1
SALT_SIZE = 32
ID_SIZE = 16
KEY_SIZE = 32
TAG_SIZE = 16
STANZA_SIZE = 80
MAC_SIZE = 32
ZERO_NONCE = bytes(12)
LABEL_WRAP = b"vaultapp/v1/wrap"
LABEL_STANZA_AAD = b"vaultapp/v1/stanza"
LABEL_HEADER = b"vaultapp/v1/header"
LABEL_METADATA = b"vaultapp/v1/metadata"
LABEL_PAYLOAD = b"vaultapp/v1/payload"

DEFAULT_FILE_KEY = bytes(range(0x10, 0x30))
DEFAULT_SALT = bytes(range(0x40, 0x60))
DEFAULT_MTIME_NS = 1_700_000_000_123_456_789


@dataclass(frozen=True)
class ProfileKey:
    """A profile key the reader knows: (profile id, key id) names it, `key` is its value."""

    profile_id: bytes
    key_id: bytes
    key: bytes


# The profile key of the test vectors (docs/FORMAT.md, section 11).
VECTOR_KEY = ProfileKey(bytes(range(0xA0, 0xB0)), bytes(range(0xB0, 0xC0)), bytes(range(32)))


def hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 with the header salt, output length 32 (section 3)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def wrap_file_key(key: ProfileKey, salt: bytes, file_key: bytes) -> bytes:
    """The 48-byte wrapped file key of one stanza (section 3)."""
    ids = key.profile_id + key.key_id
    wk = hkdf(key.key, salt, LABEL_WRAP + ids)
    return AESGCM(wk).encrypt(ZERO_NONCE, file_key, LABEL_STANZA_AAD + ids)


def stanza(key: ProfileKey, salt: bytes, file_key: bytes) -> bytes:
    """One 80-byte stanza: profile id || key id || wrapped file key."""
    return key.profile_id + key.key_id + wrap_file_key(key, salt, file_key)


def header_mac(file_key: bytes, salt: bytes, body: bytes) -> bytes:
    """HMAC-SHA256 under HK over every header byte before the MAC (section 4)."""
    return hmac.new(hkdf(file_key, salt, LABEL_HEADER), body, hashlib.sha256).digest()


def header(
    keys: Sequence[ProfileKey],
    *,
    file_key: bytes = DEFAULT_FILE_KEY,
    salt: bytes = DEFAULT_SALT,
    chunk_log2: int = 12,
    version: int = VERSION,
    count: int | None = None,
) -> bytes:
    """A header with a genuine MAC: one real stanza per key, whatever the bounds say.

    `count` overrides the stanza-count byte (default: len(keys)); `chunk_log2` and
    `version` are written as given (one byte and two bytes), bounds or not.
    """
    n = len(keys) if count is None else count
    body = MAGIC + struct.pack(">HBB", version, chunk_log2, n) + salt
    body += b"".join(stanza(k, salt, file_key) for k in keys)
    return body + header_mac(file_key, salt, body)


def metadata_plaintext(
    name: bytes | str,
    size: int,
    mtime_ns: int = DEFAULT_MTIME_NS,
    *,
    name_length: int | None = None,
    trailer: bytes = b"",
) -> bytes:
    """The metadata plaintext M (section 5), unchecked.

    `name` may be any bytes (invalid UTF-8, 0 or 65535 bytes...); `name_length` overrides
    the u16 length field; `size` is written as a u64 (so 2^64-1 fits); `trailer` is
    appended after the name (bytes a reader must refuse).
    """
    raw = name.encode("utf-8") if isinstance(name, str) else name
    k = len(raw) if name_length is None else name_length
    return struct.pack(">QqH", size, mtime_ns, k) + raw + trailer


def metadata_block(
    plain: bytes,
    *,
    file_key: bytes = DEFAULT_FILE_KEY,
    salt: bytes = DEFAULT_SALT,
    length: int | None = None,
) -> bytes:
    """u32 L || AES-256-GCM(MK, zero nonce, plain): genuine ciphertext and tag.

    `length` overrides the u32 length field (the ciphertext is still all written).
    """
    ct = AESGCM(hkdf(file_key, salt, LABEL_METADATA)).encrypt(ZERO_NONCE, plain, None)
    return struct.pack(">I", len(ct) if length is None else length) + ct


def chunk(
    counter: int,
    last: bool,
    plain: bytes,
    *,
    file_key: bytes = DEFAULT_FILE_KEY,
    salt: bytes = DEFAULT_SALT,
) -> bytes:
    """One stored STREAM chunk under PK with nonce counter (11 bytes) || flag (section 6)."""
    nonce = counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
    return AESGCM(hkdf(file_key, salt, LABEL_PAYLOAD)).encrypt(nonce, plain, None)


def payload(
    plaintext: bytes,
    chunk_log2: int = 12,
    *,
    file_key: bytes = DEFAULT_FILE_KEY,
    salt: bytes = DEFAULT_SALT,
) -> bytes:
    """A correctly framed STREAM payload of `plaintext` (section 6)."""
    size = 1 << chunk_log2
    pieces = [plaintext[i : i + size] for i in range(0, len(plaintext), size)] or [b""]
    return b"".join(
        chunk(i, i == len(pieces) - 1, p, file_key=file_key, salt=salt)
        for i, p in enumerate(pieces)
    )


def sealed_file(
    key: ProfileKey = VECTOR_KEY,
    *,
    name: bytes | str = "hello.txt",
    plaintext: bytes = b"hello, hostile world\n",
    size: int | None = None,
    mtime_ns: int = DEFAULT_MTIME_NS,
    name_length: int | None = None,
    meta_trailer: bytes = b"",
    meta_length: int | None = None,
    chunk_log2: int = 12,
    payload_chunk_log2: int | None = None,
    count: int | None = None,
    extra_keys: Iterable[ProfileKey] = (),
    version: int = VERSION,
    file_key: bytes = DEFAULT_FILE_KEY,
    salt: bytes = DEFAULT_SALT,
) -> bytes:
    """A whole sealed file that authenticates under `key`, with any field made hostile.

    With the defaults it is a correct file that any v1 reader opens. `size` is the size
    the metadata claims (default: the real one). `payload_chunk_log2` frames the payload
    with another chunk size than the header claims (default: the same; out-of-range
    header exponents fall back to 12 so the payload can still be written).
    """
    keys = [key, *extra_keys]
    meta = metadata_plaintext(
        name,
        len(plaintext) if size is None else size,
        mtime_ns,
        name_length=name_length,
        trailer=meta_trailer,
    )
    if payload_chunk_log2 is None:
        payload_chunk_log2 = chunk_log2 if 0 <= chunk_log2 <= 24 else 12
    return (
        header(keys, file_key=file_key, salt=salt, chunk_log2=chunk_log2, version=version,
               count=count)
        + metadata_block(meta, file_key=file_key, salt=salt, length=meta_length)
        + payload(plaintext, payload_chunk_log2, file_key=file_key, salt=salt)
    )


def reauthenticate(
    data: bytes, key: ProfileKey = VECTOR_KEY, file_key: bytes = DEFAULT_FILE_KEY
) -> bytes | None:
    """Turn arbitrary bytes into a file whose cryptography is genuine (for fuzzing).

    `data` is read as a sealed file whose fields are kept *as they are* (magic, version,
    exponent, count, salt, ids, the metadata length field), but:

    - every stanza naming `key` gets a genuine wrap of `file_key`;
    - the header MAC is recomputed over the (possibly out-of-bounds) header;
    - the metadata region, `L` bytes after the length field, is taken as `L - 16` bytes
      of *plaintext* and encrypted under MK, so its tag is genuine whatever it says;
    - the payload region is cut like a reader cuts it (`2^c + 16` stored bytes), and
      each piece's first `n - 16` bytes are encrypted as that chunk's plaintext. The
      first byte of each piece's 16 tag bytes steers the framing: bit 0 inverts the
      last-chunk flag, bit 1 skips a counter value, bit 2 repeats the previous counter.

    So a mutation anywhere in `data` lands in authenticated content, which is what a
    reader's bounds, parsers and name checks must handle. Returns None when `data` is
    too short to carry a stanza count.
    """
    if len(data) < 12:
        return None
    c, n = data[10], data[11]
    salt = data[12:44].ljust(SALT_SIZE, b"\0")
    pos = 44
    stanzas = []
    for _ in range(n):
        raw = data[pos : pos + STANZA_SIZE]
        pos += STANZA_SIZE
        if len(raw) < STANZA_SIZE:
            break
        if raw[:16] == key.profile_id and raw[16:32] == key.key_id:
            raw = stanza(key, salt, file_key)
        stanzas.append(raw)
    body = data[:12] + salt + b"".join(stanzas)
    out = bytearray(body + header_mac(file_key, salt, body))
    pos += MAC_SIZE  # the input's own MAC bytes are replaced, not reinterpreted
    rest = data[pos:]
    if len(rest) < 4:
        return bytes(out + rest)
    (length,) = struct.unpack(">I", rest[:4])
    meta_plain = rest[4 : 4 + max(length - TAG_SIZE, 0)]
    out += rest[:4]
    out += AESGCM(hkdf(file_key, salt, LABEL_METADATA)).encrypt(ZERO_NONCE, meta_plain, None)
    body_rest = rest[4 + len(meta_plain) + TAG_SIZE :]
    if not 0 <= c <= 24:
        return bytes(out + body_rest)
    stored = (1 << c) + TAG_SIZE
    pieces = [body_rest[i : i + stored] for i in range(0, len(body_rest), stored)]
    aead = AESGCM(hkdf(file_key, salt, LABEL_PAYLOAD))
    counter = 0
    for i, piece in enumerate(pieces):
        if len(piece) < TAG_SIZE:
            out += piece  # a reader must refuse a final piece shorter than a tag
            break
        steer = piece[-TAG_SIZE]
        last = (i == len(pieces) - 1) != bool(steer & 1)
        counter += 1 if steer & 2 else 0
        counter -= 1 if steer & 4 and counter > 0 else 0
        nonce = counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        out += aead.encrypt(nonce, piece[:-TAG_SIZE], None)
        counter += 1
    return bytes(out)


def preimage(
    key: ProfileKey = VECTOR_KEY,
    *,
    name: bytes | str = "hello.txt",
    plaintext: bytes = b"hello, hostile world\n",
    size: int | None = None,
    mtime_ns: int = DEFAULT_MTIME_NS,
    chunk_log2: int = 12,
) -> bytes:
    """Bytes that `reauthenticate` turns into a correct file (fuzzing seeds).

    The same layout as a sealed file, with plaintext where ciphertext goes and 16 zero
    bytes where each tag goes (zero steering bits: correct framing).
    """
    meta = metadata_plaintext(name, len(plaintext) if size is None else size, mtime_ns)
    fixed = MAGIC + struct.pack(">HBB", VERSION, chunk_log2, 1) + DEFAULT_SALT
    size_c = 1 << chunk_log2
    pieces = [plaintext[i : i + size_c] for i in range(0, len(plaintext), size_c)] or [b""]
    return (
        fixed
        + key.profile_id + key.key_id + bytes(48)
        + bytes(MAC_SIZE)
        + struct.pack(">I", len(meta) + TAG_SIZE) + meta + bytes(TAG_SIZE)
        + b"".join(p + bytes(TAG_SIZE) for p in pieces)
    )
