"""vaultapp's own reader against the test vectors of docs/FORMAT.md (tests/vectors/).

Every vector opens or fails with its labelled outcome, tests/vectors/generate.py still
makes them byte for byte, and the frozen samples of every released format version open.
The independent reader meets the same vectors in test_independent_reader.py.
"""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from tests.conftest import ROOT
from vaultapp.core import envelope
from vaultapp.core.envelope import NoMatchingKeyError, Recipient, StaticResolver
from vaultapp.core.errors import FileIntegrityError, KeyUnusableError, VaultError
from vaultapp.core.format import Metadata

VECTORS = ROOT / "tests" / "vectors"


def open_bytes(blob: bytes, keys: list[Recipient]) -> bytes:
    opening = envelope.open_envelope(io.BytesIO(blob), StaticResolver(keys))
    out = io.BytesIO()
    opening.decrypt_to(out)
    return out.getvalue()


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
