"""Coverage-guided fuzzing of the whole open path (atheris / libFuzzer).

Target: `envelope.open_envelope` then `Opening.decrypt_to` into a discarding sink, with a
StaticResolver holding one known profile key (the test vectors' key A; key B is "held but
disabled"), then `fileops.safe_name` on the authenticated name, as `open_file` does
before writing.

Each input is tried as it is and re-authenticated by `tests/support/hostile_writer.reauthenticate`
(genuine wrap, header MAC, metadata tag and chunk tags over the fuzzer's bytes, with the
framing steered by the input), so mutations reach the metadata parser, the STREAM framing
rules and the name checks. Both are opened twice: with the real 1 MiB batches (small
inputs take the inline path) and with batches of one chunk (every multi-chunk input takes
the threaded pipeline and its look-ahead); both must give the same outcome.

The only exceptions allowed are `vaultapp.core.errors.VaultError` and its subclasses;
anything else, or a broken invariant (an AssertionError), is a crash. See README.md.

    .venv/bin/python tests/fuzz/fuzz_open.py tests/fuzz/corpus/fuzz_open -max_total_time=900
"""

from __future__ import annotations

import hashlib
import io
import sys
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import hw, libfuzzer_argv, make_resolver

with atheris.instrument_imports(include=["vaultapp"]):
    from vaultapp.core import envelope, errors, fileops, stream
    from vaultapp.core.errors import VaultError

RESOLVER = make_resolver(envelope, errors)
REAL_BATCH = stream._BATCH_BYTES
ONE_CHUNK_BATCH = 1  # per_batch = max(1, 1 // chunk_size) = 1 chunk


class HashingSink:
    """Discards the plaintext, counting and hashing it."""

    def __init__(self) -> None:
        self.total = 0
        self.digest = hashlib.sha256()

    def write(self, data: memoryview, /) -> int:
        self.total += len(data)
        self.digest.update(data)
        return len(data)


def check_name(name: str) -> None:
    try:
        fileops.safe_name(name)
    except VaultError:
        return
    # An accepted name names a file directly inside any folder, on POSIX and Windows.
    assert name not in (".", "..")
    assert PurePosixPath("out", name).parent == PurePosixPath("out")
    assert PureWindowsPath("out", name).parent == PureWindowsPath("out")
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)


def open_once(data: bytes) -> tuple[object, ...]:
    """Open `data` fully; return the outcome: the error class, or size and plaintext hash."""
    src = io.BytesIO(data)
    try:
        opening = envelope.open_envelope(src, RESOLVER)
    except VaultError as exc:
        return ("header", type(exc).__name__)
    check_name(opening.metadata.name)
    sink = HashingSink()
    try:
        n = opening.decrypt_to(sink)
    except VaultError as exc:
        return ("payload", type(exc).__name__)
    # Success means: the size the metadata claims, all of it delivered, nothing after.
    assert n == opening.metadata.size == sink.total
    assert src.read() == b""
    return ("ok", n, sink.digest.hexdigest())


def check_open(data: bytes) -> None:
    try:
        stream._BATCH_BYTES = REAL_BATCH
        real = open_once(data)
        stream._BATCH_BYTES = ONE_CHUNK_BATCH
        small = open_once(data)
    finally:
        stream._BATCH_BYTES = REAL_BATCH
    assert real == small, (real, small)


def TestOneInput(data: bytes) -> None:
    check_open(data)
    forged = hw.reauthenticate(data)
    if forged is not None:
        check_open(forged)


def main() -> None:
    atheris.Setup(libfuzzer_argv(__file__), TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
