"""Profile actions beyond new and rename: delete (without losing keys by accident) and the
automatic rotation period.

Deleting a profile erases its keys. When none of them can still open a file (no keys, or
only destroyed ones) the window asks once. When some can (enabled, disabled or pending
destruction: `states.has_material`), it first refuses, saying how many keys of each state
would be lost; only then does it offer "Delete anyway…", which asks for the profile's
name to be typed before "Delete and lose N keys" can be pressed. The core refuses the
same deletion unless it was told that losing the keys was agreed to, so a key made in the
meantime (by another process) is never lost without a question either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.keybox.models import ProfileInfo
from vaultapp.core.keybox.states import KeyState, has_material

from .sizing import fit_message_title, fit_title, reading_width

if TYPE_CHECKING:
    from vaultapp.core.keybox.service import Keybox

    from .main_window import MainWindow

MAX_ROTATION_DAYS = 3650


def _tr(text: str) -> str:
    return QCoreApplication.translate("profiles", text)


def _n(count: int) -> str:
    return QLocale().toString(count)


@dataclass(frozen=True)
class KeyCounts:
    """A profile's keys by state (from `Keybox.profile_key_counts`)."""

    enabled: int = 0
    disabled: int = 0
    pending_destruction: int = 0
    destroyed: int = 0

    @classmethod
    def of(cls, counts: Mapping[KeyState, int]) -> KeyCounts:
        by_state = {KeyState(state): n for state, n in counts.items()}
        return cls(by_state.get(KeyState.ENABLED, 0), by_state.get(KeyState.DISABLED, 0),
                   by_state.get(KeyState.PENDING_DESTRUCTION, 0),
                   by_state.get(KeyState.DESTROYED, 0))

    @property
    def at_risk(self) -> int:
        """Keys that can still open files (the states that keep their material)."""
        counts = {KeyState.ENABLED: self.enabled, KeyState.DISABLED: self.disabled,
                  KeyState.PENDING_DESTRUCTION: self.pending_destruction,
                  KeyState.DESTROYED: self.destroyed}
        return sum(n for state, n in counts.items() if has_material(state))


@dataclass(frozen=True)
class DeleteChoice:
    lose_keys: bool  # the person agreed (twice) that keys which still open files are lost


class TypedConfirmDialog(QDialog):
    """The second question: type the profile's name to delete it with its keys."""

    def __init__(self, parent: QWidget | None, name: str, counts: KeyCounts,
                 files: int = 0) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName("typedConfirmDialog")
        self.setWindowTitle(self.tr("Delete profile {0} and its keys").format(name))
        text = QLabel(self.tr(
            "<b>This erases {0} keys that still open files.</b> Every file sealed under them "
            "can never be opened again, by anyone. The audit log knows of {1} files sealed "
            "under this profile's keys.<br><br>Type the profile's name to confirm:")
            .format(_n(counts.at_risk), _n(files)))
        text.setWordWrap(True)
        self.typed = QLineEdit()
        self.typed.setObjectName("typedProfileName")
        self.typed.setAccessibleName(self.tr("Type the profile name to confirm"))
        self.typed.setPlaceholderText(name)
        text.setBuddy(self.typed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = buttons.addButton(
            self.tr("Delete and lose {0} keys").format(_n(counts.at_risk)),
            QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setObjectName("deleteAndLoseKeysButton")
        self.delete_button.setAccessibleName(self.delete_button.text())
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.accept)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        buttons.rejected.connect(self.reject)
        cancel.setAutoDefault(False)  # Enter never means Cancel here, nor Delete too early
        self.delete_button.setAutoDefault(False)
        self.typed.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.typed)
        layout.addWidget(buttons)
        self.setMinimumWidth(reading_width(self, 55))
        fit_title(self)
        self.typed.setFocus()

    def matches(self) -> bool:
        return self.typed.text() == self.name

    def _update(self) -> None:
        self.delete_button.setEnabled(self.matches())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter deletes once the name matches, and does nothing before; Esc cancels."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.matches():
                self.accept()
            return
        super().keyPressEvent(event)

    @classmethod
    def ask(cls, parent: QWidget | None, name: str, counts: KeyCounts, files: int = 0) -> bool:
        return cls(parent, name, counts, files).exec() == QDialog.DialogCode.Accepted


