"""The Key slots dialog adds and tests every kind (issue 16, item 5): a recovery code with
its printed sheet, a security key, this computer's TPM.

The real window and dialog offscreen, a real keybox on disk (keyring slot in the memory
keyring, a passphrase slot). Security keys are in-process software authenticators (there
is no /dev/uhid here, so no virtual USB key: tests/support/soft_authenticator.py) that
python-fido2's real client drives from the window's executor; the TPM is swtpm. The
recovery sheet is read back as a person's tools would: `pdftotext` for its words,
`pdftoppm` to render the page and zxing-cpp to scan its QR code.
"""

# ruff: noqa: F811

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from tests.gui.a11y import assert_focus_order, missing_accessible_names
from tests.support.soft_authenticator import SoftAuthenticator
from vaultapp.core.keybox.slots.recovery_code import new_code, parse
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.recovery_sheet import RecoveryCodeDialog, code_lines
from vaultapp.gui.security_key import PinDialog
from vaultapp.gui.slots_dialog import SlotsDialog, SlotTestDialog, TpmSlotDialog

from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    WAIT_MS,
    keybox_url,
    no_unexpected_dialogs,
    window,
)
from .test_gui_security_key import plugged, swtpm, visible_dialog  # noqa: F401  (fixtures)
from .test_gui_slots import keybox_slots, open_slots, select

TPM_PIN = "2468"



def wait_status(qtbot: QtBot, dialog: SlotsDialog, words: str) -> None:
    qtbot.waitUntil(lambda: words in dialog.status.text(), timeout=WAIT_MS)


def add_recovery_code(qtbot: QtBot, dialog: SlotsDialog) -> RecoveryCodeDialog:
    dialog.add_code.click()
    qtbot.waitUntil(lambda: getattr(dialog, "code_dialog", None) is not None
                    and dialog.code_dialog.isVisible(), timeout=WAIT_MS)
    code_dialog: RecoveryCodeDialog = dialog.code_dialog
    return code_dialog


# --- the recovery code ------------------------------------------------------------------

def test_a_recovery_code_is_shown_once_with_its_sheet_and_unlocks(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_slots(qtbot, window)
    code_dialog = add_recovery_code(qtbot, dialog)
    code = code_dialog.new.code
    parse(code)  # a valid code, with its checksums
    assert code_dialog.code.text() == "\n".join(code_lines(code))
    assert code_dialog.new.keybox_id in code_dialog.about.text()
    assert missing_accessible_names(code_dialog) == []
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=WAIT_MS)
    assert [s.kind for s in keybox_slots(window)].count("recovery-code") == 1

    sheet = tmp_path / "sheet.pdf"
    code_dialog.choose_file = lambda: sheet  # type: ignore[method-assign]
    code_dialog.save_sheet()
    qtbot.waitUntil(lambda: code_dialog.saved == sheet, timeout=WAIT_MS)
    assert sheet.read_bytes().startswith(b"%PDF-")
    assert "Saved the recovery sheet" in code_dialog.status.text()
    code_dialog.done_button.click()  # saved: closes without asking
    assert not code_dialog.isVisible()
    assert code_dialog.code.text() == ""

    # The code unlocks: Test recovery code… in the same dialog.
    select(dialog, "recovery-code")
    assert dialog.test.text() == "&Test recovery code…"
    dialog._test()
    test: SlotTestDialog = dialog.test_dialog
    assert test.windowTitle() == "Test the recovery code"
    test.secret.setText(code.lower().replace("-", ""))  # as typed, without the dashes
    test.test()
    qtbot.waitUntil(lambda: test.ok is not None, timeout=WAIT_MS)
    assert test.ok and test.outcome.text() == "This recovery code opens the keybox."
    test.secret.setText(new_code())  # a valid code, but another one
    test.test()
    qtbot.waitUntil(lambda: test.ok is not None and not test._busy, timeout=WAIT_MS)
    assert test.ok is False
    assert test.outcome.text() == ("This recovery code does not open the keybox: wrong "
                                   "recovery code (a valid code, but not this slot's)")
    test.reject()


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                    reason="poppler-utils is missing (scripts/install-system-deps installs it)")
def test_the_sheet_holds_the_keybox_the_date_and_the_code_as_text_and_qr(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    import zxingcpp
    from PySide6.QtGui import QImage

    dialog = open_slots(qtbot, window)
    code_dialog = add_recovery_code(qtbot, dialog)
    new = code_dialog.new
    sheet = tmp_path / "sheet.pdf"
    code_dialog.choose_file = lambda: sheet  # type: ignore[method-assign]
    code_dialog.save_sheet()
    qtbot.waitUntil(lambda: code_dialog.saved == sheet, timeout=WAIT_MS)
    code_dialog.accept()

    words = subprocess.run(["pdftotext", "-layout", str(sheet), "-"], check=True,
                           capture_output=True, text=True).stdout
    assert "vaultapp recovery sheet" in words
    assert new.keybox_id in words
    assert f"{new.made.astimezone():%Y-%m-%d}" in words
    for group in new.code.split("-"):
        assert group in words
    assert words.count("\f") <= 1  # one page
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(sheet),
                    str(tmp_path / "page")], check=True)
    image = QImage(str(tmp_path / "page.png")).convertToFormat(QImage.Format.Format_Grayscale8)
    found = zxingcpp.read_barcodes(image)
    assert [b.text for b in found] == [new.code]


