"""The contacts' small dialogs and words, for People (people_dialog.py) and Share.

Add takes a contact's name and recipient, pasted or read from a QR code image (on a
worker), and adds it on the controller's executor: it closes only once the keybox took
the contact, and shows the keybox's refusal otherwise. Rename asks a new name; Remove asks
first. The words for a recipient's kind (classic ones are marked: not post-quantum) are
here too, so that People and Share say the same.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import VaultError
from vaultapp.core.keybox.models import PersonKey

from . import qr
from .controller import KeyboxController
from .hints import describe
from .pages import WEAK
from .sizing import fit_message_title, title_width
from .worker import alive, run_task


def _tr(text: str) -> str:
    return QCoreApplication.translate("people", text)


def kind_words(person: PersonKey) -> str:
    """A recipient's kind in words."""
    if person.post_quantum:
        return _tr("post-quantum (hybrid)")
    return _tr("classic — not post-quantum")


def classic_warning() -> str:
    """Why a classic (X25519) recipient is marked."""
    return _tr("A classic X25519 recipient: files shared with it could be opened by "
               "whoever records them today and has a quantum computer later. Ask the "
               "person for a post-quantum recipient (age 1.3 or newer, rage or typage "
               "make one).")


def kind_icon(widget: QWidget, person: PersonKey) -> QIcon:
    """The mark beside a contact's name or kind: a warning for a classic one, and for a
    post-quantum one an empty icon of the same size, so that the texts of a list line up."""
    warning = widget.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    if not person.post_quantum:
        return warning
    size = widget.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    blank = QPixmap(warning.pixmap(size).size())
    blank.fill(Qt.GlobalColor.transparent)
    return QIcon(blank)


def clean_recipient(text: str) -> str:
    """A pasted recipient without the spaces and line breaks a mail or chat put in it;
    all in uppercase (Bech32 allows it) made lowercase, as the keybox stores it."""
    joined = "".join(text.split())
    return joined.lower() if joined.isupper() else joined


def error_text(exc: BaseException) -> str:
    """A user-facing error in words; anything else is a bug and is raised again."""
    if isinstance(exc, VaultError):
        return describe(exc)
    raise exc


def qr_words(code: str, name: str) -> str:
    """Why no recipient came out of the image `name` (qr.QrReadError codes)."""
    return {
        qr.UNREADABLE: _tr("“{0}” is not an image this program can read."),
        qr.NO_CODE: _tr("No QR code was found in “{0}”. Try a sharper or larger picture "
                        "of the code alone."),
        qr.NOT_A_RECIPIENT: _tr("The QR code in “{0}” does not hold an age recipient "
                                "(age1… or age1pq1…)."),
        qr.SEVERAL: _tr("“{0}” shows the QR codes of several recipients; use a picture of "
                        "one."),
        qr.NO_READER: _tr("QR codes cannot be read: the zxing-cpp package is not "
                          "installed. Paste the recipient instead."),
    }.get(code, _tr("“{0}” could not be read.")).format(name)


