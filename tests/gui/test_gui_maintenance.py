"""Back up, restore and check the keybox from the window (Vault menu), on a real keybox."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE, MemoryKeyring
from tests.gui.feature_fixtures import (
    WAIT_MS,
    idle,
    keybox_url,
    missing_accessible_names,
    on_executor,
    shown,
    window,
)
from vaultapp.core.keybox import Keybox, maintenance
from vaultapp.core.keybox.maintenance import CheckReport
from vaultapp.gui import maintenance_dialog
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.maintenance_dialog import (
    BackupFacts,
    CheckReportDialog,
    ConfirmRestoreDialog,
    KeyboxFiles,
)

FIXTURES = (keybox_url, shown, window)  # pytest finds these fixtures by their names here


def keybox_file(win: MainWindow) -> Path:
    return Path(win.controller.url.removeprefix("sqlite:///"))


def choose(monkeypatch: pytest.MonkeyPatch, backup: Path | None = None,
           restore: Path | None = None) -> list[str]:
    """Answer the file choosers; returns which were asked."""
    asked: list[str] = []

    def target(cls: object, parent: object, suggested: Path) -> Path | None:
        asked.append(f"backup:{suggested}")
        return backup

    def source(cls: object, parent: object) -> Path | None:
        asked.append("restore")
        return restore

    monkeypatch.setattr(KeyboxFiles, "backup_target", classmethod(target))
    monkeypatch.setattr(KeyboxFiles, "restore_source", classmethod(source))
    return asked


def confirm_restore(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[tuple[str, Path,
                                                                                 BackupFacts]]:
    questions: list[tuple[str, Path, BackupFacts]] = []

    def ask(cls: object, parent: object, location: str, source: Path,
            facts: BackupFacts) -> bool:
        questions.append((location, source, facts))
        return answer

    monkeypatch.setattr(ConfirmRestoreDialog, "ask", classmethod(ask))
    return questions


def audit_actions(win: MainWindow) -> list[str]:
    entries = on_executor(win, lambda box: box.audit_log())
    return [e.action for e in entries]  # type: ignore[attr-defined]


# --- backup -------------------------------------------------------------------------------

def test_backup_writes_a_copy_and_the_status_bar_says_so(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.backup_state.text().startswith("Last backup: never")
    out = tmp_path / "saved" / "my-backup.sqlite"
    out.parent.mkdir()
    asked = choose(monkeypatch, backup=out)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: out.exists() and "days ago" in window.backup_state.text(),
                    timeout=WAIT_MS)
    (suggested,) = asked
    assert suggested.startswith(f"backup:{Path.home()}/keybox-backup-{datetime.now():%Y-%m-%d}-")
    assert suggested.endswith(".sqlite")
    assert window.backup_state.text() == \
        f"Last backup: {datetime.now():%Y-%m-%d} (0 days ago)"
    assert window.statusBar().currentMessage() == \
        f"Backup written to {out}; it is protected by the same key slots"
    maintenance.validate_backup(window.controller.url, out)  # a usable keybox backup
    assert audit_actions(window)[-1] == "keybox.backup"
    assert out.stat().st_mode & 0o077 == 0  # owner-only, like the keybox
    # The next backup starts in the folder chosen last.
    asked = choose(monkeypatch, backup=None)
    window.backup_action.trigger()
    assert asked[0].startswith(f"backup:{out.parent}/keybox-backup-")


def test_backup_replaces_a_file_the_chooser_agreed_to_replace(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "old.sqlite"
    out.write_text("an older file")
    choose(monkeypatch, backup=out)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: out.read_bytes().startswith(b"SQLite format 3"), timeout=WAIT_MS)
    maintenance.validate_backup(window.controller.url, out)


def test_backup_refuses_to_write_over_the_keybox_itself(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        shown: list[tuple[str, str]]) -> None:
    path = keybox_file(window)
    before = path.read_bytes()
    choose(monkeypatch, backup=path)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert shown == [("warning", f"{path} is the keybox itself; choose another file for the "
                                 "backup")]
    assert path.read_bytes() == before
    assert "keybox.backup" not in audit_actions(window)


def test_backup_cancelled_in_the_chooser_writes_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked = choose(monkeypatch, backup=None)
    window.backup_action.trigger()
    idle(qtbot, window)
    assert len(asked) == 1
    assert "keybox.backup" not in audit_actions(window)
    assert window.backup_state.text().startswith("Last backup: never")


def test_backup_into_a_folder_that_cannot_be_written_says_why(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        shown: list[tuple[str, str]]) -> None:
    out = tmp_path / "no-such-folder" / "backup.sqlite"
    choose(monkeypatch, backup=out)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert shown[0][0] == "warning" and "no-such-folder" in shown[0][1]
    assert not out.exists()


# --- restore ------------------------------------------------------------------------------

@pytest.fixture
def backup_then_rotate(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> Path:
    """A backup with one key, then a second key made after it."""
    out = tmp_path / "backup.sqlite"
    on_executor(window, lambda box: maintenance.backup(box, out))
    on_executor(window, lambda box: box.rotate("acme"))
    window.refresh()
    qtbot.waitUntil(lambda: window.key_model.rowCount() == 2, timeout=WAIT_MS)
    return out


def test_restore_asks_then_replaces_and_unlocks_the_restored_keybox(
        qtbot: QtBot, window: MainWindow, backup_then_rotate: Path,
        monkeypatch: pytest.MonkeyPatch, shown: list[tuple[str, str]]) -> None:
    path = keybox_file(window)
    asked = choose(monkeypatch, restore=backup_then_rotate)
    questions = confirm_restore(monkeypatch, True)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert asked == ["restore"]
    ((location, source, facts),) = questions
    assert location == window.controller.location and source == backup_then_rotate
    assert facts.same_keybox and facts.profiles == 1 and facts.keys == 1
    assert facts.newest_entry is not None

    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.vault_page
                    and window.key_model.rowCount() == 1, timeout=WAIT_MS)
    kept = [p for p in path.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1
    assert shown == [("information", f"The keybox was restored from {backup_then_rotate}. "
                                     f"The replaced keybox was kept as {kept[0]}.")]
    # The kept keybox is complete (its write-ahead log was folded in before it was kept):
    # it still has the key made after the backup.
    with sqlite3.connect(f"file:{kept[0]}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM profile_keys").fetchone()[0] == 2
    assert audit_actions(window)[-1] == "keybox.restore"
    assert window.controller.is_unlocked
    # The restored (older) keybox was re-pinned: it unlocks again from a fresh start.
    window.controller.close()
    box = Keybox.open(window.controller.url)
    box.unlock()
    assert len(box.keys()) == 1
    box.close()


def test_restore_declined_changes_nothing(
        qtbot: QtBot, window: MainWindow, backup_then_rotate: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = keybox_file(window)
    choose(monkeypatch, restore=backup_then_rotate)
    questions = confirm_restore(monkeypatch, False)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(questions), timeout=WAIT_MS)
    idle(qtbot, window)
    assert window.statusBar().currentMessage() == "Nothing restored"
    assert window.key_model.rowCount() == 2
    assert not [p for p in path.parent.iterdir() if ".before-restore-" in p.name]
    assert "keybox.restore" not in audit_actions(window)


def test_restore_refuses_a_file_that_is_no_backup_before_asking(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        shown: list[tuple[str, str]]) -> None:
    junk = tmp_path / "notes.sqlite"
    junk.write_text("not a database")
    choose(monkeypatch, restore=junk)
    questions = confirm_restore(monkeypatch, True)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert questions == []
    assert shown[0][0] == "warning"
    assert shown[0][1].startswith(f"{junk} is not a usable keybox backup")
    assert window.controller.is_unlocked and window.key_model.rowCount() == 1


def test_restore_when_the_restored_keybox_needs_a_passphrase(
        qtbot: QtBot, window: MainWindow, backup_then_rotate: Path,
        monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring) -> None:
    """Its keyring slot cannot unlock it: the unlock page says what happened, and the
    restore is written into the log once the person unlocks it."""
    choose(monkeypatch, restore=backup_then_rotate)
    confirm_restore(monkeypatch, True)
    memory_keyring.store.clear()  # the keyring entry is gone (another machine, say)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page
                    and "restored" in window.unlock_page.tried.text(), timeout=WAIT_MS)
    text = window.unlock_page.tried.text()
    assert text.startswith(f"The keybox was restored from {backup_then_rotate}.")
    assert text.endswith("Unlock the restored keybox with one of its key slots.")
    assert not window.controller.is_unlocked
    assert not window.backup_action.isEnabled()

    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.vault_page
                    and window.key_model.rowCount() == 1, timeout=WAIT_MS)
    idle(qtbot, window)
    assert audit_actions(window)[-1] == "keybox.restore"


def test_restore_while_locked_never_unlocks_by_itself(
        qtbot: QtBot, window: MainWindow, backup_then_rotate: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Restoring from the unlock page (a keybox that no longer opens, say) replaces the
    keybox, but the keyring does not open it silently: the person unlocks it."""
    window.lock()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page,
                    timeout=WAIT_MS)
    assert window.restore_action.isEnabled() and not window.backup_action.isEnabled()
    choose(monkeypatch, restore=backup_then_rotate)
    confirm_restore(monkeypatch, True)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: "restored" in window.unlock_page.tried.text(), timeout=WAIT_MS)
    idle(qtbot, window)
    assert window.pages.currentWidget() is window.unlock_page
    assert not window.controller.is_unlocked
    assert window.unlock_page.tried.text().endswith(
        "Unlock the restored keybox with one of its key slots.")
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.vault_page
                    and window.key_model.rowCount() == 1, timeout=WAIT_MS)
    idle(qtbot, window)
    assert audit_actions(window)[-1] == "keybox.restore"


