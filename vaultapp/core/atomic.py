"""Write a file so that it appears under its final name only when complete.

On Linux the bytes go into an anonymous file (O_TMPFILE) in the target's folder: it has
no name until it is fsynced and linked to the final name, so a crash, even `kill -9`,
leaves nothing behind, and linking it costs one folder change instead of three
(create, link, unlink). Elsewhere, and on file systems without O_TMPFILE, the temporary
file is named `.vaultapp-<16 hex>.tmp`, lives beside the target (same folder, so the
final rename never crosses devices), is created owner-only with O_EXCL before the first
byte, and is removed on every failure path, KeyboardInterrupt included. Either way the
file is fsynced before it gets its final name. An existing target (or a symlink planted
there) is never replaced unless `force` is given, and a symlink is never followed.

The output folder is opened once (O_DIRECTORY | O_NOFOLLOW, where the platform has
descriptor-relative calls) and the temporary file, the final link and the folder fsync
all go through that descriptor: renaming a parent folder while a file is written cannot
redirect the output anywhere else on the file system.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import cast

from .errors import Hint, OutputExistsError, VaultError

TEMP_PREFIX = ".vaultapp-"
TEMP_SUFFIX = ".tmp"
WRITEBACK_STEP = 8 << 20
"""After every this many bytes, ask the kernel (Linux) to start writing them to disk, so
that the disk works while the next bytes are encrypted and the final fsync has little
left to do."""

_O_TMPFILE = getattr(os, "O_TMPFILE", 0) if os.path.isdir("/proc/self/fd") else 0
# (os.replace takes dir_fd wherever os.rename does, but is not listed in supports_dir_fd)
_DIR_FD = all(f in os.supports_dir_fd for f in (os.open, os.link, os.rename, os.stat,
                                                 os.unlink)) and hasattr(os, "O_DIRECTORY")
_SYNC_FILE_RANGE_WRITE = 2  # <linux/fs.h>: start writeback, do not wait
_NO_TMPFILE = (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT)
_FLAGS = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def describe_os_error(exc: OSError, path: Path, doing: str) -> VaultError:
    """Turn a kernel error into a message that says what happened and what to do."""
    hints = {
        errno.ENOSPC: "the disk is full; free some space and try again",
        errno.EDQUOT: "the disk quota is exceeded; free some space and try again",
        errno.EACCES: "permission denied; check the folder's permissions",
        errno.EPERM: "permission denied; check the folder's permissions",
        errno.EROFS: "the folder is on a read-only file system",
        errno.ENOENT: "the file or folder does not exist",
        errno.EFBIG: "the file is too large for this file system or a size limit",
        errno.EISDIR: "it is a folder, not a file",
    }
    hint = hints.get(exc.errno or 0, exc.strerror or "input/output error")
    remedy = Hint.OTHER_FOLDER if exc.errno == errno.EROFS else Hint.NONE
    return VaultError(f"{doing} {path}: {hint}", hint=remedy, path=path)


class AtomicFile:
    """A context manager that writes `target` atomically (see the module docstring)."""

    def __init__(self, target: Path, *, force: bool = False,
                 folder_sync: FolderSync | None = None, named: bool = False) -> None:
        """`named`: always use a named temporary file (`temp`), for writers that need a
        path rather than a descriptor (SQLite's backup)."""
        self.target = target
        self.named = named
        self.force = force
        self.folder_sync = folder_sync
        self.fd = -1
        self.dir_fd = -1  # the output folder, opened once (where the platform allows)
        self.temp: Path | None = None  # the named temporary file, when there is one
        self._written = 0
        self._flushed = 0
        self._handed_off = False

    def __enter__(self) -> AtomicFile:
        try:
            self._open_folder()
            if not self.force and self._exists(self.target.name):
                raise OutputExistsError(self.target)
            if _O_TMPFILE and not self.named:
                try:
                    self.fd = self._open(".", os.O_WRONLY | _O_TMPFILE | _FLAGS)
                    return self
                except OSError as exc:
                    if exc.errno not in _NO_TMPFILE or not self.target.parent.is_dir():
                        raise
            temp = self._temp_name()
            self.fd = self._open(temp.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS
                                 | getattr(os, "O_NOFOLLOW", 0))
            self.temp = temp
        except OSError as exc:
            self._close_folder()
            raise describe_os_error(exc, self.target, "cannot write") from None
        except BaseException:
            self._close_folder()
            raise
        return self

    # --- the folder, through its descriptor -------------------------------------------

    def _open_folder(self) -> None:
        if not _DIR_FD:
            return
        flags = os.O_RDONLY | os.O_DIRECTORY | _FLAGS
        try:
            self.dir_fd = os.open(self.target.parent, flags | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            # The folder given is itself a symlink: followed once, here, and never again.
            self.dir_fd = os.open(os.path.realpath(self.target.parent), flags)

    def _close_folder(self) -> None:
        if self.dir_fd >= 0:
            os.close(self.dir_fd)
            self.dir_fd = -1

    def _at(self, name: str) -> str | Path:
        """`name` as the calls below take it: relative to dir_fd, else a full path."""
        return name if self.dir_fd >= 0 else self.target.parent / name

    def _dir(self) -> int | None:
        return self.dir_fd if self.dir_fd >= 0 else None

    def _open(self, name: str, flags: int) -> int:
        return os.open(self._at(name), flags, 0o600, dir_fd=self._dir())

    def _exists(self, name: str) -> bool:
        try:
            os.stat(self._at(name), dir_fd=self._dir(), follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True

    def _link(self, source: str, name: str) -> None:
        os.link(self._at(source), self._at(name), src_dir_fd=self._dir(),
                dst_dir_fd=self._dir(), follow_symlinks=False)

    def _unlink(self, name: str) -> None:
        os.unlink(self._at(name), dir_fd=self._dir())

    def _temp_name(self) -> Path:
        return self.target.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"

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
        self._written += total
        if self._written - self._flushed >= WRITEBACK_STEP:
            self._start_writeback()
        return total

    def _start_writeback(self) -> None:
        start, self._flushed = self._flushed, self._written
        call = _sync_file_range()
        if call is not None:  # only a hint: fsync in commit() is what makes it durable
            call(self.fd, start, self._written - start, _SYNC_FILE_RANGE_WRITE)

    def set_mtime_ns(self, mtime_ns: int) -> None:
        os.utime(self.fd, ns=(mtime_ns, mtime_ns))

    def commit(self) -> None:
        """fsync and move into place; after this the target holds every byte written."""
        assert self.fd >= 0
        try:
            os.fsync(self.fd)
            if self.temp is None:
                self._link_anonymous()
            os.close(self.fd)
            self.fd = -1
            if self.temp is not None:
                if self.force:
                    os.replace(self._at(self.temp.name), self._at(self.target.name),
                               src_dir_fd=self._dir(), dst_dir_fd=self._dir())
                else:
                    self._rename_no_replace(self.temp)
                self.temp = None
            if self.folder_sync is not None:
                self.folder_sync.add(self.target.parent, self.dir_fd)
            elif self.dir_fd >= 0:
                _fsync_descriptor(self.dir_fd)
            else:
                _fsync_folder(self.target.parent)
        except OSError as exc:
            raise describe_os_error(exc, self.target, "cannot write") from None
        finally:
            self._close_folder()

    def commit_in(self, queue: CommitQueue) -> Future[None]:
        """Like commit(), but done by `queue` on one of its threads; the future says how
        it went. The file belongs to the queue from now on."""
        self._handed_off = True
        return queue.submit(self)

    def _link_anonymous(self) -> None:
        """Give the fsynced O_TMPFILE file its final name (linkat never replaces)."""
        if self.force:
            # Linked under a temporary name first, then renamed over the old target.
            temp = self._temp_name()
            _link_descriptor(self.fd, self._at(temp.name), self._dir())
            self.temp = temp
            return
        try:
            _link_descriptor(self.fd, self._at(self.target.name), self._dir())
        except FileExistsError:
            raise OutputExistsError(self.target, appeared=True) from None

    def _rename_no_replace(self, temp: Path) -> None:
        # link() fails if the target appeared meanwhile, unlike rename(): no clobbering.
        try:
            self._link(temp.name, self.target.name)
        except FileExistsError:
            raise OutputExistsError(self.target, appeared=True) from None
        except OSError:  # file systems without hard links
            if self._exists(self.target.name):
                raise OutputExistsError(self.target) from None
            os.rename(self._at(temp.name), self._at(self.target.name),
                      src_dir_fd=self._dir(), dst_dir_fd=self._dir())
            return
        self._unlink(temp.name)

    def discard(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # an anonymous file vanishes with its last descriptor
            self.fd = -1
        if self.temp is not None:
            with contextlib.suppress(FileNotFoundError):
                self._unlink(self.temp.name)
            self.temp = None
        self._close_folder()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._handed_off:
            return
        if exc_type is not None or self.fd >= 0 or self.temp is not None:
            self.discard()


class CommitQueue:
    """Finishes AtomicFiles on a few threads: fsync, then link into place.

    Sealing thousands of small files is mostly waiting for fsync. With this, one thread
    encrypts file after file while earlier files reach the disk several at a time (the
    kernel commits their data together). Measured on the reference VM (benchmarks/
    README.md), that costs a third less CPU per file than running whole seals on eight
    threads, which spend it passing the GIL back and forth. At most `max_pending` files
    wait at once (each holds a descriptor); folder fsyncs are batched in `folders`.
    """

    def __init__(self, threads: int = 8, max_pending: int = 64) -> None:
        self.folders = FolderSync()
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="vaultapp-commit")
        self._slots = threading.BoundedSemaphore(max_pending)

    def submit(self, f: AtomicFile) -> Future[None]:
        self._slots.acquire()
        try:
            future = self._pool.submit(self._finish, f)
        except BaseException:
            self._slots.release()
            f.discard()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future

    @staticmethod
    def _finish(f: AtomicFile) -> None:
        try:
            f.commit()
        except BaseException:
            f.discard()
            raise

    def close(self) -> None:
        """Wait for every file handed over, then make their folder entries durable."""
        self._pool.shutdown(wait=True)
        self.folders.flush()

    def __enter__(self) -> CommitQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FolderSync:
    """Folder fsyncs of a batch, done once per folder at the end instead of per file.

    Every file's data is still fsynced before its rename; only the rename itself (the
    folder entry) becomes durable when `flush()` runs, before the batch reports success.
    Folders are kept by a descriptor of their own (the one the file was linked through,
    duplicated), so a renamed parent changes nothing here either.
    """

    def __init__(self) -> None:
        self._folders: dict[object, int | Path] = {}
        self._lock = threading.Lock()

    def add(self, folder: Path, dir_fd: int = -1) -> None:
        if dir_fd >= 0:
            info = os.fstat(dir_fd)
            key: object = (info.st_dev, info.st_ino)
        else:
            key = folder
        with self._lock:
            if key not in self._folders:
                self._folders[key] = os.dup(dir_fd) if dir_fd >= 0 else folder

    def flush(self) -> None:
        with self._lock:
            folders, self._folders = self._folders, {}
        for folder in folders.values():
            if isinstance(folder, int):
                try:
                    _fsync_descriptor(folder)
                finally:
                    os.close(folder)
            else:
                _fsync_folder(folder)


def _link_descriptor(fd: int, target: str | Path, dir_fd: int | None = None) -> None:
    """linkat(/proc/self/fd/FD, target, AT_SYMLINK_FOLLOW): name an O_TMPFILE file.

    os.link calls plain link() (which does not follow the /proc symlink and fails with
    EXDEV) unless a dir_fd is given; an absolute source path ignores its dir_fd, so
    passing one only selects linkat with AT_SYMLINK_FOLLOW.
    """
    os.link(f"/proc/self/fd/{fd}", target, src_dir_fd=fd, dst_dir_fd=dir_fd,
            follow_symlinks=True)


@functools.cache
def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    """libc's sync_file_range (Linux; the os module lacks it), or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        func = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    func.restype = ctypes.c_int
    return cast(Callable[[int, int, int, int], int], func)


def _fsync_descriptor(fd: int) -> None:
    with contextlib.suppress(OSError):  # some file systems refuse a folder's fsync
        os.fsync(fd)


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
