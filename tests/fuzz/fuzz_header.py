"""Coverage-guided fuzzing of the header and metadata reader (atheris / libFuzzer).

Target: `vaultapp.core.format.read_header` and `vaultapp.core.envelope.open_envelope`
with a StaticResolver that holds one known profile key (the test vectors' key A), so an
input naming that key reaches the unwrap, the header MAC and the metadata parser; the
vectors' key B is "held but disabled" (KeyUnusableError), as in a keybox.

Each input is tried twice:

1. as it is (raw bytes: the MAC and the tags must stop almost everything);
2. re-authenticated by `tests/support/hostile_writer.reauthenticate`: the same fields, with a
   genuine wrapped file key, header MAC and metadata tag, so mutations reach the bounds
   checks and the metadata parser behind the cryptography.

The only exceptions allowed are `vaultapp.core.errors.VaultError` and its subclasses;
anything else, or a broken invariant (an AssertionError), is a crash. See README.md.

    .venv/bin/python tests/fuzz/fuzz_header.py tests/fuzz/corpus/fuzz_header -max_total_time=900
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import USABLE, hw, libfuzzer_argv, make_resolver

with atheris.instrument_imports(include=["vaultapp"]):
    from vaultapp.core import envelope, errors
    from vaultapp.core import format as fmt
    from vaultapp.core.errors import VaultError

RESOLVER = make_resolver(envelope, errors)


def check_header(data: bytes) -> None:
    src = io.BytesIO(data)
    try:
        header = fmt.read_header(src)
    except VaultError:
        assert src.tell() <= fmt.MAX_HEADER_SIZE
        return
    # A parsed header is in bounds, round-trips byte for byte and read nothing more.
    assert fmt.MIN_CHUNK_LOG2 <= header.chunk_size_log2 <= fmt.MAX_CHUNK_LOG2
    assert 1 <= len(header.stanzas) <= fmt.MAX_STANZAS
    assert src.tell() == header.size <= fmt.MAX_HEADER_SIZE
    assert header.to_bytes() == data[: header.size]


def check_open(data: bytes) -> None:
    src = io.BytesIO(data)
    try:
        opening = envelope.open_envelope(src, RESOLVER)
    except VaultError:
        return
    meta = opening.metadata
    name = meta.name.encode("utf-8")
    assert 1 <= len(name) <= fmt.MAX_NAME_BYTES
    assert 0 <= meta.size < 1 << 63
    assert opening.stanza.key_id == USABLE.key_id
    # Exactly the header and the metadata block were read, no payload byte.
    meta_len = int.from_bytes(data[opening.header.size : opening.header.size + 4], "big")
    assert fmt.MIN_META_CIPHERTEXT <= meta_len <= fmt.MAX_META_CIPHERTEXT
    assert src.tell() == opening.header.size + 4 + meta_len


def TestOneInput(data: bytes) -> None:
    check_header(data)
    check_open(data)
    forged = hw.reauthenticate(data)
    if forged is not None:
        check_open(forged)


def main() -> None:
    atheris.Setup(libfuzzer_argv(__file__), TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
