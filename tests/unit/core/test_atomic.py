"""AtomicFile: outputs appear under their final name only when complete and fsynced.

Both ways of holding the bytes are tested: the anonymous O_TMPFILE file (Linux), which
has no name at all until it is linked, and the named `.vaultapp-*.tmp` file used where
O_TMPFILE is missing. Also: the writeback hint for large outputs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from vaultapp.core import atomic
from vaultapp.core.atomic import TEMP_PREFIX, AtomicFile
from vaultapp.core.errors import CancelledError, OutputExistsError, VaultError

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or not atomic._O_TMPFILE,
                                reason="O_TMPFILE is Linux-only")


@pytest.fixture(params=["anonymous", "named"])
def kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "named":
        monkeypatch.setattr(atomic, "_O_TMPFILE", 0)
    elif not atomic._O_TMPFILE:
        pytest.skip("O_TMPFILE is Linux-only")
    return str(request.param)


def names(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_nothing_has_the_final_name_until_commit(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out.bin"
    with AtomicFile(target) as f:
        f.write(b"half")
        listing = names(tmp_path)
        assert "out.bin" not in listing
        if kind == "anonymous":
            assert listing == []  # no name at all while writing
            assert f.temp is None
        else:
            assert len(listing) == 1 and listing[0].startswith(TEMP_PREFIX)
            assert stat.S_IMODE(os.stat(tmp_path / listing[0]).st_mode) == 0o600
        f.write(b" and half")
        f.commit()
    assert names(tmp_path) == ["out.bin"]
    assert target.read_bytes() == b"half and half"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failure_leaves_nothing(tmp_path: Path, kind: str) -> None:
    with pytest.raises(RuntimeError), AtomicFile(tmp_path / "out.bin") as f:
        f.write(b"partial")
        raise RuntimeError("the payload did not authenticate")
    assert names(tmp_path) == []


def test_a_target_that_appears_meanwhile_is_never_replaced(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out.bin"
    with pytest.raises(OutputExistsError, match="appeared while"), AtomicFile(target) as f:
        f.write(b"ours")
        target.write_bytes(b"someone else's")
        f.commit()
    assert target.read_bytes() == b"someone else's"
    assert names(tmp_path) == ["out.bin"]


def test_force_replaces_an_existing_target(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with AtomicFile(target, force=True) as f:
        f.write(b"new")
        f.commit()
    assert target.read_bytes() == b"new"
    assert names(tmp_path) == ["out.bin"]


def test_a_symlink_at_the_target_is_not_followed(tmp_path: Path, kind: str) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    target = tmp_path / "out.bin"
    target.symlink_to(victim)
    with pytest.raises(OutputExistsError):
        AtomicFile(target).__enter__()
    with AtomicFile(target, force=True) as f:
        f.write(b"new")
        f.commit()
    assert victim.read_bytes() == b"precious"
    assert not target.is_symlink() and target.read_bytes() == b"new"


def test_named_mode_gives_a_path_for_writers_that_need_one(tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite"
    with AtomicFile(target, named=True) as f:
        assert f.temp is not None and f.temp.parent == tmp_path
        f.temp.write_bytes(b"written through the path")
        f.commit()
    assert target.read_bytes() == b"written through the path"
    assert names(tmp_path) == ["backup.sqlite"]


@linux_only
def test_large_outputs_ask_the_kernel_to_start_writeback(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int, int]] = []

    def record(fd: int, offset: int, length: int, flags: int) -> int:
        calls.append((offset, length, flags))
        return -1  # a failing hint changes nothing

    monkeypatch.setattr(atomic, "_sync_file_range", lambda: record)
    piece = bytes(1 << 20)
    with AtomicFile(tmp_path / "big.bin") as f:
        for _ in range(20):
            f.write(piece)
        f.commit()
    step = atomic.WRITEBACK_STEP
    assert calls == [(0, step, 2), (step, step, 2)]
    assert (tmp_path / "big.bin").stat().st_size == 20 << 20


@linux_only
def test_the_real_sync_file_range_is_found() -> None:
    assert atomic._sync_file_range() is not None


# --- room allocated ahead (reserve(n, allocate=True)) ----------------------------------------

@linux_only
def test_reserved_room_is_allocated_ahead_and_the_size_is_what_is_written(tmp_path: Path,
                                                                           kind: str) -> None:
    data = os.urandom(3 << 20)
    with AtomicFile(tmp_path / "out.bin") as f:
        f.write(b"head")
        fd, at = f.reserve(len(data), allocate=True)
        assert at == 4
        f._allocated()  # the thread has ended: the room is there, the size unchanged
        st = os.fstat(fd)
        assert st.st_blocks * 512 >= len(data) and st.st_size == 4
        os.pwrite(fd, data, at)
        f.commit()
    assert (tmp_path / "out.bin").read_bytes() == b"head" + data
    assert names(tmp_path) == ["out.bin"]


@pytest.mark.parametrize("end", ["commit", "discard", "commit_in"])
def test_the_allocation_ends_before_the_file_is_closed(tmp_path: Path, end: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The allocating thread uses the descriptor: commit, discard and commit_in wait for
    it, or it could allocate room in whatever file reuses that number."""
    seen: list[tuple[int, int, int, bool]] = []

    def slow_fallocate(fd: int, mode: int, offset: int, length: int) -> int:
        time.sleep(0.2)
        seen.append((mode, offset, length, os.fstat(fd).st_ino == ino))
        return 0

    monkeypatch.setattr(atomic, "_fallocate", lambda: slow_fallocate)
    queue = atomic.CommitQueue(1) if end == "commit_in" else contextlib.nullcontext()
    with queue, AtomicFile(tmp_path / "out.bin") as f:
        ino = os.fstat(f.fd).st_ino
        fd, at = f.reserve(1 << 20, allocate=True)
        os.pwrite(fd, b"x" * (1 << 20), at)
        if end == "commit":
            f.commit()
        elif end == "commit_in":
            assert isinstance(queue, atomic.CommitQueue)
            f.commit_in(queue)
        else:
            f.discard()
        assert seen == [(atomic._FALLOC_FL_KEEP_SIZE, 0, 1 << 20, True)]
    assert names(tmp_path) == ([] if end == "discard" else ["out.bin"])


