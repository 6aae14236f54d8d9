"""People: the contacts you share files with, and your own recipient for them to add.

"My recipient" shows the keybox's default identity (the oldest) as selectable text, with
Copy, a QR code of it and Save QR code image…, or offers to make one: hybrid post-quantum
by default, classic X25519 only on request, for people whose age is older than 1.3. The
contacts table says each contact's kind in words and marks classic ones (a warning icon
and a tooltip: files shared with them are not safe from a future quantum computer). Add
takes a pasted recipient or reads one from a QR code image; Rename; Remove asks first
(those dialogs are in contact_dialogs.py).

Every keybox call runs on the controller's serial executor, drawing and reading QR codes
on a worker; results come back on the GUI thread, and only while the dialog exists.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.keybox.models import PersonKey

from . import qr
from .contact_dialogs import (
    AddContactDialog,
    ConfirmRemoveContact,
    ContactNameDialog,
    classic_warning,
    error_text,
    kind_icon,
    kind_words,
)
from .controller import KeyboxController
from .pages import STRONG, WEAK
from .worker import alive, run_task

__all__ = ["AddContactDialog", "ConfirmRemoveContact", "ContactNameDialog", "PeopleDialog",
           "classic_warning", "kind_words"]

PersonRole = Qt.ItemDataRole.UserRole
QR_PIXELS = 320
"""The QR code's drawn size at most (each module a whole number of pixels, so that it
stays sharp: a post-quantum recipient's code is 157 modules, drawn at 314 pixels)."""