def test_restore_on_the_first_run_screen_brings_a_keybox_to_a_new_machine(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        memory_keyring: MemoryKeyring, shown: list[tuple[str, str]]) -> None:
    from PySide6.QtCore import QSettings

    made = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    box = Keybox.create(made, use_keyring=True, passphrase=PASSPHRASE)
    box.create_profile("carried")
    backup = tmp_path / "carried-backup.sqlite"
    maintenance.backup(box, backup)
    box.close()
    memory_keyring.store.clear()  # the new machine's keyring knows nothing of it

    url = f"sqlite:///{tmp_path / 'here' / 'keybox.sqlite'}"
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(KeyboxController(url), settings)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.setup_page, timeout=WAIT_MS)
    assert win.restore_action.isEnabled()
    choose(monkeypatch, restore=backup)
    questions = confirm_restore(monkeypatch, True)
    win.restore_action.trigger()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.unlock_page, timeout=WAIT_MS)
    facts = questions[0][2]
    assert not facts.replaces and facts.profiles == 1
    dialog = ConfirmRestoreDialog(win, win.controller.location, backup, facts)
    qtbot.addWidget(dialog)
    label = dialog.findChildren(maintenance_dialog.QLabel)[0].text()
    assert "There is no keybox at" in label and "becomes this machine's keybox" in label
    assert dialog.findChild(maintenance_dialog.QLabel, "otherKeyboxWarning") is None
    assert dialog.restore_button.text() == "Restore"
    assert win.statusBar().currentMessage() == f"The keybox was restored from {backup}."
    assert not [p for p in (tmp_path / "here").iterdir() if ".before-restore-" in p.name]
    win.unlock_page.passphrase.setText(PASSPHRASE)
    win.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page
                    and win.key_model.rowCount() == 1, timeout=WAIT_MS)
    assert win.current_profile() == "carried"
    idle(qtbot, win)
    assert audit_actions(win)[-1] == "keybox.restore"
    win.controller.close()


