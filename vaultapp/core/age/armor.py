"""age's ASCII armor: strict PEM (RFC 7468) with the label "AGE ENCRYPTED FILE".

    -----BEGIN AGE ENCRYPTED FILE-----
    <padded base64, 64 columns a line; only the last line shorter>
    -----END AGE ENCRYPTED FILE-----

The reader is as strict as age's: no headers, no empty or over-long lines, no whitespace
inside lines, canonical padded base64, a short line only last. Tolerated, as age does:
LF or CRLF at each line end, a missing final line end, whitespace-only lines before the
block (at most 1,024 bytes of them) and whitespace after it (less than 1,024 bytes).

Both directions stream with bounded memory. Full 64-column lines, all but the last few of
a file, are checked and decoded a block at a time rather than a line at a time, so a large
armored file is not slow.
"""

from __future__ import annotations

import binascii
import re

from ..stream import Sink
from .errors import AgeArmorError
from .source import Readable

BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
END = b"-----END AGE ENCRYPTED FILE-----"
COLUMNS = 64
BYTES_PER_LINE = 48
MAX_WHITESPACE = 1024
_RAW_BLOCK = 1 << 20
_RUN = 1024  # full lines checked and decoded together (64 KiB of text)
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_LONGEST_LINE = 4096  # longer than any line the rules allow (whitespace lines included)
_LAST_LINE = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_WHITESPACE = b" \t\n\r\x0b\x0c"


def looks_armored(start: bytes) -> bool:
    """Whether a file beginning with `start` is to be read as armored (as age decides:
    the begin line after optional whitespace). `start` should hold the first
    MAX_WHITESPACE + len(BEGIN) bytes, or the whole file when shorter."""
    return start.lstrip(_WHITESPACE).startswith(BEGIN)


