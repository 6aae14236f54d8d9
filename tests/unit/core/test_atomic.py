"""AtomicFile: outputs appear under their final name only when complete and fsynced.

Both ways of holding the bytes are tested: the anonymous O_TMPFILE file (Linux), which
has no name at all until it is linked, and the named `.vaultapp-*.tmp` file used where
O_TMPFILE is missing. Also: the writeback hint for large outputs.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from vaultapp.core import atomic
from vaultapp.core.atomic import TEMP_PREFIX, AtomicFile
from vaultapp.core.errors import OutputExistsError, VaultError

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


# --- CommitQueue: many small outputs finished on a few threads -------------------------------

def write_via(queue: atomic.CommitQueue, target: Path, data: bytes):  # type: ignore[no-untyped-def]
    with AtomicFile(target, folder_sync=queue.folders) as f:
        f.write(data)
        return f.commit_in(queue)


def test_a_queue_lands_every_file_and_syncs_each_folder_once(
        tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    monkeypatch.setattr(atomic, "_fsync_folder", synced.append)
    # Folders are synced through the descriptor the files were linked through.
    monkeypatch.setattr(atomic, "_fsync_descriptor",
                        lambda fd: synced.append(Path(os.readlink(f"/proc/self/fd/{fd}"))))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with atomic.CommitQueue(threads=4, max_pending=8) as queue:
        futures = [write_via(queue, tmp_path / ("a" if i % 2 else "b") / f"{i}.out",
                             str(i).encode()) for i in range(200)]
    assert all(f.done() and f.exception() is None for f in futures)
    assert sorted(synced) == [tmp_path / "a", tmp_path / "b"]
    for i in range(200):
        assert (tmp_path / ("a" if i % 2 else "b") / f"{i}.out").read_bytes() == str(i).encode()
    assert len(names(tmp_path / "a")) == len(names(tmp_path / "b")) == 100  # nothing else


def test_a_failed_commit_is_reported_for_its_file_only(
        tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if os.fstat(fd).st_size == len(b"failing"):  # descriptors get reused: go by size
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with atomic.CommitQueue(threads=2) as queue:
        good1 = write_via(queue, tmp_path / "1.out", b"one")
        failed = write_via(queue, tmp_path / "2.out", b"failing")
        good3 = write_via(queue, tmp_path / "3.out", b"three")
    assert good1.result() is None and good3.result() is None
    with pytest.raises(VaultError, match="disk is full"):
        failed.result()
    assert names(tmp_path) == ["1.out", "3.out"]


def test_a_queue_holds_at_most_max_pending_files(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        gate.wait(10)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", slow_fsync)
    queue = atomic.CommitQueue(threads=1, max_pending=3)
    submitted: list[int] = []

    def producer() -> None:
        for i in range(6):
            write_via(queue, tmp_path / f"{i}.out", b"x")
            submitted.append(i)

    t = threading.Thread(target=producer)
    t.start()
    time.sleep(0.3)
    assert len(submitted) == 3  # the fourth waits for a slot
    gate.set()
    t.join(10)
    queue.close()
    assert submitted == list(range(6))
    assert len(names(tmp_path)) == 6
