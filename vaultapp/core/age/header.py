"""The age v1 header: a version line, recipient stanzas and a MAC line.

    age-encryption.org/v1
    -> X25519 <base64 share>
    <base64 body, 64 columns a line, ending with a line shorter than 64>
    --- <base64 HMAC-SHA-256>

Parsing is as strict as age's reference: every line ends with LF, arguments are non-empty
runs of printable ASCII split by single spaces, bodies are canonical unpadded base64 of
exactly 48 bytes a line until a shorter (maybe empty) line, the MAC is 32 bytes. So a
parsed header re-encodes to exactly the bytes it was read from (a test checks it on every
vector), and the MAC covers what was read. Caps keep a hostile header from taking memory:
`MAX_HEADER_BYTES` and `MAX_STANZAS`.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from hashlib import sha256

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import b64
from .errors import AgeHeaderError, AgeVersionError
from .source import Source

INTRO = b"age-encryption.org/v1\n"
VERSION_PREFIX = b"age-encryption.org/"
STANZA_PREFIX = b"->"
MAC_PREFIX = b"---"
COLUMNS = 64
BYTES_PER_LINE = COLUMNS // 4 * 3  # 48
MAC_SIZE = 32

MAX_HEADER_BYTES = 4 << 20
"""A header longer than this is refused: ~2,600 hybrid or ~50,000 X25519 stanzas fit."""
_MAX_INTRO = 256  # the version line of any version we could name
MAX_STANZAS = 1024
"""A header with more stanzas than this is refused (each may cost an ML-KEM decapsulation
per identity)."""


@dataclass(frozen=True)
class Stanza:
    """One recipient stanza: its type (first argument), further arguments and body."""

    type: str
    args: tuple[str, ...]
    body: bytes

    def encode(self) -> bytes:
        words = " ".join((self.type, *self.args)).encode("ascii")
        text = b64.encode(self.body)
        lines = [text[i : i + COLUMNS] for i in range(0, len(text), COLUMNS)]
        if len(text) % COLUMNS == 0:
            lines.append(b"")  # the body always ends with a short line, maybe empty
        return b"-> " + words + b"\n" + b"".join(line + b"\n" for line in lines)


@dataclass(frozen=True)
class Header:
    stanzas: tuple[Stanza, ...]
    mac: bytes

    def encode_without_mac(self) -> bytes:
        """What the MAC covers: everything up to and including `---`."""
        return INTRO + b"".join(s.encode() for s in self.stanzas) + MAC_PREFIX

    def encode(self) -> bytes:
        return self.encode_without_mac() + b" " + b64.encode(self.mac) + b"\n"


def hkdf(ikm: bytes, salt: bytes | None, info: bytes) -> bytes:
    """HKDF-SHA-256 with a 32-byte output, the only length age uses."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def header_mac(file_key: bytes, header_without_mac: bytes) -> bytes:
    """HMAC-SHA-256 under HKDF-SHA-256(file key, no salt, "header") of the header up to
    and including `---`."""
    return hmac.new(hkdf(file_key, None, b"header"), header_without_mac, sha256).digest()


def payload_key(file_key: bytes, nonce: bytes) -> bytes:
    """HKDF-SHA-256(file key, salt = the payload's 16-byte nonce, "payload")."""
    return hkdf(file_key, nonce, b"payload")


def _valid_argument(arg: bytes) -> bool:
    return bool(arg) and all(33 <= c <= 126 for c in arg)


class _Lines:
    """Reads header lines from a Source, keeping count of the header's size."""

    def __init__(self, src: Source) -> None:
        self._src = src
        self.size = 0

    def line(self) -> bytes:
        """The next line without its LF; a header line must end with one."""
        line = self._src.readline(MAX_HEADER_BYTES - self.size + 1)
        self.size += len(line)
        if self.size > MAX_HEADER_BYTES:
            raise AgeHeaderError("header too long")
        if not line.endswith(b"\n"):
            raise AgeHeaderError("header truncated")
        return line[:-1]


def _read_stanza(lines: _Lines) -> Stanza:
    line = lines.line()
    if not line.startswith(STANZA_PREFIX):
        raise AgeHeaderError("malformed stanza opening line")
    prefix, *args = line.split(b" ")
    if prefix != STANZA_PREFIX or not args or not all(_valid_argument(a) for a in args):
        raise AgeHeaderError("malformed stanza")
    body = bytearray()
    while True:
        piece = b64.decode(lines.line())
        if piece is None:
            raise AgeHeaderError("malformed stanza body line")
        if len(piece) > BYTES_PER_LINE:
            raise AgeHeaderError("stanza body line too long")
        body += piece
        if len(piece) < BYTES_PER_LINE:
            words = tuple(a.decode("ascii") for a in args)
            return Stanza(words[0], words[1:], bytes(body))


def parse_header(src: Source) -> tuple[Header, bytes]:
    """Read a header from `src`, leaving `src` at the first payload byte; return the header
    and the exact bytes its MAC covers. Raises AgeHeaderError (AgeVersionError for
    another version)."""
    intro = src.readline(_MAX_INTRO)
    if not intro:
        raise AgeHeaderError("empty file")
    if intro != INTRO:
        version = intro[len(VERSION_PREFIX) : -1]
        if (intro.startswith(VERSION_PREFIX) and intro.endswith(b"\n")
                and _valid_argument(version)):
            raise AgeVersionError(version.decode("ascii"))
        raise AgeHeaderError("not an age file")
    lines = _Lines(src)
    lines.size = len(intro)
    stanzas: list[Stanza] = []
    while True:
        if src.peek(len(MAC_PREFIX)) == MAC_PREFIX:
            break
        if len(stanzas) == MAX_STANZAS:
            raise AgeHeaderError("too many stanzas")
        stanzas.append(_read_stanza(lines))
    prefix, *args = lines.line().split(b" ")
    if prefix != MAC_PREFIX or len(args) != 1:
        raise AgeHeaderError("malformed MAC line")
    mac = b64.decode(args[0])
    if mac is None or len(mac) != MAC_SIZE:
        raise AgeHeaderError("malformed MAC")
    if not stanzas:
        raise AgeHeaderError("no stanza")
    header = Header(tuple(stanzas), mac)
    return header, header.encode_without_mac()
