"""Faults with real kernel errors: a full disk (a small tmpfs), a read-only file system,
outputs on another file system, vanishing inputs, and batches where some files fail."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vaultapp.core import fileops
from vaultapp.core.envelope import Recipient, StaticResolver
from vaultapp.core.errors import VaultError

KEY = Recipient(os.urandom(16), os.urandom(16), os.urandom(32))


def _mount(options: str) -> Iterator[Path]:
    point = Path(tempfile.mkdtemp(prefix="vaultapp-fs-"))
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs for fault tests (needs root): {result.stderr}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
        point.rmdir()


@pytest.fixture
def small_fs() -> Iterator[Path]:
    """A 1 MiB file system: writes past that fail with ENOSPC."""
    yield from _mount("size=1m,mode=0755")


@pytest.fixture
def read_only_fs() -> Iterator[Path]:
    yield from _mount("size=1m,ro")


def entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_disk_full_during_seal(tmp_path: Path, small_fs: Path) -> None:
    src = tmp_path / "big.bin"
    data = os.urandom(3 << 20)
    src.write_bytes(data)
    with pytest.raises(VaultError, match="disk is full"):
        fileops.seal_file(src, [KEY], output=small_fs)
    assert entries(small_fs) == []  # no partial output, no temporary file
    assert src.read_bytes() == data


def test_disk_full_during_open(tmp_path: Path, small_fs: Path) -> None:
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(3 << 20))
    sealed = fileops.seal_file(src, [KEY]).output
    before = sealed.read_bytes()
    with pytest.raises(VaultError, match="disk is full"):
        fileops.open_file(sealed, StaticResolver([KEY]), output=small_fs)
    assert entries(small_fs) == []
    assert sealed.read_bytes() == before


def test_read_only_output_folder(tmp_path: Path, read_only_fs: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(b"alpha")
    with pytest.raises(VaultError, match="read-only file system"):
        fileops.seal_file(src, [KEY], output=read_only_fs)
    assert entries(read_only_fs) == [] and src.read_bytes() == b"alpha"


def test_output_on_another_file_system(tmp_path: Path, small_fs: Path) -> None:
    """The temporary file lives beside the target, so the final rename never crosses
    devices even when input and output are on different file systems."""
    src = tmp_path / "doc.txt"
    src.write_bytes(b"cross-device")
    assert os.stat(tmp_path).st_dev != os.stat(small_fs).st_dev
    sealed = fileops.seal_file(src, [KEY], output=small_fs).output
    assert sealed == small_fs / "doc.txt.vault"
    back = fileops.open_file(sealed, StaticResolver([KEY]), output=tmp_path / "back.txt")
    assert back.output.read_bytes() == b"cross-device"
    assert entries(small_fs) == ["doc.txt.vault"]


def test_input_deleted_while_sealed(tmp_path: Path) -> None:
    src = tmp_path / "vanishing.bin"
    src.write_bytes(os.urandom(4 << 20))
    gone = False

    def progress(done: int) -> None:
        nonlocal gone
        if not gone:
            src.unlink()
            gone = True

    with pytest.raises(VaultError, match="deleted while it was being sealed"):
        fileops.seal_file(src, [KEY], progress=progress)
    assert entries(tmp_path) == []


def test_batch_where_some_files_fail(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import PASSPHRASE

    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init", "--no-keyring").code == 0
    assert cli("profile", "create", "acme").code == 0
    good1, good2 = tmp_path / "one.txt", tmp_path / "two.txt"
    good1.write_bytes(b"1")
    good2.write_bytes(b"2")
    (tmp_path / "two.txt.vault").write_bytes(b"already here")
    result = cli("seal", str(good1), str(tmp_path / "missing.txt"), str(good2))
    assert result.code == 1
    assert (tmp_path / "one.txt.vault").exists()
    assert "missing.txt" in result.err and "does not exist" in result.err
    assert "two.txt.vault already exists" in result.err
    assert (tmp_path / "two.txt.vault").read_bytes() == b"already here"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".vaultapp-")]


def test_batch_where_a_file_fails_at_its_sync(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small files are made durable and linked by a CommitQueue, a group at a time,
    after the next files started: when the group's syncfs reports a lost write, each file
    is fdatasynced to learn whose, and the failure is still reported for its own file,
    which never appears; only the files really sealed are counted in the audit log."""
    from tests.conftest import PASSPHRASE
    from vaultapp.core import atomic

    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init", "--no-keyring").code == 0
    assert cli("profile", "create", "acme").code == 0
    files = []
    for i in range(12):
        p = tmp_path / f"f{i:02d}.txt"
        p.write_bytes(b"x" * (100 if i != 7 else 3333))
        files.append(p)
    doomed_size = len((tmp_path / "f07.txt").read_bytes())
    real_fsync, real_fdatasync = os.fsync, os.fdatasync

    def failing(real: Callable[[int], None]) -> Callable[[int], None]:
        def sync(fd: int) -> None:
            st = os.fstat(fd)
            if stat.S_ISREG(st.st_mode) and doomed_size < st.st_size < doomed_size + 400:
                raise OSError(errno.ENOSPC, "No space left on device")
            real(fd)
        return sync

    monkeypatch.setattr(os, "fsync", failing(real_fsync))
    monkeypatch.setattr(os, "fdatasync", failing(real_fdatasync))
    if atomic._syncfs() is not None:  # the group's one syncfs: "an error, somewhere"
        monkeypatch.setattr(atomic, "_syncfs", lambda: lambda fd: -1)
    result = cli("seal", *map(str, files))
    assert result.code == 1
    assert "f07.txt" in result.err and "disk is full" in result.err
    assert result.err.count("vaultapp:") == 1
    sealed = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".vault"))
    assert sealed == [f"f{i:02d}.txt.vault" for i in range(12) if i != 7]
    others = {p.name for p in files} | set(sealed) | {"vaultapp-home"}
    assert set(os.listdir(tmp_path)) == others  # nothing half-written left
    monkeypatch.setattr(os, "fsync", real_fsync)
    monkeypatch.setattr(os, "fdatasync", real_fdatasync)
    log = json.loads(cli("log", "--json").out)
    assert [e["files"] for e in log if e["action"] == "seal"] == [11]
