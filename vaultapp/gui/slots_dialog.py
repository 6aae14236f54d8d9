"""The key-slots dialog: list, test, rename, add (passphrase, recovery code, security
key, TPM, AWS KMS), remove.

Every keybox call runs on the controller's serial executor, every KMS call and the check
for the optional kinds on a worker; results come back on the GUI thread. A security key
or a TPM PIN reaches the person through WindowPrompts (the executor asks, the GUI thread
shows the prompt), as on the unlock page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import KeyboxLockedError, VaultError
from vaultapp.core.keybox.models import SlotInfo

from .controller import KeyboxController
from .hints import describe
from .pages import STRONG, WEAK, StrengthLabel
from .recovery_sheet import NewRecoveryCode, RecoveryCodeDialog
from .security_key import WindowPrompts
from .sizing import fit_message_title, fit_title, reading_width
from .slot_reasons import reason_words
from .worker import alive, run_task

SlotRole = Qt.ItemDataRole.UserRole
KMS_KIND = "aws-kms"
"""The slot kind of AWS KMS, as `registry.kind_available` and `install_hint` know it."""
FULL_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
"""A key ARN of the usual length: the ARN field is wide enough to show one whole."""


def kind_words(kind: str) -> str:
    """A slot kind in the window's words (an unknown kind as stored)."""
    words = {
        "keyring": QCoreApplication.translate("slots", "System keyring"),
        "keyring-kms": QCoreApplication.translate("slots", "System keyring, wrapped by AWS KMS"),
        "aws-kms": QCoreApplication.translate("slots", "AWS KMS key"),
        "passphrase": QCoreApplication.translate("slots", "Passphrase"),
        "recovery-code": QCoreApplication.translate("slots", "Recovery code"),
        "fido2": QCoreApplication.translate("slots", "Security key (FIDO2)"),
        "tpm": QCoreApplication.translate("slots", "This computer's TPM"),
    }
    return words.get(kind, kind)


def _error_text(exc: BaseException) -> str:
    """A user-facing error in words; anything else is a bug and is raised again."""
    from vaultapp.core.keybox.slots import SlotFailure

    if isinstance(exc, VaultError):
        return describe(exc)
    if isinstance(exc, SlotFailure):
        return str(exc)
    raise exc


TYPED_KINDS = ("passphrase", "recovery-code")
"""Slots tested with a typed secret (the test dialog)."""
DEVICE_KINDS = ("fido2", "tpm")
"""Slots that need a touch or a PIN, asked by the unlock page."""


