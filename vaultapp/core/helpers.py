"""Starting this program again as a helper process, to put a second core to work.

A long run of small files is bound by its per-file Python work (paths, headers, key
derivation, about 0.4 ms a file), which holds the GIL, so a second thread does not make it
faster; a second process does (jobs/helper.py seals part of the run). It is this program
started fresh with one flag as its only argument (vaultapp/__main__.py), never forked, so
that the window's threads are no concern, and it is killed with its parent
(hygiene.die_with_parent). A large age payload needs no process: its AEAD releases the GIL,
so two threads share it (age/spans.py, which asks `spare_core` too).
"""

from __future__ import annotations

import os
import sys


def spare_core() -> bool:
    """Whether a second core would run beside this thread rather than take turns with it:
    two cores or more for this process, on POSIX (the seal helper reads its pipe with
    select; age spans use pread and pwrite)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores >= 2 and os.name == "posix"


def command(flag: str) -> list[str]:
    """How to start this program as the helper `flag` names: the bundle's executable, or
    this Python with the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, flag]
    return [sys.executable, "-m", "vaultapp", flag]
