"""The STREAM payload: fixed-size chunks, each sealed with AES-256-GCM.

Nonce of chunk i = 11-byte big-endian i || 1-byte last-chunk flag (0x01 on the final
chunk, else 0x00), as in age and Tink's streaming AEAD. The flag makes truncation at a
chunk boundary fail; the counter makes reordering, dropping and duplicating fail; the
final-chunk rule makes appended bytes fail.

Memory is constant: a few preallocated batches of chunks are reused for the whole file.
Reading and sealing run on the calling thread while a writer thread drains finished
batches, so read, AEAD and write overlap on two cores (AES-GCM releases the GIL).

`run_chunks` is the same pipeline reading one chunk at a time into buffers that stay in
the CPU cache; age's payload (`vaultapp.core.age.payload`) runs on it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import CancelledError, FileIntegrityError
from .format import TAG_SIZE

Progress = Callable[[int], None]
"""Called with the number of plaintext bytes done so far."""
Cancel = Callable[[], bool]
"""Returns True when the person asked to stop."""

MAX_COUNTER = 1 << 88
_BATCH_BYTES = 1 << 20  # plaintext bytes read per batch (1 MiB): few syscalls, small memory
_IN_FLIGHT = 3  # batches owned by the writer thread at most


class Sink(Protocol):
    def write(self, data: memoryview, /) -> object: ...


def _nonce(counter: int, last: bool) -> bytes:
    if counter >= MAX_COUNTER:
        raise FileIntegrityError("the file is too large for format v1")
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _read_full(src: BinaryIO, view: memoryview) -> int:
    """Fill `view` from `src` unless the stream ends first; return the bytes read."""
    got = 0
    while got < len(view):
        n = src.readinto(view[got:])  # type: ignore[attr-defined]
        if not n:
            break
        got += n
    return got


class _Writer:
    """Writes filled buffers on a background thread and hands them back for reuse."""

    def __init__(self, dst: Sink, buf_size: int, piece: int) -> None:
        self._dst = dst
        self._piece = piece
        self._free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(_IN_FLIGHT):
            self._free.put(bytearray(buf_size))
        self._todo: queue.Queue[tuple[bytearray, int] | None] = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="vaultapp-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._todo.get()) is not None:
            buf, n = item
            if self._error is None:
                try:
                    view = memoryview(buf)[:n]
                    for start in range(0, n, self._piece):
                        self._dst.write(view[start : start + self._piece])
                except BaseException as exc:  # handed to the caller thread
                    self._error = exc
            self._free.put(buf)

    def take(self) -> bytearray:
        buf = self._free.get()
        self._raise_if_failed()
        return buf

    def give(self, buf: bytearray, n: int) -> None:
        self._todo.put((buf, n))

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Wait for every queued write; re-raise the first write error."""
        self._todo.put(None)
        self._thread.join()
        self._raise_if_failed()


_local = threading.local()
_MAX_SCRATCH = 2 << 20


def _scratch(in_size: int, out_size: int) -> tuple[bytearray, bytearray]:
    """Per-thread buffers reused from file to file, so that sealing many small files
    does not allocate and fault in two fresh megabytes each time."""
    bufs: tuple[bytearray, bytearray] | None = getattr(_local, "bufs", None)
    if bufs is None or len(bufs[0]) != in_size or len(bufs[1]) != out_size:
        bufs = (bytearray(in_size), bytearray(out_size))
        if in_size <= _MAX_SCRATCH:  # files with huge chunks do not pin memory afterwards
            _local.bufs = bufs
    return bufs


BatchWork = Callable[[memoryview, int, memoryview, bool], tuple[int, int]]
"""(input, input bytes, output, final batch?) -> (output bytes, plaintext bytes)."""


