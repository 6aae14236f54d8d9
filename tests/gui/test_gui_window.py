"""The window's smaller promises: a new profile is the one the next drop seals under;
conflict questions come one at a time; "Show in folder" without a file manager says so;
files dropped while locked are counted at once and handled after the unlock; quitting
while a job runs asks first.

The real window under the offscreen platform (fixtures and helpers from test_gui).
"""

# The window's fixtures from test_gui are imported under their own names, and the tests
# take them as arguments of those names: that is how pytest finds them (hence no F811).
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from vaultapp.core import fileops
from vaultapp.gui import dialogs
from vaultapp.gui.activity import Job
from vaultapp.gui.main_window import MainWindow, QuitQuestion

from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    WAIT_MS,
    drop,
    keybox_url,
    leftovers,
    no_unexpected_dialogs,
    progress,
    status,
    wait_jobs,
    window,
)

QUEUED = "Waiting until the open question is answered"


def big_file(folder: Path) -> Path:
    big = folder / "big.iso"
    with open(big, "wb") as f:
        f.truncate(4 << 30)  # sparse 4 GiB: sealing takes seconds
    return big


def running_job(qtbot: QtBot, win: MainWindow, folder: Path) -> Job:
    drop(win.drop_zone, [big_file(folder)])
    qtbot.waitUntil(lambda: bool(win.activity.jobs)
                    and progress(win, win.activity.jobs[-1]) > 0, timeout=WAIT_MS)
    return win.activity.jobs[-1]


# --- profiles -----------------------------------------------------------------------------

def test_new_profile_is_selected_and_seals_the_next_drop(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialogs.ProfileNameDialog, "ask",
                        classmethod(lambda cls, parent, title, current="": "beta"))
    assert window.current_profile() == "acme"
    window.new_profile_button.click()
    qtbot.waitUntil(lambda: window.profile_list.count() == 2, timeout=WAIT_MS)
    assert window.current_profile() == "beta"
    assert "beta seals with key" in window.key_summary.text()
    plain = tmp_path / "for-beta.txt"
    plain.write_bytes(b"beta's")
    drop(window.drop_zone, [plain])
    (job,) = wait_jobs(qtbot, window, 1)
    assert job.ok, status(window, job)
    (beta,) = [p for p in window.profiles if p.name == "beta"]
    stanza = fileops.inspect_file(tmp_path / "for-beta.txt.vault").stanzas[0]
    assert stanza.profile_id.hex() == beta.profile_id


