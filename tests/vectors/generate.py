"""Generate the sealed-file test vectors of docs/FORMAT.md with fixed randomness.

Run `python tests/vectors/generate.py` from the repository root; the output is
byte-for-byte stable. Each vector is labelled with its expected outcome: ok,
header_failure, payload_failure, no_matching_key or key_unusable (a key entry with
`"state": "disabled"` is one the reader's keybox holds but may not use: section 7,
step 3), and its note names the rule of docs/FORMAT.md it tests.

Most vectors are made by vaultapp's own sealer and then edited. Those that break a rule
vaultapp's sealer refuses to break (a metadata block that authenticates but does not
parse, a payload framed against the rules, a genuine header with 33 stanzas...) are
assembled by the small spec-only writer below (`raw_*`), whose output is checked
against vaultapp's own for a correct file first.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import struct
from collections.abc import Callable, Sequence
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vaultapp.core import envelope
from vaultapp.core import format as fmt
from vaultapp.core.format import Metadata

HERE = Path(__file__).resolve().parent

KEY_A = envelope.Recipient(bytes(range(0xA0, 0xB0)), bytes(range(0xB0, 0xC0)), bytes(range(32)))
KEY_B = envelope.Recipient(
    bytes(range(0xC0, 0xD0)), bytes(range(0xD0, 0xE0)), bytes(range(0x80, 0xA0))
)
KEY_OTHER = envelope.Recipient(bytes(16), bytes(range(16)), bytes([0x55]) * 32)
FILE_KEY = bytes(range(0x10, 0x30))
SALT = bytes(range(0x40, 0x60))
MTIME = 1_700_000_000_123_456_789


def fixed_random(*values: bytes) -> Callable[[int], bytes]:
    queue = list(values)

    def take(n: int) -> bytes:
        value = queue.pop(0)
        assert len(value) == n
        return value

    return take


def pattern(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


def make(
    plain: bytes,
    recipients: list[envelope.Recipient],
    name: str = "hello.txt",
    log2: int = 12,
    file_key: bytes = FILE_KEY,
    salt: bytes = SALT,
    mtime_ns: int = MTIME,
) -> bytes:
    out = io.BytesIO()
    envelope.seal(
        io.BytesIO(plain), out, recipients, Metadata(name, len(plain), mtime_ns),
        chunk_size_log2=log2, random=fixed_random(file_key, salt),
    )
    return out.getvalue()


# --- a spec-only writer (docs/FORMAT.md sections 2 to 6), for files vaultapp never writes --

def _hkdf(ikm: bytes, info: bytes, salt: bytes = SALT) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def raw_header(recipients: Sequence[envelope.Recipient], *, version: int = 1, log2: int = 12,
               file_key: bytes = FILE_KEY, salt: bytes = SALT) -> bytes:
    """A header with genuine stanzas and a genuine MAC, whatever its bounds say."""
    body = fmt.MAGIC + struct.pack(">HBB", version, log2, len(recipients)) + salt
    for r in recipients:
        ids = r.profile_id + r.key_id
        wrapping_key = _hkdf(r.key, b"vaultapp/v1/wrap" + ids, salt)
        body += ids + AESGCM(wrapping_key).encrypt(bytes(12), file_key,
                                                   b"vaultapp/v1/stanza" + ids)
    return body + hmac.new(_hkdf(file_key, b"vaultapp/v1/header", salt), body,
                           hashlib.sha256).digest()


def raw_metadata(size: int, name: bytes, *, mtime_ns: int = MTIME,
                 name_length: int | None = None, trailer: bytes = b"",
                 file_key: bytes = FILE_KEY, salt: bytes = SALT) -> bytes:
    """u32 L || AES-256-GCM(MK, M): genuine tag over whatever M is given."""
    k = len(name) if name_length is None else name_length
    plain = struct.pack(">QqH", size, mtime_ns, k) + name + trailer
    ct = AESGCM(_hkdf(file_key, b"vaultapp/v1/metadata", salt)).encrypt(bytes(12), plain, None)
    return struct.pack(">I", len(ct)) + ct


def raw_chunks(chunks: Sequence[tuple[bytes, bool]], *, file_key: bytes = FILE_KEY,
               salt: bytes = SALT) -> bytes:
    """STREAM chunks exactly as given: (plaintext, last flag), counted from 0."""
    aead = AESGCM(_hkdf(file_key, b"vaultapp/v1/payload", salt))
    return b"".join(
        aead.encrypt(i.to_bytes(11, "big") + (b"\x01" if last else b"\x00"), plain, None)
        for i, (plain, last) in enumerate(chunks)
    )


def keys_json(*recipients: envelope.Recipient,
              disabled: Sequence[envelope.Recipient] = ()) -> list[dict[str, str]]:
    """The reader's profile keys; those in `disabled` are held but not usable."""
    out = []
    for r in recipients:
        entry = {"profile_id": r.profile_id.hex(), "key_id": r.key_id.hex(), "key": r.key.hex()}
        if r in disabled:
            entry["state"] = "disabled"
        out.append(entry)
    return out