def test_restore_waits_for_running_file_jobs(
        qtbot: QtBot, window: MainWindow, backup_then_rotate: Path,
        monkeypatch: pytest.MonkeyPatch, shown: list[tuple[str, str]]) -> None:
    asked = choose(monkeypatch, restore=backup_then_rotate)
    monkeypatch.setattr(window.activity, "busy", lambda: True)
    window.restore_action.trigger()
    assert asked == []
    assert shown == [("warning", "Files are being sealed or opened. Wait for them to finish "
                                 "(or cancel them), then restore.")]
    monkeypatch.undo()  # the fixture's teardown waits for the (real) jobs to end


def test_a_failed_restore_says_so_and_the_keybox_opens_again(
        qtbot: QtBot, window: MainWindow, backup_then_rotate: Path,
        monkeypatch: pytest.MonkeyPatch, shown: list[tuple[str, str]]) -> None:
    from vaultapp.core.errors import VaultError

    def broken(url: str, source: Path) -> Path:
        raise VaultError("cannot keep the current keybox as x: disk full")

    choose(monkeypatch, restore=backup_then_rotate)
    confirm_restore(monkeypatch, True)
    monkeypatch.setattr(maintenance, "restore", broken)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert shown == [("warning", "The keybox was not restored: cannot keep the current "
                                 "keybox as x: disk full")]
    assert window.pages.currentWidget() is window.unlock_page
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.vault_page
                    and window.key_model.rowCount() == 2, timeout=WAIT_MS)  # unchanged


def test_confirm_restore_dialog_spells_out_the_replacement(qtbot: QtBot) -> None:
    facts = BackupFacts(datetime(2025, 3, 4, 5, 6).astimezone(), True, 2, 5)
    dialog = ConfirmRestoreDialog(None, "/home/me/keybox.sqlite", Path("/b/k.sqlite"), facts)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.findChildren(maintenance_dialog.QLabel)[0].text()
    assert "Restoring replaces the current keybox at /home/me/keybox.sqlite with the " \
           "backup /b/k.sqlite." in text
    assert "it holds 2 profiles and 5 keys" in text
    assert "The current keybox is kept beside it" in text
    assert dialog.findChild(maintenance_dialog.QLabel, "otherKeyboxWarning") is None
    assert missing_accessible_names(dialog) == []
    assert dialog.restore_button.text() == "Replace the keybox"
    # Enter does not replace a keybox: Cancel is the default and has the focus.
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None, timeout=WAIT_MS)
    assert dialog.focusWidget().text() == "Cancel"  # type: ignore[attr-defined]
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == 0 and not dialog.isVisible()

    other = ConfirmRestoreDialog(None, "here", Path("there"), BackupFacts(None, False, 0, 0))
    qtbot.addWidget(other)
    warning = other.findChild(maintenance_dialog.QLabel, "otherKeyboxWarning")
    assert warning is not None and "another keybox" in warning.text()
    other.show()
    other.restore_button.click()
    assert other.result() == 1


