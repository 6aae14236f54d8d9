"""A byte stream with a look-ahead buffer.

The header is text of unknown length in front of a binary payload, and the input may be a
pipe: the parser reads lines from the buffer, and the payload reader then gets what the
buffer over-read followed by the rest of the stream, through one `readinto`.
"""

from __future__ import annotations

from typing import Protocol

_BLOCK = 1 << 16


class Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


class Source:
    """Reads `src` through a buffer; `peek` and `readline` never consume past what they
    return, `readinto` drains the buffer first."""

    def __init__(self, src: Readable) -> None:
        self._src = src
        self._buf = bytearray()
        self._pos = 0
        self._eof = False
        self._block: bytearray | None = None  # readinto's reused buffer
        self.consumed = 0  # bytes handed out by readline/read/readinto

    def _fill(self) -> bool:
        """Read one more block; False at the end of the stream."""
        if self._eof:
            return False
        if self._buf is self._block:  # never resize readinto's reused buffer
            self._buf = bytearray(self._buf[self._pos :])
            self._pos = 0
        if self._pos:
            del self._buf[: self._pos]
            self._pos = 0
        block = self._src.read(_BLOCK)
        if not block:
            self._eof = True
            return False
        self._buf += block
        return True

    def peek(self, n: int) -> bytes:
        """Up to `n` bytes ahead, fewer only at the end of the stream."""
        while len(self._buf) - self._pos < n and self._fill():
            pass
        return bytes(self._buf[self._pos : self._pos + n])

    def readline(self, limit: int) -> bytes:
        """The next line with its b"\\n", or what is left without one at the end of the
        stream; at most `limit` bytes (a longer line is returned cut at `limit`)."""
        searched = 0  # bytes after the position already searched
        while True:
            end = self._buf.find(b"\n", self._pos + searched, self._pos + limit)
            if end >= 0:
                return self._take(end + 1 - self._pos)
            available = len(self._buf) - self._pos
            if available >= limit:
                return self._take(limit)
            searched = available
            if not self._fill():
                return self._take(available)

    def _take(self, n: int) -> bytes:
        out = bytes(self._buf[self._pos : self._pos + n])
        self._pos += n
        self.consumed += n
        return out

    def read(self, n: int = -1, /) -> bytes:
        """Up to `n` bytes (all that is left when `n` < 0); short only at the end."""
        if n < 0:
            while self._fill():
                pass
            return self._take(len(self._buf) - self._pos)
        while len(self._buf) - self._pos < n and self._fill():
            pass
        return self._take(min(n, len(self._buf) - self._pos))

    def readinto(self, view: memoryview | bytearray) -> int:
        if self._pos == len(self._buf) and not self._refill():
            return 0
        n = min(len(self._buf) - self._pos, len(view))
        view[:n] = memoryview(self._buf)[self._pos : self._pos + n]
        self._pos += n
        self.consumed += n
        return n

    def _refill(self) -> bool:
        """Replace the drained buffer with the stream's next block, read into one buffer
        reused to the end: 64 KiB reads, which a buffered file hands to the kernel as
        they are (age's 65,552-byte chunks would make it split each read in two), into
        memory that stays in the CPU cache."""
        if self._eof:
            return False
        if self._block is None:
            self._block = bytearray(_BLOCK)
        readinto = getattr(self._src, "readinto", None)
        if readinto is not None:
            n = int(readinto(self._block) or 0)
        else:
            data = self._src.read(_BLOCK)
            n = len(data)
            self._block[:n] = data
        if n == 0:
            self._eof = True
            return False
        self._buf = self._block if n == _BLOCK else self._block[:n]
        self._pos = 0
        return True
