"""Write a file so that it appears under its final name only when complete.

On Linux the bytes go into an anonymous file (O_TMPFILE) in the target's folder: it has
no name until its data is durable and it is linked to the final name, so a crash, even
`kill -9`, leaves nothing behind, and linking it costs one folder change instead of three
(create, link, unlink). Elsewhere, and on file systems without O_TMPFILE, the temporary
file is named `.vaultapp-<16 hex>.tmp`, lives beside the target (same folder, so the
final rename never crosses devices), is created owner-only with O_EXCL before the first
byte, and is removed on every failure path, KeyboardInterrupt included. Either way the
file's data is durable before it gets its final name. An existing target (or a symlink
planted there) is never replaced unless `force` is given, and a symlink is never followed.

The output folder is opened once (O_DIRECTORY | O_NOFOLLOW, where the platform has
descriptor-relative calls) and the temporary file, the final link and the folder fsync
all go through that descriptor: renaming a parent folder while a file is written cannot
redirect the output anywhere else on the file system. In a batch (`FolderSync`, which a
`CommitQueue` has) each folder is opened once for the whole batch.

One file: `AtomicFile.commit()` fsyncs, links, fsyncs the folder. Many small files:
`AtomicFile.commit_in(queue)` hands the finished file to a `CommitQueue`, which makes
whole groups of them durable together (see there): one sync for the group, then every
link, then one fsync per folder.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import cast

from .errors import CancelledError, Hint, OutputExistsError, VaultError

TEMP_PREFIX = ".vaultapp-"
TEMP_SUFFIX = ".tmp"
WRITEBACK_STEP = 8 << 20
"""After every this many bytes, ask the kernel (Linux) to start writing them to disk, so
that the disk works while the next bytes are encrypted and the final fsync has little
left to do."""

GATHER = 64 << 10
"""Writes smaller than this are gathered into one (see AtomicFile.write)."""

GROUP_FILES = 256
"""Outputs a CommitQueue makes durable together, at most. Every output waiting for its
group keeps its file open (an unnamed O_TMPFILE file exists only through its descriptor),
so this, times HELD_GROUPS, is the number of descriptors a queue holds: 512, half of the
usual RLIMIT_NOFILE soft limit of 1,024, the other half left to the rest of the process
(the keybox's database, the window's sockets). Folders' descriptors are shared, one per
folder. Where the soft limit is lower (macOS: 256), groups shrink to fit in half of it
(`group_files`)."""

GROUP_BYTES = 64 << 20
"""...or this many bytes of output, whichever comes first: files of several MiB are
reported in groups of a few dozen, not held until 256 of them are written."""

HELD_GROUPS = 2
"""Groups a queue holds at once: the one the encrypting thread fills and the one being
made durable on the flushing thread. When the flush falls behind, the next file waits."""

SYNCFS, FDATASYNC = "syncfs", "fdatasync"
GROUP_SYNC: str | None = None
"""How a group is made durable; None: SYNCFS where `_syncfs()` finds it, else FDATASYNC
(see CommitQueue). Set only by benchmarks/small_files.py, which measures both."""

_O_TMPFILE = getattr(os, "O_TMPFILE", 0) if os.path.isdir("/proc/self/fd") else 0
# (os.replace takes dir_fd wherever os.rename does, but is not listed in supports_dir_fd)
_DIR_FD = all(f in os.supports_dir_fd for f in (os.open, os.link, os.rename, os.stat,
                                                 os.unlink)) and hasattr(os, "O_DIRECTORY")
_SYNC_FILE_RANGE_WRITE = 2  # <linux/fs.h>: start writeback, do not wait
_FALLOC_FL_KEEP_SIZE = 1  # <linux/falloc.h>: allocate, leave the file's size alone
_NO_TMPFILE = (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT)
_FLAGS = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _FLAGS


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
                 folder_sync: FolderSync | None = None, named: bool = False,
                 free: bool = False) -> None:
        """`named`: always use a named temporary file (`temp`), for writers that need a
        path rather than a descriptor (SQLite's backup). `folder_sync`: the batch this
        file belongs to; its folder is opened once per batch and fsynced by it. `free`:
        the caller has just found no file at `target` (a run's plan), so it is not looked
        up again before writing; the final link still never replaces one that appeared
        meanwhile (OutputExistsError, "appeared while it was being written")."""
        self.target = target
        self.named = named
        self.force = force
        self.free = free
        self.folder_sync = folder_sync
        self.fd = -1
        self.dir_fd = -1  # the output folder, opened once (where the platform allows)
        self.temp: Path | None = None  # the named temporary file, when there is one
        self._written = 0  # bytes written to fd
        self._flushed = 0  # bytes the kernel was asked to start writing back
        self._gathered = bytearray()  # small pieces not yet written (see write)
        self._handed_off = False
        self._shared_dir = False  # dir_fd belongs to folder_sync (one per folder)
        self._metadata = False  # set_mtime_ns was called: fsync, not fdatasync
        self._allocating: threading.Thread | None = None  # reserve(n, allocate=True)

    def __enter__(self) -> AtomicFile:
        try:
            self._open_folder()
            if not self.force and not self.free and self._exists(self.target.name):
                raise OutputExistsError(self.target)
            self._open_file()
        except OSError as exc:
            self._close_folder()
            raise describe_os_error(exc, self.target, "cannot write") from None
        except BaseException:
            self._close_folder()
            raise
        return self

    def _open_file(self) -> None:
        """The file the bytes go into: anonymous where possible, else a named temporary
        file (raises OSError)."""
        if _O_TMPFILE and not self.named:
            try:
                self.fd = self._open(".", os.O_WRONLY | _O_TMPFILE | _FLAGS)
                return
            except OSError as exc:
                if exc.errno not in _NO_TMPFILE or not self.target.parent.is_dir():
                    raise
        temp = self._temp_name()
        self.fd = self._open(temp.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS
                             | getattr(os, "O_NOFOLLOW", 0))
        self.temp = temp

    # --- the folder, through its descriptor -------------------------------------------

    def _open_folder(self) -> None:
        if not _DIR_FD:
            return
        if self.folder_sync is not None:
            self.dir_fd = self.folder_sync.descriptor(os.path.dirname(self.target) or ".")
            self._shared_dir = True
        else:
            self.dir_fd = _open_folder(self.target.parent)

    def _close_folder(self) -> None:
        if self.dir_fd >= 0 and not self._shared_dir:
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
        """Write all of `data` (os.write may write less than asked). Pieces smaller than
        GATHER are gathered and written together (a small sealed file's header, metadata
        and payload: one write instead of three); commit writes what is left first."""
        view = memoryview(data)
        total = len(view)
        if total + len(self._gathered) < GATHER:
            self._gathered += view
            return total
        self._write_gathered()
        self._write_all(view)
        return total

    def _write_gathered(self) -> None:
        """Write the gathered pieces and zero them (opening a sealed file gathers
        plaintext)."""
        if self._gathered:
            self._write_all(memoryview(self._gathered))
            self._forget_gathered()

    def _forget_gathered(self) -> None:
        self._gathered[:] = bytes(len(self._gathered))
        self._gathered.clear()

    def _write_all(self, view: memoryview) -> None:
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

    def _start_writeback(self) -> None:
        start, self._flushed = self._flushed, self._written
        start_writeback(self.fd, start, self._written - start)

    def reserve(self, n: int, *, allocate: bool = False) -> tuple[int, int]:
        """The descriptor and offset at which the caller writes the next `n` bytes itself,
        with pwrite, possibly from a helper process it hands the descriptor to (a large
        age payload, age/spans.py); later writes go after them. The caller asks the
        kernel to write them back as it goes. `allocate`: also have their room allocated
        now, on a thread of its own (`allocate_ahead`); commit and discard wait for it."""
        self._write_gathered()
        at = self._written
        os.lseek(self.fd, at + n, os.SEEK_SET)
        self._written = self._flushed = at + n
        if allocate and self._allocating is None:
            self._allocating = allocate_ahead(self.fd, at, n)
        return self.fd, at

    def _allocated(self) -> None:
        """Wait until reserve's allocation has ended: it uses the descriptor."""
        if self._allocating is not None:
            self._allocating.join()
            self._allocating = None

    def write_error(self, exc: OSError) -> VaultError:
        """What a failed write into this file (by the caller, after `reserve`) says."""
        return describe_os_error(exc, self.target, "cannot write")

    def set_mtime_ns(self, mtime_ns: int) -> None:
        self._write_gathered()  # a later write would set the mtime again
        os.utime(self.fd, ns=(mtime_ns, mtime_ns))
        self._metadata = True

    def commit(self) -> None:
        """fsync and move into place; after this the target holds every byte written."""
        try:
            self._allocated()
            self._write_gathered()
            os.fsync(self.fd)
            self._put_in_place()
            self._sync_folder()
        except OSError as exc:
            raise describe_os_error(exc, self.target, "cannot write") from None
        finally:
            self._close_folder()

    def commit_in(self, queue: CommitQueue) -> Future[None]:
        """Like commit(), but done by `queue` with its group (see CommitQueue); the future
        resolves once the output is durable under its final name, or raises why it could
        not be put there. The file belongs to the queue from now on."""
        self._allocated()
        self._write_gathered()
        self._handed_off = True
        return queue.submit(self)

    def _sync_data(self) -> None:
        """Make the bytes durable, without the name (one file of a group): fdatasync,
        or fsync where it is missing (Windows) or the mtime must be durable too."""
        if self._metadata or not hasattr(os, "fdatasync"):
            os.fsync(self.fd)
        else:
            os.fdatasync(self.fd)

    def _put_in_place(self) -> None:
        """Give the file, whose data is durable, its final name (never replacing one
        unless `force`) and close it."""
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

    def _sync_folder(self) -> None:
        """Make the new name durable: now, or with the batch's folders."""
        if self.folder_sync is not None:
            self.folder_sync.add(self.target.parent, self.dir_fd)
        elif self.dir_fd >= 0:
            _fsync_descriptor(self.dir_fd)
        else:
            _fsync_folder(self.target.parent)

    def _link_anonymous(self) -> None:
        """Give the durable O_TMPFILE file its final name (linkat never replaces)."""
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
        self._forget_gathered()
        self._allocated()
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


_Held = tuple[AtomicFile, Future[None]]


class CommitQueue:
    """Group commit: finished AtomicFiles are made durable many at a time, then named.

    Sealing thousands of small files was mostly waiting for one fsync each, and
    durability does not need one per file. The encrypting thread hands each finished
    output over (`submit`, through `AtomicFile.commit_in`) and goes on with the next
    file; the output stays unnamed (O_TMPFILE: a crash leaves nothing). When a group is
    full (GROUP_FILES or GROUP_BYTES) or at `close()`, a flushing thread makes the whole
    group durable, THEN links each file to its final name, THEN fsyncs each folder of
    the group once, and only then resolves the group's futures. No output ever has its
    final name before its bytes are durable, and a future that resolved means the
    output is durable under its name.

    How a group is made durable (`sync`), measured on the 2-core reference VM (ext4,
    virtio disk; benchmarks/README.md, "Many small files"):
    - SYNCFS (Linux ≥ 5.8), the default where it is found: one `syncfs(2)` per file
      system of the group, through a folder descriptor opened before any of the group's
      files. It writes every dirty page of that file system, other programs' too (a disk
      busy with someone else's writes makes it wait for them), yet one call and one disk
      cache flush for 256 files: `vaultapp seal` was 1.24× (10,000 × 4 KiB) and 1.32×
      (100,000 × 1 KiB) faster with it than with FDATASYNC, in the same rounds, at load
      2.6–4, and used less CPU (6.3 s against 7.9 s for the 10,000 files).
      Only since Linux 5.8 does syncfs report writeback errors (an errseq per
      superblock, sampled when the descriptor was opened), hence the version check.
      When it reports one, the group falls back to one fdatasync per file, which tells
      whose data was lost: only those files fail.
    - FDATASYNC: `fdatasync` of each file (fsync for one whose mtime was set, so that
      it is durable too), spread over `threads` threads so the kernel merges the
      flushes. The fallback where syncfs is missing (macOS, Windows, other Unixes,
      older Linux).
    A sync error, a name that appeared meanwhile (OutputExistsError) or a failing link
    (a full disk) fails that file only, with the same messages as `commit()`.

    `cancel()` (and leaving the `with` block by an exception) discards every output not
    yet linked: their futures raise CancelledError and nothing of them is left.
    """

    def __init__(self, threads: int = 8, *, group_files: int | None = None,
                 group_bytes: int = GROUP_BYTES, held_groups: int = HELD_GROUPS,
                 sync: str | None = None) -> None:
        self.folders = FolderSync()
        self.sync = sync or GROUP_SYNC or (SYNCFS if _syncfs() is not None else FDATASYNC)
        self.group_files = group_files or _group_files(held_groups)
        self.group_bytes = group_bytes
        self._threads = threads
        self._slots = threading.BoundedSemaphore(self.group_files * held_groups)
        self._lock = threading.Lock()
        self._group: list[_Held] = []
        self._bytes = 0
        self._closed = False
        self._discarding = False
        self._flusher = ThreadPoolExecutor(1, thread_name_prefix="vaultapp-flush")
        self._syncers: ThreadPoolExecutor | None = None  # fdatasync, made when needed

    def submit(self, f: AtomicFile) -> Future[None]:
        """Hold the finished `f` for its group; waits while HELD_GROUPS are held."""
        self._slots.acquire()
        future: Future[None] = Future()
        with self._lock:
            if self._closed:
                self._slots.release()
                f.discard()
                raise RuntimeError("the commit queue is closed")
            self._group.append((f, future))
            self._bytes += f._written
            if len(self._group) >= self.group_files or self._bytes >= self.group_bytes:
                self._flush_later()
        return future

    def _flush_later(self) -> None:
        """Hand the group being filled to the flushing thread (under the lock)."""
        group, self._group, self._bytes = self._group, [], 0
        if group:
            self._flusher.submit(self._flush, group)

    def close(self) -> None:
        """Flush the last group, wait for every group, close the folders."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._flush_later()
        self._flusher.shutdown(wait=True)
        if self._syncers is not None:
            self._syncers.shutdown(wait=True)
        self.folders.flush()

    def cancel(self) -> None:
        """Discard every output not yet linked (their futures raise CancelledError), then
        close. Outputs already linked stay, and their folders are still fsynced."""
        self._discarding = True
        self.close()

    def __enter__(self) -> CommitQueue:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None:
            self.cancel()
        else:
            self.close()

    # --- on the flushing thread ----------------------------------------------------------

    def _flush(self, group: list[_Held]) -> None:
        """Durable, then named, then the folders durable, then the futures resolved."""
        errors: dict[int, BaseException] = {}
        named: list[_Held] = []
        folders: dict[int | Path, None] = {}  # to fsync once each: descriptors, or paths
        try:
            if not self._discarding:
                errors = self._make_durable([f for f, _ in group])
            for i, (f, future) in enumerate(group):
                error = errors.get(i) or (CancelledError() if self._discarding else None)
                if error is None:
                    try:
                        f._put_in_place()
                    except OSError as exc:
                        error = describe_os_error(exc, f.target, "cannot write")
                    except VaultError as exc:  # OutputExistsError: it appeared meanwhile
                        error = exc
                if error is None:
                    named.append((f, future))
                    folders[f.dir_fd if f.dir_fd >= 0 else f.target.parent] = None
                else:
                    self._fail(f, future, error)
            for folder in folders:
                if isinstance(folder, int):
                    _fsync_descriptor(folder)
                else:
                    _fsync_folder(folder)
            for f, future in named:
                f._close_folder()
                future.set_result(None)
        except BaseException as exc:  # a bug here must not leave a future unresolved
            for f, future in group:
                if not future.done():
                    self._fail(f, future, exc)
            raise
        finally:
            self._slots.release(len(group))  # their descriptors are closed

    @staticmethod
    def _fail(f: AtomicFile, future: Future[None], error: BaseException) -> None:
        try:
            f.discard()
        finally:
            future.set_exception(error)

    def _make_durable(self, files: Sequence[AtomicFile]) -> dict[int, BaseException]:
        """Sync the data of every file; the errors by index of the files that failed."""
        todo = list(range(len(files)))
        syncfs = _syncfs() if self.sync == SYNCFS else None
        if syncfs is not None:
            by_device: dict[int, list[int]] = {}
            unknown = []  # folders not opened by our FolderSync: synced one by one
            for i in todo:
                device = self.folders.device(files[i].dir_fd)
                if device is None:
                    unknown.append(i)
                else:
                    by_device.setdefault(device, []).append(i)
            todo = unknown
            for device, members in by_device.items():
                if syncfs(self.folders.witness(device)) != 0:
                    todo += members  # an error somewhere on it: whose? fdatasync says
        return self._sync_each(files, todo)

    def _sync_each(self, files: Sequence[AtomicFile], todo: list[int]
                   ) -> dict[int, BaseException]:
        def one(i: int) -> BaseException | None:
            try:
                files[i]._sync_data()
            except OSError as exc:
                return describe_os_error(exc, files[i].target, "cannot write")
            return None

        if len(todo) <= 1 or self._threads <= 1:
            results = [one(i) for i in todo]
        else:
            if self._syncers is None:
                self._syncers = ThreadPoolExecutor(self._threads,
                                                   thread_name_prefix="vaultapp-sync")
            results = list(self._syncers.map(one, todo))
        return {i: r for i, r in zip(todo, results, strict=True) if r is not None}


class FolderSync:
    """The output folders of a batch: each opened once, made durable once.

    `descriptor(folder)` opens a folder the first time it is asked for (O_DIRECTORY |
    O_NOFOLLOW; a folder given as a symlink is followed once, then never again) and gives
    the same descriptor to every file of the batch after that, so a renamed or replaced
    parent cannot redirect a later file either. Folders `add`ed (files committed one by
    one with this FolderSync) are fsynced by `flush()`, once each, which also closes the
    descriptors; a CommitQueue fsyncs its groups' folders itself.
    """

    def __init__(self) -> None:
        self._open: dict[str, int] = {}  # by the folder's path as given
        self._devices: dict[int, int] = {}  # descriptor -> its device
        self._witnesses: dict[int, int] = {}  # device -> the first descriptor opened on it
        self._folders: dict[object, int | Path] = {}
        self._lock = threading.Lock()

    def descriptor(self, folder: str) -> int:
        with self._lock:
            fd = self._open.get(folder)
            if fd is None:
                fd = self._open[folder] = _open_folder(Path(folder))
                device = os.fstat(fd).st_dev
                self._devices[fd] = device
                self._witnesses.setdefault(device, fd)
            return fd

    def device(self, fd: int) -> int | None:
        """The device of a descriptor `descriptor()` gave, or None."""
        return self._devices.get(fd)

    def witness(self, device: int) -> int:
        """A descriptor on `device` opened before any file of the batch written there:
        syncfs through it reports every writeback error since (Linux ≥ 5.8)."""
        return self._witnesses[device]

    def add(self, folder: Path, dir_fd: int = -1) -> None:
        with self._lock:
            if dir_fd >= 0 and dir_fd in self._devices:  # one of ours: open until flush
                self._folders.setdefault(dir_fd, dir_fd)
                return
            if dir_fd >= 0:
                info = os.fstat(dir_fd)
                key: object = (info.st_dev, info.st_ino)
            else:
                key = folder
            if key not in self._folders:
                self._folders[key] = os.dup(dir_fd) if dir_fd >= 0 else folder

    def flush(self) -> None:
        with self._lock:
            folders, self._folders = self._folders, {}
            opened, self._open = self._open, {}
            self._devices, self._witnesses = {}, {}
        try:
            for folder in folders.values():
                if isinstance(folder, int):
                    _fsync_descriptor(folder)
                else:
                    _fsync_folder(folder)
        finally:
            mine = set(opened.values())
            for folder in folders.values():
                if isinstance(folder, int) and folder not in mine:
                    os.close(folder)
            for fd in mine:
                os.close(fd)


def _open_folder(folder: Path) -> int:
    try:
        return os.open(folder, _FOLDER_FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        # The folder given is itself a symlink: followed once, here, and never again.
        return os.open(os.path.realpath(folder), _FOLDER_FLAGS)


def _group_files(held_groups: int) -> int:
    """GROUP_FILES, or fewer so that the held descriptors fit in half the soft limit."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        return GROUP_FILES
    if soft == resource.RLIM_INFINITY:
        return GROUP_FILES
    return max(1, min(GROUP_FILES, soft // 2 // held_groups))


def _link_descriptor(fd: int, target: str | Path, dir_fd: int | None = None) -> None:
    """linkat(/proc/self/fd/FD, target, AT_SYMLINK_FOLLOW): name an O_TMPFILE file.

    os.link calls plain link() (which does not follow the /proc symlink and fails with
    EXDEV) unless a dir_fd is given; an absolute source path ignores its dir_fd, so
    passing one only selects linkat with AT_SYMLINK_FOLLOW.
    """
    os.link(f"/proc/self/fd/{fd}", target, src_dir_fd=fd, dst_dir_fd=dir_fd,
            follow_symlinks=True)


@functools.cache
def _libc() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing these bytes back to the disk, without waiting
    (Linux). Only a hint, so that the fsync at the end finds little left to write."""
    call = _sync_file_range()
    if call is not None:
        call(fd, offset, length, _SYNC_FILE_RANGE_WRITE)


def allocate_ahead(fd: int, offset: int, length: int) -> threading.Thread | None:
    """Start allocating the room of `length` bytes at `offset` in `fd` on a thread of its
    own, or None where there is no fallocate (Linux only); the caller joins the thread
    before it closes `fd`. Only a hint, whose failure (no room, a file system without
    fallocate) is left to the writes to report. FALLOC_FL_KEEP_SIZE: the file's size is
    still what has been written.

    Why: writes into a file are serialised by the kernel (its inode lock), and a write
    into room not yet allocated pays for allocating it under that lock. On tmpfs that is
    allocating and zeroing the pages: 1 GiB took 0.27 s to fallocate, then 0.20–0.31 s to
    write, against 0.49–0.51 s to write into fresh pages (this machine, 2026-12-02). Done
    while the keybox is opened, it is off the critical path. On ext4 the whole range
    becomes one extent in 1.5 ms, instead of being allocated 1 MiB by 1 MiB at writeback
    (benchmarks/README.md has what that did to a large age open on disk).
    Never glibc's posix_fallocate: where the file system lacks fallocate, it writes a zero
    byte into every block, over bytes written there meanwhile.
    """
    call = _fallocate()
    if call is None:
        return None
    thread = threading.Thread(target=call, args=(fd, _FALLOC_FL_KEEP_SIZE, offset, length),
                              name="vaultapp-allocate", daemon=True)
    thread.start()
    return thread


@functools.cache
def _fallocate() -> Callable[[int, int, int, int], int] | None:
    """libc's fallocate (Linux; the os module has only posix_fallocate), or None."""
    import ctypes

    func = getattr(_libc(), "fallocate64", None) or getattr(_libc(), "fallocate", None)
    if func is None:
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    func.restype = ctypes.c_int
    return cast(Callable[[int, int, int, int], int], func)


@functools.cache
def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    """libc's sync_file_range (Linux; the os module lacks it), or None."""
    import ctypes

    func = getattr(_libc(), "sync_file_range", None)
    if func is None:
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    func.restype = ctypes.c_int
    return cast(Callable[[int, int, int, int], int], func)


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """libc's syncfs (0, or -1 on error), on Linux ≥ 5.8 only: older kernels return 0
    even when writing some file's data back failed. None elsewhere."""
    import ctypes

    try:
        major, minor = (int(x) for x in os.uname().release.split(".")[:2])
    except (AttributeError, ValueError):
        return None
    func = getattr(_libc(), "syncfs", None)
    if func is None or (major, minor) < (5, 8):
        return None
    func.argtypes = [ctypes.c_int]
    func.restype = ctypes.c_int
    return cast(Callable[[int], int], func)


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
