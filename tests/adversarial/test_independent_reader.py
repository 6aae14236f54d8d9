"""Check the independent reader (written from docs/FORMAT.md alone) against every vector.

Nothing here imports ``vaultapp``: the vectors and the spec are the only shared ground.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support import independent_reader as reader

VECTORS = ROOT / "tests" / "vectors"
MANIFEST: list[dict[str, Any]] = json.loads((VECTORS / "vectors.json").read_text("utf-8"))

FAILURES: dict[str, type[reader.FormatError]] = {
    "header_failure": reader.HeaderFailure,
    "payload_failure": reader.PayloadFailure,
    "no_matching_key": reader.NoMatchingKey,
    "key_unusable": reader.KeyUnusable,
}


def _keys(entry: dict[str, Any]) -> list[tuple[bytes, bytes, bytes]]:
    """The entry's profile keys as (profile_id, key_id, key) byte triples."""
    return [
        (bytes.fromhex(k["profile_id"]), bytes.fromhex(k["key_id"]), bytes.fromhex(k["key"]))
        for k in entry["keys"]
    ]


def _unusable(entry: dict[str, Any]) -> list[tuple[bytes, bytes]]:
    """(profile_id, key_id) of the entry's keys marked ``"state": "disabled"``: held by the
    reader's keybox but not usable (section 7, step 3)."""
    assert all(k.get("state", "enabled") in {"enabled", "disabled"} for k in entry["keys"])
    return [
        (bytes.fromhex(k["profile_id"]), bytes.fromhex(k["key_id"]))
        for k in entry["keys"]
        if k.get("state") == "disabled"
    ]


def _by_file(name: str) -> dict[str, Any]:
    """The manifest entry for one vector file."""
    return next(entry for entry in MANIFEST if entry["file"] == name)


def test_manifest_outcomes_are_known() -> None:
    """Every manifest entry has one of the four outcomes and names an existing file."""
    assert MANIFEST
    for entry in MANIFEST:
        assert entry["expected"] in {"ok", *FAILURES}, entry["file"]
        assert (VECTORS / entry["file"]).is_file(), entry["file"]


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_vector(entry: dict[str, Any]) -> None:
    """An ``ok`` vector opens to the manifest's values; any other fails as labelled."""
    data = (VECTORS / entry["file"]).read_bytes()
    keys = _keys(entry)
    unusable = _unusable(entry)
    expected = entry["expected"]
    if expected == "ok":
        name, size, mtime_ns, plaintext = reader.open_sealed(data, keys, unusable)
        assert hashlib.sha256(plaintext).hexdigest() == entry["plaintext_sha256"]
        assert name == entry["name"]
        assert size == entry["size"] == len(plaintext)
        assert mtime_ns == entry["mtime_ns"]
    else:
        with pytest.raises(FAILURES[expected]):
            reader.open_sealed(data, keys, unusable)


def test_ok_small_worked_example() -> None:
    """The fully specified first vector (FORMAT.md section 11) matches its listed hex,
    salt and file key."""
    entry = _by_file("ok_small.vault")
    data = (VECTORS / "ok_small.vault").read_bytes()
    assert data.hex() == entry["hex"]
    header = reader.parse_header(data)
    assert header.salt == bytes(range(0x40, 0x60))
    assert header.chunk_exponent == 16
    assert header.size == 156
    (stanza,) = header.stanzas
    assert stanza.profile_id == bytes(range(0xA0, 0xB0))
    assert stanza.key_id == bytes(range(0xB0, 0xC0))
    assert reader.find_file_key(header, _keys(entry)) == bytes(range(0x10, 0x30))
    assert reader.open_sealed(data, _keys(entry)) == (
        "hello.txt",
        13,
        1700000000123456789,
        b"hello, vault\n",
    )


def test_known_key_ids_with_wrong_material_do_not_fall_through() -> None:
    """A stanza whose ids are known but whose key is wrong is an integrity failure, even if
    the caller also holds unrelated keys (section 7, step 3)."""
    entry = _by_file("wrong_key_same_id.vault")
    data = (VECTORS / entry["file"]).read_bytes()
    other = (bytes(range(0xC0, 0xD0)), bytes(range(0xD0, 0xE0)), bytes(32))
    with pytest.raises(reader.HeaderFailure):
        reader.open_sealed(data, [*_keys(entry), other])


def test_frozen_samples_open() -> None:
    """The frozen samples of released versions open too, to the name, size, mtime and
    content their JSON records."""
    frozen = sorted((VECTORS / "frozen").glob("*.vault"))
    assert frozen
    for path in frozen:
        meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
        keys = [(bytes.fromhex(meta["profile_id"]), bytes.fromhex(meta["key_id"]),
                 bytes.fromhex(meta["key"]))]
        data = path.read_bytes()
        name, size, mtime_ns, plaintext = reader.open_sealed(data, keys)
        assert (name, size, mtime_ns) == (meta["name"], meta["size"], meta["mtime_ns"])
        assert len(plaintext) == size
        assert hashlib.sha256(plaintext).hexdigest() == meta["plaintext_sha256"]
        assert reader.parse_header(data).chunk_exponent == meta["chunk_size_log2"]
