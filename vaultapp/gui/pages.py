"""The first-run setup page and the unlock page."""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
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

STRONG, FAIR, WEAK = "#2e7d32", "#9e6a00", "#c62828"
CARD_WIDTH = 620
"""The pages' card: wide enough that the texts wrap into few lines (the first-run page
must fit a 1400x900 screen at 150 %, 933x600 logical pixels, tests/gui/test_gui_layout.py),
narrow enough to read."""


def _strength_tr(text: str) -> str:
    """zxcvbn's English feedback, translated through the "strength" catalogue context."""
    return QCoreApplication.translate("strength", text)


def strength_lines(passphrase: str) -> tuple[list[str], bool, int]:
    """The verdict on a new passphrase as (lines, ok, zxcvbn score): the words of
    `Strength.summary`, which the command line prints on one line, a phrase a line and
    each translated in the "strength" context (gui/strength_words.py lists them): the
    verdict, then zxcvbn's warning and suggestions when it is too weak."""
    from vaultapp.core.strength import strength

    verdict = strength(passphrase)
    words = {
        "Strong": QCoreApplication.translate("strength", "Strong"),
        "Good": QCoreApplication.translate("strength", "Good"),
        "Too weak": QCoreApplication.translate("strength", "Too weak"),
    }
    lines = [words.get(verdict.verdict) or _strength_tr(verdict.verdict)]
    if not verdict.ok:
        advice = [_strength_tr(p) for p in (verdict.warning, *verdict.suggestions) if p]
        lines.extend(advice or [QCoreApplication.translate(
            "strength", "Add another word or two; uncommon words are better.")])
    return lines, verdict.ok, verdict.score


class StrengthLabel(QLabel):
    """Live feedback on a new passphrase: the strength rule of `vaultapp.core.strength`
    (zxcvbn), in the same words the command line prints. The first-run page and the
    add-passphrase dialog both show it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseStrength")
        self.setTextFormat(Qt.TextFormat.PlainText)  # zxcvbn quotes the typed text
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Passphrase strength"))
        self.ok = False

    def show_for(self, passphrase: str) -> bool:
        """Judge `passphrase`, show the verdict, return whether it is strong enough."""
        if not passphrase:
            self.ok = False
            self.clear()
            return False
        lines, self.ok, score = strength_lines(passphrase)
        self.setText("\n".join(lines))
        colour = STRONG if self.ok else (FAIR if score == 2 else WEAK)
        self.setStyleSheet(f"color: {colour};")
        return self.ok


def _card(*widgets: QWidget) -> QFrame:
    card = QFrame()
    card.setObjectName("card")
    card.setFrameShape(QFrame.Shape.StyledPanel)
    card.setFixedWidth(CARD_WIDTH)
    card.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(28, 14, 28, 14)
    layout.setSpacing(8)
    for w in widgets:
        layout.addWidget(w)
    return card


def _heading(picture: str, title: QLabel) -> QWidget:
    """The picture beside the page's title: one row, not two (the height is scarce)."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(14)
    layout.addWidget(icon_label(picture, 40))
    layout.addWidget(title, 1)
    return row


class CardPage(QWidget):
    """A page showing one card in its middle. Its minimum height is what the card's
    wrapped texts really need at the card's width (QLabel's own minimum guesses a
    narrower width, more lines), so the window gets exactly that much, no less."""

    card: QFrame

    def set_card(self, card: QFrame) -> None:
        self.card = card
        self.setLayout(_centered(card))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is None or not hasattr(self, "card"):
            return hint
        margins = layout.contentsMargins()
        needed = self.card.heightForWidth(CARD_WIDTH) + margins.top() + margins.bottom()
        return QSize(hint.width(), needed) if needed > 0 else hint


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


