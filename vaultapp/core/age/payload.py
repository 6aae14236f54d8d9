"""age's STREAM payload: 64 KiB chunks, each sealed with ChaCha20-Poly1305 under the
payload key; nonce = 11-byte big-endian chunk counter || 0x01 on the final chunk, else
0x00. The final chunk may be full but is empty only when the whole payload is.

Decryption hands out each chunk as soon as its tag verified, exactly what age's reference
reader releases before it fails (the test vectors check the hash of it): a full chunk
that does not open as a middle chunk is tried as the final one (and data after it is an
error), and a full chunk at the end that opens only as a middle chunk is released before
the "truncated" error. The caller discards the output of a failed decryption.

Memory is constant and the AEAD overlaps the writing on two threads: this runs on the
chunk pipeline of `vaultapp.core.stream` (`run_chunks`), which reads each chunk into a
buffer that stays in the CPU cache.
"""

from __future__ import annotations

from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from ..stream import Cancel, PartialBatch, Progress, Sink, run_chunks
from .errors import AgePayloadError

CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
NONCE_SIZE = 16  # the payload's random nonce, in front of the first chunk
_PER_BATCH = 16  # chunks handed to the writer together (1 MiB)


def nonce(counter: int, last: bool) -> bytes:
    """Chunk `counter`'s nonce; `last` on the final chunk."""
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def seal_stream(src: BinaryIO, dst: Sink, key: bytes, progress: Progress | None = None,
                cancel: Cancel | None = None) -> int:
    """Encrypt all of `src` into `dst` as STREAM chunks; return the plaintext bytes."""
    aead = ChaCha20Poly1305(key)
    counter = 0

    def seal_chunk(plain: memoryview, out: memoryview, last: bool) -> tuple[int, int]:
        nonlocal counter
        n = len(plain)
        aead.encrypt_into(nonce(counter, last), plain, None, out[: n + TAG])
        counter += 1
        return n + TAG, n

    return run_chunks(src, dst, CHUNK, SEALED_CHUNK, _PER_BATCH, seal_chunk,
                      _PER_BATCH * SEALED_CHUNK, progress, cancel)


def open_stream(src: BinaryIO, dst: Sink, key: bytes, progress: Progress | None = None,
                cancel: Cancel | None = None) -> int:
    """Authenticate and decrypt STREAM chunks from `src` into `dst`; return the plaintext
    bytes. Raises AgePayloadError after writing what authenticated before the failure."""
    aead = ChaCha20Poly1305(key)
    counter = 0

    def opens(sealed: memoryview, plain: memoryview, last: bool) -> bool:
        try:
            aead.decrypt_into(nonce(counter, last), sealed, None, plain)
        except InvalidTag:
            plain[:] = bytes(len(plain))  # never keep unauthenticated plaintext
            return False
        return True

    def open_chunk(sealed: memoryview, out: memoryview, at_end: bool) -> tuple[int, int]:
        nonlocal counter
        n = len(sealed)
        if at_end and (n < TAG or (n == TAG and counter > 0)):
            raise PartialBatch(0, 0, AgePayloadError(
                "empty final chunk" if n == TAG else "chunk shorter than its tag"))
        plain = out[: n - TAG]
        # Which flag to try first: the one the position implies; a full chunk may carry
        # the other one, and then the file ends wrongly after releasing it.
        if opens(sealed, plain, at_end):
            last = at_end
        elif n == SEALED_CHUNK and opens(sealed, plain, not at_end):
            last = not at_end
        else:
            raise PartialBatch(0, 0, AgePayloadError("chunk does not authenticate"))
        counter += 1
        if last != at_end:
            raise PartialBatch(n - TAG, n - TAG, AgePayloadError(
                "data after the final chunk" if last else "no final chunk"))
        return n - TAG, n - TAG

    # Plaintext goes out a batch (1 MiB) per write(): measured here on tmpfs and on disk,
    # without fsync, it costs less kernel time than one write per chunk.
    return run_chunks(src, dst, SEALED_CHUNK, CHUNK, _PER_BATCH, open_chunk, _PER_BATCH * CHUNK,
                      progress, cancel)
