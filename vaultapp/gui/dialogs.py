"""Dialogs, each with an `ask()` classmethod returning a value or None (a test seam)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.keybox.models import KeyInfo

from . import i18n
from .numbers import count as count_text
from .sizing import fit_message_title, fit_title, reading_width, title_width


class ConflictDialog:
    """The output name is taken: keep both, replace, or skip.

    A batch asks once for all its outputs whose names are taken (`count` of them,
    `target` the first); the answer applies to each. The jobs ask one at a time
    (job.ConflictQuestions), so two of these never stack.
    """

    KEEP_BOTH, REPLACE, SKIP = "keep_both", "replace", "skip"

    @classmethod
    def ask(cls, parent: QWidget | None, target: Path, count: int = 1) -> str | None:
        box, answers = cls.build(parent, target, count)
        box.exec()
        return answers.get(box.clickedButton())

    @classmethod
    def build(cls, parent: QWidget | None, target: Path, count: int = 1
              ) -> tuple[QMessageBox, dict[QAbstractButton | None, str]]:
        """The question, not yet shown, and the answer each of its buttons gives."""
        box = QMessageBox(parent)
        box.setObjectName("conflictDialog")
        box.setIcon(QMessageBox.Icon.Question)
        if count <= 1:
            box.setWindowTitle(box.tr("File already exists"))
            box.setText(box.tr("“{0}” already exists in {1}.").format(target.name,
                                                                    target.parent))
            box.setInformativeText(box.tr("Keep both files, replace the existing one, "
                                          "or skip?"))
            labels = (box.tr("Keep both"), box.tr("Replace"), box.tr("Skip"))
        else:
            box.setWindowTitle(box.tr("Files already exist"))
            box.setText(box.tr("{0} of the outputs already exist, such as “{1}” in {2}.")
                        .format(count_text(count), target.name, target.parent))
            box.setInformativeText(box.tr(
                "Keep both files each time (the new one gets a number), replace the existing "
                "ones, or skip these files? The answer applies to all {0}.")
                .format(count_text(count)))
            labels = (box.tr("Keep both"), box.tr("Replace all"), box.tr("Skip all"))
        keep = box.addButton(labels[0], QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton(labels[1], QMessageBox.ButtonRole.DestructiveRole)
        skip = box.addButton(labels[2], QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepBothButton")
        replace.setObjectName("replaceButton")
        skip.setObjectName("skipButton")
        replace.setAccessibleDescription(box.tr("The existing file is overwritten"))
        box.setDefaultButton(keep)
        fit_message_title(box)
        return box, {keep: cls.KEEP_BOTH, replace: cls.REPLACE, skip: cls.SKIP}


@dataclass(frozen=True)
class DestroyChoice:
    after_days: int  # 0 = at once


class ConfirmDestroyDialog(QDialog):
    """States the consequence and the files known to be sealed under the key."""

    def __init__(self, parent: QWidget | None, key: KeyInfo) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Destroy key {0}").format(key.short_id))
        files = key.files_sealed
        text = QLabel(self.tr(
            "<b>Destroying key {0} (version {1} of {2}) erases its material for good.</b><br>"
            "Files sealed only under this key can never be opened again. The audit log "
            "knows of <b>{3}</b> file(s) sealed under it; rewrap any you still need first."
        ).format(key.short_id, key.version, key.profile, files))
        text.setWordWrap(True)
        self.scheduled = QRadioButton(self.tr("Destroy after a waiting period (can be cancelled)"))
        self.now = QRadioButton(self.tr("Destroy now (cannot be undone)"))
        self.scheduled.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.scheduled)
        group.addButton(self.now)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(7)
        self.days.setSuffix(self.tr(" days"))
        self.days.setAccessibleName(self.tr("Waiting period in days"))
        self.now.toggled.connect(lambda on: self.days.setEnabled(not on))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.destroy_button = buttons.addButton(self.tr("Destroy"),
                                                QDialogButtonBox.ButtonRole.DestructiveRole)
        self.destroy_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.scheduled)
        layout.addWidget(self.days)
        layout.addWidget(self.now)
        layout.addWidget(buttons)
        fit_title(self)

    def choice(self) -> DestroyChoice:
        return DestroyChoice(0 if self.now.isChecked() else self.days.value())

    @classmethod
    def ask(cls, parent: QWidget | None, key: KeyInfo) -> DestroyChoice | None:
        dialog = cls(parent, key)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ProfileNameDialog:
    """The name of a new or renamed profile."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, current: str = "") -> str | None:
        dialog = cls.build(parent, title, current)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        text = dialog.textValue().strip()
        dialog.deleteLater()
        return text if ok and text else None

    @staticmethod
    def build(parent: QWidget | None, title: str, current: str = "") -> QInputDialog:
        """The dialog, not yet shown: the field (named by its label) has the focus."""
        dialog = QInputDialog(parent)
        dialog.setObjectName("profileNameDialog")
        dialog.setWindowTitle(title)
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setLabelText(dialog.tr("Profile name:"))
        dialog.setTextValue(current)
        # Room for a long name and the title. (Its field, not the dialog: a QInputDialog
        # sets its own minimum from its layout when it is shown.)
        field = dialog.findChild(QLineEdit)
        if field is not None:
            field.setMinimumWidth(max(reading_width(dialog, 40), title_width(dialog)))
        return dialog


