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
from typing import NamedTuple

from vaultapp.core import format as fmt
from vaultapp.core.atomic import TEMP_PREFIX

SMALL_FILE_LIMIT = 8 << 20
"""Files of at most this many bytes are "small": a run of several of them seals or opens
file after file on one thread while a CommitQueue makes the finished outputs durable a
group at a time (one sync for many files, instead of one fsync each). A larger file
already keeps both cores busy on its own and goes alone, with progress in bytes. The
window also uses it to decide which files of a drop go into its one batch row."""

COMMIT_THREADS = 8
"""Threads a run's CommitQueue spreads fdatasyncs over where it has no syncfs (and when a
group's syncfs reports an error): the fsyncs of this many outputs overlap (benchmarks/
README.md measured 8 as the knee when each file had its own fsync)."""


class Skipped(NamedTuple):
    """A given path that yields no file, and why (each front end shows it as a row/line):
    `why` is one of the codes below (the window words it), `reason` the English words."""

    path: str
    why: str
    reason: str


MISSING, UNREADABLE, EMPTY_FOLDER, FOLDER_UNREADABLE = (
    "missing", "unreadable", "empty-folder", "folder-unreadable")
LINK_TO_FOLDER, DANGLING_LINK, LINK_TO_SPECIAL, NOT_REGULAR = (
    "link-to-folder", "dangling-link", "link-to-special", "not-regular")
_REASONS = {
    MISSING: "it does not exist",
    UNREADABLE: "it cannot be read",
    EMPTY_FOLDER: "the folder has no files",
    FOLDER_UNREADABLE: "the folder cannot be read (permission denied)",
    LINK_TO_FOLDER: "it is a link to a folder; links are not followed (drop the folder "
                    "itself)",
    DANGLING_LINK: "it is a link to nothing",
    LINK_TO_SPECIAL: "it is a link to something that is not a regular file",
    NOT_REGULAR: "it is not a regular file (a FIFO, socket or device)",
}


def expand_paths(paths: Iterable[Path], is_cancelled: Callable[[], bool] | None = None,
                 skipped: list[Skipped] | None = None) -> list[Path]:
    """Files as given, and every regular file under the given folders, in a stable order
    (each folder sorted). `is_cancelled` is asked after each folder, so that a huge tree
    can be abandoned. A given path that yields nothing is appended to `skipped` with the
    reason: it does not exist, it is a link to a folder or to nothing (links to folders are
    not followed, as inside folders; a link to a file is taken, as cp and age take it), it
    is a folder with no file, or not a regular file (FIFO, device, socket)."""
    out: list[Path] = []
    for p in paths:
        try:
            info = os.lstat(p)
        except OSError as exc:
            _skip(skipped, p, MISSING if isinstance(exc, FileNotFoundError) else UNREADABLE)
            continue
        if stat.S_ISDIR(info.st_mode):
            before = len(out)
            _files_under(p, out, is_cancelled)
            if len(out) == before:
                _skip(skipped, p, EMPTY_FOLDER if os.access(p, os.R_OK | os.X_OK)
                      else FOLDER_UNREADABLE)
        elif stat.S_ISREG(info.st_mode):
            out.append(p)
        elif stat.S_ISLNK(info.st_mode):
            try:
                target = os.stat(p)
            except OSError:
                _skip(skipped, p, DANGLING_LINK)
                continue
            if stat.S_ISREG(target.st_mode):
                out.append(p)
            else:
                _skip(skipped, p, LINK_TO_FOLDER if stat.S_ISDIR(target.st_mode)
                      else LINK_TO_SPECIAL)
        else:
            _skip(skipped, p, NOT_REGULAR)
    return out


def _files_under(top: Path, out: list[Path], is_cancelled: Callable[[], bool] | None) -> None:
    """Append the regular files under `top`, as os.walk visits them (each folder's files
    by name, then its subfolders by name, links not followed; a folder that cannot be
    read is passed over). The entries' types come with the listing (scandir), so a
    file costs no lstat of its own."""
    folders = [os.fspath(top)]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        below = []
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False):
                    if not entry.name.startswith(TEMP_PREFIX):
                        out.append(Path(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    below.append(entry.path)
            except OSError:  # gone meanwhile
                continue
        folders.extend(reversed(below))
        if is_cancelled is not None and is_cancelled():
            return


def _skip(skipped: list[Skipped] | None, path: Path, why: str) -> None:
    if skipped is not None:
        skipped.append(Skipped(os.fspath(path), why, _REASONS[why]))


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


AGE_MAGIC = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
OPENED_SUFFIXES = (".vault", ".age")
"""Names that say "encrypted": such a file is opened (and refused when damaged), never
sealed again, whatever its first bytes are."""


def sniff(path: Path | str) -> tuple[bool, int]:
    """(whether the file is to be opened, its size), with one bare descriptor: a run asks
    this of thousands of files, and open() costs several times more. A file is opened
    when its name ends in .vault or .age, or it starts as a sealed file or an age file
    (binary or armored) does: name and content together, so that a damaged or renamed
    encrypted file is refused with the reason instead of being sealed again. Raises
    OSError when the file cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        head = os.read(fd, len(AGE_ARMOR))
    finally:
        os.close(fd)
    named = os.fspath(path).lower().endswith(OPENED_SUFFIXES)
    return named or head.startswith((fmt.MAGIC, AGE_MAGIC, AGE_ARMOR)), size


def is_sealed_file(path: Path | str) -> bool:
    """Whether the file is to be opened rather than sealed (see sniff)."""
    return sniff(path)[0]