def test_renamed_profile_stays_selected(qtbot: QtBot, window: MainWindow,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    names = iter(["beta", "zeta"])
    monkeypatch.setattr(dialogs.ProfileNameDialog, "ask",
                        classmethod(lambda cls, parent, title, current="": next(names)))
    window.new_profile_button.click()
    qtbot.waitUntil(lambda: window.current_profile() == "beta", timeout=WAIT_MS)
    window.profile_list.setCurrentRow(0)
    assert window.current_profile() == "acme"
    window.rename_profile_button.click()  # acme -> zeta: sorted after beta now
    qtbot.waitUntil(lambda: "zeta" in [p.name for p in window.profiles], timeout=WAIT_MS)
    assert window.current_profile() == "zeta"


# --- conflict questions -------------------------------------------------------------------

def taken(folder: Path, *names: str) -> list[Path]:
    """Files whose sealed outputs' names are already taken (by b"old")."""
    paths = []
    for name in names:
        path = folder / name
        path.write_bytes(b"new " + name.encode())
        Path(f"{path}.vault").write_bytes(b"old")
        paths.append(path)
    return paths


def test_conflict_questions_never_stack(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A small drop is a job per file, and two plan at once: the second question waits
    for the first to be answered (its row says so) instead of opening over it."""
    files = taken(tmp_path, "a.txt", "b.txt")
    open_now: list[Path] = []
    most_open = [0]
    asked: list[Path] = []

    def ask(cls: object, parent: object, target: Path, count: int = 1) -> str:
        open_now.append(target)
        asked.append(target)
        most_open[0] = max(most_open[0], len(open_now))
        try:
            if len(asked) == 1:  # a modal dialog: its event loop runs until answered
                qtbot.waitUntil(lambda: most_open[0] > 1 or any(
                    j.status.startswith(QUEUED) for j in window.activity.jobs),
                    timeout=WAIT_MS)
        finally:
            open_now.remove(target)
        return dialogs.ConflictDialog.SKIP

    monkeypatch.setattr(dialogs.ConflictDialog, "ask", classmethod(ask))
    drop(window.drop_zone, files)
    jobs = wait_jobs(qtbot, window, 2)
    assert most_open == [1]
    assert sorted(asked) == [Path(f"{f}.vault") for f in files]
    assert all(j.ok and "Skipped" in status(window, j) for j in jobs)
    assert all(Path(f"{f}.vault").read_bytes() == b"old" for f in files)


@pytest.mark.parametrize("how", ["cancel", "lock"])
def test_a_job_waiting_for_its_question_can_be_cancelled(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        how: str) -> None:
    """Cancelled (or locked) while its question waits: it ends at once, never asks, and
    writes nothing; the open question's job ends cancelled on a lock, else as answered."""
    files = taken(tmp_path, "a.txt", "b.txt")
    asked: list[Path] = []
    ended_while_open: list[bool] = []

    def ask(cls: object, parent: object, target: Path, count: int = 1) -> str:
        asked.append(target)
        qtbot.waitUntil(lambda: any(j.status.startswith(QUEUED) for j in window.activity.jobs),
                        timeout=WAIT_MS)
        (waiting,) = [j for j in window.activity.jobs if j.status.startswith(QUEUED)]
        if how == "cancel":
            waiting.cancel()
        else:
            window.lock()
        ended_while_open.append(waiting.ok is False and "Cancelled" in waiting.status)
        return dialogs.ConflictDialog.KEEP_BOTH

    monkeypatch.setattr(dialogs.ConflictDialog, "ask", classmethod(ask))
    drop(window.drop_zone, files)
    qtbot.waitUntil(lambda: len(window.activity.jobs) == 2
                    and all(j.ok is not None for j in window.activity.jobs), timeout=WAIT_MS)
    jobs = window.activity.jobs
    assert len(asked) == 1 and ended_while_open == [True]
    (first,) = [j for j in jobs if Path(f"{j.path}.vault") == asked[0]]
    (second,) = [j for j in jobs if j is not first]
    assert not second.ok and "Cancelled" in second.status
    kept = [p.name for p in tmp_path.iterdir() if "(1)" in p.name]
    if how == "cancel":
        assert first.ok and kept == [f"{first.path.name} (1).vault"]
    else:
        assert not first.ok and "Cancelled" in first.status and kept == []
    assert all(Path(f"{f}.vault").read_bytes() == b"old" for f in files)
    assert leftovers(tmp_path) == []
    if how == "lock":  # (the window fixture's teardown expects the vault again)
        window.unlock_page.passphrase.setText(PASSPHRASE)
        window.unlock_page.unlock_button.click()
        qtbot.waitUntil(lambda: window.controller.is_unlocked, timeout=WAIT_MS)


# --- Show in folder -----------------------------------------------------------------------

def test_show_in_folder_without_a_file_manager_says_so(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    answer = [False]
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(
        lambda url: opened.append(QUrl(url).toLocalFile()) or answer[0]))
    plain = tmp_path / "notes.txt"
    plain.write_bytes(b"notes")
    drop(window.drop_zone, [plain])
    (job,) = wait_jobs(qtbot, window, 1)
    view = window.activity
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Show in folder
    assert opened == [str(tmp_path)]
    message = window.statusBar().currentMessage()
    assert "file manager" in message and str(tmp_path) in message
    row = status(window, job)
    assert row.startswith("Sealed → notes.txt.vault") and "no file manager" in row
    assert job.ok and job.can_show  # still a success, and it may be tried again
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert status(window, job) == row  # the note does not pile up
    window.statusBar().clearMessage()
    answer[0] = True  # a file manager now starts: nothing to say
    assert job.show_in_folder()
    assert window.statusBar().currentMessage() == ""


# --- files dropped while locked -----------------------------------------------------------

def test_files_dropped_while_locked_are_counted_and_handled_after_the_unlock(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.lock_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page,
                    timeout=WAIT_MS)
    assert not window.pending_notice.isVisible()
    files = []
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(name.encode())
        files.append(tmp_path / name)
    drop(window.unlock_page, files)  # dropped on the lock screen: the window takes them
    assert window.pending_notice.isVisible()
    assert window.pending_notice.text() == "Waiting for unlock: 2 files"
    assert window.activity.jobs == []
    (tmp_path / "c.txt").write_bytes(b"c")
    window.handle_files([tmp_path / "c.txt"])  # handed over by a second launch
    assert window.pending_notice.text() == "Waiting for unlock: 3 files"
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.unlock_button.click()
    jobs = wait_jobs(qtbot, window, 3)
    assert all(j.ok for j in jobs)
    assert sorted(p.name for p in tmp_path.glob("*.vault")) == [
        "a.txt.vault", "b.txt.vault", "c.txt.vault"]
    assert not window.pending_notice.isVisible()


def test_one_file_waiting_is_worded_alone(qtbot: QtBot, window: MainWindow,
                                          tmp_path: Path) -> None:
    window.lock_button.click()
    qtbot.waitUntil(lambda: not window.controller.is_unlocked, timeout=WAIT_MS)
    window.handle_files([tmp_path / "one.txt"])
    assert window.pending_notice.text() == "Waiting for unlock: 1 file"
    window.pending_files.clear()  # (nothing to seal after the fixture's unlock)
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: window.controller.is_unlocked, timeout=WAIT_MS)


def test_files_given_at_start_up_are_counted_while_the_passphrase_is_asked(
        qtbot: QtBot, tmp_path: Path, keybox_url: str, memory_keyring: object) -> None:
    """`vaultapp gui FILE` with a keybox the keyring cannot unlock: the unlock page shows
    and the status bar says the file waits."""
    from PySide6.QtCore import QSettings

    from vaultapp.gui.controller import KeyboxController

    memory_keyring.store.clear()  # type: ignore[attr-defined]
    plain = tmp_path / "given.txt"
    plain.write_bytes(b"given on the command line")
    win = MainWindow(KeyboxController(keybox_url),
                     QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.pending_files.extend([plain])  # as vaultapp.gui.app.create_window does
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.unlock_page, timeout=WAIT_MS)
    assert win.pending_notice.isVisible()
    assert win.pending_notice.text() == "Waiting for unlock: 1 file"
    win.unlock_page.passphrase.setText(PASSPHRASE)
    win.unlock_page.unlock_button.click()
    (job,) = wait_jobs(qtbot, win, 1)
    assert job.ok and (tmp_path / "given.txt.vault").exists()
    assert not win.pending_notice.isVisible()
    win.controller.close()


def test_the_vault_page_takes_drops_only_on_the_drop_zone(window: MainWindow,
                                                           tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "x.txt"))])
    enter = QDragEnterEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window.key_table.viewport(), enter)
    assert not enter.isAccepted()