def _pipeline(
    src: BinaryIO,
    dst: Sink,
    in_size: int,
    out_size: int,
    work: BatchWork,
    write_piece: int,
    progress: Progress | None,
    cancel: Cancel | None,
) -> int:
    """Read batches with one batch of look-ahead (to know which chunk is final), run
    `work` on each and write the results; return the plaintext bytes handled.

    A file that fits in one batch is handled inline; larger ones get a writer thread so
    that reading and AEAD on this thread overlap with writing.
    """
    scratch_in, scratch_out = _scratch(in_size, out_size)
    cur = memoryview(scratch_in)
    cur_n = _read_full(src, cur)
    if cur_n < in_size:  # small file: no thread, one write
        used = min(out_size, cur_n + max(0, out_size - in_size))
        try:
            if cancel is not None and cancel():
                raise CancelledError()
            out_n, plain_n = work(cur, cur_n, memoryview(scratch_out), True)
            dst.write(memoryview(scratch_out)[:out_n])
        finally:  # the scratch buffers are reused: leave no plaintext in them
            cur[:cur_n] = bytes(cur_n)
            scratch_out[:used] = bytes(used)
        if progress is not None:
            progress(plain_n)
        return plain_n
    first = bytearray(scratch_in)  # a large file gets buffers of its own
    cur[:] = bytes(in_size)
    cur = memoryview(first)
    bufs = [first, bytearray(in_size)]
    which = 0
    total = 0
    writer = _Writer(dst, out_size, write_piece)
    try:
        while True:
            if cancel is not None and cancel():
                raise CancelledError()
            if cur_n == in_size:
                nxt = memoryview(bufs[1 - which])
                nxt_n = _read_full(src, nxt)
            else:
                nxt, nxt_n = cur, 0
            final = nxt_n == 0
            out = writer.take()
            out_n, plain_n = work(cur, cur_n, memoryview(out), final)
            writer.give(out, out_n)
            total += plain_n
            if progress is not None:
                progress(total)
            if final:
                return total
            cur, cur_n, which = nxt, nxt_n, 1 - which
    finally:
        writer.close()


class PartialBatch(Exception):
    """Raised by a ChunkWork that failed after producing `out_n` good output bytes
    (`plain_n` of plaintext) for its chunk: they and the batch before them are written
    before `error` is raised. A payload format whose rule is "hand out every chunk that
    authenticated" (age's) needs it."""

    def __init__(self, out_n: int, plain_n: int, error: BaseException) -> None:
        super().__init__(out_n, plain_n, error)
        self.out_n = out_n
        self.plain_n = plain_n
        self.error = error


ChunkWork = Callable[[memoryview, memoryview, bool], tuple[int, int]]
"""(one input chunk, room for its output, final chunk?) -> (output bytes, plaintext bytes)."""


def run_chunks(
    src: BinaryIO,
    dst: Sink,
    in_chunk: int,
    out_chunk: int,
    per_batch: int,
    work: ChunkWork,
    write_piece: int,
    progress: Progress | None,
    cancel: Cancel | None,
) -> int:
    """Read `src` one chunk of `in_chunk` bytes at a time into two small buffers that stay
    in the CPU cache (one chunk of look-ahead tells which is final), run `work` on each
    into a batch of `per_batch` slots of `out_chunk` bytes, and write each full batch in
    pieces of `write_piece` bytes; return the plaintext bytes handled.

    Measured against `run_batches` for age's 64 KiB chunks: reading into a 1 MiB batch
    costs three times the kernel time of reading into a buffer that is still in the
    cache (benchmarks/recipients.py). A file that ends within the first batch is written
    with one write and no thread; a longer one gets a writer thread. A `work` that raises
    PartialBatch has the batch written up to its good part before the error is raised.
    """
    scratch_in, scratch_out = _scratch(2 * in_chunk, per_batch * out_chunk)
    hot = (memoryview(scratch_in)[:in_chunk], memoryview(scratch_in)[in_chunk:])
    batch = memoryview(scratch_out)  # the first batch; later ones are the writer's buffers
    writer: _Writer | None = None
    owned: bytearray | None = None  # the writer's buffer that `batch` is
    first = 0  # bytes of the first batch (in the scratch buffer)
    opos = total = 0
    cur, cur_n, which = hot[0], _read_full(src, hot[0]), 0

    def emit(n: int) -> None:
        nonlocal owned
        if writer is None:
            dst.write(batch[:n])
        else:
            assert owned is not None
            writer.give(owned, n)
            owned = None

    try:
        while True:
            if cancel is not None and cancel():
                raise CancelledError()
            opos = 0
            final = False
            for _ in range(per_batch):
                if cur_n == in_chunk:
                    nxt = hot[1 - which]
                    nxt_n = _read_full(src, nxt)
                else:
                    nxt, nxt_n = cur, 0
                final = nxt_n == 0
                try:
                    out_n, plain_n = work(cur[:cur_n], batch[opos : opos + out_chunk], final)
                except PartialBatch as partial:
                    emit(opos + partial.out_n)
                    raise partial.error from None
                opos += out_n
                total += plain_n
                cur, cur_n, which = nxt, nxt_n, 1 - which
                if final:
                    break
            if writer is None:
                first = opos
                if not final:  # a large file: from now on writes overlap the work
                    writer = _Writer(dst, per_batch * out_chunk, write_piece)
                    owned = writer.take()
                    owned[:opos] = batch[:opos]
            emit(opos)
            if progress is not None:
                progress(total)
            if final:
                return total
            assert writer is not None
            owned = writer.take()
            batch = memoryview(owned)
    finally:
        if writer is not None:
            writer.close()
        # the scratch buffers are reused from file to file: leave no plaintext in them
        scratch_in[:] = bytes(len(scratch_in))
        touched = first if writer is not None else min(len(scratch_out), opos + out_chunk)
        scratch_out[:touched] = bytes(touched)


