"""The key-slots dialog: list, add (passphrase, AWS KMS with "Test connection"), remove.

Every keybox and KMS call runs on a worker through the controller.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import VaultError

from .controller import KeyboxController
from .hints import describe
from .worker import run_task


class KmsSlotDialog(QDialog):
    """Key ARN, region and optional endpoint, with a "Test connection" button."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add an AWS KMS key slot"))
        self.arn = QLineEdit()
        self.arn.setAccessibleName(self.tr("KMS key ARN"))
        self.arn.setPlaceholderText("arn:aws:kms:eu-west-1:111122223333:key/…")
        self.region = QLineEdit()
        self.region.setAccessibleName(self.tr("AWS region"))
        self.region.setPlaceholderText(self.tr("from the ARN when empty"))
        self.endpoint = QLineEdit()
        self.endpoint.setAccessibleName(self.tr("Endpoint URL"))
        self.endpoint.setPlaceholderText(self.tr("optional, e.g. a VPC endpoint"))
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Key &ARN:"), self.arn)
        form.addRow(self.tr("&Region:"), self.region)
        form.addRow(self.tr("&Endpoint:"), self.endpoint)
        form.addRow(self.test_button, self.outcome)
        note = QLabel(self.tr("Credentials come from the standard AWS chain (environment, "
                              "profile, SSO); vaultapp never stores them."))
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(buttons)

    def values(self) -> tuple[str, str | None, str | None]:
        return (self.arn.text().strip(), self.region.text().strip() or None,
                self.endpoint.text().strip() or None)

    def test_connection(self) -> None:
        from vaultapp.core.keybox.slots import SlotFailure
        from vaultapp.core.keybox.slots.aws_kms import check_kms_key

        arn, region, endpoint = self.values()
        self.outcome.setText(self.tr("Testing…"))
        self.test_button.setEnabled(False)

        def done(text: str) -> None:
            self.test_button.setEnabled(True)
            self.outcome.setStyleSheet("color: #2e7d32;")
            self.outcome.setText(text)

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            if not isinstance(exc, SlotFailure | VaultError):
                raise exc
            self.outcome.setStyleSheet("color: #c62828;")
            self.outcome.setText(describe(exc) if isinstance(exc, VaultError) else str(exc))

        self.task = run_task(lambda t: check_kms_key(arn, region, endpoint), done, failed)

    @classmethod
    def ask(cls, parent: QWidget | None) -> tuple[str, str | None, str | None] | None:
        dialog = cls(parent)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.values()[0]:
            return dialog.values()
        return None


class PassphraseDialog:
    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        dialog = QDialog(parent)
        dialog.setWindowTitle(dialog.tr("Add a recovery passphrase"))
        first, second = QLineEdit(), QLineEdit()
        for field, name in ((first, "New passphrase"), (second, "Repeat the passphrase")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(dialog.tr(name))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(dialog.tr("&Passphrase:"), first)
        form.addRow(dialog.tr("&Repeat:"), second)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        if not first.text() or first.text() != second.text():
            return None
        return first.text()


class SlotsDialog(QDialog):
    """The keybox's key slots; any one of them unlocks it."""

    def __init__(self, parent: QWidget | None, controller: KeyboxController) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Key slots"))
        self.resize(640, 320)
        intro = QLabel(self.tr("Any one key slot unlocks the keybox. Keep at least two kinds "
                               "(for example the keyring and a passphrase) so that no single "
                               "outage locks you out."))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("slotTable")
        self.table.setAccessibleName(self.tr("Key slots"))
        self.table.setHorizontalHeaderLabels([self.tr("Slot"), self.tr("Kind"),
                                              self.tr("Label")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.add_passphrase = QPushButton(self.tr("Add &passphrase…"))
        self.add_kms = QPushButton(self.tr("Add AWS &KMS key…"))
        self.remove = QPushButton(self.tr("&Remove"))
        self.add_passphrase.clicked.connect(self._add_passphrase)
        self.add_kms.clicked.connect(self._add_kms)
        self.remove.clicked.connect(self._remove)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for b in (self.add_passphrase, self.add_kms, self.remove):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.controller.run(lambda t: self.controller.keybox().slots(), self._show,
                            self._failed)

    def _show(self, slots: list[Any]) -> None:
        self.table.setRowCount(len(slots))
        for row, slot in enumerate(slots):
            for col, value in enumerate((slot.slot_id, slot.kind, slot.label)):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()  # a handful of rows: cheap

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, VaultError):
            raise exc
        self.status.setStyleSheet("color: #c62828;")
        self.status.setText(describe(exc) if isinstance(exc, VaultError) else str(exc))

    def _changed(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.refresh()

    def _add_passphrase(self) -> None:
        passphrase = PassphraseDialog.ask(self)
        if passphrase:
            self.controller.run(
                lambda t: self.controller.keybox().add_passphrase_slot(passphrase),
                lambda s: self._changed(self.tr("Added passphrase slot {0}").format(s.slot_id)),
                self._failed)

    def _add_kms(self) -> None:
        values = KmsSlotDialog.ask(self)
        if values is None:
            return
        arn, region, endpoint = values
        self.controller.run(
            lambda t: self.controller.keybox().add_kms_slot(arn, region=region,
                                                            endpoint_url=endpoint),
            lambda s: self._changed(self.tr("Added {0} ({1})").format(s.label, s.slot_id)),
            self._failed)

    def _remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.table.item(rows[0].row(), 0)
        if item is None:
            return
        slot_id = item.text()
        self.controller.run(lambda t: self.controller.keybox().remove_slot(slot_id),
                            lambda _: self._changed(self.tr("Removed slot {0}").format(slot_id)),
                            self._failed)