class DeleteProfileDialog:
    """The first question (and, when keys would be lost, the refusal that explains why)."""

    @classmethod
    def ask(cls, parent: QWidget | None, name: str, counts: KeyCounts,
            files: int = 0) -> DeleteChoice | None:
        box = QMessageBox(parent)
        box.setObjectName("deleteProfileQuestion")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name is stored text
        if counts.at_risk == 0:
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle(_tr("Delete profile"))
            box.setText(_tr("Delete the profile {0}?").format(name))
            box.setInformativeText(_tr(
                "No key of this profile can open files any more ({0} destroyed keys). The "
                "profile is removed; the audit log keeps its history.")
                .format(_n(counts.destroyed)))
            delete = box.addButton(_tr("Delete profile"), QMessageBox.ButtonRole.DestructiveRole)
            cancel = box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(cancel)
            fit_message_title(box)
            box.exec()
            return DeleteChoice(False) if box.clickedButton() is delete else None
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_tr("Profile not deleted"))
        box.setText(_tr("The profile {0} was not deleted: {1} of its keys still open files.")
                    .format(name, _n(counts.at_risk)))
        box.setInformativeText(_tr(
            "Its keys: {0} enabled, {1} disabled, {2} pending destruction, {3} destroyed. "
            "Deleting the profile erases them all, and the files sealed under them ({4} that "
            "the audit log knows of) could never be opened again. Rewrap the files you still "
            "need under another profile first, or destroy the keys you no longer need.")
            .format(_n(counts.enabled), _n(counts.disabled), _n(counts.pending_destruction),
                    _n(counts.destroyed), _n(files)))
        anyway = box.addButton(_tr("Delete anyway…"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_tr("Keep the profile"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        fit_message_title(box)
        box.exec()
        if box.clickedButton() is not anyway:
            return None
        return DeleteChoice(True) if TypedConfirmDialog.ask(parent, name, counts, files) \
            else None


@dataclass(frozen=True)
class RotationChoice:
    days: int | None  # None: no automatic rotation


class RotationDialog(QDialog):
    """Automatic rotation: off, or a new primary key every N days."""

    def __init__(self, parent: QWidget | None, profile: ProfileInfo) -> None:
        super().__init__(parent)
        self.setObjectName("rotationDialog")
        self.setWindowTitle(self.tr("Rotation period of {0}").format(profile.name))
        intro = QLabel(self.tr(
            "When the primary key is older than the period, the keybox rotates it the next "
            "time it is unlocked: a new primary key seals from then on, and older keys still "
            "open their files."))
        intro.setWordWrap(True)
        self.automatic = QCheckBox(self.tr("&Rotate the primary key automatically"))
        self.automatic.setObjectName("rotateAutomatically")
        self.automatic.setAccessibleName(self.tr("Rotate the primary key automatically"))
        self.days = QSpinBox()
        self.days.setObjectName("rotationDays")
        self.days.setRange(1, MAX_ROTATION_DAYS)
        self.days.setSuffix(self.tr(" days"))
        self.days.setAccessibleName(self.tr("Rotation period in days"))
        self.automatic.setChecked(profile.rotation_days is not None)
        self.days.setValue(profile.rotation_days or 90)
        self.days.setEnabled(self.automatic.isChecked())
        self.automatic.toggled.connect(self.days.setEnabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName(self.tr("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(self.automatic)
        form.addRow(self.tr("&Every:"), self.days)
        form.addRow(buttons)
        self.setMinimumWidth(reading_width(self, 55))
        fit_title(self)
        self.automatic.setFocus()

    def choice(self) -> RotationChoice:
        return RotationChoice(self.days.value() if self.automatic.isChecked() else None)

    @classmethod
    def ask(cls, parent: QWidget | None, profile: ProfileInfo) -> RotationChoice | None:
        dialog = cls(parent, profile)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def rotation_words(profile: ProfileInfo) -> str:
    """The profile list's tooltip: its rotation period."""
    if profile.rotation_days is None:
        return _tr("{0}: no automatic rotation").format(profile.name)
    return _tr("{0}: the primary key is rotated every {1} days").format(
        profile.name, _n(profile.rotation_days))


# --- the window's actions ------------------------------------------------------------------

def delete_profile(window: MainWindow) -> None:
    """Profile → Delete profile…: count its keys (executor), ask, delete (executor)."""
    name = window.current_profile()
    if name is None or not window.controller.is_unlocked:
        return

    def count(box: Keybox) -> tuple[Mapping[KeyState, int], int]:
        files = sum(k.files_sealed for k in box.keys(name))
        return box.profile_key_counts(name), files

    def counted(found: tuple[Mapping[KeyState, int], int]) -> None:
        counts, files = found
        choice = DeleteProfileDialog.ask(window, name, KeyCounts.of(counts), files)
        if choice is None:
            return
        window.controller.change(
            lambda box: box.delete_profile(name, allow_key_loss=choice.lose_keys),
            lambda _: window.statusBar().showMessage(
                _tr("Profile {0} deleted").format(name), 5000),
            window._show_error)

    window.controller.run(lambda task: count(window.controller.keybox()), counted,
                          window._show_error)


def set_rotation_period(window: MainWindow) -> None:
    """Profile → Rotation period…: ask, then `Keybox.set_rotation` on the executor."""
    name = window.current_profile()
    profile = next((p for p in window.profiles if p.name == name), None)
    if profile is None or not window.controller.is_unlocked:
        return
    choice = RotationDialog.ask(window, profile)
    if choice is None or choice.days == profile.rotation_days:
        return
    done = _tr("{0}: automatic rotation off").format(profile.name) if choice.days is None \
        else _tr("{0}: the primary key is rotated every {1} days").format(
            profile.name, _n(choice.days))
    window.controller.change(lambda box: box.set_rotation(profile.name, choice.days),
                             lambda _: window.statusBar().showMessage(done, 5000),
                             window._show_error)