class AddContactDialog(QDialog):
    """A contact's name and recipient (pasted, or read from a QR code image). Adding runs
    on the executor; the dialog closes only once the keybox took the contact, and shows
    the keybox's refusal (a malformed recipient, a name already taken) otherwise."""

    def __init__(self, parent: QWidget | None, controller: KeyboxController) -> None:
        super().__init__(parent)
        self.controller = controller
        self.added: PersonKey | None = None
        self.setObjectName("addContactDialog")
        self.setWindowTitle(self.tr("Add a contact"))
        self.setMinimumWidth(520)
        self.name = QLineEdit()
        self.name.setObjectName("contactName")
        self.name.setAccessibleName(self.tr("Contact name"))
        self.recipient = QPlainTextEdit()
        self.recipient.setObjectName("contactRecipient")
        self.recipient.setAccessibleName(self.tr("Recipient"))
        self.recipient.setAccessibleDescription(self.tr(
            "The person's age recipient, age1… or age1pq1…, as they sent it"))
        self.recipient.setPlaceholderText(self.tr("age1pq1… or age1…"))
        self.recipient.setTabChangesFocus(True)
        self.recipient.setFixedHeight(self.recipient.fontMetrics().lineSpacing() * 5 + 12)
        self.read_qr_button = QPushButton(self.tr("Read &QR code image…"))
        self.read_qr_button.setObjectName("readQrButton")
        self.read_qr_button.setAccessibleName(self.tr("Read the recipient from a QR code "
                                                      "image"))
        self.read_qr_button.clicked.connect(self.read_qr)
        self.problem = QLabel()
        self.problem.setObjectName("addContactProblem")
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # names a file, a recipient
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {WEAK};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Add contact"))
        self.ok_button.setAccessibleName(self.tr("Add contact"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Recipient:"), self.recipient)
        form.addRow("", self.read_qr_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for field in (self.name.textChanged, self.recipient.textChanged):
            field.connect(self._update)
        QWidget.setTabOrder(self.name, self.recipient)
        QWidget.setTabOrder(self.recipient, self.read_qr_button)
        QWidget.setTabOrder(self.read_qr_button, self.buttons)
        self._busy = False
        self.name.setFocus()
        self._update()

    def values(self) -> tuple[str, str]:
        return self.name.text().strip(), clean_recipient(self.recipient.toPlainText())

    def _update(self) -> None:
        name, recipient = self.values()
        self.ok_button.setEnabled(bool(name and recipient) and not self._busy)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)

    def choose_image(self) -> Path | None:
        """The image file to read (the file dialog; a test seam)."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Read a QR code image"), "",
            self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.svg);;All files (*)"))
        return Path(path) if path else None

    def read_qr(self) -> None:
        """Read a recipient from an image on a worker; it replaces the field's text."""
        path = self.choose_image()
        if path is None:
            return
        self._show_problem(self.tr("Reading the QR code…"))
        self.read_qr_button.setEnabled(False)

        def read(recipient: str) -> None:
            self.read_qr_button.setEnabled(True)
            self._show_problem("")
            self.recipient.setPlainText(recipient)
            if not self.name.text().strip():
                self.name.setFocus()

        def failed(exc: BaseException) -> None:
            self.read_qr_button.setEnabled(True)
            if not isinstance(exc, qr.QrReadError):
                raise exc
            self._show_problem(qr_words(exc.code, path.name))

        self.qr_task = run_task(lambda t: qr.read_recipient(path), alive(self, read),
                                alive(self, failed))

    def submit(self) -> None:
        name, recipient = self.values()
        if not (name and recipient) or self._busy:
            return
        self._busy = True
        self._update()
        self._show_problem("")

        def added(person: PersonKey) -> None:
            self._busy = False
            self.added = person
            self.accept()

        def refused(exc: BaseException) -> None:
            self._busy = False
            self._update()
            self._show_problem(error_text(exc))

        self.controller.change(lambda box: box.people.add_contact(name, recipient),
                               alive(self, added), alive(self, refused))

    @classmethod
    def ask(cls, parent: QWidget | None, controller: KeyboxController) -> PersonKey | None:
        """The contact added, or None when cancelled."""
        dialog = cls(parent, controller)
        dialog.exec()
        added = dialog.added
        dialog.deleteLater()
        return added


class ContactNameDialog:
    """A contact's new name, or None."""

    @classmethod
    def ask(cls, parent: QWidget | None, current: str) -> str | None:
        dialog = cls.build(parent, current)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        text = dialog.textValue().strip()
        dialog.deleteLater()
        return text if ok and text and text != current else None

    @staticmethod
    def build(parent: QWidget | None, current: str) -> QInputDialog:
        dialog = QInputDialog(parent)
        dialog.setObjectName("contactNameDialog")
        dialog.setWindowTitle(_tr("Rename contact"))
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setLabelText(_tr("New name:"))
        dialog.setTextValue(current)
        dialog.sizeHint()  # builds the dialog's layout, which sets its own minimum size
        layout = dialog.layout()
        if layout is not None:  # a row as wide as the title holds the dialog open
            margins = layout.contentsMargins()
            layout.addItem(QSpacerItem(title_width(dialog) - margins.left() - margins.right(),
                                       0, QSizePolicy.Policy.Minimum,
                                       QSizePolicy.Policy.Fixed))
        return dialog


class ConfirmRemoveContact:
    """Remove a contact? Files already shared with them stay as they are."""

    @classmethod
    def ask(cls, parent: QWidget | None, person: PersonKey) -> bool:
        box, remove = cls.build(parent, person)
        box.exec()
        answer = box.clickedButton() is remove
        box.deleteLater()
        return answer

    @staticmethod
    def build(parent: QWidget | None, person: PersonKey) -> tuple[QMessageBox, QPushButton]:
        box = QMessageBox(parent)
        box.setObjectName("confirmRemoveContact")
        box.setIcon(QMessageBox.Icon.Question)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name is stored text
        box.setWindowTitle(_tr("Remove contact"))
        box.setText(_tr("Remove the contact “{0}”?").format(person.name))
        box.setInformativeText(_tr("Files you already shared with them still open for "
                                   "them. To share with them again, add their recipient "
                                   "again."))
        remove = box.addButton(_tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_tr("Keep"), QMessageBox.ButtonRole.RejectRole)
        remove.setObjectName("removeContactConfirm")
        keep.setObjectName("keepContactButton")
        remove.setAccessibleName(_tr("Remove the contact"))
        keep.setAccessibleName(_tr("Keep the contact"))
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        fit_message_title(box)
        return box, remove