def _grow_to_fit(dialog: QDialog) -> None:
    """Let a dialog whose word-wrapped text just changed grow until all of it shows."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() \
        else layout.totalSizeHint().height()
    dialog.setMinimumHeight(needed)  # nor can the person shrink it over the text
    if needed > dialog.height():
        dialog.resize(width, needed)


class KmsSlotDialog(QDialog):
    """Key ARN, region and optional endpoint, with a "Test connection" button."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("kmsSlotDialog")
        self.setWindowTitle(self.tr("Add an AWS KMS key slot"))
        self.arn = QLineEdit()
        self.arn.setObjectName("kmsArn")
        self.arn.setAccessibleName(self.tr("KMS key ARN"))
        self.arn.setPlaceholderText("arn:aws:kms:eu-west-1:111122223333:key/…")
        self.region = QLineEdit()
        self.region.setObjectName("kmsRegion")
        self.region.setAccessibleName(self.tr("AWS region"))
        self.region.setPlaceholderText(self.tr("from the ARN when empty"))
        self.endpoint = QLineEdit()
        self.endpoint.setObjectName("kmsEndpoint")
        self.endpoint.setAccessibleName(self.tr("Endpoint URL"))
        self.endpoint.setPlaceholderText(self.tr("optional, e.g. a VPC endpoint"))
        self.outcome = QLabel()
        self.outcome.setObjectName("kmsOutcome")
        self.outcome.setAccessibleName(self.tr("Connection test result"))
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)  # the service's words
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.outcome.hide()  # until a test says something
        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.setObjectName("kmsTestButton")
        self.test_button.setAccessibleName(self.tr("Test the connection to the KMS key"))
        self.test_button.clicked.connect(self.test_connection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("Key &ARN:"), self.arn)
        form.addRow(self.tr("&Region:"), self.region)
        form.addRow(self.tr("&Endpoint:"), self.endpoint)
        note = QLabel(self.tr("Credentials come from the standard AWS chain (environment, "
                              "profile, SSO); vaultapp never stores them."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.outcome)
        layout.addWidget(note)
        layout.addWidget(buttons)
        # Wide enough for a whole key ARN and every placeholder, and for the title.
        metrics = self.arn.fontMetrics()
        texts = (FULL_ARN, self.region.placeholderText(), self.endpoint.placeholderText())
        self.arn.setMinimumWidth(max(metrics.horizontalAdvance(t) for t in texts) + 16)
        fit_title(self)

    def values(self) -> tuple[str, str | None, str | None]:
        return (self.arn.text().strip(), self.region.text().strip() or None,
                self.endpoint.text().strip() or None)

    def show_outcome(self, text: str, ok: bool) -> None:
        """The test's result, all of it: the label wraps and the dialog grows to fit."""
        self.outcome.setStyleSheet(f"color: {STRONG if ok else WEAK};")
        self.outcome.setText(text)
        self.outcome.show()
        _grow_to_fit(self)

    def test_connection(self) -> None:
        from vaultapp.core.keybox.slots.aws_kms import check_kms_key

        arn, region, endpoint = self.values()
        self.outcome.setStyleSheet("")
        self.outcome.setText(self.tr("Testing…"))
        self.outcome.show()
        self.test_button.setEnabled(False)

        def done(text: str) -> None:
            self.test_button.setEnabled(True)
            self.show_outcome(text, True)

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.show_outcome(_error_text(exc), False)

        self.task = run_task(lambda t: check_kms_key(arn, region, endpoint),
                             alive(self, done), alive(self, failed))

    @classmethod
    def ask(cls, parent: QWidget | None) -> tuple[str, str | None, str | None] | None:
        dialog = cls(parent)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.values()[0]:
            return dialog.values()
        return None


class PassphraseDialog(QDialog):
    """A new passphrase slot: the passphrase twice and the slot's label.

    The strength rule is the first-run page's (`vaultapp.core.strength`, same words, live
    while typing); OK stays disabled until the passphrase is strong enough and both
    fields match. An empty label leaves the choice to the keybox ("passphrase 2", …).
    Focus starts in the passphrase; Enter in Repeat adds the slot.
    """

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseSlotDialog")
        self.setWindowTitle(self.tr("Add a recovery passphrase"))
        self.setMinimumWidth(reading_width(self, 70))
        self.first, self.second = QLineEdit(), QLineEdit()
        self.first.setObjectName("newPassphrase")
        self.second.setObjectName("repeatPassphrase")
        self.first.setAccessibleName(self.tr("New passphrase"))
        self.first.setAccessibleDescription(self.tr("Four unrelated words are strong enough"))
        self.second.setAccessibleName(self.tr("Repeat the passphrase"))
        for field in (self.first, self.second):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = StrengthLabel()
        self.mismatch = QLabel()
        self.mismatch.setObjectName("passphraseMismatch")
        self.mismatch.setStyleSheet(f"color: {WEAK};")
        self.label = QLineEdit()
        self.label.setObjectName("slotLabel")
        self.label.setAccessibleName(self.tr("Slot label"))
        self.label.setAccessibleDescription(self.tr(
            "A name for this slot, for example where the passphrase is written down"))
        self.label.setPlaceholderText(self.tr("chosen for you when empty"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Add passphrase"))
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        self.form = form = QFormLayout(self)
        form.addRow(self.tr("&Passphrase:"), self.first)
        form.addRow(self.tr("&Repeat:"), self.second)
        form.addRow("", self.strength)
        form.addRow("", self.mismatch)
        form.addRow(self.tr("&Label:"), self.label)
        form.addRow(self.buttons)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self.first.returnPressed.connect(self.second.setFocus)
        self.second.returnPressed.connect(self._accept_if_valid)
        self.label.returnPressed.connect(self._accept_if_valid)
        QWidget.setTabOrder(self.first, self.second)
        QWidget.setTabOrder(self.second, self.label)
        QWidget.setTabOrder(self.label, self.buttons)
        fit_title(self)
        self.first.setFocus()
        self._update()

    def _update(self) -> None:
        strong = self.strength.show_for(self.first.text())
        differ = bool(self.second.text()) and self.first.text() != self.second.text()
        self.mismatch.setText(self.tr("The two passphrases differ.") if differ else "")
        self.form.setRowVisible(self.mismatch, differ)
        self.form.setRowVisible(self.strength, bool(self.first.text()))
        self.ok_button.setEnabled(self.valid() and strong)
        _grow_to_fit(self)

    def valid(self) -> bool:
        return self.strength.ok and self.first.text() == self.second.text()

    def _accept_if_valid(self) -> None:
        if self.valid():
            self.accept()

    def values(self) -> tuple[str, str | None]:
        return self.first.text(), self.label.text().strip() or None

    @classmethod
    def ask(cls, parent: QWidget | None) -> tuple[str, str | None] | None:
        """(passphrase, label or None) once a strong, repeated passphrase was given."""
        dialog = cls(parent)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.valid():
            return dialog.values()
        return None


class SlotTestDialog(QDialog):
    """Checks that a secret slot opens the keybox: the way to verify an emergency kit.

    The typed passphrase goes to `Keybox.test_slot` on the executor; nothing changes.
    """

    def __init__(self, parent: QWidget | None, controller: KeyboxController,
                 slot: SlotInfo) -> None:
        super().__init__(parent)
        self.controller = controller
        self.slot = slot
        self.setObjectName("testSlotDialog")
        self.code = slot.kind == "recovery-code"
        self.setWindowTitle(self.tr("Test the recovery code") if self.code
                            else self.tr("Test a key slot"))
        self.setMinimumWidth(reading_width(self, 70))
        intro = QLabel((self.tr("Type the recovery code of the slot “{0}” as it is on the "
                                "sheet, with or without the dashes. It is only checked; "
                                "nothing changes.") if self.code else
                        self.tr("Type the passphrase of the slot “{0}” as you wrote it down. "
                                "It is only checked; nothing changes.")).format(slot.label))
        intro.setTextFormat(Qt.TextFormat.PlainText)  # the label is stored text
        intro.setWordWrap(True)
        self.secret = QLineEdit()
        self.secret.setObjectName("testPassphrase")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(self.tr("Recovery code to test") if self.code
                                      else self.tr("Passphrase to test"))
        self.secret.returnPressed.connect(self.test)
        self.test_button = QPushButton(self.tr("&Test"))
        self.test_button.setObjectName("testSlotButton")
        self.test_button.setAccessibleName(self.tr("Test this recovery code") if self.code
                                           else self.tr("Test this passphrase"))
        self.test_button.setDefault(True)
        self.test_button.clicked.connect(self.test)
        self.outcome = QLabel()
        self.outcome.setObjectName("testOutcome")
        self.outcome.setAccessibleName(self.tr("Test result"))
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome.setWordWrap(True)
        self.outcome.hide()  # until there is a result (the dialog grows to it)
        self.ok: bool | None = None
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.secret, 1)
        row.addWidget(self.test_button)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.outcome)
        layout.addWidget(close)
        fit_title(self)
        self._busy = False
        self.secret.setFocus()
        self._update()

    def _update(self) -> None:
        self.test_button.setEnabled(not self._busy)  # a Tab stop even while empty

    def test(self) -> None:
        secret = self.secret.text()
        if self._busy:
            return
        if not secret:
            self.outcome.setStyleSheet("")
            self.outcome.setText(self.tr("Type the recovery code to test first.") if self.code
                                 else self.tr("Type the passphrase to test first."))
            self.outcome.show()
            _grow_to_fit(self)
            return
        slot_id = self.slot.slot_id
        self._busy = True
        self._update()
        self.ok = None
        self.outcome.setStyleSheet("")
        self.outcome.setText(self.tr("Testing…"))
        self.outcome.show()
        _grow_to_fit(self)
        self.controller.run(lambda t: self.controller.keybox().test_slot(slot_id, secret),
                            alive(self, self._opened), alive(self, self._refused))

    def _finish(self, text: str, ok: bool) -> None:
        self._busy = False
        self.ok = ok
        self.outcome.setStyleSheet(f"color: {STRONG if ok else WEAK};")
        self.outcome.setText(text)
        self._update()
        self.secret.selectAll()
        self.secret.setFocus()
        _grow_to_fit(self)

    def _opened(self, _: object) -> None:
        self._finish(self.tr("This recovery code opens the keybox.") if self.code
                     else self.tr("This passphrase opens the keybox."), True)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, KeyboxLockedError) and exc.failures:
            why = "; ".join(reason_words(r) for r in exc.reasons) or "; ".join(exc.failures)
            self._finish((self.tr("This recovery code does not open the keybox: {0}")
                          if self.code else
                          self.tr("This passphrase does not open the keybox: {0}")).format(why),
                         False)
        else:
            self._finish(_error_text(exc), False)


