"""The passphrase of an age file made with a passphrase (age's scrypt recipient).

Asked on the GUI thread once a job has planned and found such a file among its inputs;
the job then opens it with `age.ScryptIdentity` on its worker. A wrong passphrase fails
the file's row and writes nothing (the age format authenticates the header first). The
passphrase lives in the job until it finishes, never in a setting or the keybox.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .numbers import count

SHOWN_NAMES = 5


class AgePassphraseDialog(QDialog):
    """One password field for the passphrase of the age files `names`."""

    def __init__(self, parent: QWidget | None, names: list[str]) -> None:
        super().__init__(parent)
        self.setObjectName("agePassphraseDialog")
        self.setWindowTitle(self.tr("Passphrase of the age file"))
        self.setMinimumWidth(420)
        if len(names) == 1:
            text = self.tr("“{0}” was encrypted with a passphrase. Type it to open the "
                           "file.").format(names[0])
        else:
            shown = ", ".join(names[:SHOWN_NAMES]) + ("…" if len(names) > SHOWN_NAMES else "")
            text = self.tr("{0} files were encrypted with a passphrase ({1}). Type it to "
                           "open them; each file that does not open with it fails "
                           "alone.").format(count(len(names)), shown)
        intro = QLabel(text)
        intro.setObjectName("agePassphraseIntro")
        intro.setTextFormat(Qt.TextFormat.PlainText)  # file names are not markup
        intro.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setObjectName("agePassphrase")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(self.tr("Passphrase of the age file"))
        self.field.setAccessibleDescription(self.tr(
            "The passphrase the sender chose when they encrypted the file"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Open"))
        self.ok_button.setAccessibleName(self.tr("Open with this passphrase"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel: do not open"))
        self.buttons.accepted.connect(self._accept_if_given)
        self.buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        self.field.returnPressed.connect(self._accept_if_given)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.field)
        layout.addWidget(self.buttons)
        self.ok_button.setEnabled(False)
        self.field.setFocus()

    def _accept_if_given(self) -> None:
        if self.field.text():
            self.accept()

    def passphrase(self) -> str:
        return self.field.text()

    @classmethod
    def ask(cls, parent: QWidget | None, names: list[str]) -> str | None:
        """The typed passphrase, or None when cancelled."""
        dialog = cls(parent, names)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.passphrase():
                return dialog.passphrase()
            return None
        finally:
            dialog.field.clear()
            dialog.deleteLater()