class ArmorReader:
    """The bytes an armored age file encodes, through `read` and `readinto`.
    Raises AgeArmorError where the armor breaks a rule."""

    _HEAD, _DATA, _FOOTER, _TRAIL, _DONE = range(5)

    def __init__(self, src: Readable) -> None:
        self._src = src
        self._raw = bytearray()
        self._eof = False
        self._state = self._HEAD
        self._leading = 0  # whitespace skipped before the begin line
        self._trailing = 0  # whitespace after the end line
        self._out = bytearray()
        self._out_pos = 0

    # -- reading -----------------------------------------------------------------------

    def readinto(self, view: memoryview | bytearray) -> int:
        while self._out_pos == len(self._out) and self._state != self._DONE:
            self._out = bytearray()
            self._out_pos = 0
            self._decode_more()
        n = min(len(view), len(self._out) - self._out_pos)
        view[:n] = self._out[self._out_pos : self._out_pos + n]
        self._out_pos += n
        return n

    def read(self, n: int = -1, /) -> bytes:
        if n < 0:
            parts = []
            while block := self.read(1 << 20):
                parts.append(block)
            return b"".join(parts)
        buf = bytearray(n)
        got = self.readinto(buf)
        return bytes(buf[:got])

    # -- decoding ----------------------------------------------------------------------

    def _decode_more(self) -> None:
        """Decode at least one more line, or reach the end."""
        if not self._eof:
            block = self._src.read(_RAW_BLOCK)
            if block:
                self._raw += block
            else:
                self._eof = True
        cut = self._raw.rfind(b"\n") + 1
        if self._eof and cut < len(self._raw):
            cut = len(self._raw)  # the last line may lack its line end
        if cut == 0:
            if self._eof:
                self._at_eof()
            elif len(self._raw) > _LONGEST_LINE:
                raise AgeArmorError("line too long")
            return
        region = bytes(self._raw[:cut])
        del self._raw[:cut]
        if self._state == self._TRAIL:
            self._trail(region)
        else:
            self._lines(region)
        if self._eof and not self._raw:
            self._at_eof()

    def _lines(self, region: bytes) -> None:
        """Every line of `region` (whole lines, the last maybe without its line end)."""
        pos, size = 0, len(region)
        while pos < size:
            if self._state == self._TRAIL:
                # what follows the end line is checked as bytes, line ends included
                self._trail(region[pos:])
                return
            if self._state == self._DATA:
                run = self._full_lines(region, pos)
                if run > pos:
                    pos = run
                    continue
            end = region.find(b"\n", pos)
            end = size if end < 0 else end
            line = region[pos:end]
            self._line(line[:-1] if line.endswith(b"\r") else line)
            pos = end + 1

    def _full_lines(self, region: bytes, pos: int) -> int:
        """Decode the run of full 64-column lines without padding that starts at `pos`
        (at most _RUN lines, all ending in LF or all in CRLF), checked with a few
        whole-block operations; return where it ends (`pos` when there is none)."""
        for ending in (b"\n", b"\r\n"):
            width = COLUMNS + len(ending)
            count = min(_RUN, (len(region) - pos) // width)
            ends = region[pos + COLUMNS + len(ending) - 1 : pos + width * count : width]
            count = len(ends) - len(ends.lstrip(b"\n")) if count else 0
            if ending == b"\r\n" and count:
                crs = region[pos + COLUMNS : pos + width * count : width]
                count = len(crs) - len(crs.lstrip(b"\r"))
            end = pos + width * count
            if not count or region.count(b"\n", pos, end) != count or region.count(
                    b"\r", pos, end) != (count if len(ending) == 2 else 0):
                continue
            pad = region.find(b"=", pos, end)
            if pad >= 0:  # a full line with padding is the last line: not part of the run
                count = (pad - pos) // width
                end = pos + width * count
                if not count:
                    return pos
            text = region[pos:end].replace(ending, b"")
            if text.translate(None, _ALPHABET):
                raise AgeArmorError("invalid base64")
            self._out += binascii.a2b_base64(text)
            return end
        return pos

    def _line(self, line: bytes) -> None:
        """One line, by the rules of the state it arrives in."""
        if self._state == self._HEAD:
            if not line.strip(_WHITESPACE):
                self._leading += len(line) + 1
                if self._leading > MAX_WHITESPACE:
                    raise AgeArmorError("too much leading whitespace")
                return
            if line != BEGIN:
                raise AgeArmorError("invalid begin line")
            self._state = self._DATA
        elif self._state == self._FOOTER:
            if line != END:
                raise AgeArmorError("invalid end line")
            self._state = self._TRAIL
        elif line == END:
            self._state = self._TRAIL
        elif not line:
            raise AgeArmorError("empty line")
        elif len(line) > COLUMNS:
            raise AgeArmorError("line too long")
        else:
            if _LAST_LINE.fullmatch(line) is None or len(line) % 4:
                raise AgeArmorError("invalid base64")
            data = binascii.a2b_base64(line, strict_mode=True)
            if binascii.b2a_base64(data, newline=False) != line:
                raise AgeArmorError("non-canonical base64")
            self._out += data
            if len(data) < BYTES_PER_LINE:
                self._state = self._FOOTER

    def _trail(self, data: bytes) -> None:
        if data.strip(_WHITESPACE):
            raise AgeArmorError("data after the end line")
        self._trailing += len(data)
        if self._trailing >= MAX_WHITESPACE:
            raise AgeArmorError("too much trailing whitespace")

    def _at_eof(self) -> None:
        if self._state != self._TRAIL:
            raise AgeArmorError("truncated armor")
        self._state = self._DONE


class ArmorWriter:
    """Writes the armor of what is written to it into `dst`; `close` (never closing
    `dst`) writes the last line and the end line. Lines end with LF."""

    def __init__(self, dst: Sink) -> None:
        self._dst = dst
        self._pending = bytearray()
        self._closed = False
        dst.write(memoryview(BEGIN + b"\n"))

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self._closed:
            raise ValueError("write to a closed ArmorWriter")
        size = len(data)
        self._pending += data
        full = len(self._pending) // BYTES_PER_LINE * BYTES_PER_LINE
        if full:
            self._dst.write(memoryview(_lines(bytes(self._pending[:full]))))
            del self._pending[:full]
        return size

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        last = b""
        if self._pending:
            last = binascii.b2a_base64(bytes(self._pending), newline=False) + b"\n"
            self._pending.clear()
        self._dst.write(memoryview(last + END + b"\n"))


def _lines(data: bytes) -> bytes:
    """Base64 of a multiple of 48 bytes, 64 characters and an LF a line."""
    text = binascii.b2a_base64(data, newline=False)
    count = len(text) // COLUMNS
    out = bytearray(count * (COLUMNS + 1))
    for column in range(COLUMNS):
        out[column :: COLUMNS + 1] = text[column::COLUMNS]
    out[COLUMNS :: COLUMNS + 1] = b"\n" * count
    return bytes(out)
