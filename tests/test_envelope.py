"""Round trips and every kind of tampering, over in-memory streams."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultapp.core import envelope
from vaultapp.core import format as fmt
from vaultapp.core.envelope import NoMatchingKeyError, Recipient, StaticResolver
from vaultapp.core.errors import (
    CancelledError,
    FileIntegrityError,
    KeyUnusableError,
    UnknownVersionError,
    VaultError,
)
from vaultapp.core.format import Metadata

VECTORS = Path(__file__).parent / "vectors"
CHUNK = 4096  # the smallest chunk size keeps these tests fast
KEY = Recipient(b"p" * 16, b"k" * 16, bytes(range(32)))


def seal_bytes(plain: bytes, recipients: list[Recipient] | None = None, log2: int = 12) -> bytes:
    out = io.BytesIO()
    envelope.seal(io.BytesIO(plain), out, recipients or [KEY],
                  Metadata("f.bin", len(plain), 42), chunk_size_log2=log2)
    return out.getvalue()


def open_bytes(blob: bytes, keys: list[Recipient] | None = None) -> bytes:
    opening = envelope.open_envelope(io.BytesIO(blob), StaticResolver(keys or [KEY]))
    out = io.BytesIO()
    opening.decrypt_to(out)
    return out.getvalue()


BOUNDARY_SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK, 3 * CHUNK + 7,
                  256 * CHUNK, 256 * CHUNK + 1, 512 * CHUNK - 1]


@pytest.mark.parametrize("size", BOUNDARY_SIZES)
def test_round_trip_at_chunk_boundaries(size: int) -> None:
    plain = os.urandom(size)
    blob = seal_bytes(plain)
    assert open_bytes(blob) == plain
    chunks = max(1, -(-size // CHUNK))
    assert len(blob) == fmt.header_size(1) + 4 + 35 - 1 + len("f.bin") + size + 16 * chunks


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=5 * CHUNK), st.sampled_from([12, 13, 16]))
def test_round_trip_property(plain: bytes, log2: int) -> None:
    assert open_bytes(seal_bytes(plain, log2=log2)) == plain


def _chunks(blob: bytes) -> tuple[bytes, list[bytes]]:
    h = fmt.header_size(1)
    start = h + 4 + struct.unpack(">I", blob[h : h + 4])[0]
    body = blob[start:]
    size = CHUNK + 16
    return blob[:start], [body[i : i + size] for i in range(0, len(body), size)]


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=3 * CHUNK + 9), st.data())
def test_any_flipped_bit_fails(plain: bytes, data: st.DataObject) -> None:
    blob = bytearray(seal_bytes(plain))
    pos = data.draw(st.integers(0, len(blob) - 1))
    blob[pos] ^= 1 << data.draw(st.integers(0, 7))
    with pytest.raises(FileIntegrityError):
        open_bytes(bytes(blob))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3 * CHUNK + 9), st.data())
def test_any_truncation_or_extension_fails(plain: bytes, data: st.DataObject) -> None:
    blob = seal_bytes(plain)
    cut = data.draw(st.integers(0, len(blob) - 1))
    with pytest.raises(FileIntegrityError):
        open_bytes(blob[:cut])
    extra = data.draw(st.binary(min_size=1, max_size=CHUNK + 40))
    with pytest.raises(FileIntegrityError):
        open_bytes(blob + extra)


@pytest.mark.parametrize("edit", ["swap", "duplicate", "drop_first", "drop_last", "repeat_last"])
def test_reordered_duplicated_dropped_chunks_fail(edit: str) -> None:
    head, chunks = _chunks(seal_bytes(os.urandom(4 * CHUNK + 100)))
    assert len(chunks) == 5
    edited = {
        "swap": [chunks[1], chunks[0], *chunks[2:]],
        "duplicate": [chunks[0], *chunks],
        "drop_first": chunks[1:],
        "drop_last": chunks[:-1],
        "repeat_last": [*chunks, chunks[-1]],
    }[edit]
    with pytest.raises(FileIntegrityError):
        open_bytes(head + b"".join(edited))


def test_header_spliced_from_another_file_fails() -> None:
    plain = os.urandom(2 * CHUNK)
    head_a, _ = _chunks(seal_bytes(plain))
    _, chunks_b = _chunks(seal_bytes(plain))
    with pytest.raises(FileIntegrityError):
        open_bytes(head_a + b"".join(chunks_b))


def test_wrong_key_material_fails_and_unknown_key_is_no_match() -> None:
    blob = seal_bytes(b"secret")
    with pytest.raises(FileIntegrityError):
        open_bytes(blob, [Recipient(KEY.profile_id, KEY.key_id, bytes(32))])
    with pytest.raises(NoMatchingKeyError):
        open_bytes(blob, [Recipient(b"x" * 16, b"y" * 16, KEY.key)])


def test_unusable_key_is_reported_unless_another_stanza_opens() -> None:
    other = Recipient(b"q" * 16, b"r" * 16, os.urandom(32))

    class Disabled(StaticResolver):
        def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None:
            if key_id == KEY.key_id:
                raise KeyUnusableError("key 6b6b is disabled")
            return super().resolve(profile_id, key_id)

    blob = seal_bytes(b"two", [KEY, other])
    with pytest.raises(KeyUnusableError):
        envelope.open_envelope(io.BytesIO(blob), Disabled([]))
    opening = envelope.open_envelope(io.BytesIO(blob), Disabled([other]))
    assert opening.stanza.key_id == other.key_id


def test_unknown_version_and_foreign_file() -> None:
    blob = seal_bytes(b"x")
    with pytest.raises(UnknownVersionError, match="version 7"):
        open_bytes(blob[:8] + b"\x00\x07" + blob[10:])
    with pytest.raises(FileIntegrityError, match="not a vaultapp sealed file"):
        open_bytes(b"%PDF-1.7\n" + os.urandom(100))
    with pytest.raises(FileIntegrityError):
        open_bytes(b"")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_header_parser_only_raises_our_errors(data: bytes) -> None:
    for blob in (data, fmt.MAGIC + b"\x00\x01" + data):
        with contextlib.suppress(VaultError):
            envelope.open_envelope(io.BytesIO(blob), StaticResolver([KEY]))


def test_cancel_stops_and_progress_counts() -> None:
    seen: list[int] = []
    out = io.BytesIO()
    envelope.seal(io.BytesIO(bytes(3 << 20)), out, [KEY], Metadata("a", 3 << 20, 0),
                  progress=seen.append)
    assert seen[-1] == 3 << 20 and seen == sorted(seen)
    with pytest.raises(CancelledError):
        envelope.seal(io.BytesIO(bytes(3 << 20)), io.BytesIO(), [KEY],
                      Metadata("a", 3 << 20, 0), cancel=lambda: len(seen) > 3,
                      progress=seen.append)


def test_rewrap_keeps_payload_and_size() -> None:
    blob = seal_bytes(os.urandom(CHUNK * 2 + 3))
    new_key = Recipient(b"p" * 16, b"n" * 16, os.urandom(32))
    header = fmt.read_header(io.BytesIO(blob))
    new = envelope.rewrap_header(header, StaticResolver([KEY]), lambda s: new_key)
    assert new.size == header.size
    rewrapped = new.to_bytes() + blob[header.size :]
    assert open_bytes(rewrapped, [new_key]) == open_bytes(blob)
    with pytest.raises(NoMatchingKeyError):
        open_bytes(rewrapped, [KEY])


class _VectorResolver(StaticResolver):
    """The vector's keys; a key marked `"state": "disabled"` is held but not usable."""

    def __init__(self, entry: dict[str, object]) -> None:
        keys = entry["keys"]
        assert isinstance(keys, list)
        super().__init__([Recipient(bytes.fromhex(k["profile_id"]), bytes.fromhex(k["key_id"]),
                                    bytes.fromhex(k["key"])) for k in keys])
        self._disabled = {(bytes.fromhex(k["profile_id"]), bytes.fromhex(k["key_id"]))
                          for k in keys if k.get("state", "enabled") == "disabled"}
        assert all(k.get("state", "enabled") in ("enabled", "disabled") for k in keys)

    def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None:
        if (profile_id, key_id) in self._disabled:
            raise KeyUnusableError(f"key {key_id.hex()[:8]} is disabled and cannot open files")
        return super().resolve(profile_id, key_id)