class SlotLabelDialog:
    """A slot's new label, or None."""

    @classmethod
    def ask(cls, parent: QWidget | None, current: str) -> str | None:
        dialog = QDialog(parent)
        dialog.setObjectName("slotLabelDialog")
        dialog.setWindowTitle(QCoreApplication.translate("SlotLabelDialog", "Rename key slot"))
        field = QLineEdit(current)
        field.setObjectName("slotLabel")
        field.setAccessibleName(QCoreApplication.translate("SlotLabelDialog", "Slot label"))
        field.selectAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        field.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(QCoreApplication.translate("SlotLabelDialog", "&Label:"), field)
        form.addRow(buttons)
        dialog.setMinimumWidth(reading_width(dialog, 45))  # room for a long label
        fit_title(dialog)
        field.setFocus()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        label = field.text().strip()
        return label if label and label != current else None


class TpmSlotDialog(QDialog):
    """A new TPM slot's PIN: none (it unlocks silently on this computer, but not after a
    lock) or one typed twice (then it also counts after a lock). The TPM's own lockout,
    not the PIN's length, stops guessing: 4 characters at least."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("tpmSlotDialog")
        self.setWindowTitle(self.tr("Add a TPM slot"))
        self.setMinimumWidth(reading_width(self, 64))
        intro = QLabel(self.tr(
            "The root key is sealed to this computer's TPM: it unlocks here without typing, "
            "and nowhere else. It does not survive the loss of this computer. With a PIN it "
            "also unlocks after a lock."))
        intro.setWordWrap(True)
        self.use_pin = QCheckBox(self.tr("&Ask for a PIN"))
        self.use_pin.setObjectName("tpmUsePin")
        self.use_pin.setAccessibleName(self.tr("Protect the TPM slot with a PIN"))
        self.pin = QLineEdit()
        self.pin.setObjectName("tpmNewPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("New TPM PIN"))
        self.repeat = QLineEdit()
        self.repeat.setObjectName("tpmRepeatPin")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the TPM PIN"))
        self.problem = QLabel()
        self.problem.setObjectName("tpmPinProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {WEAK};")
        form = QFormLayout()
        form.addRow(self.tr("&PIN:"), self.pin)
        form.addRow(self.tr("&Repeat:"), self.repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("tpmAddButton")
        self.ok.setText(self.tr("&Add"))
        self.ok.setAccessibleName(self.tr("Add the TPM slot"))
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.use_pin)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for signal in (self.use_pin.toggled, self.pin.textChanged, self.repeat.textChanged):
            signal.connect(self._update)
        fit_title(self)
        self._update()

    def _problem(self) -> str:
        if not self.use_pin.isChecked():
            return ""
        from vaultapp.core.keybox.slots.tpm import MIN_PIN_LENGTH

        if len(self.pin.text()) < MIN_PIN_LENGTH:
            return self.tr("A TPM PIN has at least {0} characters.").format(MIN_PIN_LENGTH)
        if self.pin.text() != self.repeat.text():
            return self.tr("The two PINs differ.")
        return ""

    def _update(self) -> None:
        for field in (self.pin, self.repeat):
            field.setEnabled(self.use_pin.isChecked())
        problem = self._problem()
        typed = bool(self.pin.text() or self.repeat.text())
        self.problem.setText(problem if typed else "")
        self.ok.setEnabled(not problem)

    def _accept_if_valid(self) -> None:
        if not self._problem():
            self.accept()

    def value(self) -> str:
        """The PIN, or "" for none."""
        return self.pin.text() if self.use_pin.isChecked() else ""

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        """The new slot's PIN ("" for none), or None when cancelled."""
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value()


