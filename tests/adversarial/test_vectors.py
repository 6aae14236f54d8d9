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
from vaultapp.core.errors import FileIntegrityError
from vaultapp.core.format import Metadata

VECTORS = ROOT / "tests" / "vectors"


def open_bytes(blob: bytes, keys: list[Recipient]) -> bytes:
    opening = envelope.open_envelope(io.BytesIO(blob), StaticResolver(keys))
    out = io.BytesIO()
    opening.decrypt_to(out)
    return out.getvalue()


def test_vectors_match_the_manifest() -> None:
    manifest = json.loads((VECTORS / "vectors.json").read_text())
    expected_error = {"header_failure": FileIntegrityError, "payload_failure": FileIntegrityError,
                      "no_matching_key": NoMatchingKeyError}
    assert len(manifest) >= 20
    for v in manifest:
        blob = (VECTORS / v["file"]).read_bytes()
        keys = [Recipient(bytes.fromhex(k["profile_id"]), bytes.fromhex(k["key_id"]),
                          bytes.fromhex(k["key"])) for k in v["keys"]]
        if v["expected"] == "ok":
            opening = envelope.open_envelope(io.BytesIO(blob), StaticResolver(keys))
            out = io.BytesIO()
            opening.decrypt_to(out)
            assert hashlib.sha256(out.getvalue()).hexdigest() == v["plaintext_sha256"]
            assert opening.metadata == Metadata(v["name"], v["size"], v["mtime_ns"])
        else:
            with pytest.raises(expected_error[v["expected"]]):
                open_bytes(blob, keys)


def test_vectors_are_reproducible() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", VECTORS / "generate.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for v in gen.build():
        assert (VECTORS / v["file"]).read_bytes() == v["_blob"], v["file"]


def test_frozen_samples_still_open() -> None:
    frozen = sorted((VECTORS / "frozen").glob("*.vault"))
    assert frozen, "every released format version keeps a frozen sample"
    for path in frozen:
        meta = json.loads(path.with_suffix(".json").read_text())
        keys = [Recipient(bytes.fromhex(meta["profile_id"]), bytes.fromhex(meta["key_id"]),
                          bytes.fromhex(meta["key"]))]
        plain = open_bytes(path.read_bytes(), keys)
        assert hashlib.sha256(plain).hexdigest() == meta["plaintext_sha256"]