class SetupPage(CardPage):
    """First run: create the keybox, root key into the OS keyring, recovery passphrase.

    A passphrase must pass the strength rule of `vaultapp.core.strength` (the same rule
    and words as every other way to set one); it may be left empty only while the root
    key goes into the keyring. Focus starts in the passphrase; Enter in Repeat creates.
    """

    create_requested = Signal(bool, str, str)  # use keyring, passphrase, first profile

    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupPage")
        title = QLabel(self.tr("<h2>Set up your vault</h2>"))
        intro = QLabel(self.tr(
            "vaultapp keeps your keys in an encrypted <b>keybox</b> at<br><code>{0}</code>. "
            "Its root key goes into your system keyring, so the vault opens without a "
            "password on this account. A recovery passphrase opens it anywhere else."
        ).format(html.escape(location)))
        intro.setWordWrap(True)
        self.use_keyring = QCheckBox(self.tr("Keep the root key in the system keyring"))
        self.use_keyring.setObjectName("setupUseKeyring")
        self.use_keyring.setChecked(True)
        self.use_keyring.setAccessibleName(self.tr("Keep the root key in the system keyring"))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("setupPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Recovery passphrase"))
        self.passphrase.setAccessibleDescription(self.tr(
            "Opens the keybox on any machine, and after a lock. It must be strong enough; "
            "four unrelated words are."))
        self.passphrase.setPlaceholderText(self.tr("for example four unrelated words"))
        self.repeat = QLineEdit()
        self.repeat.setObjectName("setupRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the recovery passphrase"))
        self.hint = StrengthLabel()  # its row is shown only while it says something
        self.profile = QLineEdit(self.tr("Personal"))
        self.profile.setObjectName("setupProfile")
        self.profile.setAccessibleName(self.tr("First profile name"))
        self.form = form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
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
        self.error.setObjectName("setupError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # may name stored text
        self.error.setStyleSheet(f"color: {WEAK};")
        self.error.setWordWrap(True)
        self.error.hide()  # until there is something to say
        self.create_button = QPushButton(self.tr("Create keybox"))
        self.create_button.setObjectName("createKeyboxButton")
        self.create_button.setDefault(True)
        self.create_button.setAccessibleName(self.tr("Create keybox"))
        self.create_button.clicked.connect(self._create)
        self.passphrase.textChanged.connect(self._update_hint)
        self.repeat.textChanged.connect(self._update_hint)
        self.profile.textChanged.connect(self._update_hint)
        self.use_keyring.toggled.connect(self._update_hint)
        self.passphrase.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self._create)
        self.profile.returnPressed.connect(self._create)
        self.set_card(_card(_heading("app", title), intro, self.use_keyring, form_box,
                            warning, self.error, self.create_button))
        QWidget.setTabOrder(self.use_keyring, self.passphrase)
        QWidget.setTabOrder(self.passphrase, self.repeat)
        QWidget.setTabOrder(self.repeat, self.profile)
        QWidget.setTabOrder(self.profile, self.create_button)
        self.setFocusProxy(self.passphrase)
        self._update_hint()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.passphrase.setFocus()

    def set_keyring_available(self, available: bool, detail: str = "") -> None:
        """Whether a secure system keyring is there; without one the box says so (once)
        and `detail`, the keyring library's own finding, is its tooltip."""
        self.use_keyring.setChecked(available)
        self.use_keyring.setEnabled(available)
        if not available:
            self.use_keyring.setText(self.tr("No secure system keyring is available here"))
            self.use_keyring.setAccessibleName(self.use_keyring.text())
            self.use_keyring.setToolTip(detail)
        self._update_hint()

    def _update_hint(self) -> None:
        self.hint.show_for(self.passphrase.text())
        self.form.setRowVisible(self.hint, bool(self.hint.text()))
        self.create_button.setEnabled(self._problem() is None)

    def _problem(self) -> str | None:
        p = self.passphrase.text()
        if not p and not self.use_keyring.isChecked():
            return self.tr("Without the system keyring a recovery passphrase is required.")
        if p and not self.hint.ok:
            return self.tr("Choose a stronger passphrase.")
        if p != self.repeat.text():
            return self.tr("The two passphrases differ.")
        if not self.profile.text().strip():
            return self.tr("Name the first profile.")
        return None

    def _create(self) -> None:
        problem = self._problem()
        if problem:
            self.show_error(problem)
            return
        self.error.clear()
        self.error.hide()
        self.create_button.setEnabled(False)
        emit(self.create_requested, self.use_keyring.isChecked(), self.passphrase.text(),
             self.profile.text().strip())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.create_button.setEnabled(self._problem() is None)


