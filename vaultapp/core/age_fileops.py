"""age files on disk: share a file as FILE.age, open one back, with the same guarantees as
sealed files (fileops.py): the output appears under its final name only complete,
authenticated and durable; on any failure nothing is left and the input is untouched.

An age file carries no name: opening `report.pdf.age` writes `report.pdf`; a file that
is an age file by its content but not by its name (`message.bin`) opens as
`message.bin.opened`, so that the input is never the output.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from . import age
from .atomic import AtomicFile, CommitQueue, FolderSync, describe_os_error
from .errors import VaultError
from .fileops import (
    FileResult,
    _finish,
    _is_dir,
    _open_input,
    _open_input_stat,
    _target,
    safe_name,
)
from .stream import Cancel, Progress, Sink

AGE_SUFFIX = ".age"
OPENED_SUFFIX = ".opened"


def is_age_file(path: Path | str) -> bool:
    """Whether the file starts as an age file (binary or armored)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        return age.is_age(os.read(fd, age.SNIFF_SIZE))
    finally:
        os.close(fd)


def share_output_path(source: Path, output: Path | None) -> Path:
    return _target(output, source.parent, source.name + AGE_SUFFIX)


def opened_output_path(source: Path, output: Path | None) -> Path:
    """Where opening an age file writes: OUT if it is a file path, else the name without
    `.age` (or with `.opened`) beside it or in the `output` folder."""
    if output is not None and not _is_dir(output):
        return output
    name = source.name
    stem = name[:-len(AGE_SUFFIX)] if name.lower().endswith(AGE_SUFFIX) and \
        len(name) > len(AGE_SUFFIX) else name + OPENED_SUFFIX
    return (output or source.parent) / safe_name(stem)


def share_file(source: Path, recipients: Sequence[age.Recipient], *, armor: bool = False,
               output: Path | None = None, force: bool = False,
               progress: Progress | None = None, cancel: Cancel | None = None,
               folder_sync: FolderSync | None = None,
               commits: CommitQueue | None = None) -> FileResult:
    """Encrypt `source` to `source.age` (or `output`) for `recipients`."""
    target = share_output_path(source, output)
    src, before = _open_input_stat(source)
    with src:
        folders = commits.folders if commits is not None else folder_sync
        with AtomicFile(target, force=force, folder_sync=folders) as out:
            try:
                size = age.encrypt(src, out, recipients, armor=armor, progress=progress,
                                   cancel=cancel)
            except OSError as exc:
                raise describe_os_error(exc, source, "cannot read") from None
            after = os.fstat(src.fileno())
            if size != before.st_size or (after.st_mtime_ns, after.st_size) != (
                    before.st_mtime_ns, before.st_size):
                raise VaultError(f"{source} changed while it was being encrypted; nothing "
                                 "was written. Try again once it is no longer being written to")
            pending = _finish(out, commits)
    return FileResult(source, target, size, None, pending)


def open_age_file(source: Path, identities: age.Identities, *,
                  output: Path | None = None, force: bool = False,
                  progress: Progress | None = None, cancel: Cancel | None = None,
                  folder_sync: FolderSync | None = None,
                  commits: CommitQueue | None = None) -> FileResult:
    """Decrypt the age file `source` with the first of `identities` that opens it
    (a function returning them is asked once the output exists: age.Identities)."""
    target = opened_output_path(source, output)
    with _open_input(source) as src:
        folders = commits.folders if commits is not None else folder_sync
        with AtomicFile(target, force=force, folder_sync=folders) as out:
            try:
                facts = age.decrypt(src, out, identities, progress=progress, cancel=cancel)
            except OSError as exc:
                raise describe_os_error(exc, source, "cannot read") from None
            pending = _finish(out, commits)
    return FileResult(source, target, facts.plaintext_size or 0, None, pending)


def open_age_to_stream(source: Path, identities: Sequence[age.Identity], dst: Sink) \
        -> FileResult:
    """Decrypt into an open stream (`-o -`): chunks go out as they authenticate."""
    with _open_input(source) as src:
        facts = age.decrypt(src, dst, identities)
    return FileResult(source, None, facts.plaintext_size or 0)


def share_to_stream(source: Path, recipients: Sequence[age.Recipient], dst: Sink, *,
                    armor: bool = False) -> FileResult:
    src, _ = _open_input_stat(source)
    with src:
        size = age.encrypt(src, dst, recipients, armor=armor)
    return FileResult(source, None, size)


def header_facts(source: Path) -> age.AgeFacts:
    """The stanza types of an age file (for `inspect` and for asking a passphrase)."""
    with _open_input(source) as src:
        return age.read_header(src)
