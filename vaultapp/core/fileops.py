"""Seal, open, verify and rewrap files on disk, safely.

Outputs go through `AtomicFile` (temporary file beside the target, renamed when complete
and authenticated); the input is only ever opened for reading, except by `rewrap_file`,
which rewrites the header in place with one write of the same size.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import envelope
from . import format as fmt
from .atomic import AtomicFile, CommitQueue, FolderSync, describe_os_error
from .envelope import KeyResolver, Recipient
from .errors import FileIntegrityError, Hint, UsageError, VaultError
from .format import Header, Metadata, Stanza
from .stream import Cancel, Progress, Sink

SEALED_SUFFIX = ".vault"

_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$")


class UnsafeNameError(FileIntegrityError):
    """A sealed file stores a name that could land outside the chosen folder."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"the sealed file stores an unsafe file name ({name!r}); nothing was written",
            hint=Hint.NAME_OUTPUT)


def safe_name(name: str) -> str:
    """Return `name` if it is a plain file name on every platform, else raise.

    Rejects path separators, names starting with '.' (so '.', '..' and hidden files such
    as '.bashrc' or '.ssh'), NUL and control characters, Windows device names and
    characters Windows forbids, so a stored name can only ever name a visible file
    directly inside the chosen output folder. The rules are the table in docs/FORMAT.md,
    section 5; the name is checked as stored, with no Unicode normalisation.
    """
    if (
        not name
        or name.startswith(".")
        or len(name.encode("utf-8")) > fmt.MAX_NAME_BYTES
        or any(c in '/\\:*?"<>|' for c in name)
        or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)
        or name[-1] in ". "
        or _WINDOWS_DEVICES.match(name.split(".")[0].rstrip(" ").lower())
    ):
        raise UnsafeNameError(name)
    return name


@dataclass(frozen=True)
class FileResult:
    """What one file operation did: where it read and wrote, and how much."""

    source: Path
    output: Path | None
    size: int
    key_id: bytes | None = None
    pending: Future[None] | None = None
    """With a CommitQueue: resolves once the output is durable under its name (or
    raises why it could not be put there)."""

    def wait(self) -> FileResult:
        """Wait until the output is in place; raise VaultError if it could not be."""
        if self.pending is not None:
            self.pending.result()
        return self


def _open_input(path: Path) -> BinaryIO:
    return _open_input_stat(path)[0]


def _open_input_stat(path: Path) -> tuple[BinaryIO, os.stat_result]:
    try:
        f = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise describe_os_error(exc, path, "cannot read") from None
    st = os.fstat(f.fileno())
    if not stat.S_ISREG(st.st_mode):
        f.close()
        raise VaultError(f"cannot read {path}: not a regular file")
    return f, st


def _finish(out: AtomicFile, commits: CommitQueue | None) -> Future[None] | None:
    if commits is None:
        out.commit()
        return None
    return out.commit_in(commits)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError as exc:
        raise describe_os_error(exc, path, "cannot write to") from None


def _target(output: Path | None, folder: Path, name: str) -> Path:
    """-o semantics: an existing folder receives the output; otherwise OUT is the path."""
    if output is None:
        return folder / name
    if _is_dir(output):
        return output / name
    return output


def seal_output_path(source: Path, output: Path | None) -> Path:
    return _target(output, source.parent, source.name + SEALED_SUFFIX)


def seal_file(
    source: Path,
    recipients: Sequence[Recipient],
    *,
    output: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    chunk_size_log2: int = fmt.DEFAULT_CHUNK_LOG2,
    folder_sync: FolderSync | None = None,
    commits: CommitQueue | None = None,
    target: Path | None = None,
) -> FileResult:
    """Seal `source` to `source.vault` (or `output`); the original name travels inside.

    With `commits`, the output is made durable and put in place by that queue (with its
    group): wait for `result.pending` (or call `result.wait()`) before reporting success.
    `target`: the output's path exactly, as a run planned it (`seal_output_path`) and
    found no file there: it is neither worked out nor looked up again (AtomicFile's
    `free`; the final link still never replaces a file that appeared meanwhile).
    """
    free = target is not None
    if target is None:
        target = seal_output_path(source, output)
    src, before = _open_input_stat(source)
    with src:
        meta = Metadata(source.name, before.st_size, before.st_mtime_ns)
        try:
            name_bytes = source.name.encode("utf-8")
        except UnicodeEncodeError:  # a POSIX name that is not UTF-8 (surrogate escapes)
            raise UsageError(f"the file name of {source} is not valid UTF-8, and a sealed "
                             "file stores its name as UTF-8; rename it to seal it") from None
        if len(name_bytes) > fmt.MAX_NAME_BYTES:
            raise UsageError(f"the file name of {source} is longer than 255 bytes")
        folders = commits.folders if commits is not None else folder_sync
        with AtomicFile(target, force=force, folder_sync=folders, free=free) as out:
            try:
                result = envelope.seal(
                    src, out, recipients, meta, chunk_size_log2=chunk_size_log2,
                    progress=progress, cancel=cancel,
                )
            except OSError as exc:
                raise describe_os_error(exc, source, "cannot read") from None
            after = os.fstat(src.fileno())
            if after.st_nlink == 0:
                raise VaultError(
                    f"{source} was deleted while it was being sealed; nothing was written"
                )
            if result.plaintext_size != meta.size or (after.st_mtime_ns, after.st_size) != (
                before.st_mtime_ns,
                before.st_size,
            ):
                raise VaultError(
                    f"{source} changed while it was being sealed; nothing was written. "
                    "Seal it again once it is no longer being written to"
                )
            pending = _finish(out, commits)
    return FileResult(source, target, meta.size, recipients[0].key_id, pending)


