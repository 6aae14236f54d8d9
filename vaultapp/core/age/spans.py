"""A large age file's payload on two cores: two threads of this process share it.

The stream pipeline (payload.py) reads, seals and writes in order, so it is bound by one
core. Between two regular files, though, the input's size fixes where every chunk lies in
the input and in the output, so the payload is cut into spans of SPAN chunks that can be
done in any order. The calling thread and a second thread take spans from one pool; each
reads a span with one pread, seals or opens its chunks, and writes them with one pwrite
into the output, which has no name yet (atomic.AtomicFile): nothing appears under the
final name before every span is done and, when opening, authenticated. `cryptography`
releases the GIL in ChaCha20-Poly1305 (measured here, 50.0.2, 1 MiB into a buffer: 3.4 GiB/s
on one thread, 6.5 on two), and in pread and pwrite, so the two threads run side by side.
Files below MIN_SIZE, armored files, pipes and one core keep the stream pipeline.

The payload key never leaves this process. A chunk that does not authenticate ends the
whole open with AgePayloadError: the output was never named, so nothing of it stays
(where the stream pipeline would have released the chunks before it, this output is
discarded anyway). An error of either thread (reading, writing) ends the run and is
raised by the caller.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from .. import helpers
from ..atomic import start_writeback
from ..errors import CancelledError
from ..stream import Cancel, Progress
from .errors import AgePayloadError
from .payload import CHUNK, SEALED_CHUNK, TAG, nonce

SPAN = 16
"""Chunks per span (1 MiB of plaintext): its two buffers stay in the CPU cache."""
MIN_SIZE = 64 << 20
"""Payload bytes from which the payload is done in spans; smaller ones keep the stream."""


class Reservable(Protocol):
    """An unnamed output the payload is written into at offsets (atomic.AtomicFile)."""

    def reserve(self, n: int, /, *, allocate: bool = False) -> tuple[int, int]: ...

    def write_error(self, exc: OSError, /) -> Exception: ...


class WriteFailed(Exception):
    """Writing the output failed (`error`: why); reading the input raises OSError."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True)
