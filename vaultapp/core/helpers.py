"""Starting this program again as a helper process, to put a second core to work.

A long run of small files is bound by its per-file Python work (paths, headers, key
derivation: about 0.4 ms a file), which holds the GIL, so a second thread does not make it
faster; a second process does. For a large age payload a thread was measured too and was
slower on disk (age/spans.py says by how much). Two kinds of helper exist: one seals
part of a long run of small files (jobs/helper.py), one does part of a large age file's
payload (age/spans.py). Each is this program started fresh with one flag as its only
argument (vaultapp/__main__.py), never forked, so that the window's threads are no
concern, and each is killed with its parent (hygiene.die_with_parent).
"""

from __future__ import annotations

import os
import sys


def spare_core() -> bool:
    """Whether a helper would run beside this process rather than take turns with it: two
    cores or more for this process, on POSIX (the seal helper reads its pipe with select,
    the age helper inherits descriptors)."""
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