def test_a_failed_allocation_is_left_to_the_writes(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def no_room(fd: int, mode: int, offset: int, length: int) -> int:
        return -1  # ENOSPC, EOPNOTSUPP: the writes say what there is to say

    monkeypatch.setattr(atomic, "_fallocate", lambda: no_room)
    with AtomicFile(tmp_path / "out.bin") as f:
        fd, at = f.reserve(5, allocate=True)
        os.pwrite(fd, b"hello", at)
        f.commit()
    assert (tmp_path / "out.bin").read_bytes() == b"hello"


def test_without_fallocate_nothing_is_allocated_ahead(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "_fallocate", lambda: None)  # not Linux
    assert atomic.allocate_ahead(0, 0, 1) is None
    with AtomicFile(tmp_path / "out.bin") as f:
        f.reserve(1, allocate=True)
        assert f._allocating is None
        f.discard()
    assert names(tmp_path) == []


@linux_only
def test_the_real_fallocate_is_found_and_keeps_the_size(tmp_path: Path) -> None:
    call = atomic._fallocate()
    assert call is not None
    fd = os.open(tmp_path / "f", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        assert call(fd, atomic._FALLOC_FL_KEEP_SIZE, 0, 1 << 20) == 0
        assert os.fstat(fd).st_size == 0 and os.fstat(fd).st_blocks * 512 >= 1 << 20
    finally:
        os.close(fd)


# --- small writes are gathered -------------------------------------------------------------

def test_small_writes_are_gathered_into_one(tmp_path: Path, kind: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[int] = []
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        writes.append(len(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    target = tmp_path / "out.bin"
    with AtomicFile(target) as f:
        for piece in (b"header", b"metadata", b"payload"):  # a small sealed file
            f.write(piece)
        assert writes == []
        gathered = f._gathered
        f.commit()
    assert writes == [len(b"headermetadatapayload")]
    assert target.read_bytes() == b"headermetadatapayload"
    assert gathered == b""  # nothing of it kept (opening gathers plaintext)
    writes.clear()
    big = os.urandom(atomic.GATHER)
    with AtomicFile(tmp_path / "big.bin") as f:
        f.write(b"head")
        f.write(big)  # not gathered: what was gathered goes first, then this
        f.commit()
    assert writes == [4, len(big)]
    assert (tmp_path / "big.bin").read_bytes() == b"head" + big


# --- CommitQueue: group commit ----------------------------------------------------------------

SYNCS = [atomic.SYNCFS, atomic.FDATASYNC]


@pytest.fixture(params=SYNCS)
def sync(request: pytest.FixtureRequest) -> str:
    if request.param == atomic.SYNCFS and atomic._syncfs() is None:
        pytest.skip("syncfs is Linux ≥ 5.8 only")
    return str(request.param)


def write_via(queue: atomic.CommitQueue, target: Path, data: bytes) -> Future[None]:
    with AtomicFile(target, folder_sync=queue.folders) as f:
        f.write(data)
        return f.commit_in(queue)


class Order:
    """Records, in order, what a CommitQueue did: each file handed over, each sync (all
    the group's files at once for syncfs, one file for fdatasync), each file getting its
    final name, each folder fsync, each future resolved."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        real_submit = atomic.CommitQueue.submit
        real_put = AtomicFile._put_in_place
        real_sync_data = AtomicFile._sync_data
        real_syncfs = atomic._syncfs()
        real_fsync_descriptor = atomic._fsync_descriptor

        def submit(queue: atomic.CommitQueue, f: AtomicFile) -> Future[None]:
            self.add("handed", f.target.name)
            future = real_submit(queue, f)
            future.add_done_callback(lambda _: self.add("resolved", f.target.name))
            return future

        def put(f: AtomicFile) -> None:
            assert not f.target.exists()
            real_put(f)
            self.add("named", f.target.name)

        def sync_data(f: AtomicFile) -> None:
            real_sync_data(f)
            self.add("synced", f.target.name)

        def syncfs(fd: int) -> int:
            assert real_syncfs is not None
            result = real_syncfs(fd)
            self.add("synced", "*")  # every file handed over so far
            return result

        def fsync_descriptor(fd: int) -> None:
            real_fsync_descriptor(fd)
            self.add("folder", os.readlink(f"/proc/self/fd/{fd}"))

        monkeypatch.setattr(atomic.CommitQueue, "submit", submit)
        monkeypatch.setattr(AtomicFile, "_put_in_place", put)
        monkeypatch.setattr(AtomicFile, "_sync_data", sync_data)
        if real_syncfs is not None:
            monkeypatch.setattr(atomic, "_syncfs", lambda: syncfs)
        monkeypatch.setattr(atomic, "_fsync_descriptor", fsync_descriptor)

    def add(self, what: str, name: str) -> None:
        with self.lock:
            self.events.append((what, name))

    def index(self, what: str, name: str) -> int:
        return self.events.index((what, name))

    def check(self, name: str) -> None:
        """Durable before named, named before its folder's fsync, that before resolved."""
        handed, named = self.index("handed", name), self.index("named", name)
        synced = [i for i, e in enumerate(self.events)
                  if e in (("synced", name), ("synced", "*")) and handed < i]
        assert synced and synced[0] < named, f"{name} was named before its data was synced"
        folder = next(i for i, (what, _) in enumerate(self.events)
                      if what == "folder" and i > named)
        assert folder < self.index("resolved", name)


@linux_only
def test_every_file_of_a_group_is_durable_before_it_is_named(
        tmp_path: Path, sync: str, monkeypatch: pytest.MonkeyPatch) -> None:
    order = Order(monkeypatch)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with atomic.CommitQueue(threads=4, group_files=16, sync=sync) as queue:
        futures = [write_via(queue, tmp_path / ("a" if i % 2 else "b") / f"{i}.out",
                             str(i).encode()) for i in range(40)]  # 2 full groups, 1 not
    assert all(f.result() is None for f in futures)
    for i in range(40):
        order.check(f"{i}.out")
        assert (tmp_path / ("a" if i % 2 else "b") / f"{i}.out").read_bytes() == str(i).encode()
    assert len(names(tmp_path / "a")) == len(names(tmp_path / "b")) == 20  # nothing else
    syncs = [e for e in order.events if e[0] == "synced"]
    if sync == atomic.SYNCFS:
        assert syncs == [("synced", "*")] * 3  # one per group: 16 + 16 + 8 files
    else:
        assert sorted(syncs) == sorted(("synced", f"{i}.out") for i in range(40))
    # each group fsyncs each of its folders once, after its last link
    folders = [e for e in order.events if e[0] == "folder"]
    assert sorted(folders) == sorted([("folder", str(tmp_path / "a")),
                                      ("folder", str(tmp_path / "b"))] * 3)


def test_a_queue_lands_every_file_and_syncs_each_folder_once_per_group(
        tmp_path: Path, kind: str, sync: str, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    monkeypatch.setattr(atomic, "_fsync_folder", synced.append)
    # Folders are synced through the descriptor the files were linked through.
    monkeypatch.setattr(atomic, "_fsync_descriptor",
                        lambda fd: synced.append(Path(os.readlink(f"/proc/self/fd/{fd}"))))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with atomic.CommitQueue(threads=4, group_files=100, sync=sync) as queue:
        futures = [write_via(queue, tmp_path / ("a" if i % 2 else "b") / f"{i}.out",
                             str(i).encode()) for i in range(200)]
    assert all(f.done() and f.exception() is None for f in futures)
    assert sorted(synced) == [tmp_path / "a"] * 2 + [tmp_path / "b"] * 2
    for i in range(200):
        assert (tmp_path / ("a" if i % 2 else "b") / f"{i}.out").read_bytes() == str(i).encode()
    assert len(names(tmp_path / "a")) == len(names(tmp_path / "b")) == 100  # nothing else


def test_a_failed_sync_fails_its_file_only(
        tmp_path: Path, kind: str, sync: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """syncfs cannot say whose data was lost: when it reports an error, each file of the
    group is fdatasynced, and only the one that fails fails."""
    if sync == atomic.SYNCFS:
        monkeypatch.setattr(atomic, "_syncfs", lambda: lambda fd: -1)  # EIO, somewhere
    real_fdatasync = os.fdatasync

    def fdatasync(fd: int) -> None:
        if os.fstat(fd).st_size == len(b"failing"):  # descriptors get reused: go by size
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fdatasync(fd)

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    with atomic.CommitQueue(threads=2, sync=sync) as queue:
        good1 = write_via(queue, tmp_path / "1.out", b"one")
        failed = write_via(queue, tmp_path / "2.out", b"failing")
        good3 = write_via(queue, tmp_path / "3.out", b"three")
    assert good1.result() is None and good3.result() is None
    with pytest.raises(VaultError, match=r"cannot write .*2\.out: the disk is full"):
        failed.result()
    assert names(tmp_path) == ["1.out", "3.out"]


def test_a_link_that_fails_fails_its_file_only(tmp_path: Path, kind: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC on the link (the folder needs a new block), and a name that appeared while
    its group waited: each fails only its own file, with commit()'s messages."""
    real_link, real_rename, real_link_descriptor = os.link, os.rename, atomic._link_descriptor

    def full(target: object) -> None:
        if os.fspath(target).endswith("full.out"):  # type: ignore[call-overload]
            raise OSError(errno.ENOSPC, "No space left on device")

    def link(src: object, dst: object, **kw: object) -> None:
        full(dst)
        real_link(src, dst, **kw)  # type: ignore[arg-type]

    def rename(src: object, dst: object, **kw: object) -> None:  # (named: link, else rename)
        full(dst)
        real_rename(src, dst, **kw)  # type: ignore[arg-type]

    def link_descriptor(fd: int, target: object, dir_fd: int | None = None) -> None:
        full(target)
        real_link_descriptor(fd, target, dir_fd)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(atomic, "_link_descriptor", link_descriptor)
    with atomic.CommitQueue(threads=2) as queue:
        good = write_via(queue, tmp_path / "good.out", b"good")
        full_disk = write_via(queue, tmp_path / "full.out", b"lost")
        taken = write_via(queue, tmp_path / "taken.out", b"ours")
        (tmp_path / "taken.out").write_bytes(b"someone else's")  # while the group waits
    assert good.result() is None
    with pytest.raises(VaultError, match=r"cannot write .*full\.out: the disk is full"):
        full_disk.result()
    with pytest.raises(OutputExistsError, match="appeared while"):
        taken.result()
    assert (tmp_path / "taken.out").read_bytes() == b"someone else's"
    assert names(tmp_path) == ["good.out", "taken.out"]


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@linux_only
@pytest.mark.parametrize("how", ["cancel", "exception"])
def test_cancel_discards_every_file_not_yet_named(tmp_path: Path, kind: str, how: str) -> None:
    before = open_descriptors()
    queue = atomic.CommitQueue(threads=2, group_files=10)
    futures: list[Future[None]] = []
    with pytest.raises(RuntimeError) if how == "exception" else contextlib.nullcontext(), queue:
        futures += [write_via(queue, tmp_path / f"{i}.out", b"x") for i in range(5)]
        held = names(tmp_path)  # nothing named yet: no name at all, or temporary names
        if kind == "anonymous":
            assert held == []
        else:
            assert len(held) == 5 and all(n.startswith(TEMP_PREFIX) for n in held)
        if how == "exception":
            raise RuntimeError("the run broke")
        queue.cancel()
    for future in futures:
        with pytest.raises(CancelledError):
            future.result()
    assert names(tmp_path) == []  # no output, no temporary file
    assert open_descriptors() == before  # the unnamed files and the folder are closed
    with pytest.raises(RuntimeError, match="closed"):
        write_via(queue, tmp_path / "late.out", b"x")
    assert names(tmp_path) == []


def test_groups_already_named_stay_when_the_rest_is_cancelled(tmp_path: Path) -> None:
    with atomic.CommitQueue(threads=2, group_files=4) as queue:
        first = [write_via(queue, tmp_path / f"{i}.out", b"x") for i in range(4)]
        assert all(f.result(10) is None for f in first)  # that group is durable and named
        rest = [write_via(queue, tmp_path / f"{i}.out", b"x") for i in range(4, 6)]
        queue.cancel()
    assert all(f.cancelled() is False and isinstance(f.exception(), CancelledError)
               for f in rest)
    assert names(tmp_path) == [f"{i}.out" for i in range(4)]


def test_without_syncfs_each_file_is_fdatasynced(tmp_path: Path, kind: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Where syncfs is missing (macOS, Windows, Linux before 5.8) the queue falls back to
    fdatasync of each file, on its threads; an opened file's restored mtime is fsynced."""
    monkeypatch.setattr(atomic, "_syncfs", lambda: None)
    calls: list[tuple[str, str]] = []
    real_fdatasync, real_fsync = os.fdatasync, os.fsync

    def record(name: str, real: Callable[[int], None]) -> Callable[[int], None]:
        def call(fd: int) -> None:
            calls.append((name, threading.current_thread().name.split("_")[0]))
            real(fd)
        return call

    monkeypatch.setattr(os, "fdatasync", record("fdatasync", real_fdatasync))
    monkeypatch.setattr(os, "fsync", record("fsync", real_fsync))
    with atomic.CommitQueue(threads=3) as queue:
        assert queue.sync == atomic.FDATASYNC
        futures = [write_via(queue, tmp_path / f"{i}.out", b"x") for i in range(9)]
        with AtomicFile(tmp_path / "opened.out", folder_sync=queue.folders) as f:
            f.write(b"plain")
            f.set_mtime_ns(1_000_000_000)
            futures.append(f.commit_in(queue))
    assert all(f.result() is None for f in futures)
    files = [c for c in calls if c[1] == "vaultapp-sync"]
    assert sorted(files) == [("fdatasync", "vaultapp-sync")] * 9 + [("fsync", "vaultapp-sync")]
    assert len(names(tmp_path)) == 10
    assert (tmp_path / "opened.out").stat().st_mtime_ns == 1_000_000_000


def test_syncfs_is_used_only_where_it_reports_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    atomic._syncfs.cache_clear()
    try:
        monkeypatch.setattr(os, "uname", lambda: os.uname_result(
            ("Linux", "h", "5.4.0-150-generic", "#1", "x86_64")))
        assert atomic._syncfs() is None  # before 5.8 syncfs returns 0 after lost writes
        atomic._syncfs.cache_clear()
        monkeypatch.setattr(os, "uname", lambda: os.uname_result(
            ("Linux", "h", "5.8.0", "#1", "x86_64")))
        assert (atomic._syncfs() is not None) == sys.platform.startswith("linux")
    finally:
        atomic._syncfs.cache_clear()


def test_groups_fit_in_half_the_descriptor_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    resource = pytest.importorskip("resource")
    for soft, files in ((1024, 256), (256, 64), (20_000, 256), (10, 2)):
        monkeypatch.setattr(resource, "getrlimit", lambda _, soft=soft: (soft, 1 << 20))
        assert atomic._group_files(atomic.HELD_GROUPS) == files
        assert files * atomic.HELD_GROUPS <= max(soft // 2, atomic.HELD_GROUPS)


def test_a_queue_holds_at_most_its_groups(tmp_path: Path, sync: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """While a group is being made durable the encrypting thread goes on filling the
    next; the one after that waits for a slot (each held file keeps a descriptor)."""
    gate = threading.Event()
    real_make_durable = atomic.CommitQueue._make_durable

    def slow(queue: atomic.CommitQueue, files: Any) -> Any:
        gate.wait(10)
        return real_make_durable(queue, files)

    monkeypatch.setattr(atomic.CommitQueue, "_make_durable", slow)
    queue = atomic.CommitQueue(threads=1, group_files=2, held_groups=2, sync=sync)
    submitted: list[int] = []

    def producer() -> None:
        for i in range(7):
            write_via(queue, tmp_path / f"{i}.out", b"x")
            submitted.append(i)

    t = threading.Thread(target=producer)
    t.start()
    deadline = time.monotonic() + 10
    while len(submitted) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    assert len(submitted) == 4  # one group flushing, one full and waiting; the fifth waits
    assert not [n for n in names(tmp_path) if n.endswith(".out")]  # nothing named yet
    gate.set()
    t.join(10)
    queue.close()
    assert submitted == list(range(7))
    assert len(names(tmp_path)) == 7


def test_large_files_make_smaller_groups(tmp_path: Path) -> None:
    with atomic.CommitQueue(threads=1, group_files=100, group_bytes=3 << 20) as queue:
        futures = [write_via(queue, tmp_path / f"{i}.out", bytes(1 << 20)) for i in range(4)]
        assert all(f.result(10) is None for f in futures[:3])  # 3 MiB: a group of its own
        assert not futures[3].done()
    assert futures[3].result() is None