def test_closing_before_the_sheet_is_saved_asks_first(
        qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_slots(qtbot, window)
    code_dialog = add_recovery_code(qtbot, dialog)
    code_dialog.reject()  # Escape or the close box
    box = code_dialog.close_box
    assert box is not None and box.isVisible()
    assert "will not see this recovery code again" in box.text()
    assert missing_accessible_names(box) == []
    back = box.findChild(QPushButton, "recoveryCodeBack")
    back.click()  # "Back to the code"
    assert code_dialog.isVisible() and code_dialog.code.text()
    code_dialog.done_button.click()
    box = code_dialog.close_box
    assert box is not None
    box.findChild(QPushButton, "recoveryCodeWroteItDown").click()
    assert not code_dialog.isVisible() and code_dialog.code.text() == ""


def test_a_sheet_that_cannot_be_written_is_said_and_leaves_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_slots(qtbot, window)
    code_dialog = add_recovery_code(qtbot, dialog)
    target = tmp_path / "no such folder" / "sheet.pdf"
    code_dialog.choose_file = lambda: target  # type: ignore[method-assign]
    code_dialog.save_sheet()
    qtbot.waitUntil(lambda: "was not saved" in code_dialog.status.text(), timeout=WAIT_MS)
    assert code_dialog.saved is None and code_dialog.save_button.isEnabled()
    assert not target.parent.exists()
    code_dialog.accept()
    code_dialog.close_box.findChild(QPushButton, "recoveryCodeWroteItDown").click()
    assert not code_dialog.isVisible()


# --- security keys ------------------------------------------------------------------------

def test_add_and_test_a_security_key_and_the_same_key_twice_is_refused(
        qtbot: QtBot, window: MainWindow, plugged: list[SoftAuthenticator]) -> None:
    key = SoftAuthenticator("Blue key")
    plugged[:] = [key]
    dialog = open_slots(qtbot, window)
    qtbot.waitUntil(lambda: dialog.add_key.isVisibleTo(dialog), timeout=WAIT_MS)
    dialog.add_key.click()
    wait_status(qtbot, dialog, "Added the security key slot “security key”")
    assert "has no PIN" in dialog.status.text()  # this key has none: said
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=WAIT_MS)
    touches = key.touches
    assert touches >= 1

    select(dialog, "fido2")
    dialog.test.click()
    wait_status(qtbot, dialog, "The slot “security key” opens the keybox.")
    assert key.touches > touches

    touches = key.touches
    dialog.add_key.click()
    wait_status(qtbot, dialog, "Blue key already unlocks this keybox")
    assert key.touches == touches  # refused before any touch
    assert [s.kind for s in keybox_slots(window)].count("fido2") == 1

    plugged.clear()
    dialog.test.click()
    wait_status(qtbot, dialog, "does not open the keybox: ")
    assert "no security key is connected" in dialog.status.text()