class Layout:
    """Where a payload's chunks lie. `size`: the input's payload bytes (plaintext when
    sealing, sealed chunks when opening); `in_at`, `out_at`: where the payload starts in
    the input and in the output."""

    sealing: bool
    size: int
    in_at: int
    out_at: int

    @property
    def chunks(self) -> int:
        if self.sealing:  # the final chunk may be full; it is empty only when all is
            return max(1, -(-self.size // CHUNK))
        return -(-self.size // SEALED_CHUNK)

    @property
    def spans(self) -> int:
        return -(-self.chunks // SPAN)

    @property
    def strides(self) -> tuple[int, int]:
        """A chunk's bytes in the input and in the output."""
        return (CHUNK, SEALED_CHUNK) if self.sealing else (SEALED_CHUNK, CHUNK)

    @property
    def out_size(self) -> int:
        """The output's payload bytes."""
        return self.size + TAG * self.chunks if self.sealing else \
            self.size - TAG * self.chunks

    def span(self, k: int) -> tuple[int, int, int]:
        """Span `k`'s first chunk, the chunk after its last, and its bytes in the input."""
        first, end = k * SPAN, min(self.chunks, (k + 1) * SPAN)
        return first, end, min(self.size, end * self.strides[0]) - first * self.strides[0]

    def plaintext(self, k: int) -> int:
        """The plaintext bytes of span `k`."""
        first, end, read = self.span(k)
        return read if self.sealing else read - TAG * (end - first)

    def check(self) -> None:
        """Opening: refuse the sizes the stream rules refuse, before any work."""
        if self.sealing:
            return
        last = self.size - (self.chunks - 1) * SEALED_CHUNK
        if self.chunks == 0 or last < TAG:
            raise AgePayloadError("chunk shorter than its tag")
        if last == TAG and self.chunks > 1:
            raise AgePayloadError("empty final chunk")


def wanted(size: int) -> bool:
    """Whether a payload of `size` bytes between two regular files is done in spans."""
    return size >= MIN_SIZE and helpers.spare_core()


class _Worker:
    """One thread's means to do spans: the AEAD and two buffers reused span to span."""

    def __init__(self, layout: Layout, key: bytes, in_fd: int, out_fd: int) -> None:
        self.layout, self.in_fd, self.out_fd = layout, in_fd, out_fd
        self._aead = ChaCha20Poly1305(key)
        stride_in, stride_out = layout.strides
        self._in, self._out = bytearray(SPAN * stride_in), bytearray(SPAN * stride_out)

    def do(self, span: int) -> bool:
        """Seal or open one span; False when opening and a chunk did not authenticate,
        or the input ended before the span did (it changed)."""
        lay = self.layout
        stride_in, stride_out = lay.strides
        first, end, want = lay.span(span)
        src, dst = memoryview(self._in), memoryview(self._out)
        if _pread_full(self.in_fd, src[:want], lay.in_at + first * stride_in) != want:
            return False
        pos = opos = 0
        for c in range(first, end):
            n = min(stride_in, want - pos)
            if lay.sealing:
                self._aead.encrypt_into(nonce(c, c == lay.chunks - 1), src[pos:pos + n], None,
                                        dst[opos:opos + n + TAG])
                opos += n + TAG
            else:
                try:
                    self._aead.decrypt_into(nonce(c, c == lay.chunks - 1), src[pos:pos + n],
                                            None, dst[opos:opos + n - TAG])
                except InvalidTag:
                    return False
                opos += n - TAG
            pos += n
        at = lay.out_at + first * stride_out
        try:
            _pwrite_all(self.out_fd, dst[:opos], at)
        except OSError as exc:
            raise WriteFailed(exc) from None
        start_writeback(self.out_fd, at, opos)
        return True

    def close(self) -> None:
        """Leave no plaintext in the buffers."""
        plain = self._in if self.layout.sealing else self._out
        plain[:] = bytes(len(plain))


def _pread_full(fd: int, view: memoryview, at: int) -> int:
    got = 0
    while got < len(view):
        n = os.preadv(fd, [view[got:]], at + got)
        if n == 0:
            break
        got += n
    return got


def _pwrite_all(fd: int, view: memoryview, at: int) -> None:
    while view:
        n = os.pwritev(fd, [view], at)
        view, at = view[n:], at + n


class _Pool:
    """The spans not yet taken, shared by the two threads."""

    def __init__(self, layout: Layout) -> None:
        self._layout = layout
        self._lock = threading.Lock()
        self._next = 0
        self._stopped = False
        self.done = 0  # plaintext bytes of finished spans
        self.failed: int | None = None  # a span that did not open (or whose input ended)

    def take(self) -> int | None:
        with self._lock:
            if self.failed is not None or self._stopped or self._next >= self._layout.spans:
                return None
            self._next += 1
            return self._next - 1

    def finish(self, span: int, ok: bool) -> None:
        with self._lock:
            if ok:
                self.done += self._layout.plaintext(span)
            elif self.failed is None:
                self.failed = span

    def stop(self) -> None:
        """Hand out no more spans (an error or a cancel ends the run)."""
        with self._lock:
            self._stopped = True


class _Second:
    """The second thread: spans from the pool with a worker of its own, until none is left.
    It asks `cancel` too (before each span), so a stop is seen even while the calling thread
    waits for it. Its error (reading, writing) or a cancel stops the pool; `end` raises it
    in the calling thread."""

    def __init__(self, layout: Layout, key: bytes, in_fd: int, out_fd: int, pool: _Pool,
                 cancel: Cancel | None) -> None:
        self._pool, self._worker, self._cancel = pool, _Worker(layout, key, in_fd, out_fd), cancel
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, name="vaultapp-age-span",
                                        daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            while (span := self._pool.take()) is not None:
                if self._cancel is not None and self._cancel():
                    raise CancelledError()
                self._pool.finish(span, self._worker.do(span))
        except BaseException as exc:  # raised again by end(), in the calling thread
            self._error = exc
            self._pool.stop()
        finally:
            self._worker.close()

    def wait(self) -> None:
        self._thread.join()

    def end(self) -> None:
        """Wait until it has finished; raise what stopped it, if anything did."""
        self.wait()
        if self._error is not None:
            raise self._error


def run(layout: Layout, key: bytes, in_fd: int, out_fd: int,
        progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Do every span of `layout` with the payload `key`, on two threads; return the
    plaintext bytes done (less than the input's when it shrank meanwhile). Raises
    AgePayloadError when opening fails, CancelledError when asked to stop, WriteFailed or
    OSError (reading) as either thread met it."""
    layout.check()
    pool = _Pool(layout)
    second = _Second(layout, key, in_fd, out_fd, pool, cancel) if layout.spans > 1 else None
    worker = _Worker(layout, key, in_fd, out_fd)
    try:
        while (span := pool.take()) is not None:
            if cancel is not None and cancel():
                raise CancelledError()
            pool.finish(span, worker.do(span))
            if progress is not None:
                progress(pool.done)
        if second is not None:
            ending = second
            second = None  # ended here: the finally has nothing left to stop
            ending.end()
            if progress is not None:
                progress(pool.done)
        if pool.failed is not None:
            if layout.sealing:
                return pool.done  # the input shrank: the caller's size check says so
            raise AgePayloadError(f"chunks {pool.failed * SPAN}–{(pool.failed + 1) * SPAN - 1}"
                                  " do not authenticate, or the file ended early")
        return pool.done
    finally:
        worker.close()
        if second is not None:  # an error or a cancel here: the other thread stops too
            pool.stop()
            second.wait()