class PeopleDialog(QDialog):
    """My recipient (or making my identity) above, the contacts below."""

    def __init__(self, parent: QWidget | None, controller: KeyboxController) -> None:
        super().__init__(parent)
        self.controller = controller
        self.identities: list[PersonKey] = []
        self.contacts: list[PersonKey] = []
        self.qr_text = ""  # the recipient the QR code shows (once drawn)
        self.setObjectName("peopleDialog")
        self.setWindowTitle(self.tr("People"))
        self.resize(800, 660)

        # --- my recipient ---
        self.mine = QGroupBox(self.tr("My recipient"))
        self.mine.setObjectName("myRecipientBox")
        self.qr_label = QLabel()
        self.qr_label.setObjectName("myRecipientQr")
        self.qr_label.setAccessibleName(self.tr("QR code of my recipient"))
        self.qr_label.setAccessibleDescription(self.tr(
            "Another person scans it with their phone, or saves it as an image, to add you"))
        self.qr_label.setFixedSize(QR_PIXELS, QR_PIXELS)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.my_kind = QLabel()
        self.my_kind.setObjectName("myRecipientKind")
        self.my_kind.setWordWrap(True)
        self.my_kind.setTextFormat(Qt.TextFormat.PlainText)
        self.my_recipient = QPlainTextEdit()
        self.my_recipient.setObjectName("myRecipient")
        self.my_recipient.setReadOnly(True)
        self.my_recipient.setTabChangesFocus(True)
        self.my_recipient.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.my_recipient.setAccessibleName(self.tr("My recipient"))
        self.my_recipient.setAccessibleDescription(self.tr(
            "Give this text to the people who share files with you; it is public"))
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.setObjectName("copyRecipientButton")
        self.copy_button.setAccessibleName(self.tr("Copy my recipient to the clipboard"))
        self.copy_button.clicked.connect(self.copy_recipient)
        text_side = QVBoxLayout()
        text_side.addWidget(self.my_kind)
        text_side.addWidget(self.my_recipient, 1)
        self.save_qr_button = QPushButton(self.tr("&Save QR code image…"))
        self.save_qr_button.setObjectName("saveQrButton")
        self.save_qr_button.setAccessibleName(self.tr("Save the QR code as an image"))
        self.save_qr_button.setAccessibleDescription(self.tr(
            "A PNG image to send to someone who adds you from it"))
        self.save_qr_button.clicked.connect(self.save_qr)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.save_qr_button)
        copy_row.addStretch(1)
        text_side.addLayout(copy_row)
        self.have_identity = QWidget()
        have = QHBoxLayout(self.have_identity)
        have.setContentsMargins(0, 0, 0, 0)
        have.addWidget(self.qr_label)
        have.addLayout(text_side, 1)

        self.no_identity = QWidget()
        none = QVBoxLayout(self.no_identity)
        none.setContentsMargins(0, 0, 0, 0)
        explain = QLabel(self.tr(
            "You have no identity yet. Make one, then give its recipient to the people who "
            "share files with you: only your keybox can open what they encrypt to it. New "
            "identities are post-quantum (hybrid ML-KEM-768 and X25519); the other person "
            "needs age 1.3 or newer, rage or typage."))
        explain.setWordWrap(True)
        self.classic = QCheckBox(self.tr("Make a c&lassic X25519 identity instead"))
        self.classic.setObjectName("classicIdentity")
        self.classic.setAccessibleDescription(self.tr(
            "Only for people whose age is older than 1.3: files shared with a classic "
            "identity are not safe from a future quantum computer"))
        classic_note = QLabel(self.tr(
            "Only for people whose age is older than 1.3, which cannot encrypt to a "
            "post-quantum recipient. Files shared with a classic identity are not safe from "
            "a future quantum computer."))
        classic_note.setWordWrap(True)
        classic_note.setIndent(24)
        self.make_button = QPushButton(self.tr("&Make my identity"))
        self.make_button.setObjectName("makeIdentityButton")
        self.make_button.setAccessibleName(self.tr("Make my identity"))
        self.make_button.clicked.connect(self.make_identity)
        none.addWidget(explain)
        none.addWidget(self.classic)
        none.addWidget(classic_note)
        none.addWidget(self.make_button, 0, Qt.AlignmentFlag.AlignLeft)
        mine = QVBoxLayout(self.mine)
        mine.addWidget(self.have_identity)
        mine.addWidget(self.no_identity)
        self.have_identity.hide()
        self.no_identity.hide()

        # --- contacts ---
        contacts_box = QGroupBox(self.tr("Contacts"))
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("contactTable")
        self.table.setAccessibleName(self.tr("Contacts"))
        self.table.setAccessibleDescription(self.tr(
            "Each contact's name, kind and recipient; classic ones are not post-quantum"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Kind"),
                                              self.tr("Recipient")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # one Tab stop; arrows move inside
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self.tr("&Add…"))
        self.add_button.setObjectName("addContactButton")
        self.add_button.setAccessibleName(self.tr("Add a contact"))
        self.add_button.clicked.connect(self.add_contact)
        self.rename_button = QPushButton(self.tr("Re&name…"))
        self.rename_button.setObjectName("renameContactButton")
        self.rename_button.setAccessibleName(self.tr("Rename the selected contact"))
        self.rename_button.clicked.connect(self.rename_contact)
        self.remove_button = QPushButton(self.tr("&Remove…"))
        self.remove_button.setObjectName("removeContactButton")
        self.remove_button.setAccessibleName(self.tr("Remove the selected contact"))
        self.remove_button.clicked.connect(self.remove_contact)
        row = QHBoxLayout()
        for b in (self.add_button, self.rename_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        contacts = QVBoxLayout(contacts_box)
        contacts.addWidget(self.table, 1)
        contacts.addLayout(row)

        self.status = QLabel()
        self.status.setObjectName("peopleStatus")
        self.status.setAccessibleName(self.tr("People status"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.mine)
        layout.addWidget(contacts_box, 1)
        layout.addWidget(self.status)
        layout.addWidget(close)
        order = (self.my_recipient, self.copy_button, self.save_qr_button, self.classic,
                 self.make_button,
                 self.table, self.add_button, self.rename_button, self.remove_button,
                 self.close_button)
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._update_buttons()
        controller.locked.connect(self.reject)  # as the audit log: locking closes it
        self.refresh()

    # --- keybox calls: on the executor, answered only while this dialog exists ---

    def refresh(self) -> None:
        def read(task: object) -> tuple[list[PersonKey], list[PersonKey]]:
            people = self.controller.keybox().people
            return people.identities(), people.contacts()

        self.controller.run(read, alive(self, self._show), alive(self, self._failed))

    def _change(self, func: Callable[[Any], Any], done_text: Callable[[Any], str]) -> None:
        def done(result: Any) -> None:
            self._say(done_text(result))
            self.refresh()

        self.controller.change(func, alive(self, done), alive(self, self._failed))

    # --- showing ---

    def _show(self, people: tuple[list[PersonKey], list[PersonKey]]) -> None:
        self.identities, self.contacts = people
        self._show_mine()
        self._show_contacts()

    def _show_mine(self) -> None:
        me = self.identities[0] if self.identities else None
        self.have_identity.setVisible(me is not None)
        self.no_identity.setVisible(me is None)
        if me is None:
            return
        if me.post_quantum:
            self.my_kind.setText(self.tr("“{0}”, post-quantum (hybrid). The other person "
                                         "needs age 1.3 or newer, rage or typage.")
                                 .format(me.name))
        else:
            self.my_kind.setText(self.tr("“{0}”, classic X25519 — not post-quantum.")
                                 .format(me.name))
        if self.my_recipient.toPlainText() != me.recipient:
            self.my_recipient.setPlainText(me.recipient)
        if self.qr_text != me.recipient:
            self._draw_qr(me.recipient)

    def _draw_qr(self, recipient: str) -> None:
        self.qr_label.setText(self.tr("Drawing the QR code…"))

        def drawn(image: QImage) -> None:
            scale = max(1, QR_PIXELS // max(image.width(), 1))
            pixmap = QPixmap.fromImage(image).scaled(
                image.width() * scale, image.height() * scale,
                Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
            self.qr_label.setPixmap(pixmap)
            self.qr_text = recipient

        self.qr_task = run_task(lambda t: qr.qr_image(recipient), alive(self, drawn),
                                alive(self, self._failed))

    def _show_contacts(self) -> None:
        selected = self.selected_contact()
        self.table.setRowCount(len(self.contacts))
        for row, person in enumerate(self.contacts):
            name = QTableWidgetItem(person.name)
            kind = QTableWidgetItem(kind_words(person))
            shown = person.recipient if len(person.recipient) <= 80 else \
                f"{person.recipient[:20]}…{person.recipient[-12:]}"
            recipient = QTableWidgetItem(shown)
            recipient.setToolTip(person.recipient)
            kind.setIcon(kind_icon(self, person))
            if not person.post_quantum:
                for item in (name, kind):
                    item.setToolTip(classic_warning())
            for col, item in enumerate((name, kind, recipient)):
                item.setData(PersonRole, person.name)
                self.table.setItem(row, col, item)
            if selected is not None and person.name == selected.name:
                self.table.selectRow(row)
        if self.selected_contact() is None and self.contacts:
            self.table.selectRow(0)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()

    def selected_contact(self) -> PersonKey | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.contacts):
            return None
        return self.contacts[rows[0].row()]

    def _update_buttons(self) -> None:
        chosen = self.selected_contact() is not None
        self.rename_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _say(self, text: str, ok: bool = True) -> None:
        self.status.setStyleSheet("" if ok else f"color: {WEAK};")
        self.status.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._say(error_text(exc), ok=False)

    def show_my_recipient(self) -> None:
        """Put the focus on My recipient (or on Make my identity)."""
        target = self.my_recipient if self.identities else self.make_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- actions ---

    def copy_recipient(self) -> None:
        text = self.my_recipient.toPlainText()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.status.setStyleSheet(f"color: {STRONG};")
            self.status.setText(self.tr("Your recipient is on the clipboard."))

    def choose_qr_file(self) -> Path | None:
        """Where to save the QR code image (the file dialog; a test seam)."""
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the QR code of my recipient"), "my-recipient.png",
            self.tr("PNG images (*.png)"))
        return Path(path) if path else None

    def save_qr(self) -> None:
        """Write the QR code of my recipient as a PNG image, on a worker."""
        text = self.my_recipient.toPlainText()
        path = self.choose_qr_file() if text else None
        if path is None:
            return
        self.save_qr_button.setEnabled(False)

        def saved(_: object) -> None:
            self.save_qr_button.setEnabled(True)
            self._say(self.tr("Saved the QR code of your recipient to {0}.").format(path))

        def failed(exc: BaseException) -> None:
            self.save_qr_button.setEnabled(True)
            self._failed(exc)

        self.save_task = run_task(lambda t: qr.save_qr_png(text, path), alive(self, saved),
                                  alive(self, failed))

    def make_identity(self) -> None:
        classic = self.classic.isChecked()
        self.make_button.setEnabled(False)

        def made(person: PersonKey) -> None:
            self.make_button.setEnabled(True)
            self.classic.setChecked(False)
            self._say((self.tr("Made your classic identity “{0}”.") if classic else
                       self.tr("Made your post-quantum identity “{0}”.")).format(person.name))
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.make_button.setEnabled(True)
            self._failed(exc)

        self.controller.change(lambda box: box.people.new_identity(classic=classic),
                               alive(self, made), alive(self, failed))

    def add_contact(self) -> None:
        person = AddContactDialog.ask(self, self.controller)
        if person is None:
            return
        if person.post_quantum:
            self._say(self.tr("Added {0}.").format(person.name))
        else:
            self._say(self.tr("Added {0} (classic — not post-quantum).").format(person.name))
        self.refresh()

    def rename_contact(self) -> None:
        person = self.selected_contact()
        if person is None:
            return
        new = ContactNameDialog.ask(self, person.name)
        if new is None:
            return
        old = person.name
        self._change(lambda box: box.people.rename_contact(old, new),
                     lambda p: self.tr("Renamed {0} to {1}.").format(old, p.name))

    def remove_contact(self) -> None:
        person = self.selected_contact()
        if person is None or not ConfirmRemoveContact.ask(self, person):
            return
        name = person.name
        self._change(lambda box: box.people.remove_contact(name),
                     lambda _: self.tr("Removed {0}.").format(name))