_MANIFEST = json.loads((VECTORS / "vectors.json").read_text("utf-8"))


def test_manifest_is_large_and_labelled() -> None:
    assert len(_MANIFEST) >= 50
    assert {v["expected"] for v in _MANIFEST} == {
        "ok", "header_failure", "payload_failure", "no_matching_key", "key_unusable"}
    assert all(v["note"] for v in _MANIFEST)


@pytest.mark.parametrize("v", _MANIFEST, ids=[v["file"] for v in _MANIFEST])
def test_vectors_match_the_manifest(v: dict[str, object]) -> None:
    """The product reader gives every vector its labelled outcome, and each failure kind
    its exit code: header and payload failures and no matching key 3, key unusable 4."""
    blob = (VECTORS / str(v["file"])).read_bytes()
    resolver = _VectorResolver(v)
    if v["expected"] == "ok":
        opening = envelope.open_envelope(io.BytesIO(blob), resolver)
        out = io.BytesIO()
        assert opening.decrypt_to(out) == v["size"]
        assert hashlib.sha256(out.getvalue()).hexdigest() == v["plaintext_sha256"]
        assert opening.metadata == Metadata(v["name"], v["size"], v["mtime_ns"])
        return
    expected_error: type[VaultError] = {
        "header_failure": FileIntegrityError, "payload_failure": FileIntegrityError,
        "no_matching_key": NoMatchingKeyError, "key_unusable": KeyUnusableError,
    }[str(v["expected"])]
    header_done = False
    with pytest.raises(expected_error) as info:
        opening = envelope.open_envelope(io.BytesIO(blob), resolver)
        header_done = True
        opening.decrypt_to(io.BytesIO())
    # Where it fails is part of the label: a header failure before any payload byte.
    assert header_done == (v["expected"] == "payload_failure")
    if v["expected"] in ("header_failure", "payload_failure"):
        assert not isinstance(info.value, NoMatchingKeyError)
    assert info.value.exit_code == (4 if v["expected"] == "key_unusable" else 3)


def test_vectors_are_reproducible() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", VECTORS / "generate.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for v in gen.build():
        assert (VECTORS / v["file"]).read_bytes() == v["_blob"], v["file"]


def test_frozen_samples_still_open() -> None:
    """Every frozen sample opens to the content, name, size, mtime and chunk size its JSON
    recorded when it was made."""
    frozen = sorted((VECTORS / "frozen").glob("*.vault"))
    assert frozen, "every released format version keeps a frozen sample"
    for path in frozen:
        meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
        keys = [Recipient(bytes.fromhex(meta["profile_id"]), bytes.fromhex(meta["key_id"]),
                          bytes.fromhex(meta["key"]))]
        opening = envelope.open_envelope(io.BytesIO(path.read_bytes()), StaticResolver(keys))
        assert opening.metadata == Metadata(meta["name"], meta["size"], meta["mtime_ns"])
        assert opening.header.chunk_size_log2 == meta["chunk_size_log2"]
        assert opening.stanza.key_id.hex() == meta["key_id"]
        out = io.BytesIO()
        assert opening.decrypt_to(out) == meta["size"]
        assert hashlib.sha256(out.getvalue()).hexdigest() == meta["plaintext_sha256"]
