"""Process hygiene while secrets are, or may soon be, in memory.

A crash must not write the process's memory (a typed passphrase, the root key) to a core
file: core dumps are switched off (RLIMIT_CORE = 0) and, on Linux, the process is marked
non-dumpable, which also keeps other processes of the same user without ptrace rights
from reading its memory through /proc. The command line does this first thing in
`main()`, before reading any argument or secret, the window at start-up, and an unlock
again (for programs that use the core directly).

Key buffers can also be locked in RAM (`lock_in_memory`, mlock), so they are never
written to swap. Best effort: an unprivileged process may lock only RLIMIT_MEMLOCK bytes
(often 64 KiB or 8 MiB), and where it is refused the key stays usable, just swappable.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import sys
from typing import Any

_PR_SET_DUMPABLE = 4
_PR_GET_DUMPABLE = 3
_PR_SET_PDEATHSIG = 1


@functools.cache
def _process_libc() -> ctypes.CDLL | None:
    """The C library this process already runs on (dlopen(NULL)): no search for it, which
    ctypes.util.find_library does by running ldconfig, about 20 ms on every command."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    return _process_libc()


def disable_core_dumps() -> None:
    """Best effort: no core files, and non-dumpable on Linux. Never raises."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)


def die_with_parent(parent: int) -> bool:
    """Linux: this process is killed (SIGKILL) the moment its parent ends, and at once if
    `parent` (the pid it was started by) is already gone. False where the platform
    cannot promise it (the caller then notices its parent's end some other way)."""
    libc = _libc()
    if libc is None or libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:  # ended before the death signal was asked for
        os.kill(os.getpid(), signal.SIGKILL)
    return True


def is_dumpable() -> bool | None:
    """Whether the process may dump core (None where the platform cannot say)."""
    libc = _libc()
    if libc is None:
        return None
    return bool(libc.prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0))


def _libc_any() -> Any:
    """The C library on any POSIX system (mlock is POSIX), None elsewhere."""
    if sys.platform == "win32":
        return None
    return _process_libc()


def _address(buf: bytearray) -> int:
    # from_buffer exports the buffer only for this call: the bytearray may not be resized
    # while it is locked anyway (the key buffers never are; lock() overwrites in place).
    return ctypes.addressof((ctypes.c_char * len(buf)).from_buffer(buf))


def lock_in_memory(buf: bytearray) -> bool:
    """Best effort: keep `buf`'s pages in RAM (mlock), never in swap. True if locked.

    Never raises: False where mlock is missing or refused (RLIMIT_MEMLOCK, no privilege).
    Call `unlock_memory` with the same buffer after wiping it.
    """
    libc = _libc_any()
    if libc is None or not buf:
        return False
    try:
        mlock = libc.mlock
        mlock.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        mlock.restype = ctypes.c_int
        return bool(mlock(_address(buf), len(buf)) == 0)
    except (AttributeError, ValueError, TypeError, OSError):
        return False


def unlock_memory(buf: bytearray) -> None:
    """Undo `lock_in_memory` (munlock). Never raises."""
    libc = _libc_any()
    if libc is None or not buf:
        return
    with contextlib.suppress(AttributeError, ValueError, TypeError, OSError):
        munlock = libc.munlock
        munlock.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        munlock.restype = ctypes.c_int
        munlock(_address(buf), len(buf))
