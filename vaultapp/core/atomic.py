"""Write a file so that it appears under its final name only when complete.

The temporary file lives beside the target (same folder, so the final rename never
crosses devices), is created owner-only with O_EXCL before the first byte, is flushed
and fsynced, and is renamed into place last; every failure path, KeyboardInterrupt
included, removes it. An existing target (or a symlink planted there) is never replaced
unless `force` is given, and a symlink is never followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import threading
from pathlib import Path
from types import TracebackType

from .errors import OutputExistsError, VaultError

TEMP_PREFIX = ".vaultapp-"
TEMP_SUFFIX = ".tmp"


def describe_os_error(exc: OSError, path: Path, doing: str) -> VaultError:
    """Turn a kernel error into a message that says what happened and what to do."""
    hints = {
        errno.ENOSPC: "the disk is full; free some space and try again",
        errno.EDQUOT: "the disk quota is exceeded; free some space and try again",
        errno.EACCES: "permission denied; check the folder's permissions",
        errno.EPERM: "permission denied; check the folder's permissions",
        errno.EROFS: "the folder is on a read-only file system; choose another with -o",
        errno.ENOENT: "the file or folder does not exist",
        errno.EFBIG: "the file is too large for this file system or a size limit",
        errno.EISDIR: "it is a folder, not a file",
    }
    hint = hints.get(exc.errno or 0, exc.strerror or "input/output error")
    return VaultError(f"{doing} {path}: {hint}")


class AtomicFile:
    """A context manager that writes `target` atomically (see the module docstring)."""

    def __init__(self, target: Path, *, force: bool = False,
                 folder_sync: FolderSync | None = None) -> None:
        self.target = target
        self.force = force
        self.folder_sync = folder_sync
        self.fd = -1
        self.temp: Path | None = None

    def __enter__(self) -> AtomicFile:
        if not self.force and os.path.lexists(self.target):
            raise OutputExistsError(
                f"{self.target} already exists; use --force to replace it, or -o to write "
                "elsewhere"
            )
        folder = self.target.parent
        name = f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"
        self.temp = folder / name
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            self.fd = os.open(self.temp, flags, 0o600)
        except OSError as exc:
            self.temp = None
            raise describe_os_error(exc, self.target, "cannot write") from None
        return self

    def write(self, data: memoryview | bytes, /) -> int:
        """Write all of `data` (os.write may write less than asked)."""
        view = memoryview(data)
        total = len(view)
        try:
            while view:
                n = os.write(self.fd, view)
                view = view[n:]
        except OSError as exc:
            raise describe_os_error(exc, self.target, "cannot write") from None
        return total

    def set_mtime_ns(self, mtime_ns: int) -> None:
        os.utime(self.fd, ns=(mtime_ns, mtime_ns))

    def commit(self) -> None:
        """fsync and move into place; after this the target holds every byte written."""
        assert self.temp is not None
        try:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1
            if self.force:
                os.replace(self.temp, self.target)
            else:
                self._rename_no_replace()
            self.temp = None
            if self.folder_sync is None:
                _fsync_folder(self.target.parent)
            else:
                self.folder_sync.add(self.target.parent)
        except OSError as exc:
            raise describe_os_error(exc, self.target, "cannot write") from None

    def _rename_no_replace(self) -> None:
        assert self.temp is not None
        # link() fails if the target appeared meanwhile, unlike rename(): no clobbering.
        try:
            os.link(self.temp, self.target, follow_symlinks=False)
        except FileExistsError:
            raise OutputExistsError(
                f"{self.target} appeared while it was being written; nothing was replaced"
            ) from None
        except OSError:  # file systems without hard links
            if os.path.lexists(self.target):
                raise OutputExistsError(f"{self.target} already exists") from None
            os.rename(self.temp, self.target)
            return
        os.unlink(self.temp)

    def discard(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.temp)
            self.temp = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None or self.temp is not None:
            self.discard()


class FolderSync:
    """Folder fsyncs of a batch, done once per folder at the end instead of per file.

    Every file's data is still fsynced before its rename; only the rename itself (the
    folder entry) becomes durable when `flush()` runs, before the batch reports success.
    """

    def __init__(self) -> None:
        self._folders: set[Path] = set()
        self._lock = threading.Lock()

    def add(self, folder: Path) -> None:
        with self._lock:
            self._folders.add(folder)

    def flush(self) -> None:
        with self._lock:
            folders, self._folders = self._folders, set()
        for folder in sorted(folders):
            _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not possible on every platform (Windows); the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
