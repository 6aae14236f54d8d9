"""One engine operation in a process of its own: the "engine only" rows of engine.py.

    python benchmarks/_child.py seal SRC DST
    python benchmarks/_child.py open SRC DST
    python benchmarks/_child.py aead-encrypt NBYTES
    python benchmarks/_child.py aead-decrypt NBYTES

The key comes from the environment variable VAULTAPP_BENCH_KEY: 64 bytes in hex, the
profile id (16), the key id (16) and the profile key (32). Prints one JSON object on
stdout: the wall time and CPU of the call alone (interpreter start and imports
excluded), the time spent in os.fsync during the call, and the peak RSS (VmHWM) of
this process. The parent measures the whole process too (os.wait4). Unlike the
`vaultapp` command, it opens no keybox and unlocks nothing: the difference between the
two is the cost of the command around the engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path

KEY_ENV = "VAULTAPP_BENCH_KEY"
CHUNK = 1 << 16  # 64 KiB, the engine's default chunk size
BATCH_CHUNKS = 16  # 1 MiB per batch, as the engine reads
TAG = 16


def _vm_hwm_kib() -> int:
    """Peak RSS of this process's own memory map (not inherited from the launcher)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _FsyncTimer:
    """Wraps os.fsync to count the time the engine spends making its output durable."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._real = os.fsync

    def __call__(self, fd: int) -> None:
        start = time.perf_counter()
        try:
            self._real(fd)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1


def _engine_fingerprint() -> str:
    """SHA-256 (12 hex digits) of the source of every vaultapp module this process loaded."""
    h = hashlib.sha256()
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if name.split(".")[0] == "vaultapp" and file:
            h.update(name.encode())
            h.update(Path(file).read_bytes())
    return h.hexdigest()[:12]


def _key() -> bytes:
    raw = bytes.fromhex(os.environ[KEY_ENV])
    if len(raw) != 64:
        raise SystemExit(f"{KEY_ENV} must hold 64 bytes in hex")
    return raw


def _aead(decrypt: bool, nbytes: int) -> None:
    """AES-256-GCM over `nbytes` in 64 KiB chunks, 1 MiB batches, all in memory."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(_key()[32:])
    plain = bytearray(os.urandom(CHUNK * BATCH_CHUNKS))
    sealed = bytearray((CHUNK + TAG) * BATCH_CHUNKS)
    pv, sv = memoryview(plain), memoryview(sealed)
    chunks = [
        (pv[i * CHUNK : (i + 1) * CHUNK], sv[i * (CHUNK + TAG) : (i + 1) * (CHUNK + TAG)])
        for i in range(BATCH_CHUNKS)
    ]
    nonces = [i.to_bytes(12, "big") for i in range(BATCH_CHUNKS)]
    if decrypt:  # valid ciphertexts to open again and again
        for nonce, (p, s) in zip(nonces, chunks, strict=True):
            aead.encrypt_into(nonce, p, None, s)
    full, rest = divmod(nbytes, CHUNK)
    for i in range(full + (1 if rest else 0)):
        p, s = chunks[i % BATCH_CHUNKS]
        if i == full:
            p, s = p[:rest], s[: rest + TAG]
        if decrypt:
            aead.decrypt_into(nonces[i % BATCH_CHUNKS], s, None, p)
        else:
            aead.encrypt_into(i.to_bytes(12, "big"), p, None, s)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    mode = argv[1]
    t_import = time.perf_counter()
    from vaultapp.core import fileops
    from vaultapp.core.envelope import Recipient, StaticResolver

    import_s = time.perf_counter() - t_import
    raw = _key()
    recipient = Recipient(profile_id=raw[:16], key_id=raw[16:32], key=raw[32:])
    fsync = _FsyncTimer()
    os.fsync = fsync  # measurement only: the real fsync still runs
    nbytes = 0

    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    if mode == "seal":
        src, dst = Path(argv[2]), Path(argv[3])
        nbytes = fileops.seal_file(src, [recipient], output=dst, force=True).size
    elif mode == "open":
        src, dst = Path(argv[2]), Path(argv[3])
        nbytes = fileops.open_file(src, StaticResolver([recipient]), output=dst, force=True).size
    elif mode in ("aead-encrypt", "aead-decrypt"):
        nbytes = int(argv[2])
        _aead(mode == "aead-decrypt", nbytes)
    else:
        print(f"unknown mode {mode!r}", file=sys.stderr)
        return 2
    call_s = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)

    report = {
        "mode": mode,
        "bytes": nbytes,
        "import_s": import_s,
        "call_wall_s": call_s,
        "call_user_s": ru1.ru_utime - ru0.ru_utime,
        "call_sys_s": ru1.ru_stime - ru0.ru_stime,
        "fsync_s": fsync.seconds,
        "fsync_calls": fsync.calls,
        "vm_hwm_kib": _vm_hwm_kib(),
        "engine": _engine_fingerprint(),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