@dataclass(frozen=True)
class Settings:
    auto_lock_minutes: int = 15  # 0 = never
    lock_on_screen_lock: bool = True
    remove_originals: bool = False
    output_folder: str = ""  # "" = beside each input; else every output goes here
    keyring_after_lock: bool = False  # after a lock, the keyring may unlock without a secret
    language: str = ""  # "" = the system's; else a code of i18n.LANGUAGES (at the next start)


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(0, 24 * 60)
        self.auto_lock.setSuffix(self.tr(" min"))
        self.auto_lock.setSpecialValueText(self.tr("Never"))
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.auto_lock.setAccessibleName(self.tr("Lock after idle minutes"))
        self.screen_lock = QCheckBox(self.tr("Lock when the screen locks or the computer sleeps"))
        self.screen_lock.setChecked(settings.lock_on_screen_lock)
        self.screen_lock.setAccessibleName(self.tr("Lock when the screen locks or the computer "
                                                   "sleeps"))
        self.keyring_after_lock = QCheckBox(self.tr("Unlock with the system keyring after a lock"))
        self.keyring_after_lock.setObjectName("keyringAfterLock")
        self.keyring_after_lock.setChecked(settings.keyring_after_lock)
        self.keyring_after_lock.setAccessibleName(self.tr("Unlock with the system keyring after "
                                                          "a lock"))
        keyring_note = QLabel(self.tr(
            "Off: after a lock the vault asks for your passphrase, so a lock protects it from "
            "anyone at this unlocked account. On: the keyring unlocks it again without a "
            "passphrase, which is convenient but means a lock only hides the window."))
        keyring_note.setObjectName("keyringAfterLockNote")
        keyring_note.setWordWrap(True)
        self.keyring_after_lock.setAccessibleDescription(keyring_note.text())
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        self.language.setAccessibleName(self.tr("Language of the window"))
        system = dict(i18n.available_languages()).get(i18n.system_language(), "")
        self.language.addItem(self.tr("As the system ({0})").format(system), "")
        for code, name in i18n.available_languages():
            self.language.addItem(name, code)
        found = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(found, 0))
        language_note = QLabel(self.tr("A new language applies when vaultapp starts again."))
        language_note.setObjectName("languageNote")
        language_note.setWordWrap(True)
        self.language.setAccessibleDescription(language_note.text())
        self.remove = QCheckBox(self.tr("Remove originals after sealing"))
        self.remove.setChecked(settings.remove_originals)
        warning = QLabel(self.tr(
            "An original is removed only after its sealed file was re-opened and verified. "
            "Removing is not secure erasure: on SSDs and journaling file systems the old "
            "data may remain readable on the disk."))
        warning.setWordWrap(True)
        self.beside = QRadioButton(self.tr("Beside each original"))
        self.into = QRadioButton(self.tr("Into this folder:"))
        self.folder = QLineEdit(settings.output_folder)
        self.folder.setAccessibleName(self.tr("Output folder"))
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        (self.into if settings.output_folder else self.beside).setChecked(True)
        self.into.toggled.connect(self._update)
        output = QGridLayout()
        output.addWidget(self.beside, 0, 0, 1, 3)
        output.addWidget(self.into, 1, 0)
        output.addWidget(self.folder, 1, 1)
        output.addWidget(self.browse, 1, 2)
        self._update()
        form = QFormLayout(self)
        form.addRow(self.tr("Lock after idle:"), self.auto_lock)
        form.addRow(self.screen_lock)
        form.addRow(self.keyring_after_lock)
        form.addRow(keyring_note)
        form.addRow(self.remove)
        form.addRow(warning)
        form.addRow(self.tr("Sealed and opened files go:"), output)
        form.addRow(self.tr("&Language:"), self.language)
        form.addRow("", language_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        fit_title(self)

    def _update(self) -> None:
        self.folder.setEnabled(self.into.isChecked())
        self.browse.setEnabled(self.into.isChecked())

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Output folder"),
                                                  self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def settings(self) -> Settings:
        folder = self.folder.text().strip() if self.into.isChecked() else ""
        return Settings(self.auto_lock.value(), self.screen_lock.isChecked(),
                        self.remove.isChecked(), folder, self.keyring_after_lock.isChecked(),
                        str(self.language.currentData() or ""))

    @classmethod
    def ask(cls, parent: QWidget | None, settings: Settings) -> Settings | None:
        dialog = cls(parent, settings)
        return dialog.settings() if dialog.exec() == QDialog.DialogCode.Accepted else None


class FailuresDialog(QDialog):
    """The messages of a batch's failed files, selectable, one a line."""

    def __init__(self, parent: QWidget | None, summary: str, messages: list[str]) -> None:
        super().__init__(parent)
        self.setObjectName("failuresDialog")
        self.setWindowTitle(self.tr("Files that failed"))
        self.resize(760, 360)
        heading = QLabel(summary)
        heading.setWordWrap(True)
        self.text = QPlainTextEdit("\n".join(messages))
        self.text.setObjectName("failureMessages")
        self.text.setReadOnly(True)
        # Read-only text takes no keyboard focus by default: let Tab reach it, the arrow
        # keys move in it and Ctrl+C copy a selection.
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.text.setTabChangesFocus(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setAccessibleName(self.tr("Messages of the files that failed"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("closeButton")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        fit_title(self)
