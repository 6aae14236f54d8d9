"""The ASCII armor both ways: sizes around line and block boundaries, the tolerated
variations (CRLF, whitespace around the block) and their limits, and the refusals."""

from __future__ import annotations

import base64
import io
import os

import pytest

from vaultapp.core.age import AgeArmorError
from vaultapp.core.age.armor import (
    _RAW_BLOCK,
    BEGIN,
    END,
    MAX_WHITESPACE,
    ArmorReader,
    ArmorWriter,
    looks_armored,
)


def armor(data: bytes) -> bytes:
    out = io.BytesIO()
    writer = ArmorWriter(out)
    for start in range(0, len(data), 1000):  # many small writes
        writer.write(data[start : start + 1000])
    writer.close()
    writer.close()  # closing twice writes nothing more
    return out.getvalue()


def pem(data: bytes) -> bytes:
    """The reference encoding: RFC 7468 strict, 64 columns."""
    text = base64.b64encode(data)
    return (BEGIN + b"\n" + b"".join(text[i : i + 64] + b"\n" for i in range(0, len(text), 64))
            + END + b"\n")


def dearmor(text: bytes, step: int = 1 << 20) -> bytes:
    reader = ArmorReader(io.BytesIO(text))
    parts = []
    while block := reader.read(step):
        parts.append(block)
    return b"".join(parts)


SIZES = [0, 1, 2, 3, 47, 48, 49, 95, 96, 97, 1000, 48 * 1000, _RAW_BLOCK + 7,
         3 * _RAW_BLOCK // 4 * 3 + 5]


@pytest.mark.parametrize("size", SIZES)
def test_round_trip_matches_the_reference_encoding(size: int) -> None:
    data = os.urandom(size)
    text = armor(data)
    assert text == pem(data)
    assert dearmor(text) == data
    assert dearmor(text, step=7) == data


@pytest.mark.parametrize("size", [0, 100, _RAW_BLOCK + 48])
def test_crlf_and_surrounding_whitespace_are_tolerated(size: int) -> None:
    data = os.urandom(size)
    text = b" \n\t\r\n" + armor(data).replace(b"\n", b"\r\n") + b"  \n\n"
    assert dearmor(text) == data
    mixed = armor(data).replace(b"\n", b"\r\n", 3)
    assert dearmor(mixed) == data
    assert dearmor(armor(data).rstrip(b"\n")) == data  # no final line end


def _reason(text: bytes) -> str:
    with pytest.raises(AgeArmorError) as refused:
        dearmor(text)
    return refused.value.reason


def test_whitespace_limits() -> None:
    body = armor(b"hello")
    assert dearmor(b" " * (MAX_WHITESPACE - 1) + b"\n" + body) == b"hello"
    assert "leading" in _reason(b" " * MAX_WHITESPACE + b"\n" + body)
    assert dearmor(body + b" " * (MAX_WHITESPACE - 1)) == b"hello"
    assert "trailing" in _reason(body + b" " * MAX_WHITESPACE)
    assert "trailing" in _reason(body + b"\r\n" * (MAX_WHITESPACE // 2))


def _lines(data: bytes) -> list[bytes]:
    return armor(data).split(b"\n")


REFUSALS = [
    (b"", "truncated"),
    (b"\n\n", "truncated"),
    (BEGIN + b"\n", "truncated"),
    (armor(os.urandom(100))[:-len(END) - 1], "truncated"),
    (b"x" * 5000, "line too long"),
    (BEGIN + b"\n" + b"A" * 5000, "line too long"),
    (b"-----BEGIN AGE ENCRYPTED FILE----- \n" + b"\n".join(_lines(b"x")[1:]), "begin line"),
    (BEGIN + b"\nVersion: 1\n" + b"\n".join(_lines(b"x")[1:]), "invalid base64"),
    (BEGIN + b"\n\n" + b"\n".join(_lines(b"x")[1:]), "empty line"),
    (BEGIN + b"\n" + b"A" * 68 + b"\n" + END + b"\n", "line too long"),
    (BEGIN + b"\neA\n" + END + b"\n", "invalid base64"),  # no padding
    (BEGIN + b"\neB==\n" + END + b"\n", "non-canonical"),
    (BEGIN + b"\neA==\neA==\n" + END + b"\n", "end line"),  # a short line not last
    (BEGIN + b"\n" + b"A" * 63 + b"=\n" + b"A" * 64 + b"\n" + END + b"\n", "end line"),
    (armor(b"x" * 48) + b"trailing\n", "after the end line"),
    (armor(b"x" * 48).replace(b"\n" + END, b"\n=\n" + END), "invalid base64"),
    (BEGIN + b"\n" + b"A" * 63 + b"-\n" + END + b"\n", "invalid base64"),
    (BEGIN + b"\n" + b"A" * 64 + b"\n" + b"A" * 63 + b"\x00\n" + END + b"\n",
     "invalid base64"),
    (BEGIN + b"\n" + b"A" * 60 + b"\rAAA\n" + END + b"\n", "invalid base64"),
]


@pytest.mark.parametrize(("text", "why"), REFUSALS)
def test_refusals(text: bytes, why: str) -> None:
    assert why in _reason(text)


def test_a_full_line_with_padding_is_the_last_line() -> None:
    """A 64-column line that ends in padding decodes to fewer than 48 bytes, so it must be
    the last: the block decoder must not take it for a full line."""
    data = os.urandom(46)
    text = pem(data)
    assert len(text.split(b"\n")[1]) == 64 and text.split(b"\n")[1].endswith(b"==")
    many = os.urandom(48 * 20000 + 46)
    assert dearmor(pem(many)) == many


def test_writer_refuses_writes_after_close() -> None:
    writer = ArmorWriter(io.BytesIO())
    writer.close()
    with pytest.raises(ValueError):
        writer.write(b"x")


@pytest.mark.parametrize(("start", "armored"), [
    (BEGIN + b"\n", True),
    (b"\n \t" + BEGIN, True),
    (b" " * 1000 + BEGIN, True),
    (b"age-encryption.org/v1\n", False),
    (BEGIN[:-1], False),
    (b"garbage\n" + BEGIN, False),
])
def test_looks_armored(start: bytes, armored: bool) -> None:
    assert looks_armored(start) is armored
