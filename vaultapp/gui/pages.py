"""The first-run setup page and the unlock page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .icons import icon_label
from .worker import emit


def strength_hint(passphrase: str) -> tuple[str, str]:
    """A rough, honest strength hint: (words, colour)."""
    if not passphrase:
        return "", "#616161"
    classes = sum(any(f(c) for c in passphrase)
                  for f in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum()))
    words = len(passphrase.split())
    score = len(passphrase) + 4 * classes + 6 * max(0, words - 1)
    if score < 16:
        return "Weak: use a longer passphrase, for example four unrelated words", "#c62828"
    if score < 28:
        return "Fair: longer is stronger", "#9e6a00"
    return "Strong", "#2e7d32"


def _card(*widgets: QWidget) -> QFrame:
    card = QFrame()
    card.setObjectName("card")
    card.setFrameShape(QFrame.Shape.StyledPanel)
    card.setFixedWidth(560)
    card.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(28, 24, 28, 24)
    layout.setSpacing(12)
    for w in widgets:
        layout.addWidget(w)
    return card


def _centered(card: QFrame) -> QVBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card)
    row.addStretch(1)
    outer = QVBoxLayout()
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return outer


class SetupPage(QWidget):
    """First run: create the keybox, root key into the OS keyring, recovery passphrase."""

    create_requested = Signal(bool, str, str)  # use keyring, passphrase, first profile

    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupPage")
        title = QLabel(self.tr("<h2>Set up your vault</h2>"))
        intro = QLabel(self.tr(
            "vaultapp keeps your keys in an encrypted <b>keybox</b> at<br><code>{0}</code>.<br>"
            "Its root key goes into your system keyring, so the vault opens without a "
            "password on this account. A recovery passphrase opens it anywhere else."
        ).format(location))
        intro.setWordWrap(True)
        self.use_keyring = QCheckBox(self.tr("Keep the root key in the system keyring"))
        self.use_keyring.setChecked(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Recovery passphrase"))
        self.passphrase.setPlaceholderText(self.tr("for example four unrelated words"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the recovery passphrase"))
        self.hint = QLabel()
        self.hint.setAccessibleName(self.tr("Passphrase strength"))
        self.profile = QLineEdit(self.tr("Personal"))
        self.profile.setAccessibleName(self.tr("First profile name"))
        form = QFormLayout()
        form.addRow(self.tr("Recovery &passphrase:"), self.passphrase)
        form.addRow(self.tr("&Repeat:"), self.repeat)
        form.addRow("", self.hint)
        form.addRow(self.tr("First &profile:"), self.profile)
        form_box = QWidget()
        form_box.setLayout(form)
        warning = QLabel(self.tr(
            "⚠ <b>If every way in is lost — the keyring entry and the passphrase — your sealed "
            "files cannot be recovered by anyone.</b> Write the passphrase down and keep it "
            "somewhere safe."))
        warning.setWordWrap(True)
        warning.setObjectName("warning")
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # may name stored text
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.create_button = QPushButton(self.tr("Create keybox"))
        self.create_button.setDefault(True)
        self.create_button.setAccessibleName(self.tr("Create keybox"))
        self.create_button.clicked.connect(self._create)
        self.passphrase.textChanged.connect(self._update_hint)
        self.repeat.textChanged.connect(self._update_hint)
        self.use_keyring.toggled.connect(self._update_hint)
        self.setLayout(_centered(_card(icon_label("app", 64), title, intro, self.use_keyring,
                                       form_box, warning, self.error, self.create_button)))
        self._update_hint()

    def set_keyring_available(self, available: bool, reason: str = "") -> None:
        self.use_keyring.setChecked(available)
        self.use_keyring.setEnabled(available)
        if not available:
            self.use_keyring.setText(self.tr("No secure system keyring here: {0}").format(reason))
        self._update_hint()

    def _update_hint(self) -> None:
        words, colour = strength_hint(self.passphrase.text())
        self.hint.setText(self.tr(words))
        self.hint.setStyleSheet(f"color: {colour};")
        self.create_button.setEnabled(self._problem() is None)

    def _problem(self) -> str | None:
        p = self.passphrase.text()
        if not p and not self.use_keyring.isChecked():
            return self.tr("Without the system keyring a recovery passphrase is required.")
        if p != self.repeat.text():
            return self.tr("The two passphrases differ.")
        if not self.profile.text().strip():
            return self.tr("Name the first profile.")
        return None

    def _create(self) -> None:
        problem = self._problem()
        if problem:
            self.error.setText(problem)
            return
        self.error.clear()
        self.create_button.setEnabled(False)
        emit(self.create_requested, self.use_keyring.isChecked(), self.passphrase.text(),
                                   self.profile.text().strip())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.create_button.setEnabled(True)


class UnlockPage(QWidget):
    """The keyring could not unlock silently: ask for the passphrase, say what was tried."""

    unlock_requested = Signal(str)

    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPage")
        title = QLabel(self.tr("<h2>The vault is locked</h2>"))
        where = QLabel(self.tr("Keybox: <code>{0}</code>").format(location))
        where.setWordWrap(True)
        self.tried = QLabel()
        self.tried.setTextFormat(Qt.TextFormat.PlainText)  # slot labels are stored text
        self.tried.setWordWrap(True)
        self.tried.setObjectName("triedSlots")
        self.tried.setAccessibleName(self.tr("Key slots tried"))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphraseField")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.passphrase.setPlaceholderText(self.tr("Recovery passphrase"))
        self.passphrase.returnPressed.connect(self._unlock)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.retry_button = QPushButton(self.tr("Try the keyring again"))
        self.setLayout(_centered(_card(icon_label("locked", 64), title, where, self.tried,
                                       self.passphrase, self.unlock_button,
                                       self.retry_button)))

    def set_failures(self, text: str) -> None:
        self.tried.setText(text)
        self.unlock_button.setEnabled(True)
        self.passphrase.setEnabled(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _unlock(self) -> None:
        self.unlock_button.setEnabled(False)
        self.passphrase.setEnabled(False)
        self.tried.setText(self.tr("Unlocking…"))
        emit(self.unlock_requested, self.passphrase.text())

    def clear(self) -> None:
        self.passphrase.clear()