class ConfirmRemoveSlot:
    """Remove a slot? Always asked; when `Keybox.removal_consequence` has a consequence
    (the last slot that survives the loss of this machine), the question spells it out in
    the window's words and the destructive button says so."""

    @classmethod
    def ask(cls, parent: QWidget | None, slot: SlotInfo, consequence: str | None) -> bool:
        box = QMessageBox(parent)
        box.setObjectName("confirmRemoveSlot")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the label is stored text
        box.setWindowTitle(QCoreApplication.translate("ConfirmRemoveSlot", "Remove key slot"))
        box.setText(QCoreApplication.translate(
            "ConfirmRemoveSlot", "Remove the key slot “{0}” ({1})?").format(
                slot.label, kind_words(slot.kind)))
        if consequence:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setInformativeText(QCoreApplication.translate(
                "ConfirmRemoveSlot",
                "This is the last key slot that does not depend on this machine. Without "
                "it, the keybox opens only here: if this machine or its keyring is lost, "
                "nobody can open your sealed files again."))
            remove_text = QCoreApplication.translate("ConfirmRemoveSlot",
                                                     "Remove the last portable way in")
        else:
            box.setIcon(QMessageBox.Icon.Question)
            box.setInformativeText(QCoreApplication.translate(
                "ConfirmRemoveSlot", "The other key slots still unlock the keybox."))
            remove_text = QCoreApplication.translate("ConfirmRemoveSlot", "Remove slot")
        remove = box.addButton(remove_text, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(QCoreApplication.translate("ConfirmRemoveSlot", "Keep it"),
                             QMessageBox.ButtonRole.RejectRole)
        remove.setAccessibleName(remove.text())
        keep.setAccessibleName(keep.text())
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        fit_message_title(box)
        box.exec()
        return box.clickedButton() is remove


class SlotsDialog(QDialog):
    """The keybox's key slots; any one of them unlocks it."""

    def __init__(self, parent: QWidget | None, controller: KeyboxController) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("slotsDialog")
        self.setWindowTitle(self.tr("Key slots"))
        self.resize(900, 420)
        intro = QLabel(self.tr("Any one key slot unlocks the keybox. Keep at least one that "
                               "survives losing this machine (a recovery code or passphrase "
                               "kept somewhere safe, or a security key), and test it now and "
                               "then."))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("slotTable")
        self.table.setAccessibleName(self.tr("Key slots"))
        self.table.setAccessibleDescription(self.tr(
            "Each slot's label, kind, whether it survives losing this machine, and whether "
            "it unlocks after a lock"))
        headers = [
            (self.tr("Label"), ""),
            (self.tr("Kind"), ""),
            (self.tr("Survives losing this machine"),
             self.tr("Whether this slot still opens the keybox on another machine")),
            (self.tr("Unlocks after a lock"),
             self.tr("Whether this slot proves a person after a lock (a typed secret)")),
            (self.tr("Slot"), ""),
        ]
        for col, (text, tip) in enumerate(headers):
            item = QTableWidgetItem(text)
            if tip:
                item.setToolTip(tip)
            self.table.setHorizontalHeaderItem(col, item)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # one Tab stop; arrows move inside
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Whole rows are selected: bold titles on every selection would only crowd them.
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.status = QLabel()
        self.status.setObjectName("slotsStatus")
        self.status.setAccessibleName(self.tr("Key slots status"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        def button(name: str, text: str, accessible: str, handler: Any) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.setAccessibleName(accessible)
            b.clicked.connect(handler)
            return b

        self.add_passphrase = button("addPassphraseSlot", self.tr("Add &passphrase…"),
                                     self.tr("Add a passphrase slot"), self._add_passphrase)
        self.add_code = button("addRecoveryCodeSlot", self.tr("Add recovery &code…"),
                               self.tr("Add a recovery code slot"), self._add_recovery_code)
        self.add_code.setAccessibleDescription(self.tr(
            "Makes a code to write down or print, shown once, that unlocks the keybox "
            "wherever a passphrase is asked for"))
        self.add_key = button("addFido2Slot", self.tr("Add &security key…"),
                              self.tr("Add a hardware security key slot"),
                              self._add_security_key)
        self.add_key.setAccessibleDescription(self.tr(
            "Connect only the key to add; it asks for a touch and its PIN"))
        self.add_tpm = button("addTpmSlot", self.tr("Add TP&M…"),
                              self.tr("Add a slot sealed to this computer's TPM"),
                              self._add_tpm)
        self.add_kms = button("addKmsSlot", self.tr("Add AWS &KMS key…"),
                              self.tr("Add an AWS KMS key slot"), self._add_kms)
        for optional in (self.add_key, self.add_tpm, self.add_kms):
            optional.hide()  # until the worker says the optional support is there
        self.kms_missing = QLabel()
        self.kms_missing.setObjectName("kmsUnavailable")
        self.kms_missing.setAccessibleName(self.tr("AWS KMS is not available"))
        self.kms_missing.setTextFormat(Qt.TextFormat.PlainText)
        self.kms_missing.setWordWrap(True)
        self.kms_missing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kms_missing.hide()
        self.test = button("testSlot", self.tr("&Test…"), self.tr("Test the selected slot"),
                           self._test)
        self.test.setAccessibleDescription(self.tr(
            "Checks that the selected slot opens the keybox, for example the passphrase you "
            "wrote down"))
        self.rename = button("renameSlot", self.tr("Re&name…"),
                             self.tr("Rename the selected slot"), self._rename)
        self.remove = button("removeSlot", self.tr("&Remove…"),
                             self.tr("Remove the selected slot"), self._remove)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        # The buttons stand in a column beside the table, each as wide as its text
        # needs: a row of eight would not fit at 200 % or in German.
        column = QVBoxLayout()
        for b in (self.test, self.rename, self.remove):
            column.addWidget(b)
        column.addSpacing(self.fontMetrics().height())
        for b in (self.add_passphrase, self.add_code, self.add_key, self.add_tpm,
                  self.add_kms):
            column.addWidget(b)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.kms_missing)
        layout.addWidget(self.status)
        layout.addWidget(close)
        order = (self.table, self.test, self.rename, self.remove, self.add_passphrase,
                 self.add_code, self.add_key, self.add_tpm, self.add_kms, self.close_button)
        for first, then in pairwise(order):
            QWidget.setTabOrder(first, then)
        fit_title(self)
        self.slots: list[SlotInfo] = []
        self.prompts: WindowPrompts | None = None
        self._update_buttons()
        self._check_kinds()
        self.refresh()

    # --- keybox calls: on the executor, answered only while this dialog exists ---

    def _run(self, func: Callable[[Any], Any], on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None]) -> None:
        self.controller.run(func, alive(self, on_done), alive(self, on_error))

    def _change(self, func: Callable[[Any], Any], on_done: Callable[[Any], None],
                on_error: Callable[[BaseException], None]) -> None:
        self.controller.change(func, alive(self, on_done), alive(self, on_error))

    # --- the list ---

    def refresh(self) -> None:
        self._run(lambda t: self.controller.keybox().slots(), self._show,
                            self._failed)

    def _show(self, slots: list[SlotInfo]) -> None:
        selected = self.selected_slot()
        self.slots = list(slots)
        yes, no = self.tr("Yes"), self.tr("No")
        self.table.setRowCount(len(slots))
        for row, slot in enumerate(slots):
            values = (slot.label, kind_words(slot.kind), yes if slot.portable else no,
                      yes if slot.secret else no, slot.slot_id)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(SlotRole, slot.slot_id)
                self.table.setItem(row, col, item)
            if selected is not None and slot.slot_id == selected.slot_id:
                self.table.selectRow(row)
        if self.selected_slot() is None and slots:
            self.table.selectRow(0)  # a current row for the keyboard and the buttons
        if slots and not any(slot.portable for slot in slots):
            self.status.setStyleSheet(f"color: {WEAK};")
            self.status.setText(self.tr(
                "⚠ No slot survives the loss of this computer: add a recovery code, a "
                "passphrase or a security key, or losing this computer locks the keybox "
                "for good."))
        self.table.resizeColumnsToContents()  # a handful of rows: cheap
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()

    def done(self, result: int) -> None:
        """Closing while a security key or a TPM PIN is waited for answers the executor
        at once (nothing could answer it after the dialog is gone)."""
        if self.prompts is not None:
            self.prompts.close()
        super().done(result)

    def selected_slot(self) -> SlotInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.slots):
            return None
        return self.slots[rows[0].row()]

    def _update_buttons(self) -> None:
        slot = self.selected_slot()
        for b in (self.test, self.rename, self.remove):
            b.setEnabled(slot is not None)
        code = slot is not None and slot.kind == "recovery-code"
        self.test.setText(self.tr("&Test recovery code…") if code else self.tr("&Test…"))

    def _check_kinds(self) -> None:
        """Offer security keys, the TPM and AWS KMS only when their optional support is
        installed (and, for the TPM, one is configured or the kernel offers one): asked
        on a worker, it looks on disk. For AWS KMS, say how to get it."""
        def probe(task: object) -> tuple[bool, bool, bool, str]:
            from vaultapp.core.keybox.slots import registry

            available = registry.kind_available(KMS_KIND)
            tpm = False
            if registry.kind_available("tpm"):
                from vaultapp.core.keybox.slots.tpm import tpm_configured

                tpm = tpm_configured()
            return (registry.kind_available("fido2"), tpm, available,
                    "" if available else registry.install_hint(KMS_KIND))

        def known(result: tuple[bool, bool, bool, str]) -> None:
            fido2, tpm, available, hint = result
            self.add_key.setVisible(fido2)
            self.add_tpm.setVisible(tpm)
            self.add_kms.setVisible(available)
            self.kms_missing.setVisible(not available)
            if not available:
                self.kms_missing.setText(self.tr(
                    "To use AWS KMS, install the optional AWS support: {0}").format(hint))

        self.kinds_task = run_task(probe, alive(self, known), alive(self, self._failed))

    # --- results ---

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet(f"color: {WEAK};")
        self.status.setText(_error_text(exc))

    def _changed(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.refresh()

    # --- actions ---

    def _add_passphrase(self) -> None:
        answer = PassphraseDialog.ask(self)
        if answer is None:
            return
        passphrase, label = answer
        self._change(
            lambda box: box.add_passphrase_slot(passphrase, label=label),
            lambda s: self._changed(self.tr("Added the passphrase slot “{0}”").format(s.label)),
            self._failed)

    def _add_recovery_code(self) -> None:
        """A new recovery code slot; its code is shown once, with its printable sheet."""
        def work(box: Any) -> NewRecoveryCode:
            from vaultapp.core.keybox.slots.recovery_code import RecoveryCodeRequest

            request = RecoveryCodeRequest()
            slot = box.add_slot(request)
            return NewRecoveryCode(request.code, box.keybox_id, box.location,
                                   datetime.now(UTC), slot.label)

        def made(new: NewRecoveryCode) -> None:
            self._changed(self.tr("Added the recovery code slot “{0}”").format(new.label))
            self.code_dialog = RecoveryCodeDialog(self, new)
            self.code_dialog.open()

        self._change(work, made, self._failed)

    def _add_security_key(self) -> None:
        """A new security-key slot on the one key connected: the touch and the PIN are
        asked through WindowPrompts while the executor talks to the key."""
        prompts = self.prompts = WindowPrompts(self)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Adding a security key: connect only the key to add, "
                                    "and touch it when it blinks…"))

        def work(box: Any) -> SlotInfo:
            from vaultapp.core.keybox.slots.fido2 import Fido2Request

            slot: SlotInfo = box.add_slot(Fido2Request(prompts))
            return slot

        def added(slot: SlotInfo) -> None:
            prompts.finish()
            text = self.tr("Added the security key slot “{0}”").format(slot.label)
            if prompts.keys_without_pin:
                text += "\n" + self.tr(
                    "This key has no PIN: whoever holds it and a copy of the keybox can "
                    "unlock with a touch. Set a PIN on the key, then add it again.")
            self._changed(text)

        def failed(exc: BaseException) -> None:
            prompts.finish()
            self._failed(exc)

        self._change(work, added, failed)

    def _add_tpm(self) -> None:
        pin = TpmSlotDialog.ask(self)
        if pin is None:
            return
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Sealing the root key to this computer's TPM…"))

        def work(box: Any) -> SlotInfo:
            from vaultapp.core.keybox.slots.tpm import TpmRequest

            slot: SlotInfo = box.add_slot(TpmRequest(pin or None))
            return slot

        self._change(
            work, lambda s: self._changed(self.tr("Added the TPM slot “{0}”").format(s.label)),
            self._failed)

    def _add_kms(self) -> None:
        values = KmsSlotDialog.ask(self)
        if values is None:
            return
        arn, region, endpoint = values
        self._change(
            lambda box: box.add_kms_slot(arn, region=region, endpoint_url=endpoint),
            lambda s: self._changed(self.tr("Added {0} ({1})").format(s.label, s.slot_id)),
            self._failed)

    def _test(self) -> None:
        slot = self.selected_slot()
        if slot is None:
            return
        if slot.kind in TYPED_KINDS:
            self.test_dialog = SlotTestDialog(self, self.controller, slot)
            self.test_dialog.open()
            return
        slot_id = slot.slot_id
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Testing “{0}”…").format(slot.label))
        if slot.kind not in DEVICE_KINDS:  # needs nothing from the person: tested at once
            self._run(
                lambda t: self.controller.keybox().test_slot(slot_id, None),
                lambda _: self._tested(slot, None), lambda exc: self._tested(slot, exc))
            return
        prompts = self.prompts = WindowPrompts(self)  # a touch, or the key's or TPM's PIN
        tpm_pin = slot.kind == "tpm" and slot.secret

        def work(task: object) -> None:
            from vaultapp.core.keybox.slots.fido2 import prompting

            pin = prompts.ask_tpm_pin(slot.label, []) if tpm_pin else None
            if tpm_pin and not pin:
                raise VaultError(QCoreApplication.translate(
                    "SlotsDialog", "No PIN was given; nothing was tested."))
            with prompting(prompts):
                self.controller.keybox().test_slot(slot_id, pin)

        def finished(exc: BaseException | None) -> None:
            prompts.finish()
            self._tested(slot, exc)

        self._run(work, lambda _: finished(None), finished)

    def _tested(self, slot: SlotInfo, exc: BaseException | None) -> None:
        if exc is None:
            self.status.setStyleSheet(f"color: {STRONG};")
            self.status.setText(self.tr("The slot “{0}” opens the keybox.").format(slot.label))
            return
        if isinstance(exc, KeyboxLockedError) and exc.failures:
            text = "; ".join(reason_words(r) for r in exc.reasons) or "; ".join(exc.failures)
        else:
            text = _error_text(exc)
        self.status.setStyleSheet(f"color: {WEAK};")
        self.status.setText(self.tr("The slot “{0}” does not open the keybox: {1}")
                            .format(slot.label, text))

    def _rename(self) -> None:
        slot = self.selected_slot()
        if slot is None:
            return
        label = SlotLabelDialog.ask(self, slot.label)
        if label is None:
            return
        slot_id = slot.slot_id
        self._change(
            lambda box: box.rename_slot(slot_id, label),
            lambda s: self._changed(self.tr("Renamed the slot to “{0}”").format(s.label)),
            self._failed)

    def _remove(self) -> None:
        slot = self.selected_slot()
        if slot is None:
            return
        slot_id = slot.slot_id
        self._run(lambda t: self.controller.keybox().removal_consequence(slot_id),
                            lambda consequence: self._confirm_remove(slot, consequence),
                            self._failed)

    def _confirm_remove(self, slot: SlotInfo, consequence: str | None) -> None:
        if not ConfirmRemoveSlot.ask(self, slot, consequence):
            return
        slot_id, last_portable = slot.slot_id, consequence is not None
        self._change(
            lambda box: box.remove_slot(slot_id, allow_last_portable=last_portable),
            lambda _: self._changed(self.tr("Removed the slot “{0}”").format(slot.label)),
            self._failed)
