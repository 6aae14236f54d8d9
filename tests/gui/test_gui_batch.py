"""Drops of many small files become one batch job: one row, one worker, one audit-log row.

The real window under the offscreen platform (fixtures and helpers from test_gui), real
files, real fsyncs. Failures are made real too: a file that disappears, a tampered sealed
file, a sealed output damaged before it is verified.
"""

# The window's fixtures from test_gui are imported under their own names, and the tests
# take them as arguments of those names: that is how pytest finds them (hence no F811).
# ruff: noqa: F811

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from vaultapp.core import fileops
from vaultapp.core.keybox import Keybox
from vaultapp.gui import dialogs
from vaultapp.gui.activity import BATCH_MIN, CANCEL, DETAILS, SHOW, Job
from vaultapp.gui.main_window import MainWindow

from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    WAIT_MS,
    click,
    drop,
    keybox_url,
    leftovers,
    no_unexpected_dialogs,
    row_name,
    shown_actions,
    status,
    status_tooltip,
    tooltip,
    wait_jobs,
    window,
)

REAL_CONFLICT_ASK = dialogs.ConflictDialog.ask  # before no_unexpected_dialogs replaces it


def make_files(folder: Path, count: int, prefix: str = "f") -> dict[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for i in range(count):
        path = folder / f"{prefix}{i:03d}.bin"
        data = os.urandom(100 + 37 * i)
        path.write_bytes(data)
        files[path] = data
    return files


@pytest.fixture
def box(keybox_url: str) -> Iterator[Keybox]:
    """A second handle on the window's keybox, to check outputs and the audit log."""
    handle = Keybox.open(keybox_url)
    handle.unlock(PASSPHRASE)
    yield handle
    handle.close()


def the_batch(qtbot: QtBot, win: MainWindow, count: int = 1) -> Job:
    """Wait for `count` jobs to finish; the last must be a batch."""
    jobs = wait_jobs(qtbot, win, count)
    job = jobs[-1]
    assert isinstance(job, Job) and not job.single, job
    assert job.outcome is not None
    return job


def seal_rows(box: Keybox) -> list[int]:
    return [e.files for e in box.audit_log() if e.action == "seal"]


def opens_back(box: Keybox, sealed: Path, original: bytes, out: Path) -> bool:
    out.mkdir(exist_ok=True)
    result = fileops.open_file(sealed, box, output=out, force=True)
    assert result.output is not None
    return result.output.read_bytes() == original


def test_drop_of_200_files_is_one_batch_with_one_audit_row(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, box: Keybox) -> None:
    files = make_files(tmp_path / "many", 200)
    drop(window.drop_zone, [tmp_path / "many"])
    job = the_batch(qtbot, window)
    assert window.activity.model().rowCount() == 1  # one row, not 200
    assert job.ok, status(window, job)
    assert status(window, job) == "Sealed 200 · opened 0 · 0 failed"
    assert row_name(window, job) == "200 files in many"
    assert "many/f000.bin" in tooltip(window, job)
    assert job.output is not None and SHOW in shown_actions(window, job)
    for path, data in files.items():
        assert opens_back(box, Path(f"{path}.vault"), data, tmp_path / "check")
    assert seal_rows(box) == [200]
    assert leftovers(tmp_path) == []


def test_mixed_batch_seals_plain_files_and_opens_sealed_ones(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    first = make_files(tmp_path / "a", 25)
    mtimes = {p: p.stat().st_mtime_ns for p in first}
    drop(window.drop_zone, [tmp_path / "a"])
    the_batch(qtbot, window)
    for path in first:
        path.unlink()
    second = make_files(tmp_path / "b", 25)
    drop(window.drop_zone, [Path(f"{p}.vault") for p in first] + list(second))
    job = the_batch(qtbot, window, 2)
    assert job.ok and status(window, job) == "Sealed 25 · opened 25 · 0 failed"
    for path, data in first.items():
        assert path.read_bytes() == data and path.stat().st_mtime_ns == mtimes[path]
    assert all(Path(f"{p}.vault").exists() for p in second)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("choice", [dialogs.ConflictDialog.KEEP_BOTH,
                                    dialogs.ConflictDialog.REPLACE,
                                    dialogs.ConflictDialog.SKIP])
def test_conflicts_are_asked_once_for_the_batch(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        box: Keybox, choice: str) -> None:
    files = make_files(tmp_path / "c", 25)
    taken = sorted(files)[3:8]
    for path in taken:
        Path(f"{path}.vault").write_bytes(b"precious")
    asked: list[tuple[Path, int]] = []

    def ask(cls: object, parent: object, target: Path, count: int = 1) -> str:
        asked.append((target, count))
        return choice

    monkeypatch.setattr(dialogs.ConflictDialog, "ask", classmethod(ask))
    drop(window.drop_zone, list(files))  # not the folder: the taken names are in it
    job = the_batch(qtbot, window)
    assert asked == [(Path(f"{taken[0]}.vault"), 5)]
    for path in taken:
        existing = Path(f"{path}.vault")
        numbered = path.with_name(f"{path.name} (1).vault")
        if choice == dialogs.ConflictDialog.KEEP_BOTH:
            assert existing.read_bytes() == b"precious"
            assert opens_back(box, numbered, files[path], tmp_path / "check")
        elif choice == dialogs.ConflictDialog.REPLACE:
            assert opens_back(box, existing, files[path], tmp_path / "check")
            assert not numbered.exists()
        else:
            assert existing.read_bytes() == b"precious" and not numbered.exists()
    skipped = 5 if choice == dialogs.ConflictDialog.SKIP else 0
    assert job.outcome is not None and job.outcome.skipped == skipped
    assert status(window, job).startswith(f"Sealed {25 - skipped} · opened 0 · 0 failed")
    assert ("5 skipped" in status(window, job)) == bool(skipped)
    assert seal_rows(box) == [25 - skipped]
    assert leftovers(tmp_path) == []


def test_two_outputs_of_one_batch_never_share_a_name(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """With an output folder, same-named files from two subfolders keep both."""
    out = tmp_path / "out"
    out.mkdir()
    window.settings = dialogs.Settings(output_folder=str(out))
    make_files(tmp_path / "d" / "one", 11)
    make_files(tmp_path / "d" / "two", 11)
    drop(window.drop_zone, [tmp_path / "d"])
    job = the_batch(qtbot, window)
    assert job.ok, status(window, job)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 22 and "f000.bin.vault" in names and "f000.bin (1).vault" in names


def test_conflict_dialog_says_how_many(qtbot: QtBot, tmp_path: Path) -> None:
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text() + " " + box.informativeText())
        (skip,) = [b for b in box.buttons() if b.text() == "Skip all"]
        skip.click()

    QTimer.singleShot(0, answer)
    choice = REAL_CONFLICT_ASK(None, tmp_path / "x.txt.vault", 1234)
    assert choice == dialogs.ConflictDialog.SKIP
    assert "1,234 of the outputs already exist" in seen[0] and "x.txt.vault" in seen[0]
    assert "applies to all 1,234" in seen[0]


def test_failures_are_reported_and_the_rest_succeed(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, box: Keybox,
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_files(tmp_path / "e", 30)
    doomed = tmp_path / "e" / "f010.bin"
    (tmp_path / "other.txt").write_bytes(b"other")
    # sealed files with one byte changed: in the payload (found while opening) and in the
    # header (found while planning)
    for name, offset in (("zz-payload.vault", -1), ("zz-header.vault", 40)):
        fileops.seal_file(tmp_path / "other.txt", [box.recipient("acme")],
                          output=tmp_path / "e" / name)
        data = bytearray((tmp_path / "e" / name).read_bytes())
        data[offset] ^= 1
        (tmp_path / "e" / name).write_bytes(data)
    real_seal = fileops.seal_file

    def seal_file(source: Path, *args: Any, **kwargs: Any) -> fileops.FileResult:
        if source == doomed:  # deleted after planning, just before it is sealed
            source.unlink()
        return real_seal(source, *args, **kwargs)

    monkeypatch.setattr(fileops, "seal_file", seal_file)
    drop(window.drop_zone, [tmp_path / "e"])
    job = the_batch(qtbot, window)
    text = status(window, job)
    assert not job.ok and text == "Sealed 29 · opened 0 · 3 failed", text
    tip = status_tooltip(window, job)
    assert "f010.bin: cannot read" in tip and "does not exist" in tip
    assert "zz-payload.vault: the file is tampered" in tip
    assert "zz-header.vault: the file is tampered" in tip
    assert not (tmp_path / "e" / "other.txt").exists()
    assert DETAILS in shown_actions(window, job)
    click(window, job, DETAILS)
    assert job.details is not None and job.details.isVisible()
    assert "f010.bin" in job.details.text.toPlainText()
    job.details.reject()
    for path, content in files.items():
        if path != doomed:
            assert opens_back(box, Path(f"{path}.vault"), content, tmp_path / "check")
    assert not Path(f"{doomed}.vault").exists()
    assert seal_rows(box) == [29]
    assert leftovers(tmp_path) == []


def test_cancel_mid_batch_leaves_only_complete_outputs(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, box: Keybox,
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_files(tmp_path / "g", 120)
    reached, release = threading.Event(), threading.Event()
    calls = [0]
    real_seal = fileops.seal_file

    def seal_file(source: Path, *args: Any, **kwargs: Any) -> fileops.FileResult:
        calls[0] += 1
        if calls[0] == 51:  # hold the 51st file until Cancel was clicked
            reached.set()
            release.wait(WAIT_MS / 1000)
        return real_seal(source, *args, **kwargs)

    monkeypatch.setattr(fileops, "seal_file", seal_file)
    drop(window.drop_zone, [tmp_path / "g"])
    qtbot.waitUntil(reached.is_set, timeout=WAIT_MS)
    job = window.activity.jobs[0]
    click(window, job, CANCEL)
    release.set()
    job = the_batch(qtbot, window)
    assert not job.ok
    assert status(window, job) == ("Cancelled · Sealed 51 · opened 0 · 0 failed · "
                                   "69 not started")
    outputs = sorted((tmp_path / "g").glob("*.vault"))
    assert len(outputs) == 51 and calls[0] == 51
    for output in outputs:  # every output that has a name is complete
        original = output.with_name(output.name.removesuffix(".vault"))
        assert opens_back(box, output, files[original], tmp_path / "check")
    assert seal_rows(box) == [51]
    assert leftovers(tmp_path) == []


def test_remove_originals_removes_only_verified_ones(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, box: Keybox,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window.settings = dialogs.Settings(remove_originals=True)
    files = make_files(tmp_path / "h", 25)
    damaged = tmp_path / "h" / "f007.bin.vault"
    real_verify = fileops.verify_file

    def verify_file(source: Path, *args: Any, **kwargs: Any) -> fileops.FileResult:
        if source == damaged:  # the disk damaged this output after it was written
            data = bytearray(source.read_bytes())
            data[-5] ^= 1
            source.write_bytes(data)
        return real_verify(source, *args, **kwargs)

    monkeypatch.setattr(fileops, "verify_file", verify_file)
    drop(window.drop_zone, [tmp_path / "h"])
    job = the_batch(qtbot, window)
    assert status(window, job) == "Sealed 24 · opened 0 · 1 failed · 24 originals removed"
    assert "f007.bin: sealed, but the original was kept" in status_tooltip(window, job)
    for path, data in files.items():
        if path.name == "f007.bin":
            assert path.read_bytes() == data
        else:
            assert not path.exists()
            assert opens_back(box, Path(f"{path}.vault"), data, tmp_path / "check")
    assert seal_rows(box) == [25]  # the damaged output was sealed under the key too


def test_large_files_and_small_drops_keep_a_row_each(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    make_files(tmp_path / "few", BATCH_MIN)
    drop(window.drop_zone, [tmp_path / "few"])
    jobs = wait_jobs(qtbot, window, BATCH_MIN)
    assert all(isinstance(j, Job) and j.single and j.ok for j in jobs)
    make_files(tmp_path / "mix", BATCH_MIN + 1)
    big = tmp_path / "mix" / "zz-big.iso"
    with open(big, "wb") as f:
        f.truncate(9 << 20)  # sparse: larger than a batch takes
    drop(window.drop_zone, [tmp_path / "mix"])
    jobs = wait_jobs(qtbot, window, BATCH_MIN + 2)
    batch, single = jobs[-2:]
    assert not batch.single and len(batch.paths) == BATCH_MIN + 1 and batch.ok
    assert single.single and single.path == big and single.ok
    assert Path(f"{big}.vault").exists()


def test_fifos_are_skipped_and_a_missing_output_folder_is_said(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """A FIFO in a dropped folder would block the planning worker forever if opened."""
    make_files(tmp_path / "p", BATCH_MIN + 1)
    os.mkfifo(tmp_path / "p" / "pipe")
    drop(window.drop_zone, [tmp_path / "p"])
    job = the_batch(qtbot, window)
    assert job.ok and len(job.paths) == BATCH_MIN + 1
    window.settings = dialogs.Settings(output_folder=str(tmp_path / "gone"))
    drop(window.drop_zone, [tmp_path / "p"])
    job = wait_jobs(qtbot, window, 2)[-1]
    assert not job.single and job.outcome is None  # stopped before any file
    assert not job.ok and "gone does not exist" in status(window, job)
    assert not (tmp_path / "gone").exists()