def flip(data: bytes, offset: int) -> bytes:
    b = bytearray(data)
    b[offset] ^= 0x01
    return bytes(b)


def build() -> list[dict[str, object]]:
    vectors: list[dict[str, object]] = []

    def ok(name: str, blob: bytes, plain: bytes, stored: str, keys: list[envelope.Recipient],
           note: str, mtime_ns: int = MTIME,
           disabled: Sequence[envelope.Recipient] = ()) -> None:
        vectors.append({
            "file": name, "expected": "ok", "note": note,
            "keys": keys_json(*keys, disabled=disabled),
            "plaintext_sha256": hashlib.sha256(plain).hexdigest(), "size": len(plain),
            "name": stored, "mtime_ns": mtime_ns, "_blob": blob,
        })

    def bad(name: str, blob: bytes, expected: str, note: str,
            keys: tuple[envelope.Recipient, ...] = (KEY_A,),
            disabled: Sequence[envelope.Recipient] = ()) -> None:
        vectors.append({"file": name, "expected": expected, "note": note,
                        "keys": keys_json(*keys, disabled=disabled), "_blob": blob})

    small_plain = b"hello, vault\n"
    small = make(small_plain, [KEY_A], log2=16)
    ok("ok_small.vault", small, small_plain, "hello.txt", [KEY_A], "one stanza, one chunk")
    ok("ok_empty.vault", make(b"", [KEY_A], "empty"), b"", "empty", [KEY_A],
       "empty plaintext: one empty final chunk")
    multi_plain = pattern(3 * 4096 + 5)
    multi = make(multi_plain, [KEY_A], "multi.bin")
    ok("ok_multi_chunk.vault", multi, multi_plain, "multi.bin", [KEY_A],
       "4 KiB chunks, 3 full chunks and a 5-byte final chunk")
    exact_plain = pattern(2 * 4096)
    exact = make(exact_plain, [KEY_A], "exact.bin")
    ok("ok_exact_chunks.vault", exact, exact_plain, "exact.bin", [KEY_A],
       "a multiple of the chunk size ends with a full final chunk")
    ok("ok_two_stanzas.vault", make(small_plain, [KEY_OTHER, KEY_B], "two.txt"),
       small_plain, "two.txt", [KEY_B], "two stanzas; only the second one's key is known")
    ok("ok_unicode_name.vault", make(small_plain, [KEY_A], "résumé 履歴書.txt"), small_plain,
       "résumé 履歴書.txt", [KEY_A], "UTF-8 name")

    h1 = fmt.header_size(1)
    bad("bad_magic.vault", b"PK\x03\x04" + small[4:], "header_failure", "not a sealed file")
    bad("unknown_version.vault", small[:8] + b"\x00\x02" + small[10:], "header_failure",
        "claims format version 2")
    bad("bad_chunk_exponent.vault", small[:10] + b"\x0b" + small[11:], "header_failure",
        "chunk size exponent 11 is below the minimum")
    bad("zero_stanzas.vault", small[:11] + b"\x00" + small[12:], "header_failure",
        "stanza count 0")
    bad("flipped_salt.vault", flip(small, 20), "header_failure", "salt bit flipped")
    bad("flipped_wrapped_key.vault", flip(small, 44 + 40), "header_failure",
        "wrapped file key bit flipped")
    bad("flipped_chunk_exponent.vault", small[:10] + b"\x0d" + small[11:], "header_failure",
        "chunk size exponent changed from 16 to 13: the header MAC fails")
    bad("flipped_mac.vault", flip(small, h1 - 1), "header_failure", "header MAC bit flipped")
    bad("truncated_header.vault", small[: h1 - 10], "header_failure", "cut inside the header")
    bad("flipped_metadata.vault", flip(small, h1 + 6), "header_failure",
        "metadata ciphertext bit flipped")
    bad("bad_metadata_length.vault", small[:h1] + struct.pack(">I", 5000) + small[h1 + 4 :],
        "header_failure", "metadata length out of bounds")

    meta_end = h1 + 4 + struct.unpack(">I", multi[h1 : h1 + 4])[0]
    chunk = 4096 + 16
    chunks = [multi[meta_end + i * chunk : meta_end + (i + 1) * chunk] for i in range(4)]
    head = multi[:meta_end]
    bad("flipped_payload.vault", flip(multi, meta_end + 100), "payload_failure",
        "payload bit flipped")
    bad("truncated_final_chunk.vault", multi[:-3], "payload_failure", "final chunk cut short")
    bad("dropped_final_chunk.vault", head + b"".join(chunks[:3]), "payload_failure",
        "final chunk removed: truncation at a chunk boundary")
    bad("swapped_chunks.vault", head + chunks[1] + chunks[0] + chunks[2] + chunks[3],
        "payload_failure", "chunks 0 and 1 swapped")
    bad("duplicated_chunk.vault", head + chunks[0] + chunks[0] + b"".join(chunks[1:]),
        "payload_failure", "chunk 0 duplicated")
    bad("appended_bytes.vault", multi + b"\x00", "payload_failure", "one byte appended")
    bad("appended_chunk.vault", exact + exact[-chunk:], "payload_failure",
        "final chunk repeated after the end")
    other = make(pattern(3 * 4096 + 5), [KEY_A], "multi.bin", file_key=bytes(32), salt=SALT)
    bad("spliced_header.vault", other[:meta_end] + multi[meta_end:], "payload_failure",
        "header and metadata of another file (other file key) on this payload")
    bad("no_payload.vault", small[: h1 + 4 + struct.unpack(">I", small[h1 : h1 + 4])[0]],
        "payload_failure", "no payload chunk at all")
    bad("no_matching_key.vault", small, "no_matching_key",
        "sealed for a key the reader does not hold", keys=(KEY_B,))
    bad("wrong_key_same_id.vault", small, "header_failure",
        "right ids, wrong key material: the stanza does not unwrap",
        keys=(envelope.Recipient(KEY_A.profile_id, KEY_A.key_id, bytes(32)),))

    # --- rules no vector above covers (docs/FORMAT.md sections 2 to 8) ---------------------
    # The spec-only writer reproduces vaultapp's own file byte for byte, so the vectors it
    # makes differ from a correct file only where their note says.
    small_meta = raw_metadata(len(small_plain), b"hello.txt")
    small_payload = raw_chunks([(small_plain, True)])
    assert raw_header([KEY_A], log2=16) + small_meta + small_payload == small
    multi_head = raw_header([KEY_A])
    assert multi_head + raw_metadata(len(multi_plain), b"multi.bin") == head

    # Ok at the bounds.
    many = [envelope.Recipient(bytes([i]) * 16, bytes([0x80 + i]) * 16, bytes([i]) * 32)
            for i in range(31)]
    ok("ok_max_stanzas.vault", make(small_plain, [*many, KEY_A], "many.txt"), small_plain,
       "many.txt", [KEY_A], "section 2: n = 32, the maximum; the known key is the last stanza")
    ok("ok_max_chunk_exponent.vault", make(small_plain, [KEY_A], "big-chunks.txt", log2=24),
       small_plain, "big-chunks.txt", [KEY_A], "section 2: c = 24, the maximum")
    long_name = "é" * 125 + "x.bin"
    assert len(long_name.encode()) == fmt.MAX_NAME_BYTES
    ok("ok_longest_name.vault", make(small_plain, [KEY_A], long_name), small_plain, long_name,
       [KEY_A], "section 5: a 255-byte UTF-8 name, so L = 289, the maximum")
    before_epoch = -123_456_789
    ok("ok_negative_mtime.vault", make(small_plain, [KEY_A], mtime_ns=before_epoch),
       small_plain, "hello.txt", [KEY_A],
       "section 5: the mtime is a signed i64 (here 1969-12-31T23:59:59.876543211Z)",
       mtime_ns=before_epoch)

    # Header: bounds checked before any key is used, each behind a genuine MAC.
    bad("empty_file.vault", b"", "header_failure", "section 7 step 1: a file of 0 bytes")
    bad("truncated_fixed_header.vault", small[:11], "header_failure",
        "section 7 step 1: ends inside the 12 fixed bytes (magic and version intact)")
    bad("version_zero.vault",
        raw_header([KEY_A], version=0, log2=16) + small_meta + small_payload, "header_failure",
        "sections 2 and 9: format version 0 (genuine MAC over it)")
    bad("chunk_exponent_above_max.vault",
        raw_header([KEY_A], log2=25) + small_meta + small_payload, "header_failure",
        "section 2: chunk size exponent 25 is above the maximum 24 (genuine MAC, "
        "payload framed for 2^25)")
    bad("too_many_stanzas.vault",
        raw_header([*many, KEY_OTHER, KEY_A]) + small_meta + small_payload, "header_failure",
        "section 2: 33 genuine stanzas, one over the maximum 32, the known key last")
    two = make(small_plain, [KEY_OTHER, KEY_B], "two.txt")
    bad("flipped_unused_stanza.vault", flip(two, 44 + 40), "header_failure",
        "section 4: the wrapped key of the stanza the reader cannot use is flipped; the "
        "second stanza unwraps but the header MAC (over every stanza) fails",
        keys=(KEY_B,))
    bad("wrong_key_first_stanza.vault", make(small_plain, [KEY_A, KEY_B], "two.txt"),
        "header_failure",
        "section 7 step 3: the first known stanza does not unwrap (wrong key material); "
        "the second, whose key is right, must not be tried",
        keys=(envelope.Recipient(KEY_A.profile_id, KEY_A.key_id, bytes(32)), KEY_B))

    # Metadata block: length bounds, then a genuine tag over M that does not parse.
    h16 = small[:h1]
    bad("metadata_length_below_min.vault",
        h16 + struct.pack(">I", 34) + small[h1 + 4 :], "header_failure",
        "section 5: metadata length L = 34, one below the minimum 35")
    bad("metadata_name_256_bytes.vault",
        h16 + raw_metadata(len(small_plain), b"n" * 256) + small_payload, "header_failure",
        "section 5: a genuine 256-byte name, so L = 290, one above the maximum 289")
    bad("truncated_metadata.vault", small[: h1 + 4 + 20], "header_failure",
        "section 7: the file ends inside the metadata ciphertext")
    bad("metadata_trailing_bytes.vault",
        h16 + raw_metadata(len(small_plain), b"hello.txt", trailer=b"\x00") + small_payload,
        "header_failure",
        "section 5: M authenticates but has a byte after the name (L = 34 + k + 1)")
    bad("metadata_name_length_too_long.vault",
        h16 + raw_metadata(len(small_plain), b"hello.txt", name_length=10) + small_payload,
        "header_failure",
        "section 5: M authenticates but its name length k = 10 runs past its 9 name bytes")
    bad("metadata_name_not_utf8.vault",
        h16 + raw_metadata(len(small_plain), b"hello\xff.txt") + small_payload,
        "header_failure", "section 5: M authenticates but the name is not valid UTF-8")
    bad("metadata_size_too_large.vault",
        h16 + raw_metadata(1 << 63, b"hello.txt") + small_payload, "header_failure",
        "section 5: M authenticates but claims size 2^63 (must be below 2^63)")

    # Payload: genuine chunks that break a framing rule, or a size that disagrees.
    full = pattern(4096)
    bad("size_larger_than_payload.vault",
        multi_head + raw_metadata(len(multi_plain) + 1, b"multi.bin") + b"".join(chunks),
        "payload_failure",
        "section 6: every chunk authenticates, but the metadata claims one byte more")
    bad("size_smaller_than_payload.vault",
        multi_head + raw_metadata(len(multi_plain) - 1, b"multi.bin") + b"".join(chunks),
        "payload_failure",
        "section 6: every chunk authenticates, but the metadata claims one byte less")
    bad("empty_final_chunk_after_full.vault",
        multi_head + raw_metadata(4096, b"multi.bin") + raw_chunks([(full, False), (b"", True)]),
        "payload_failure",
        "section 6: a full chunk then a genuine empty final chunk (i = 1); a 4096-byte "
        "plaintext must end with a full final chunk")
    bad("final_flag_on_first_chunk.vault",
        multi_head + raw_metadata(4096 + 5, b"multi.bin")
        + raw_chunks([(full, True), (full[:5], True)]),
        "payload_failure", "section 6: chunk 0 of two carries the final flag 0x01")
    bad("short_first_chunk.vault",
        multi_head + raw_metadata(105, b"multi.bin")
        + raw_chunks([(full[:100], False), (full[:5], True)]),
        "payload_failure",
        "section 6: chunk 0 of two is not full (100 bytes): only the final chunk may be short")
    bad("final_piece_shorter_than_tag.vault", multi[: meta_end + 3 * chunk + 10],
        "payload_failure", "section 6: the final piece is 10 bytes, shorter than a tag")

    # Keys the keybox holds but may not use (section 7, step 3; exit code 4).
    bad("key_unusable.vault", small, "key_unusable",
        "section 7 step 3: the only stanza names a key the reader holds disabled",
        keys=(KEY_A,), disabled=(KEY_A,))
    bad("key_unusable_and_unknown.vault", make(small_plain, [KEY_A, KEY_OTHER], "two.txt"),
        "key_unusable",
        "section 7 step 3: one stanza's key is held disabled, the other's is not held",
        keys=(KEY_A,), disabled=(KEY_A,))
    ok("ok_skips_unusable_key.vault", make(small_plain, [KEY_A, KEY_B], "two.txt"),
       small_plain, "two.txt", [KEY_A, KEY_B],
       "section 7 step 3: the first stanza's key is held disabled and skipped; the second "
       "opens", disabled=(KEY_A,))
    return vectors


def main() -> None:
    vectors = build()
    manifest = []
    for v in vectors:
        blob = v.pop("_blob")
        assert isinstance(blob, bytes)
        (HERE / str(v["file"])).write_bytes(blob)
        if v["file"] == "ok_small.vault":
            v["hex"] = blob.hex()
        manifest.append(v)
    (HERE / "vectors.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(manifest)} vectors to {HERE}")


if __name__ == "__main__":
    main()
