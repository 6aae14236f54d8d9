"""A large age file's payload on two cores: this process and a helper process share it.

The stream pipeline (payload.py) reads, seals and writes in order, so it is bound by one
core. Between two regular files, though, the input's size fixes where every chunk lies in
the input and in the output, so the payload is cut into spans of SPAN chunks that can be
done in any order. A helper process (this program again, with AGE_HELPER_FLAG;
core/helpers.py) and the calling thread take spans from one pool; each reads a span with
one pread, seals or opens its chunks, and writes them with one pwrite into the output,
which has no name yet (atomic.AtomicFile): nothing appears under the final name before
every span is done and, when opening, authenticated. Files below MIN_SIZE, armored files,
pipes and one core keep the stream pipeline.

Why a process and not a thread, although cryptography 50 releases the GIL in the AEAD
(3.4 GiB/s on one thread, 6.5 on two, 1 MiB into a buffer, measured on a quiet machine on
2026-12-02): a second thread was built and measured, alternating with this design in the
same rounds, and sealing 1 GiB to disk after an open took 1.60 s against 0.95 (median of 8
rounds; on tmpfs the two were within noise), so it was dropped.

The helper is handed the payload key and two descriptors (the input and the unnamed
output) and nothing else; it never opens the keybox. It is killed with its parent
(Linux). A helper that cannot start, or stops part-way, leaves its spans to the calling
thread. A chunk that does not authenticate ends the whole open with AgePayloadError: the
output was never named, so nothing of it stays (where the stream pipeline would have
released the chunks before it, this output is discarded anyway). The messages are lines
of text: "want", "done K", "bad K" from the helper; a span's number, or "end", to it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from vaultapp import AGE_HELPER_FLAG

from .. import helpers
from ..atomic import start_writeback
from ..errors import CancelledError
from ..stream import Cancel, Progress
from .errors import AgePayloadError
from .payload import CHUNK, SEALED_CHUNK, TAG, nonce

SPAN = 16
"""Chunks per span (1 MiB of plaintext): its two buffers stay in the CPU cache."""
MIN_SIZE = 64 << 20
"""Payload bytes from which a helper is worth its start (about 60 ms of the other core)."""


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
    """Whether a payload of `size` bytes between two regular files gets a helper."""
    return size >= MIN_SIZE and helpers.spare_core()


class _Worker:
    """One process's means to do spans: the AEAD and two buffers reused span to span."""

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
    """The spans not yet taken, shared by the calling thread and the helper's feeder."""

    def __init__(self, layout: Layout) -> None:
        self._layout = layout
        self._lock = threading.Lock()
        self._next = 0
        self._back: list[int] = []  # spans a stopped helper did not finish
        self.done = 0  # plaintext bytes of finished spans
        self.failed: int | None = None  # a span that did not open (or whose input ended)

    def take(self) -> int | None:
        with self._lock:
            if self.failed is not None:
                return None
            if self._back:
                return self._back.pop()
            if self._next < self._layout.spans:
                self._next += 1
                return self._next - 1
            return None

    def finish(self, span: int, ok: bool) -> None:
        with self._lock:
            if ok:
                self.done += self._layout.plaintext(span)
            elif self.failed is None:
                self.failed = span

    def give_back(self, spans: set[int]) -> None:
        with self._lock:
            self._back.extend(sorted(spans, reverse=True))


class _Helper:
    """The calling side of one helper process, fed from the pool by a thread of its own."""

    def __init__(self, proc: subprocess.Popen[bytes], pool: _Pool) -> None:
        self._proc, self._pool = proc, pool
        self._thread = threading.Thread(target=self._serve, name="vaultapp-age-helper",
                                        daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, layout: Layout, key: bytes, in_fd: int, out_fd: int,
              pool: _Pool) -> _Helper | None:
        try:
            proc = subprocess.Popen(helpers.command(AGE_HELPER_FLAG), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, pass_fds=(in_fd, out_fd))
        except OSError:
            return None
        setup = (f"{os.getpid()} {int(layout.sealing)} {layout.size} {layout.in_at} "
                 f"{layout.out_at} {in_fd} {out_fd} {key.hex()}\n")
        try:
            assert proc.stdin is not None
            proc.stdin.write(setup.encode())
            proc.stdin.flush()
        except OSError:
            proc.kill()
            proc.wait()
            return None
        return cls(proc, pool)

    def _serve(self) -> None:
        """Hand a span for each "want"; record each "done"/"bad"; when the helper ends,
        put back what it was handed and did not finish."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        given: set[int] = set()
        try:
            for line in self._proc.stdout:
                word, _, number = line.decode().partition(" ")
                if word in ("done", "bad"):
                    span = int(number)
                    given.discard(span)
                    self._pool.finish(span, word == "done")
                span_or_none = self._pool.take()
                if span_or_none is None:
                    self._proc.stdin.write(b"end\n")
                    self._proc.stdin.close()
                    continue
                given.add(span_or_none)
                self._proc.stdin.write(b"%d\n" % span_or_none)
                self._proc.stdin.flush()
        except (OSError, ValueError):
            pass  # it stopped: its spans go back
        finally:
            self._pool.give_back(given)

    def end(self) -> None:
        """Wait until it has finished (or stopped) and its spans are settled."""
        self._thread.join()
        self._proc.wait()

    def kill(self) -> None:
        self._proc.kill()
        self._proc.wait()
        self._thread.join()


def run(layout: Layout, key: bytes, in_fd: int, out_fd: int,
        progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Do every span of `layout` with the payload `key`, with a helper if one starts;
    return the plaintext bytes done (less than the input's when it shrank meanwhile).
    Raises AgePayloadError when opening fails, CancelledError when asked to stop."""
    layout.check()
    pool = _Pool(layout)
    helper = _Helper.start(layout, key, in_fd, out_fd, pool) if layout.spans > 1 else None
    worker = _Worker(layout, key, in_fd, out_fd)
    try:
        while True:
            if cancel is not None and cancel():
                raise CancelledError()
            span = pool.take()
            if span is None:
                if helper is None:
                    break
                helper.end()  # what it did not finish is taken below
                helper = None
                continue
            pool.finish(span, worker.do(span))
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
        if helper is not None:
            helper.kill()


# --- the helper's side -----------------------------------------------------------------


def main() -> int:
    """The helper process: read the layout and key, then do span after span."""
    from ..hygiene import die_with_parent, disable_core_dumps

    disable_core_dumps()  # it holds a payload key
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller decides (see jobs/helper.py)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    fields = source.readline().split()
    if len(fields) != 8:
        return 1
    parent, sealing, size, in_at, out_at, in_fd, out_fd = (int(f) for f in fields[:7])
    die_with_parent(parent)
    worker = _Worker(Layout(bool(sealing), size, in_at, out_at), bytes.fromhex(
        fields[7].decode()), in_fd, out_fd)
    try:
        sink.write(b"want\n")
        sink.flush()
        while (line := source.readline().strip()) and line != b"end":
            span = int(line)
            sink.write(b"%s %d\n" % (b"done" if worker.do(span) else b"bad", span))
            sink.flush()
    except (OSError, WriteFailed):
        return 2  # its spans go back to the caller, which meets the error and says it
    finally:
        worker.close()
    return 0
