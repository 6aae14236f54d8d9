"""Process hygiene while key material is in memory.

While a keybox is unlocked, a crash must not write the process's memory (and so the
root key) to a core file: core dumps are switched off (RLIMIT_CORE = 0) and, on Linux,
the process is marked non-dumpable, which also keeps other processes of the same user
without ptrace rights from reading its memory through /proc.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys

_PR_SET_DUMPABLE = 4
_PR_GET_DUMPABLE = 3


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def disable_core_dumps() -> None:
    """Best effort: no core files, and non-dumpable on Linux. Never raises."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)


def is_dumpable() -> bool | None:
    """Whether the process may dump core (None where the platform cannot say)."""
    libc = _libc()
    if libc is None:
        return None
    return bool(libc.prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0))
