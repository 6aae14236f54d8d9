"""What a run is given: the files under the paths a person dropped or named.

Folders are walked recursively with links not followed, and only regular files are
taken: FIFOs, sockets and devices are skipped, because opening a FIFO would wait for a
writer forever and a device has no end. Our own temporary files (`.vaultapp-*.tmp`, left
by a crash on a platform without anonymous files) are never inputs.

Both front ends call this on a worker (the window) or before the run (the command line):
it touches the disk for every entry.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from vaultapp.core import format as fmt
from vaultapp.core.atomic import TEMP_PREFIX

SMALL_FILE_LIMIT = 8 << 20
"""Files of at most this many bytes are "small": a run of several of them seals or opens
file after file on one thread while a CommitQueue makes the finished outputs durable
(their cost is mostly fsync latency, which overlaps). A larger file already keeps both
cores busy on its own and goes alone, with progress in bytes. The window also uses it to
decide which files of a drop go into its one batch row."""

COMMIT_THREADS = 8
"""Threads of a run's CommitQueue: the fsyncs of this many finished outputs overlap
while the next file is sealed (benchmarks/README.md measured 8 as the knee)."""


def expand_paths(paths: Iterable[Path],
                 is_cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Files as given, and every regular file under the given folders, in a stable order
    (each folder sorted). `is_cancelled` is asked after each folder, so that a huge tree
    can be abandoned."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            for folder, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    f = Path(folder) / name
                    if _is_regular(f) and not name.startswith(TEMP_PREFIX):
                        out.append(f)
                if is_cancelled is not None and is_cancelled():
                    break
        elif p.is_file():
            out.append(p)
    return out


def split_small(files: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(small, large): the files of at most SMALL_FILE_LIMIT bytes and the rest, each in
    their order. A file that cannot be stat'ed counts as small: the run then says why it
    could not be read."""
    small: list[Path] = []
    large: list[Path] = []
    for f in files:
        (small if file_size(f) <= SMALL_FILE_LIMIT else large).append(f)
    return small, large


def file_size(path: Path | str) -> int:
    """The size in bytes, or 0 when it cannot be stat'ed (the operation reports why)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def sniff(path: Path | str) -> tuple[bool, int]:
    """(whether the file starts with the sealed-file magic, its size), with one bare
    descriptor: a run asks this of thousands of files, and open() costs several times
    more. Raises OSError when the file cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        return os.read(fd, len(fmt.MAGIC)) == fmt.MAGIC, size
    finally:
        os.close(fd)


def is_sealed_file(path: Path | str) -> bool:
    """Whether the file starts with the sealed-file magic (see sniff)."""
    return sniff(path)[0]


def _is_regular(path: Path) -> bool:
    """A regular file itself, not a link to one (one lstat, as is_symlink() costs)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:  # gone meanwhile
        return False
