"""age's STREAM payload: 64 KiB chunks, each sealed with ChaCha20-Poly1305 under the
payload key; nonce = 11-byte big-endian chunk counter || 0x01 on the final chunk, else
0x00. The final chunk may be full but is empty only when the whole payload is.

Decryption hands out each chunk as soon as its tag verified, exactly what age's reference
reader releases before it fails (the test vectors check the hash of it): a full chunk
that does not open as a middle chunk is tried as the final one (and data after it is an
error), and a full chunk at the end that opens only as a middle chunk is released before
the "truncated" error. The caller discards the output of a failed decryption.

Memory is constant and reading, AEAD and writing overlap on two threads: this runs on
the sealed-file format's batch pipeline (`vaultapp.core.stream.run_batches`).
"""

from __future__ import annotations

from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from ..stream import Cancel, PartialBatch, Progress, Sink, run_batches
from .errors import AgePayloadError

CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
NONCE_SIZE = 16  # the payload's random nonce, in front of the first chunk
_PER_BATCH = 16  # chunks read, sealed and written together (1 MiB)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def seal_stream(src: BinaryIO, dst: Sink, key: bytes, progress: Progress | None = None,
                cancel: Cancel | None = None) -> int:
    """Encrypt all of `src` into `dst` as STREAM chunks; return the plaintext bytes."""
    aead = ChaCha20Poly1305(key)
    counter = 0

    def seal_batch(cur: memoryview, cur_n: int, out: memoryview, final: bool) -> tuple[int, int]:
        nonlocal counter
        pos = opos = 0
        while True:
            n = min(CHUNK, cur_n - pos)
            last = final and pos + n >= cur_n
            aead.encrypt_into(_nonce(counter, last), cur[pos : pos + n], None,
                              out[opos : opos + n + TAG])
            counter += 1
            pos += n
            opos += n + TAG
            if pos >= cur_n:
                return opos, cur_n

    return run_batches(src, dst, _PER_BATCH * CHUNK, _PER_BATCH * SEALED_CHUNK, seal_batch,
                       _PER_BATCH * SEALED_CHUNK, progress, cancel)


def open_stream(src: BinaryIO, dst: Sink, key: bytes, progress: Progress | None = None,
                cancel: Cancel | None = None) -> int:
    """Authenticate and decrypt STREAM chunks from `src` into `dst`; return the plaintext
    bytes. Raises AgePayloadError after writing what authenticated before the failure."""
    aead = ChaCha20Poly1305(key)
    counter = 0

    def opens(sealed: memoryview, plain: memoryview, last: bool) -> bool:
        try:
            aead.decrypt_into(_nonce(counter, last), sealed, None, plain)
        except InvalidTag:
            plain[:] = bytes(len(plain))  # never keep unauthenticated plaintext
            return False
        return True

    def open_batch(cur: memoryview, cur_n: int, out: memoryview, final: bool) -> tuple[int, int]:
        nonlocal counter
        pos = opos = 0
        while True:
            n = min(SEALED_CHUNK, cur_n - pos)
            at_end = final and pos + n >= cur_n
            sealed = cur[pos : pos + n]
            plain = out[opos : opos + max(0, n - TAG)]
            if at_end and (n < TAG or (n == TAG and counter > 0)):
                raise PartialBatch(opos, opos, AgePayloadError(
                    "empty final chunk" if n == TAG else "chunk shorter than its tag"))
            # Which flag to try first: the one the position implies; a full chunk may
            # carry the other one, and then the file ends wrongly after releasing it.
            if opens(sealed, plain, at_end):
                last = at_end
            elif n == SEALED_CHUNK and opens(sealed, plain, not at_end):
                last = not at_end
            else:
                raise PartialBatch(opos, opos, AgePayloadError("chunk does not authenticate"))
            counter += 1
            pos += n
            opos += n - TAG
            if last != at_end:
                raise PartialBatch(opos, opos, AgePayloadError(
                    "data after the final chunk" if last else "no final chunk"))
            if pos >= cur_n:
                return opos, opos

    # Plaintext goes out one chunk per write(), as for sealed files (see stream.py).
    return run_batches(src, dst, _PER_BATCH * SEALED_CHUNK, _PER_BATCH * CHUNK, open_batch,
                       CHUNK, progress, cancel)