def open_output_path(source: Path, output: Path | None, meta: Metadata) -> Path:
    """Where opening writes: OUT if it is a file path, else the stored name in the folder."""
    if output is not None and not _is_dir(output):
        return output
    return (output or source.parent) / safe_name(meta.name)


def read_metadata(source: Path, resolver: KeyResolver) -> Metadata:
    """Authenticate the header and metadata of `source` (no payload is read)."""
    with _open_input(source) as src:
        return envelope.open_envelope(src, resolver).metadata


def open_file(
    source: Path,
    resolver: KeyResolver,
    *,
    output: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    folder_sync: FolderSync | None = None,
    commits: CommitQueue | None = None,
) -> FileResult:
    """Open `source`, restoring the original name (beside it, or in the `output` folder).

    The output appears only after every chunk authenticated; on any failure nothing is
    left behind and the input is untouched. `commits`: as for seal_file.
    """
    with _open_input(source) as src:
        opening = envelope.open_envelope(src, resolver)
        meta = opening.metadata
        target = open_output_path(source, output, meta)
        folders = commits.folders if commits is not None else folder_sync
        with AtomicFile(target, force=force, folder_sync=folders) as out:
            try:
                opening.decrypt_to(out, progress, cancel)
            except OSError as exc:
                raise describe_os_error(exc, source, "cannot read") from None
            out.set_mtime_ns(meta.mtime_ns)
            pending = _finish(out, commits)
    return FileResult(source, target, meta.size, opening.stanza.key_id, pending)


def verify_file(
    source: Path,
    resolver: KeyResolver,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> FileResult:
    """Authenticate every byte of `source`; write nothing."""
    with _open_input(source) as src:
        opening = envelope.verify(src, resolver, progress, cancel)
    return FileResult(source, None, opening.metadata.size, opening.stanza.key_id)


def inspect_file(source: Path) -> Header:
    """Read the header of `source` without any key."""
    with _open_input(source) as src:
        return envelope.read_header(src)


def rewrap_file(
    source: Path,
    resolver: KeyResolver,
    replacement: Callable[[Stanza], Recipient | None],
) -> tuple[Header, Header]:
    """Rewrap the header of `source` in place; return (old header, new header).

    The new header has the same size as the old one and is written with a single
    pwrite at offset 0 followed by fsync. A header is at most a few KiB and one stanza
    makes 156 bytes, inside one disk sector and one page: a process killed at any
    instant leaves the old or the new header, never a mix, and the payload is never
    touched, so the cost does not depend on the file size.
    """
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(source, flags)
    except OSError as exc:
        raise describe_os_error(exc, source, "cannot rewrap") from None
    try:
        with open(fd, "rb", buffering=0, closefd=False) as f:
            old = envelope.read_header(f)
        new = envelope.rewrap_header(old, resolver, replacement)
        if new.to_bytes() == old.to_bytes():
            return old, new
        data = new.to_bytes()
        assert len(data) == old.size
        if os.pwrite(fd, data, 0) != len(data):
            raise VaultError(f"cannot rewrap {source}: short write")
        os.fsync(fd)
    except OSError as exc:
        raise describe_os_error(exc, source, "cannot rewrap") from None
    finally:
        os.close(fd)
    return old, new


def seal_to_stream(source: Path, recipients: Sequence[Recipient], dst: Sink) -> FileResult:
    """Seal `source` into an already open stream (`-o -`: standard output). Nothing is
    named, so nothing can be left under a final name; a failure part-way leaves the
    stream incomplete, and the caller says so."""
    src, before = _open_input_stat(source)
    with src:
        meta = Metadata(source.name, before.st_size, before.st_mtime_ns)
        try:
            result = envelope.seal(src, dst, recipients, meta)
        except OSError as exc:
            raise describe_os_error(exc, source, "cannot read") from None
    return FileResult(source, None, result.plaintext_size, recipients[0].key_id)


def open_to_stream(source: Path, resolver: KeyResolver, dst: Sink) -> FileResult:
    """Open `source` into an already open stream (`-o -`), as age does: each chunk is
    written only after it authenticated, and a failure part-way raises after the chunks
    before it were written (the caller tells the person to discard the output)."""
    with _open_input(source) as src:
        opening = envelope.open_envelope(src, resolver)
        try:
            opening.decrypt_to(dst)
        except OSError as exc:
            raise describe_os_error(exc, source, "cannot read") from None
    return FileResult(source, None, opening.metadata.size, opening.stanza.key_id)