def seal_payload(
    src: BinaryIO,
    dst: Sink,
    payload_key: bytes,
    chunk_size: int,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """Seal everything `src` yields into `dst` as STREAM chunks; return plaintext bytes."""
    aead = AESGCM(payload_key)
    per_batch = max(1, _BATCH_BYTES // chunk_size)
    counter = 0

    def seal_batch(cur: memoryview, cur_n: int, out: memoryview, final: bool) -> tuple[int, int]:
        nonlocal counter
        pos = opos = 0
        while True:
            n = min(chunk_size, cur_n - pos)
            last = final and pos + n >= cur_n
            aead.encrypt_into(
                _nonce(counter, last), cur[pos : pos + n], None, out[opos : opos + n + TAG_SIZE]
            )
            counter += 1
            pos += n
            opos += n + TAG_SIZE
            if pos >= cur_n:
                return opos, cur_n

    return _pipeline(src, dst, per_batch * chunk_size, per_batch * (chunk_size + TAG_SIZE),
                     seal_batch, per_batch * (chunk_size + TAG_SIZE), progress, cancel)


def open_payload(
    src: BinaryIO,
    dst: Sink,
    payload_key: bytes,
    chunk_size: int,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """Authenticate and decrypt STREAM chunks from `src` into `dst`; return plaintext bytes.

    A chunk's plaintext is handed to `dst` only after that chunk's tag verified. Any
    failure raises FileIntegrityError; the caller must then discard what `dst` received.
    """
    aead = AESGCM(payload_key)
    sealed_chunk = chunk_size + TAG_SIZE
    per_batch = max(1, _BATCH_BYTES // chunk_size)
    counter = 0

    def open_batch(cur: memoryview, cur_n: int, out: memoryview, final: bool) -> tuple[int, int]:
        nonlocal counter
        pos = opos = 0
        while True:
            n = min(sealed_chunk, cur_n - pos)
            last = final and pos + n >= cur_n
            # The final chunk is empty only when the whole payload is empty.
            if n < TAG_SIZE or (last and n == TAG_SIZE and counter > 0):
                raise FileIntegrityError()
            plain = out[opos : opos + n - TAG_SIZE]
            try:
                aead.decrypt_into(_nonce(counter, last), cur[pos : pos + n], None, plain)
            except InvalidTag:
                plain[:] = bytes(len(plain))  # never keep unauthenticated plaintext
                raise FileIntegrityError() from None
            counter += 1
            pos += n
            opos += n - TAG_SIZE
            if pos >= cur_n:
                return opos, opos

    # Plaintext goes out one chunk per write(). An earlier round measured 1 MiB-aligned
    # 1 MiB writes into a fresh file at twice the kernel time of 64 KiB ones; measured
    # again (benchmarks/README.md, "Large files"), 1 GiB into tmpfs cost the same either
    # way and into the page cache on disk 1 MiB writes were faster. Not changed yet: the
    # writer thread is what open waits for at either size.
    return _pipeline(src, dst, per_batch * sealed_chunk, per_batch * chunk_size, open_batch,
                     chunk_size, progress, cancel)
