"""Generate the sealed-file test vectors of docs/FORMAT.md with fixed randomness.

Run `python tests/vectors/generate.py` from the repository root; the output is
byte-for-byte stable. Each vector is labelled with its expected outcome: ok,
header_failure, payload_failure or no_matching_key.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
from collections.abc import Callable
from pathlib import Path

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
) -> bytes:
    out = io.BytesIO()
    envelope.seal(
        io.BytesIO(plain), out, recipients, Metadata(name, len(plain), MTIME),
        chunk_size_log2=log2, random=fixed_random(file_key, salt),
    )
    return out.getvalue()


def keys_json(*recipients: envelope.Recipient) -> list[dict[str, str]]:
    return [
        {"profile_id": r.profile_id.hex(), "key_id": r.key_id.hex(), "key": r.key.hex()}
        for r in recipients
    ]


def flip(data: bytes, offset: int) -> bytes:
    b = bytearray(data)
    b[offset] ^= 0x01
    return bytes(b)


def build() -> list[dict[str, object]]:
    vectors: list[dict[str, object]] = []

    def ok(name: str, blob: bytes, plain: bytes, stored: str, keys: list[envelope.Recipient],
           note: str) -> None:
        vectors.append({
            "file": name, "expected": "ok", "note": note, "keys": keys_json(*keys),
            "plaintext_sha256": hashlib.sha256(plain).hexdigest(), "size": len(plain),
            "name": stored, "mtime_ns": MTIME, "_blob": blob,
        })

    def bad(name: str, blob: bytes, expected: str, note: str,
            keys: tuple[envelope.Recipient, ...] = (KEY_A,)) -> None:
        vectors.append({"file": name, "expected": expected, "note": note,
                        "keys": keys_json(*keys), "_blob": blob})

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
