"""How a security key (and a TPM slot's PIN) reaches the person in the window.

`WindowPrompts` is the window's `SecurityKeyPrompts` (vaultapp.core.keybox.slots.fido2):
the keybox calls it on the controller's serial executor, never on the GUI thread. Each
call is handed to the GUI thread through a queued signal; nothing on the executor touches
a widget. `touch` shows `TouchDialog` ("Touch your security key…", with Cancel, which
sets the prompts' `cancel` event that python-fido2 watches) and returns at once.
`ask_pin` (a security key's PIN) and `ask_tpm_pin` (the service's `ask_pin` callback
for a TPM slot with a PIN) block the executor thread until the person answers
`PinDialog` on the GUI thread: the answer comes back through a one-slot queue, polled so
that a Cancel or a closing window (`close()`) frees the executor, which would otherwise
wait for an answer nobody can give while the window waits for the executor.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .sizing import fit_title
from .worker import emit

_POLL_S = 0.1


@dataclass(frozen=True)
class _Request:
    kind: str  # "touch", "key-pin", "tpm-pin", "done"
    device: str = ""
    retries: int | None = None
    wrong: bool = False
    answer: queue.Queue[str | None] | None = None


class TouchDialog(QDialog):
    """"Touch your security key…" while a key waits for its touch; Cancel stops the wait."""

    def __init__(self, device: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("securityKeyTouchDialog")
        self.setWindowTitle(self.tr("Security key"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.message = QLabel(self.tr("Touch your security key…"))
        self.message.setObjectName("touchMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("What the security key waits for"))
        self.device = QLabel()
        self.device.setObjectName("touchDevice")
        self.device.setTextFormat(Qt.TextFormat.PlainText)  # the key's own name
        self.device.setWordWrap(True)
        self.device.setAccessibleName(self.tr("Security key"))
        self.set_device(device)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("touchCancelButton")
        self.cancel_button.setAccessibleName(self.tr("Stop waiting for the security key"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.device)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        fit_title(self)

    def set_device(self, device: str) -> None:
        self.device.setText(device)
        self.device.setVisible(bool(device))


class PinDialog(QDialog):
    """The PIN of a security key (`tpm=False`) or of this computer's TPM slot."""

    def __init__(self, device: str = "", retries: int | None = None, wrong: bool = False,
                 tpm: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tpmPinDialog" if tpm else "securityKeyPinDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        if tpm:
            self.setWindowTitle(self.tr("TPM PIN"))
            ask = self.tr("Type the PIN of this computer's TPM key slot.")
        else:
            self.setWindowTitle(self.tr("Security key PIN"))
            ask = self.tr("Type the PIN of your security key.")
        self.question = QLabel(ask)
        self.question.setWordWrap(True)
        self.question.setObjectName("pinQuestion")
        self.detail = QLabel()
        self.detail.setObjectName("pinDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # device and slot names
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName(self.tr("About this PIN"))
        lines = [device] if device else []
        if wrong:
            lines.append(self.tr("The PIN given before was wrong."))
        if retries is not None:
            lines.append(self.tr("Tries left before the PIN is blocked: {0}").format(retries))
        self.detail.setText("\n".join(lines))
        self.detail.setVisible(bool(lines))
        self.pin = QLineEdit()
        self.pin.setObjectName("pinField")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("The PIN"))
        self.pin.setAccessibleDescription(self.tr("Nothing is sent until you press OK"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("pinOkButton")
        ok.setAccessibleName(self.tr("Use this PIN"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("pinCancelButton")
        cancel.setAccessibleName(self.tr("Do not give a PIN"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.question, self.detail, self.pin, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        fit_title(self)
        self.pin.setFocus()

    def answer(self) -> str | None:
        return self.pin.text() if self.result() == QDialog.DialogCode.Accepted else None


class WindowPrompts(QObject):
    """The window's SecurityKeyPrompts. Made on the GUI thread; its `touch`, `ask_pin`,
    `no_pin` and `ask_tpm_pin` are called on the executor; `finish` and `close` on the
    GUI thread."""

    _asked = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.cancel: threading.Event | None = threading.Event()
        self._closed = threading.Event()
        self._touch: TouchDialog | None = None
        self._pin: PinDialog | None = None
        self._pending: queue.Queue[str | None] | None = None
        self.touches = 0
        self.keys_without_pin: list[str] = []
        self._asked.connect(self._on_asked, Qt.ConnectionType.QueuedConnection)

    # --- on the executor ---

    def touch(self, device: str) -> None:
        emit(self._asked, _Request("touch", device))

    def ask_pin(self, device: str, retries: int | None, wrong: bool) -> str | None:
        return self._ask(_Request("key-pin", device, retries, wrong))

    def no_pin(self, device: str) -> None:
        self.keys_without_pin.append(device)

    def ask_tpm_pin(self, name: str, failures: list[str]) -> str | None:
        """The keybox service's `ask_pin` callback (a TPM slot with a PIN)."""
        return self._ask(_Request("tpm-pin", name))

    def _ask(self, request: _Request) -> str | None:
        box: queue.Queue[str | None] = queue.Queue(1)
        emit(self._asked, _Request(request.kind, request.device, request.retries,
                                   request.wrong, box))
        while True:
            try:
                return box.get(timeout=_POLL_S)
            except queue.Empty:
                if self._closed.is_set() or (self.cancel is not None and self.cancel.is_set()):
                    return None

    # --- on the GUI thread ---

    def _on_asked(self, request: _Request) -> None:
        if self._closed.is_set() or not shiboken6.isValid(self._parent):
            if request.answer is not None:
                request.answer.put(None)
            return
        if request.kind == "touch":
            self.touches += 1
            if self._touch is None:
                self._touch = TouchDialog(request.device, self._parent)
                self._touch.rejected.connect(self._cancel_pressed)
            else:
                self._touch.set_device(request.device)
            self._touch.show()
            return
        if self._touch is not None:
            self._touch.hide()  # a PIN first, then (maybe) a touch again
        dialog = PinDialog(request.device, request.retries, request.wrong,
                           tpm=request.kind == "tpm-pin", parent=self._parent)
        self._pin, self._pending = dialog, request.answer

        def answered(code: int) -> None:
            if request.answer is not None and request.answer.empty():
                request.answer.put(dialog.answer())
            self._pin = None
            dialog.deleteLater()

        dialog.finished.connect(answered)
        dialog.open()

    def _cancel_pressed(self) -> None:
        if self.cancel is not None:
            self.cancel.set()

    def finish(self) -> None:
        """The unlock (or enrolment) is over: every prompt goes away."""
        if self._touch is not None and shiboken6.isValid(self._touch):
            with contextlib.suppress(RuntimeError, TypeError):
                self._touch.rejected.disconnect(self._cancel_pressed)
            self._touch.hide()
            self._touch.deleteLater()
        self._touch = None
        if self._pin is not None and shiboken6.isValid(self._pin):
            self._pin.reject()
        self._pin = None

    def close(self) -> None:
        """The window goes: a waiting executor thread is answered None at once."""
        self._closed.set()
        self._cancel_pressed()
        if self._pending is not None and self._pending.empty():
            self._pending.put(None)
        self.finish()

    def touch_dialog(self) -> TouchDialog | None:
        return self._touch

    def pin_dialog(self) -> PinDialog | None:
        return self._pin