def test_backup_facts_tell_another_keybox_apart(tmp_path: Path, memory_keyring: object) -> None:
    mine = f"sqlite:///{tmp_path / 'mine.sqlite'}"
    theirs = f"sqlite:///{tmp_path / 'theirs.sqlite'}"
    Keybox.create(mine, use_keyring=True).close()
    box = Keybox.create(theirs, use_keyring=True)
    box.create_profile("x")
    box.close()
    facts = maintenance_dialog.backup_facts(mine, tmp_path / "theirs.sqlite")
    assert not facts.same_keybox and facts.profiles == 1 and facts.keys == 1
    assert maintenance_dialog.backup_facts(mine, tmp_path / "mine.sqlite").same_keybox


# --- check --------------------------------------------------------------------------------

def open_report(qtbot: QtBot, win: MainWindow) -> CheckReportDialog:
    win.check_action.trigger()
    qtbot.waitUntil(lambda: getattr(win._maintenance(), "report_dialog", None) is not None
                    and win._maintenance().report_dialog.isVisible(), timeout=WAIT_MS)
    dialog = win._maintenance().report_dialog
    assert dialog is not None
    return dialog


def test_check_shows_its_report(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_report(qtbot, window)
    assert dialog.heading.text() == "✓ The keybox is in order."
    details = dialog.details.toPlainText()
    assert details.startswith("Note: the authenticated state and ")
    assert "every profile key unwraps" in details
    assert window.controller.is_unlocked  # the check borrowed the keybox, never closed it
    window.refresh()
    qtbot.waitUntil(lambda: window.key_model.rowCount() == 1, timeout=WAIT_MS)
    assert missing_accessible_names(dialog) == []
    assert dialog.focusWidget() is dialog.details
    QTest.keyClick(dialog.details, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_check_reports_a_broken_audit_chain(qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.rotate("acme"))
    with sqlite3.connect(keybox_file(window)) as conn:
        first = conn.execute("SELECT min(id) FROM audit_log").fetchone()[0]
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE id = ?", (first,))
    dialog = open_report(qtbot, window)
    assert dialog.heading.text().startswith("⚠ The keybox has problems; nothing was changed.")
    assert "Restore keybox…" in dialog.heading.text()
    assert f"Problem: the audit log's chain breaks at row {first}" in \
        dialog.details.toPlainText()


def test_check_while_locked_checks_what_it_can(qtbot: QtBot, window: MainWindow) -> None:
    window.lock()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page,
                    timeout=WAIT_MS)
    assert window.check_action.isEnabled()
    dialog = open_report(qtbot, window)
    assert dialog.heading.text() == "✓ The keybox is in order."
    assert "Note: locked: the authenticated state and the audit chain were not verified" in \
        dialog.details.toPlainText()


def test_check_report_dialog_fits_long_problems(qtbot: QtBot) -> None:
    report = CheckReport(problems=["x" * 400, "short"], notes=["a note"])
    dialog = CheckReportDialog(None, report)
    qtbot.addWidget(dialog)
    dialog.show()
    screen = dialog.screen().availableGeometry()
    assert dialog.sizeHint().width() <= screen.width()
    assert dialog.details.toPlainText().splitlines() == \
        ["Problem: " + "x" * 400, "Problem: short", "Note: a note"]


# --- a team keybox ------------------------------------------------------------------------

def test_team_keybox_cannot_be_backed_up_or_restored_here(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    controller = KeyboxController("postgresql+psycopg://vault@db.example/keybox")
    win = MainWindow(controller, settings)
    qtbot.addWidget(win)
    controller._unlocked = True  # as if unlocked: the team rule holds even then
    win._update_keybox_actions()
    reason = maintenance_dialog.team_reason()
    assert "PostgreSQL" in reason and "pg_dump" in reason
    for action in (win.backup_action, win.restore_action):
        assert not action.isEnabled()
        assert action.toolTip() == reason and action.statusTip() == reason
    assert win.audit_log_action.isEnabled() and win.check_action.isEnabled()
    asked = choose(monkeypatch, backup=tmp_path / "x", restore=tmp_path / "y")
    win.backup_keybox()
    win.restore_keybox()
    assert asked == []  # a stray call does nothing either
    controller._unlocked = False
    controller.close()