def test_a_security_key_with_a_pin_asks_it_in_the_window(
        qtbot: QtBot, window: MainWindow, plugged: list[SoftAuthenticator]) -> None:
    key = SoftAuthenticator("Green key", pin="4321")
    plugged[:] = [key]
    dialog = open_slots(qtbot, window)
    qtbot.waitUntil(lambda: dialog.add_key.isVisibleTo(dialog), timeout=WAIT_MS)
    dialog.add_key.click()
    qtbot.waitUntil(lambda: visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    pin = visible_dialog(PinDialog)
    assert isinstance(pin, PinDialog) and "Green key" in pin.detail.text()
    pin.pin.setText("4321")
    pin.accept()
    wait_status(qtbot, dialog, "Added the security key slot")
    assert "has no PIN" not in dialog.status.text()
    assert any(s.kind == "fido2" and s.secret for s in keybox_slots(window))


def test_kinds_without_their_support_are_not_offered(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultapp.core.keybox.slots import registry

    monkeypatch.setattr(registry, "kind_available", lambda kind: False)
    monkeypatch.setattr(registry, "install_hint", lambda kind: "pip install 'vaultapp[aws]'")
    dialog = open_slots(qtbot, window)
    qtbot.waitUntil(lambda: dialog.kms_missing.isVisibleTo(dialog), timeout=WAIT_MS)
    for button in (dialog.add_key, dialog.add_tpm, dialog.add_kms):
        assert not button.isVisibleTo(dialog)
    assert dialog.add_code.isVisibleTo(dialog) and dialog.add_passphrase.isVisibleTo(dialog)
    assert_focus_order(dialog, ["slotTable", "testSlot", "renameSlot", "removeSlot",
                                "addPassphraseSlot", "addRecoveryCodeSlot",
                                "QPushButton 'Close'"])


# --- the TPM ------------------------------------------------------------------------------

def test_the_tpm_pin_dialog_checks_the_pin(qtbot: QtBot) -> None:
    dialog = TpmSlotDialog(None)
    qtbot.addWidget(dialog)
    assert dialog.ok.isEnabled() and dialog.value() == ""  # no PIN: fine
    dialog.use_pin.setChecked(True)
    assert not dialog.ok.isEnabled()
    dialog.pin.setText("12")
    assert dialog.problem.text() == "A TPM PIN has at least 4 characters."
    dialog.pin.setText(TPM_PIN)
    dialog.repeat.setText("2469")
    assert dialog.problem.text() == "The two PINs differ." and not dialog.ok.isEnabled()
    dialog.repeat.setText(TPM_PIN)
    assert dialog.ok.isEnabled() and dialog.value() == TPM_PIN
    assert missing_accessible_names(dialog) == []


def test_add_and_test_a_tpm_slot_with_a_pin(qtbot: QtBot, window: MainWindow,
                                            swtpm: object, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setattr(TpmSlotDialog, "ask", classmethod(lambda cls, parent: TPM_PIN))
    dialog = open_slots(qtbot, window)
    qtbot.waitUntil(lambda: dialog.add_tpm.isVisibleTo(dialog), timeout=WAIT_MS)
    dialog.add_tpm.click()
    wait_status(qtbot, dialog, "Added the TPM slot “TPM with PIN”")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=WAIT_MS)
    slot = select(dialog, "tpm")
    assert slot.secret  # with a PIN it counts after a lock

    for given, words in (("9999", "does not open the keybox"), (TPM_PIN, "opens the keybox.")):
        dialog.test.click()
        qtbot.waitUntil(lambda: visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
        pin = visible_dialog(PinDialog)
        assert isinstance(pin, PinDialog) and pin.objectName() == "tpmPinDialog"
        pin.pin.setText(given)
        pin.accept()
        wait_status(qtbot, dialog, words)
    dialog.test.click()  # and declining the PIN tests nothing
    qtbot.waitUntil(lambda: visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    pin = visible_dialog(PinDialog)
    assert isinstance(pin, PinDialog)
    pin.reject()
    wait_status(qtbot, dialog, "No PIN was given; nothing was tested.")


def test_closing_the_dialog_while_the_pin_is_asked_frees_the_executor(
        qtbot: QtBot, window: MainWindow, plugged: list[SoftAuthenticator]) -> None:
    plugged[:] = [SoftAuthenticator("Green key", pin="4321")]
    dialog = open_slots(qtbot, window)
    qtbot.waitUntil(lambda: dialog.add_key.isVisibleTo(dialog), timeout=WAIT_MS)
    dialog.add_key.click()
    qtbot.waitUntil(lambda: visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    dialog.reject()
    # The executor is free again: a keybox call answers (within the wait, not never),
    # and no slot was added.
    answered: list[list[object]] = []
    window.controller.run(lambda t: window.controller.keybox().slots(), answered.append)
    qtbot.waitUntil(lambda: bool(answered), timeout=WAIT_MS)
    assert "fido2" not in [s.kind for s in answered[0]]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: visible_dialog(PinDialog) is None, timeout=WAIT_MS)
