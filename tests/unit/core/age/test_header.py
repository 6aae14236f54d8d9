"""The header's encoding rules and caps, and the look-ahead source it is read through."""

from __future__ import annotations

import io
import os

import pytest

from vaultapp.core.age import AgeHeaderError, AgeVersionError, b64
from vaultapp.core.age.header import (
    MAX_HEADER_BYTES,
    MAX_STANZAS,
    Header,
    Stanza,
    parse_header,
)
from vaultapp.core.age.source import Source

MAC = bytes(range(32))


def _parse(data: bytes) -> tuple[Header, bytes, bytes]:
    source = Source(io.BytesIO(data))
    header, covered = parse_header(source)
    return header, covered, source.read()


@pytest.mark.parametrize("size", [0, 1, 47, 48, 49, 95, 96, 200])
def test_stanza_body_wraps_at_64_columns_and_ends_short(size: int) -> None:
    stanza = Stanza("test", ("a", "b"), os.urandom(size))
    text = stanza.encode()
    lines = text.split(b"\n")[1:-1]
    assert all(len(line) == 64 for line in lines[:-1])
    assert len(lines[-1]) < 64  # empty when the body is a multiple of 48 bytes
    header = Header((stanza,), MAC)
    parsed, covered, rest = _parse(header.encode() + b"payload")
    assert parsed == header
    assert covered == header.encode_without_mac()
    assert rest == b"payload"


def test_b64_is_canonical_and_unpadded() -> None:
    assert b64.encode(b"\xff") == b"/w"
    assert b64.decode(b"/w") == b"\xff"
    for bad in (b"/x", b"/w==", b"/w\n", b"a", b"ab c", b"ab-_"):
        assert b64.decode(bad) is None


def test_header_with_payload_on_a_pipe_like_stream() -> None:
    """A reader that returns one byte at a time (a pipe): nothing is lost or reordered."""

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = data

        def readable(self) -> bool:
            return True

        def readinto(self, view: memoryview) -> int:  # type: ignore[override]
            if not self._data or not len(view):
                return 0
            view[0] = self._data[0]
            self._data = self._data[1:]
            return 1

    header = Header((Stanza("x", ("y",), b"z" * 100),), MAC)
    source = Source(Trickle(header.encode() + b"rest of it"))
    parsed, _ = parse_header(source)
    assert parsed == header
    assert source.read() == b"rest of it"


def _refused(data: bytes) -> AgeHeaderError:
    with pytest.raises(AgeHeaderError) as refused:
        _parse(data)
    return refused.value


GOOD_STANZA = b"-> X25519 abc\n" + b64.encode(bytes(32)) + b"\n"
GOOD_MAC = b"--- " + b64.encode(MAC) + b"\n"


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"hello world\n", "not an age file"),
    (b"\x89VAULT\r\n\x00\x01", "not an age file"),
    (b"age-encryption.org/v1", "not an age file"),  # no line end
    (b"age-encryption.org/v1\n", "header truncated"),
    (b"age-encryption.org/v1\n" + GOOD_MAC, "no stanza"),
    (b"age-encryption.org/v1\n" + GOOD_STANZA, "header truncated"),
    (b"age-encryption.org/v1\n" + GOOD_STANZA + b"--- abc", "header truncated"),
    (b"age-encryption.org/v1\n-> X25519  abc\n\n" + GOOD_MAC, "malformed stanza"),
    (b"age-encryption.org/v1\n-> X25519 abc\n" + b"A" * 65 + b"\n\n" + GOOD_MAC,
     "malformed stanza body line"),
    (b"age-encryption.org/v1\n-> X25519 abc\n" + b"A" * 68 + b"\n\n" + GOOD_MAC,
     "stanza body line too long"),
])
def test_malformed_headers(data: bytes, reason: str) -> None:
    error = _refused(data)
    assert error.reason == reason
    assert error.exit_code == 3
    assert "damaged" in error.message


def test_another_version_is_named() -> None:
    with pytest.raises(AgeVersionError) as refused:
        _parse(b"age-encryption.org/v2\n-> x\n")
    assert refused.value.version == "v2"
    assert "'v2'" in refused.value.message
    assert _refused(b"age-encryption.org/v1 \n").reason == "not an age file"
    assert _refused(b"age-encryption.org/" + b"v" * 300 + b"\n").reason == "not an age file"


def test_stanza_count_is_capped() -> None:
    stanza = b"-> a\n\n"
    assert len(_parse(b"age-encryption.org/v1\n" + stanza * MAX_STANZAS + GOOD_MAC)[0]
               .stanzas) == MAX_STANZAS
    error = _refused(b"age-encryption.org/v1\n" + stanza * (MAX_STANZAS + 1) + GOOD_MAC)
    assert error.reason == "too many stanzas"


def test_header_size_is_capped_without_reading_past_it() -> None:
    read = 0

    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, view: memoryview) -> int:  # type: ignore[override]
            nonlocal read
            data = b"age-encryption.org/v1\n-> a " if read == 0 else b"x" * len(view)
            view[: len(data)] = data
            read += len(data)
            return len(data)

    assert _refused_source(Source(Endless())).reason == "header too long"
    assert read < MAX_HEADER_BYTES + (1 << 17)


def _refused_source(source: Source) -> AgeHeaderError:
    with pytest.raises(AgeHeaderError) as refused:
        parse_header(source)
    return refused.value


def test_source_reads_in_every_way() -> None:
    source = Source(io.BytesIO(b"line one\nline two\nrest"))
    assert source.peek(4) == b"line"
    assert source.readline(100) == b"line one\n"
    assert source.readline(4) == b"line"  # cut at the limit
    assert source.readline(100) == b" two\n"
    buf = bytearray(10)
    assert source.readinto(buf) == 4
    assert source.readinto(buf) == 0
    assert source.readline(10) == b""
    assert source.consumed == 22
    assert Source(io.BytesIO(b"abc")).read() == b"abc"


def test_source_readinto_without_a_readinto_method() -> None:
    class OnlyRead:
        def __init__(self) -> None:
            self._data = io.BytesIO(b"abcdef")

        def read(self, n: int = -1, /) -> bytes:
            return self._data.read(min(n, 3))  # a pipe: short reads

    source = Source(OnlyRead())
    assert source.peek(2) == b"ab"
    buf = bytearray(10)
    assert source.readinto(buf) == 3  # the buffered bytes come first
    assert source.readinto(memoryview(buf)[3:]) == 3  # then the stream's read()
    assert bytes(buf[:6]) == b"abcdef"
    assert source.readinto(buf) == 0
