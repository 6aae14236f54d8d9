"""Keybox maintenance from the window: back up, restore, check.

The same steps as the command line's keybox commands (vaultapp/core/keybox/maintenance.py
does the work): files are chosen on the GUI thread, everything else runs on the keybox's
executor. Restoring asks first, saying that the current keybox is replaced; then the
controller swaps it (`KeyboxController.replace_keybox`): it closes the keybox (so its
write-ahead log is folded into the file that is kept), this module replaces the file and
forgets this machine's pin (a restore is the one explicit way back to an older state), and
the restore is written into the restored keybox's audit log. Asked while unlocked,
it unlocks the restored keybox as the window does at start; asked while locked (a keybox
that no longer opens) or on the first-run screen (a new machine), it leaves the unlocking
to the unlock page and its rules, so a restore never opens a locked window. A team
(PostgreSQL) keybox is backed up and restored with the database's own tools, so those two
actions are disabled for it, with the reason.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import shiboken6
from PySide6.QtCore import QCoreApplication, QDir, QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import VaultError
from vaultapp.core.keybox import maintenance
from vaultapp.core.keybox.maintenance import CheckReport

from .hints import describe
from .sizing import fit_title, reading_width
from .worker import emit

if TYPE_CHECKING:
    from vaultapp.core.keybox.service import Keybox

    from .controller import KeyboxController, Replaced
    from .main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("maintenance", text)


def is_team_keybox(url: str) -> bool:
    """A keybox that is not a SQLite file (PostgreSQL): no file to copy or replace."""
    return not url.startswith("sqlite")


def team_reason() -> str:
    return _tr("A team keybox lives in a PostgreSQL database: back it up and restore it "
               "with the database's own tools (such as pg_dump), as its administrator does.")


# --- the questions (test seams: each `ask`/chooser returns a value or None) ---------------

class KeyboxFiles:
    """The file choosers of backup and restore."""

    @classmethod
    def backup_target(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent, _tr("Back up the keybox to"), str(suggested),
            _tr("Keybox backups (*.sqlite);;All files (*)"))
        return Path(name) if name else None

    @classmethod
    def restore_source(cls, parent: QWidget | None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, _tr("Restore the keybox from"), QDir.homePath(),
            _tr("Keybox backups (*.sqlite);;All files (*)"))
        return Path(name) if name else None


@dataclass(frozen=True)
class BackupFacts:
    """What a backup file says of itself, shown before the person agrees to restore it."""

    newest_entry: datetime | None = None  # its newest audit row's time: when it was current
    same_keybox: bool = True  # it is a backup of the keybox it would replace
    profiles: int = 0
    keys: int = 0
    replaces: bool = True  # there is a keybox at the location (else it becomes the keybox)


def backup_facts(box_url: str, source: Path) -> BackupFacts:
    """Validate `source` as a backup for `box_url` (VaultError if it is not) and read its
    facts, read-only. Runs on the executor."""
    target = maintenance.validate_backup(box_url, source)
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        (backup_id,) = conn.execute("SELECT keybox_id FROM keybox_meta").fetchone()
        newest = conn.execute("SELECT max(at) FROM audit_log").fetchone()[0]
        profiles = conn.execute("SELECT count(*) FROM profiles").fetchone()[0]
        keys = conn.execute("SELECT count(*) FROM profile_keys").fetchone()[0]
        current_id = None
        if target.exists():
            current = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
            try:
                row = current.execute("SELECT keybox_id FROM keybox_meta").fetchone()
                current_id = row[0] if row else None
            finally:
                current.close()
    except sqlite3.DatabaseError as exc:
        raise VaultError(f"{source} is not a keybox backup ({exc})") from None
    finally:
        conn.close()
    when = None
    if newest:
        when = datetime.fromisoformat(str(newest))
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return BackupFacts(when, backup_id == current_id, int(profiles), int(keys),
                       current_id is not None)


class ConfirmRestoreDialog(QDialog):
    """Restoring replaces the current keybox: say so, and what the backup holds."""

    def __init__(self, parent: QWidget | None, location: str, source: Path,
                 facts: BackupFacts) -> None:
        super().__init__(parent)
        self.setObjectName("confirmRestoreDialog")
        self.setWindowTitle(self.tr("Restore the keybox"))
        when = f"{facts.newest_entry.astimezone():%Y-%m-%d %H:%M}" if facts.newest_entry \
            else self.tr("an unknown time")
        if not facts.replaces:
            text = QLabel(self.tr(
                "<b>There is no keybox at {0} yet: the backup {1} becomes this machine's "
                "keybox.</b><br><br>Its newest entry is from {2}; it holds {3} profiles and "
                "{4} keys. Its own key slots unlock it.")
                .format(_html(location), _html(str(source)), when, facts.profiles,
                        facts.keys))
        else:
            text = self._replacing(location, source, facts, when)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        if facts.replaces and not facts.same_keybox:
            other = QLabel(self.tr("⚠ This backup is of another keybox, not of the one it "
                                   "replaces: its own key slots unlock it, and this "
                                   "machine will trust it from now on."))
            other.setObjectName("otherKeyboxWarning")
            other.setWordWrap(True)
            other.setStyleSheet("color: #9e6a00;")
            layout.addWidget(other)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton(
            self.tr("Replace the keybox") if facts.replaces else self.tr("Restore"),
            QDialogButtonBox.ButtonRole.DestructiveRole)
        self.restore_button.setObjectName("replaceKeyboxButton")
        self.restore_button.setAccessibleName(self.tr("Replace the keybox with the backup")
                                              if facts.replaces else
                                              self.tr("Restore the keybox from the backup"))
        self.restore_button.clicked.connect(self.accept)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        cancel.setDefault(True)  # Enter does not replace a keybox by accident
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(reading_width(self, 70))
        fit_title(self)
        cancel.setFocus()

    def _replacing(self, location: str, source: Path, facts: BackupFacts,
                   when: str) -> QLabel:
        return QLabel(self.tr(
            "<b>Restoring replaces the current keybox at {0} with the backup {1}.</b><br><br>"
            "Profiles, keys, key slots and the audit log go back to the backup's state (its "
            "newest entry is from {2}; it holds {3} profiles and {4} keys). Keys made since "
            "then are lost, and files sealed under them cannot be opened with the restored "
            "keybox. Keys disabled or destroyed since then come back as they were in the "
            "backup: a backup made before a key was destroyed still holds that key.<br><br>"
            "The current keybox is kept beside it under a new name, so nothing is erased.")
            .format(_html(location), _html(str(source)), when, facts.profiles, facts.keys))

    @classmethod
    def ask(cls, parent: QWidget | None, location: str, source: Path,
            facts: BackupFacts) -> bool:
        return cls(parent, location, source, facts).exec() == QDialog.DialogCode.Accepted


class CheckReportDialog(QDialog):
    """What `keybox check` found, selectable, with what to do about problems."""

    def __init__(self, parent: QWidget | None, report: CheckReport) -> None:
        super().__init__(parent)
        self.setObjectName("checkReportDialog")
        self.setWindowTitle(self.tr("Keybox check"))
        if report.ok:
            heading = self.tr("✓ The keybox is in order.")
            colour = "#2e7d32"
        else:
            heading = self.tr("⚠ The keybox has problems; nothing was changed. If you did "
                              "not expect this, restore it from a backup (Vault menu, "
                              "Restore keybox…).")
            colour = "#c62828"
        self.heading = QLabel(heading)
        self.heading.setObjectName("checkHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet(f"color: {colour};")
        lines = [self.tr("Problem: {0}").format(p) for p in report.problems]
        lines += [self.tr("Note: {0}").format(n) for n in report.notes]
        self.details = QPlainTextEdit("\n".join(lines))
        self.details.setObjectName("checkDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("What the check found"))
        self.details.setTabChangesFocus(True)
        metrics = self.details.fontMetrics()
        widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
        self.details.setMinimumWidth(min(widest + 40, metrics.horizontalAdvance("x" * 100)))
        self.details.setMinimumHeight(metrics.lineSpacing() * min(max(len(lines), 3), 12)
                                      + 16)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(reading_width(self))
        fit_title(self)
        self.details.setFocus()

    @classmethod
    def show_report(cls, parent: QWidget | None, report: CheckReport) -> CheckReportDialog:
        dialog = cls(parent, report)
        dialog.open()
        return dialog


# --- the work ------------------------------------------------------------------------------

class _Borrowed:
    """The window's unlocked keybox lent to `maintenance.check`, which closes the keybox it
    is given when it is done: this one stays open (closing is a no-op)."""

    def __init__(self, box: Keybox) -> None:
        self._box = box

    def __getattr__(self, name: str) -> Any:
        return getattr(self._box, name)

    def close(self) -> None:
        """The window keeps its keybox."""


def run_check(controller: KeyboxController) -> CheckReport:
    """On the executor: the full check with the unlocked keybox, else the locked one."""
    if controller.is_unlocked:
        borrowed = cast("Keybox", _Borrowed(controller.keybox()))
        return maintenance.check(controller.url, lambda: borrowed)
    return maintenance.check(controller.url)


def write_backup(controller: KeyboxController, out: Path) -> Path:
    """On the executor: a consistent copy of the keybox at `out` (the chooser already
    asked about replacing an existing file)."""
    box = controller.keybox()
    source = box.sqlite_file()
    keybox_files = set()
    if source is not None:
        source = source.resolve()
        keybox_files = {source, source.with_name(source.name + "-wal"),
                        source.with_name(source.name + "-shm")}
    if out.resolve() in keybox_files:
        raise VaultError(f"{out} is the keybox itself; choose another file for the backup",
                         path=out)
    return maintenance.backup(box, out, force=out.exists())


def restore_file(url: str, source: Path) -> Path | None:
    """On the executor, with the keybox closed: the steps of the command line's restore
    (the file replaced, this machine's pin forgotten). Returns where the replaced keybox
    was kept (None: there was none)."""
    from vaultapp.core.keybox import pin
    from vaultapp.core.keybox.location import describe_location

    kept = maintenance.restore(url, source)
    pin.forget(describe_location(url))
    return kept if kept.exists() else None


def record_restore(box: Keybox, source: Path, kept: Path | None) -> None:
    """The restore's audit row (the command line writes the same)."""
    box.record_event("keybox.restore", f"restored from {source}; previous keybox kept as {kept}"
                     if kept is not None else f"restored from {source}")


class Maintenance(QObject):
    """The window's backup, restore and check actions."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.report_dialog: CheckReportDialog | None = None

    # --- backup ---

    def backup(self) -> None:
        window = self.window
        if is_team_keybox(self.controller.url) or not self.controller.is_unlocked:
            return
        folder = str(window.qsettings.value("backup_folder", "")) or QDir.homePath()
        suggested = Path(folder) / f"keybox-backup-{datetime.now():%Y-%m-%d-%H%M}.sqlite"
        out = KeyboxFiles.backup_target(window, suggested)
        if out is None:
            return
        window.qsettings.setValue("backup_folder", str(out.parent))
        window.statusBar().showMessage(self.tr("Backing up the keybox…"))

        def done(written: Path) -> None:
            window.statusBar().showMessage(
                self.tr("Backup written to {0}; it is protected by the same key slots")
                .format(written), 10_000)

        self.controller.change(lambda box: write_backup(self.controller, out), done,
                               window._show_error)

    # --- restore ---

    def restore(self) -> None:
        """Vault → Restore keybox…, also while locked or before any keybox exists here (a
        new machine, or a keybox that no longer opens). Only a restore asked for while
        unlocked unlocks the restored keybox by itself; otherwise it is unlocked on the
        unlock page by the usual rules, so restoring is never a way around a lock."""
        window = self.window
        if is_team_keybox(self.controller.url):
            return
        if window.activity.busy():
            QMessageBox.warning(window, self.tr("Restore the keybox"), self.tr(
                "Files are being sealed or opened. Wait for them to finish (or cancel them), "
                "then restore."))
            return
        source = KeyboxFiles.restore_source(window)
        if source is None:
            return
        url = self.controller.url
        self.controller.run(lambda task: backup_facts(url, source),
                            lambda facts: self._confirm_restore(source, facts),
                            window._show_error)

    def _confirm_restore(self, source: Path, facts: BackupFacts) -> None:
        window = self.window
        if not ConfirmRestoreDialog.ask(window, self.controller.location, source, facts):
            window.statusBar().showMessage(self.tr("Nothing restored"), 5000)
            return
        if window.activity.busy():
            return  # a drop came while the question was open
        url = self.controller.url
        # Asked while unlocked, the restored keybox is unlocked as at start; else it is
        # left to the unlock page. From here on no job gets a key of the old keybox.
        unlock = self.controller.is_unlocked
        window.poll_timer.stop()
        window.idle_timer.stop()
        window.pages.setCurrentWidget(window.busy_page)
        self.controller.replace_keybox(
            lambda: restore_file(url, source), unlock=unlock,
            after_unlock=lambda box, kept: record_restore(box, source, kept),
            on_done=lambda restored: self._restored(source, restored),
            on_error=self._restore_failed)

    def _restored(self, source: Path, restored: Replaced[Path | None]) -> None:
        window = self.window
        kept = restored.result
        if kept is not None:
            text = self.tr("The keybox was restored from {0}. The replaced keybox was kept "
                           "as {1}.").format(source, kept)
        else:
            text = self.tr("The keybox was restored from {0}.").format(source)
        if restored.label is not None:  # (the controller announced the unlock)
            window.statusBar().showMessage(text, 15_000)
            QMessageBox.information(window, self.tr("Keybox restored"), text)
            return
        window.statusBar().showMessage(text, 15_000)
        if restored.problem is None:
            self._record_when_unlocked(source, kept)
        if kept is None:  # there was no keybox here: start as with a found one
            window.start()
            return
        emit(self.controller.locked)
        if restored.problem is not None:
            window.unlock_page.set_failures(self.tr("{0} It does not open: {1}").format(
                text, describe(restored.problem)))
        else:
            window.unlock_page.set_failures(self.tr(
                "{0} Unlock the restored keybox with one of its key slots.").format(text))

    def _record_when_unlocked(self, source: Path, kept: Path | None) -> None:
        """Write the restore into the restored keybox's log once it is unlocked."""
        controller, window = self.controller, self.window

        def unlocked(_: str) -> None:
            controller.unlocked.disconnect(unlocked)
            controller.run(lambda task: record_restore(controller.keybox(), source, kept),
                           None, window._show_error)

        controller.unlocked.connect(unlocked)

    def _restore_failed(self, exc: BaseException) -> None:
        """The keybox was closed and may or may not be replaced: show why, and unlock
        again (the next unlock opens whatever keybox is now at the location)."""
        window = self.window
        emit(self.controller.locked)
        if not isinstance(exc, VaultError):
            raise exc
        text = self.tr("The keybox was not restored: {0}").format(describe(exc))
        window.unlock_page.set_failures(text)
        QMessageBox.warning(window, self.tr("Restore the keybox"), text)

    # --- check ---

    def check(self) -> None:
        window = self.window
        window.statusBar().showMessage(self.tr("Checking the keybox…"))
        controller = self.controller

        def done(report: CheckReport) -> None:
            window.statusBar().clearMessage()
            if shiboken6.isValid(window):
                self.report_dialog = CheckReportDialog.show_report(window, report)

        self.controller.run(lambda task: run_check(controller), done, window._show_error)


def _html(text: str) -> str:
    from html import escape

    return escape(text)