class UnlockPage(CardPage):
    """The locked keybox: asks for a secret, says what was tried.

    `set_mode` says why it is shown. Before any lock the keyring could not unlock
    silently: a passphrase is asked for and the keyring may be tried again. After a lock
    (docs/ARCHITECTURE.md, "Locking") a person must prove something: the typed passphrase is tried
    against passphrase slots only, and "Try the keyring again" is hidden unless the
    setting "Unlock with the system keyring after a lock" is on. A keybox with no secret
    slot at all can only be opened through the keyring after a lock; hiding that button
    too would lock the person out of their own files, so then (and only then) the page
    says so plainly and offers the keyring, with no passphrase field.

    The passphrase is never empty when sent: an empty field does not fall back to the
    keyring.
    """

    unlock_requested = Signal(str)
    device_unlock_requested = Signal(str)
    """A slot kind to unlock through: "fido2" (Use security key) or "tpm" (Use the TPM)."""

    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPage")
        title = QLabel(self.tr("<h2>The vault is locked</h2>"))
        where = QLabel(self.tr("Keybox: <code>{0}</code>").format(html.escape(location)))
        where.setWordWrap(True)
        self.tried = QLabel()
        self.tried.setTextFormat(Qt.TextFormat.PlainText)  # slot labels are stored text
        self.tried.setWordWrap(True)
        self.tried.setObjectName("triedSlots")
        self.tried.setAccessibleName(self.tr("Key slots tried"))
        self.explain = QLabel()
        self.explain.setObjectName("unlockExplanation")
        self.explain.setWordWrap(True)
        self.explain.setAccessibleName(self.tr("How to unlock"))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("unlockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase or recovery code"))
        self.passphrase.setAccessibleDescription(self.tr(
            "A passphrase of this keybox, or one of its recovery codes"))
        self.passphrase.setPlaceholderText(self.tr("Passphrase or recovery code"))
        self.passphrase.returnPressed.connect(self._unlock)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setAccessibleName(self.tr("Unlock with what you typed"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.retry_button = QPushButton(self.tr("Try the keyring again"))
        self.retry_button.setObjectName("unlockKeyringButton")
        self.retry_button.setAccessibleName(self.tr("Unlock with the system keyring"))
        self.security_key_button = QPushButton(self.tr("Use security key"))
        self.security_key_button.setObjectName("unlockSecurityKeyButton")
        self.security_key_button.setAccessibleName(self.tr("Unlock with a security key"))
        self.security_key_button.setAccessibleDescription(self.tr(
            "Asks you to touch the security key, and its PIN when it has one"))
        self.security_key_button.clicked.connect(
            lambda: self._unlock_device("fido2"))
        self.tpm_button = QPushButton(self.tr("Use this computer's TPM"))
        self.tpm_button.setObjectName("unlockTpmButton")
        self.tpm_button.setAccessibleName(self.tr("Unlock with this computer's TPM"))
        self.tpm_button.setAccessibleDescription(self.tr("Asks for the PIN of the TPM key slot"))
        self.tpm_button.clicked.connect(lambda: self._unlock_device("tpm"))
        self.set_card(_card(_heading("locked", title), where, self.tried, self.explain,
                            self.passphrase, self.unlock_button, self.security_key_button,
                            self.tpm_button, self.retry_button))
        QWidget.setTabOrder(self.passphrase, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.security_key_button)
        QWidget.setTabOrder(self.security_key_button, self.tpm_button)
        QWidget.setTabOrder(self.tpm_button, self.retry_button)
        self.setFocusProxy(self.passphrase)
        self._busy = False
        self.set_mode(after_lock=False, keyring=True, secret_slots=True)

    def set_mode(self, *, after_lock: bool, keyring: bool, secret_slots: bool,
                 typed: bool | None = None, security_key: bool = False,
                 tpm_pin: bool = False) -> None:
        """What this unlock may use: the field for a passphrase or a recovery code when
        the keybox has a slot that takes one (`typed`, by default `secret_slots`), "Use
        security key" with a security-key slot, "Use this computer's TPM" with a TPM
        slot that has a PIN, the keyring button when `keyring` allows it (or no secret
        slot exists). Answers that come back after the window was closed are ignored."""
        if not shiboken6.isValid(self):
            return
        typed = secret_slots if typed is None else typed
        self.after_lock = after_lock
        self.secret_slots = secret_slots
        offer_keyring = keyring or not secret_slots
        self.passphrase.setVisible(typed)
        self.unlock_button.setVisible(typed)
        self.security_key_button.setVisible(security_key)
        self.tpm_button.setVisible(tpm_pin)
        self.retry_button.setVisible(offer_keyring)
        if not secret_slots:
            self.retry_button.setText(self.tr("Unlock with the system keyring"))
            self.explain.setText(self.tr(
                "This keybox has no passphrase slot, so after a lock only the system keyring "
                "can unlock it, and anyone at this account can do that. Add a passphrase in "
                "Key slots so that unlocking asks for it."))
        elif after_lock and not keyring:
            self.retry_button.setText(self.tr("Try the keyring again"))
            self.explain.setText(self.tr(
                "The vault was locked, so it asks for your passphrase: the system keyring "
                "alone does not unlock it again."))
        else:
            self.retry_button.setText(self.tr("Try the keyring again"))
            self.explain.setText(self.tr("Type a passphrase of this keybox to unlock it."))
        if secret_slots and (security_key or tpm_pin):
            if not typed:
                self.explain.setText(self.tr(
                    "Unlock with your security key or this computer's TPM, as offered "
                    "below."))
            elif after_lock and not keyring:
                self.explain.setText(self.tr(
                    "The vault was locked, so it asks you to prove it is you: type a "
                    "passphrase or a recovery code, or use a way offered below. The system "
                    "keyring alone does not unlock it again."))
            else:
                self.explain.setText(self.tr(
                    "Type a passphrase or a recovery code of this keybox, or use a way "
                    "offered below."))
        elif typed and secret_slots:
            if after_lock and not keyring:
                self.explain.setText(self.tr(
                    "The vault was locked, so it asks for your passphrase or a recovery "
                    "code: the system keyring alone does not unlock it again."))
            else:
                self.explain.setText(self.tr(
                    "Type a passphrase or a recovery code of this keybox to unlock it."))
        self._update_button()
        self._focus_first()

    def _focus_first(self) -> None:
        if self.passphrase.isVisibleTo(self):
            self.setFocusProxy(self.passphrase)
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        elif self.security_key_button.isVisibleTo(self):
            self.setFocusProxy(self.security_key_button)
            self.security_key_button.setFocus()
        else:
            self.setFocusProxy(self.retry_button)
            self.retry_button.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._focus_first()

    def _update_button(self) -> None:
        # Enabled while the field is empty too (it then says what is missing): a disabled
        # button is no Tab stop, and a screen reader would not find it.
        self.unlock_button.setEnabled(not self._busy)

    def set_failures(self, text: str) -> None:
        self._busy = False
        self.tried.setText(text)
        self.passphrase.setEnabled(True)
        self.retry_button.setEnabled(True)
        self.security_key_button.setEnabled(True)
        self.tpm_button.setEnabled(True)
        self._update_button()
        self._focus_first()

    def set_busy(self) -> None:
        """An unlock is under way: nothing can be sent twice."""
        self._busy = True
        self.unlock_button.setEnabled(False)
        self.retry_button.setEnabled(False)
        self.security_key_button.setEnabled(False)
        self.tpm_button.setEnabled(False)
        self.passphrase.setEnabled(False)
        self.tried.setText(self.tr("Unlocking…"))

    def _unlock_device(self, kind: str) -> None:
        if self._busy:
            return
        self.set_busy()
        emit(self.device_unlock_requested, kind)

    def _unlock(self) -> None:
        if self._busy or not self.passphrase.isVisibleTo(self):
            return
        if not self.passphrase.text():
            self.tried.setText(self.tr("Type the passphrase or the recovery code first."))
            return
        self.set_busy()
        emit(self.unlock_requested, self.passphrase.text())

    def clear(self) -> None:
        self.passphrase.clear()
