"""AtomicFile: outputs appear under their final name only when complete and fsynced.

Both ways of holding the bytes are tested: the anonymous O_TMPFILE file (Linux), which
has no name at all until it is linked, and the named `.vaultapp-*.tmp` file used where
O_TMPFILE is missing. Also: the writeback hint for large outputs.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from vaultapp.core import atomic
from vaultapp.core.atomic import TEMP_PREFIX, AtomicFile
from vaultapp.core.errors import OutputExistsError

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
