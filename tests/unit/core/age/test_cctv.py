"""Every C2SP CCTV age test vector (tests/vectors/cctv-age/, README.upstream.md there).

Each `success` vector decrypts to the payload whose SHA-256 it names; each failure vector
is refused at the stage it names, mapped to one error class each; a `payload failure`
releases exactly the plaintext the vector's hash covers, and every earlier failure
releases nothing. The vectors are also used, as the README suggests, for round trips:
every header that parses re-encodes to the same bytes, every valid armor re-encodes to the
same text (up to CRLF and surrounding whitespace), and every `success` payload re-encrypts,
with the vector's file key and nonce, to the same ciphertext.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO, cast

import pytest

from tests.conftest import ROOT
from vaultapp.core.age import (
    AgeArmorError,
    AgeError,
    AgeHeaderError,
    AgeMacError,
    AgeNoMatchError,
    AgePayloadError,
    Identity,
    ScryptIdentity,
    decrypt,
    parse_identity,
)
from vaultapp.core.age.armor import ArmorReader, ArmorWriter
from vaultapp.core.age.header import parse_header, payload_key
from vaultapp.core.age.payload import NONCE_SIZE, open_stream, seal_stream
from vaultapp.core.age.source import Source

VECTORS = ROOT / "tests" / "vectors" / "cctv-age"
NOT_VECTORS = {"ORIGIN.md", "README.upstream.md"}
NAMES = sorted(p.name for p in VECTORS.iterdir() if p.name not in NOT_VECTORS)

STAGES: dict[str, type[AgeError]] = {
    "header failure": AgeHeaderError,
    "HMAC failure": AgeMacError,
    "payload failure": AgePayloadError,
    "armor failure": AgeArmorError,
    "no match": AgeNoMatchError,
}


@dataclass
class Vector:
    name: str
    expect: str = ""
    payload_hash: bytes | None = None
    file_key: bytes | None = None
    identities: list[Identity] = field(default_factory=list)
    armored: bool = False
    data: bytes = b""


@functools.cache
def load(name: str) -> Vector:
    """A vector file: `key: value` lines, an empty line, then the (maybe zlib) age file."""
    vector = Vector(name)
    rest = (VECTORS / name).read_bytes()
    compressed = False
    while True:
        line, _, rest = rest.partition(b"\n")
        if not line:
            break
        key, _, value = line.decode("utf-8").partition(": ")
        if key == "expect":
            assert value == "success" or value in STAGES, value
            vector.expect = value
        elif key == "payload":
            vector.payload_hash = bytes.fromhex(value)
        elif key == "file key":
            vector.file_key = bytes.fromhex(value)
        elif key == "identity":
            vector.identities.append(parse_identity(value))
        elif key == "passphrase":
            vector.identities.append(ScryptIdentity(value))
        elif key == "armored":
            vector.armored = value == "yes"
        elif key == "compressed":
            assert value == "zlib", value
            compressed = True
        else:
            assert key == "comment", f"unknown key {key!r}"
    vector.data = zlib.decompress(rest) if compressed else rest
    return vector


def _bytes(data: bytes) -> BinaryIO:
    return cast(BinaryIO, io.BytesIO(data))


def test_every_vector_is_here() -> None:
    assert len(NAMES) == 143
    assert (VECTORS / "ORIGIN.md").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_vector(name: str) -> None:
    vector = load(name)
    out = io.BytesIO()
    if vector.expect == "success":
        facts = decrypt(_bytes(vector.data), out, vector.identities, armor=vector.armored)
        assert hashlib.sha256(out.getvalue()).digest() == vector.payload_hash
        assert facts.plaintext_size == len(out.getvalue())
        assert facts.armored == vector.armored
        return
    with pytest.raises(AgeError) as refused:
        decrypt(_bytes(vector.data), out, vector.identities, armor=vector.armored)
    assert isinstance(refused.value, STAGES[vector.expect]), (
        f"{vector.expect} expected, got {type(refused.value).__name__}: {refused.value.reason}")
    if vector.payload_hash is not None:  # what authenticated before the failure
        assert hashlib.sha256(out.getvalue()).digest() == vector.payload_hash
    else:
        assert out.getvalue() == b""


@pytest.mark.parametrize("name", NAMES)
def test_vector_with_armor_detected(name: str) -> None:
    """Without being told, decrypt decides armored or binary by content, as age does; a
    vector then gets the same result, except that an armor whose begin line is itself
    broken reads as a binary file that is not age (still a refusal)."""
    vector = load(name)
    out = io.BytesIO()
    if vector.expect == "success":
        facts = decrypt(_bytes(vector.data), out, vector.identities)
        assert hashlib.sha256(out.getvalue()).digest() == vector.payload_hash
        assert facts.armored == vector.armored
        return
    with pytest.raises(AgeError) as refused:
        decrypt(_bytes(vector.data), out, vector.identities)
    expected = STAGES[vector.expect]
    if vector.expect == "armor failure" and not isinstance(refused.value, expected):
        assert isinstance(refused.value, AgeHeaderError)
        assert not vector.data.lstrip().startswith(b"-----BEGIN AGE ENCRYPTED FILE-----\n")
    else:
        assert isinstance(refused.value, expected)


HEADER_ROUND_TRIPS = [n for n in NAMES if not load(n).armored
                      and load(n).expect != "header failure"]
ARMOR_ROUND_TRIPS = [n for n in NAMES if load(n).armored and load(n).expect != "armor failure"]
STREAM_ROUND_TRIPS = [n for n in NAMES if not load(n).armored and load(n).expect == "success"]


@pytest.mark.parametrize("name", HEADER_ROUND_TRIPS)
def test_header_round_trip(name: str) -> None:
    data = load(name).data
    source = Source(io.BytesIO(data))
    header, covered = parse_header(source)
    rest = source.read()
    assert header.encode() + rest == data
    assert data.startswith(covered)


@pytest.mark.parametrize("name", ARMOR_ROUND_TRIPS)
def test_armor_round_trip(name: str) -> None:
    text = load(name).data
    decoded = ArmorReader(io.BytesIO(text)).read()
    out = io.BytesIO()
    writer = ArmorWriter(out)
    writer.write(decoded)
    writer.close()
    # Not strict about CRLF or LF and whitespace around the block, which do not round-trip.
    assert out.getvalue() == text.replace(b"\r\n", b"\n").strip() + b"\n"


@pytest.mark.parametrize("name", STREAM_ROUND_TRIPS)
def test_stream_round_trip(name: str) -> None:
    vector = load(name)
    assert vector.file_key is not None
    source = Source(io.BytesIO(vector.data))
    parse_header(source)
    payload = source.read()
    nonce, sealed = payload[:NONCE_SIZE], payload[NONCE_SIZE:]
    key = payload_key(vector.file_key, nonce)
    plain = io.BytesIO()
    open_stream(_bytes(sealed), plain, key)
    again = io.BytesIO()
    seal_stream(_bytes(plain.getvalue()), again, key)
    assert again.getvalue() == sealed


def test_round_trips_cover_the_vectors() -> None:
    """The round-trip sets are not empty by accident (README.upstream.md's categories)."""
    assert len(HEADER_ROUND_TRIPS) > 40
    assert len(ARMOR_ROUND_TRIPS) >= 7
    assert len(STREAM_ROUND_TRIPS) >= 10