# --- quitting while a job runs ------------------------------------------------------------

def test_quit_while_a_job_runs_asks_and_no_keeps_it(qtbot: QtBot, window: MainWindow,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [False]
    asked: list[int] = []

    def ask(cls: object, parent: object, jobs: int) -> bool:
        asked.append(jobs)
        return answers[0]

    monkeypatch.setattr(QuitQuestion, "ask", classmethod(ask))
    job = running_job(qtbot, window, tmp_path)
    # File > Quit (Ctrl+Q where the platform has that shortcut; the offscreen one has none)
    (quit_action,) = [a for a in window.menuBar().actions()[0].menu().actions()
                      if a.text() == "&Quit"]
    assert quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    quit_action.trigger()
    assert asked == [1]
    assert window.isVisible() and window.controller.is_unlocked and job.ok is None
    before = progress(window, job)
    qtbot.waitUntil(lambda: progress(window, job) > before, timeout=WAIT_MS)  # it goes on
    answers[0] = True
    assert window.close()
    assert asked == [1, 1] and not window.isVisible()
    assert not window.controller.is_unlocked
    (done,) = wait_jobs(qtbot, window, 1)
    assert not done.ok  # cancelled, or stopped by the lock that follows: nothing written
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("big")) == ["big.iso"]
    window.unlock_page.passphrase.setText(PASSPHRASE)  # (for the fixture's teardown)
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: window.controller.is_unlocked, timeout=WAIT_MS)


def test_closing_when_idle_does_not_ask(qtbot: QtBot, window: MainWindow,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QuitQuestion, "ask", classmethod(
        lambda cls, parent, jobs: pytest.fail("asked although no job runs")))
    assert window.close()
    assert not window.isVisible()


def test_quit_question_says_what_happens(qtbot: QtBot, window: MainWindow) -> None:
    box, quit_button = QuitQuestion.build(window, 1)
    qtbot.addWidget(box)
    assert box.text() == "A job is still running. Quit and cancel it?"
    assert quit_button.text() == "Quit"
    assert box.defaultButton() is not quit_button and box.escapeButton() is not quit_button
    many, _ = QuitQuestion.build(window, 3)
    qtbot.addWidget(many)
    assert many.text() == "3 jobs are still running. Quit and cancel them?"
