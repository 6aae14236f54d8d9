"""The unlock page's other ways in: a security key (FIDO2), this computer's TPM, a
recovery code typed into the passphrase field. The real window offscreen, real keyboxes.

Security keys are in-process software authenticators (tests/support/soft_authenticator.py)
handed to `fido2.device_source`, as tests/unit/test_cli_fido2.py does: python-fido2's
real client talks CTAP2 to them from the window's executor, and the window's prompts
(vaultapp/gui/security_key.py) answer on the GUI thread. The TPM is swtpm
(tests/support/swtpm.py); its tests skip only when swtpm is not installed.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE, MemoryKeyring
from tests.gui.a11y import missing_accessible_names
from tests.support.soft_authenticator import SoftAuthenticator
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.slots import fido2 as fido2_slot
from vaultapp.core.keybox.slots.recovery_code import RecoveryCodeRequest, new_code
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.security_key import PinDialog, TouchDialog

from .test_gui import WAIT_MS, no_unexpected_dialogs  # noqa: F401  (fixtures)

PIN = "4321"
TPM_PIN = "2468"


@dataclass
class EnrolPrompts:
    """Answers the PIN while a test adds a security-key slot (not the window's)."""

    pin: str | None = PIN
    cancel: threading.Event | None = None
    touched: list[str] = field(default_factory=list)

    def touch(self, device: str) -> None:
        self.touched.append(device)

    def ask_pin(self, device: str, retries: int | None, wrong: bool) -> str | None:
        return self.pin

    def no_pin(self, device: str) -> None:
        pass


@pytest.fixture
def plugged(monkeypatch: pytest.MonkeyPatch) -> list[SoftAuthenticator]:
    connected: list[SoftAuthenticator] = []
    monkeypatch.setattr(fido2_slot, "device_source", lambda: list(connected))
    return connected


def make_keybox(tmp_path: Path, *, keyring: bool = True) -> Keybox:
    box = Keybox.create(f"sqlite:///{tmp_path / 'keybox.sqlite'}", use_keyring=keyring,
                        passphrase=PASSPHRASE)
    box.create_profile("acme")
    return box


def add_key(box: Keybox, key: SoftAuthenticator, plugged: list[SoftAuthenticator]) -> None:
    plugged[:] = [key]
    box.add_slot(fido2_slot.Fido2Request(EnrolPrompts()), "blue key")


def open_window(qtbot: QtBot, tmp_path: Path, url: str) -> MainWindow:
    ini = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(KeyboxController(url), ini)
    qtbot.addWidget(win)
    win.show()
    win.start()
    return win


def settle(qtbot: QtBot, win: MainWindow) -> None:
    win.controller.executor.call(lambda: None)
    qtbot.wait(50)


def lock(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page, timeout=WAIT_MS)
    win.lock_button.click()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.unlock_page, timeout=WAIT_MS)
    settle(qtbot, win)
    settle(qtbot, win)


def wait_unlocked(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page
                    and win.controller.is_unlocked, timeout=WAIT_MS)


def wait_refused(qtbot: QtBot, win: MainWindow, words: str) -> None:
    page = win.unlock_page
    qtbot.waitUntil(lambda: words in page.tried.text()
                    and page.security_key_button.isEnabled(), timeout=WAIT_MS)
    assert not win.controller.is_unlocked
    assert win.pages.currentWidget() is win.unlock_page


def visible_dialog(kind: type) -> QDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, kind) and isinstance(widget, QDialog) and widget.isVisible():
            return widget
    return None


def close_window(qtbot: QtBot, win: MainWindow) -> None:
    win.close()
    win.controller.close()


@pytest.fixture
def key_window(qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring,
               plugged: list[SoftAuthenticator]) -> Iterator[tuple[MainWindow, SoftAuthenticator]]:
    """A keybox with keyring, passphrase and a security key with a PIN; the window locked."""
    key = SoftAuthenticator("Blue key", pin=PIN)
    box = make_keybox(tmp_path)
    add_key(box, key, plugged)
    url = box.url if hasattr(box, "url") else f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    box.close()
    win = open_window(qtbot, tmp_path, url)
    lock(qtbot, win)
    yield win, key
    close_window(qtbot, win)


def press_and_give_pin(qtbot: QtBot, win: MainWindow, pin: str | None) -> None:
    win.unlock_page.security_key_button.click()
    qtbot.waitUntil(lambda: visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    dialog = visible_dialog(PinDialog)
    assert isinstance(dialog, PinDialog)
    assert dialog.objectName() == "securityKeyPinDialog"
    assert "Blue key" in dialog.detail.text()
    assert missing_accessible_names(dialog) == []
    if pin is None:
        dialog.reject()
    else:
        dialog.pin.setText(pin)
        dialog.accept()


def test_after_a_lock_the_security_key_unlocks_with_its_pin_and_a_touch(
        qtbot: QtBot, key_window: tuple[MainWindow, SoftAuthenticator]) -> None:
    win, key = key_window
    page = win.unlock_page
    assert page.security_key_button.isVisibleTo(page)
    assert page.passphrase.isVisibleTo(page)  # a passphrase or a recovery code, too
    assert not page.tpm_button.isVisibleTo(page)
    assert not page.retry_button.isVisibleTo(page)
    assert "recovery code" in page.explain.text()
    assert missing_accessible_names(page) == []
    touches = key.touches
    press_and_give_pin(qtbot, win, PIN)
    wait_unlocked(qtbot, win)
    assert key.touches > touches  # the key was asked for a touch
    assert "blue key" in win.lock_state.text()
    assert visible_dialog(TouchDialog) is None  # the prompt went away with the unlock
    assert visible_dialog(PinDialog) is None


def test_the_touch_prompt_shows_while_the_key_waits_and_cancel_stops_it(
        qtbot: QtBot, key_window: tuple[MainWindow, SoftAuthenticator]) -> None:
    win, key = key_window
    key.presence = "ignore"  # nobody touches it
    press_and_give_pin(qtbot, win, PIN)
    qtbot.waitUntil(lambda: visible_dialog(TouchDialog) is not None, timeout=WAIT_MS)
    dialog = visible_dialog(TouchDialog)
    assert isinstance(dialog, TouchDialog)
    assert dialog.message.text() == "Touch your security key…"
    assert missing_accessible_names(dialog) == []
    dialog.cancel_button.click()
    wait_refused(qtbot, win, "blue key")
    assert visible_dialog(TouchDialog) is None
    assert win.unlock_page.passphrase.isEnabled()


def test_no_key_connected_is_said_in_words(
        qtbot: QtBot, key_window: tuple[MainWindow, SoftAuthenticator],
        plugged: list[SoftAuthenticator]) -> None:
    win, _ = key_window
    plugged.clear()
    win.unlock_page.security_key_button.click()
    wait_refused(qtbot, win, "no security key is connected")
    assert visible_dialog(PinDialog) is None  # nothing to ask a PIN for


def test_another_key_is_said_in_words(
        qtbot: QtBot, key_window: tuple[MainWindow, SoftAuthenticator],
        plugged: list[SoftAuthenticator]) -> None:
    win, _ = key_window
    plugged[:] = [SoftAuthenticator("Red key", pin=PIN)]
    win.unlock_page.security_key_button.click()
    qtbot.waitUntil(lambda: "credential" in win.unlock_page.tried.text()
                    or visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    dialog = visible_dialog(PinDialog)
    if dialog is not None:  # a key that does not say without the PIN
        dialog.pin.setText(PIN)  # type: ignore[attr-defined]
        dialog.accept()
    wait_refused(qtbot, win, "credential")
    assert "another key" in win.unlock_page.tried.text()


def test_a_wrong_pin_is_asked_again_with_the_tries_left(
        qtbot: QtBot, key_window: tuple[MainWindow, SoftAuthenticator]) -> None:
    win, _ = key_window
    press_and_give_pin(qtbot, win, "0000")
    qtbot.waitUntil(lambda: (d := visible_dialog(PinDialog)) is not None
                    and "wrong" in d.detail.text(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    dialog = visible_dialog(PinDialog)
    assert isinstance(dialog, PinDialog)
    assert "Tries left" in dialog.detail.text()
    dialog.pin.setText(PIN)
    dialog.accept()
    wait_unlocked(qtbot, win)


def test_a_blocked_pin_is_said_in_words(
        qtbot: QtBot, key_window: tuple[MainWindow, SoftAuthenticator]) -> None:
    win, key = key_window
    key.pin_retries = 0  # eight wrong PINs before: blocked for good
    win.unlock_page.security_key_button.click()
    qtbot.waitUntil(lambda: "blocked" in win.unlock_page.tried.text()
                    or visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    dialog = visible_dialog(PinDialog)
    if dialog is not None:
        dialog.pin.setText(PIN)  # type: ignore[attr-defined]
        dialog.accept()
    wait_refused(qtbot, win, "blocked")


def test_declining_the_pin_leaves_the_vault_locked(
        qtbot: QtBot, key_window: tuple[MainWindow, SoftAuthenticator]) -> None:
    win, _ = key_window
    press_and_give_pin(qtbot, win, None)
    wait_refused(qtbot, win, "blue key")
    assert win.unlock_page.security_key_button.isEnabled()


def test_a_timeout_is_said_in_words(
        qtbot: QtBot, key_window: tuple[MainWindow, SoftAuthenticator],
        monkeypatch: pytest.MonkeyPatch) -> None:
    win, key = key_window
    monkeypatch.setattr(fido2_slot, "TOUCH_TIMEOUT_S", 0.5)
    key.presence = "ignore"
    press_and_give_pin(qtbot, win, PIN)
    wait_refused(qtbot, win, "blue key")
    text = win.unlock_page.tried.text()
    assert "touch" in text or "time" in text, text


def test_closing_the_window_while_the_pin_is_asked_frees_the_executor(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring,
        plugged: list[SoftAuthenticator]) -> None:
    key = SoftAuthenticator("Blue key", pin=PIN)
    box = make_keybox(tmp_path)
    add_key(box, key, plugged)
    box.close()
    win = open_window(qtbot, tmp_path, f"sqlite:///{tmp_path / 'keybox.sqlite'}")
    lock(qtbot, win)
    win.unlock_page.security_key_button.click()
    qtbot.waitUntil(lambda: visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    win.close()
    done = threading.Event()
    def close_controller() -> None:
        win.controller.close()
        done.set()

    threading.Thread(target=close_controller, daemon=True).start()
    qtbot.waitUntil(done.is_set, timeout=WAIT_MS)  # no deadlock: the PIN was answered None
    assert not win.controller.is_unlocked


def test_a_recovery_code_typed_into_the_field_unlocks_after_a_lock(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    box = make_keybox(tmp_path)
    code = new_code()
    box.add_slot(RecoveryCodeRequest(code))
    box.close()
    win = open_window(qtbot, tmp_path, f"sqlite:///{tmp_path / 'keybox.sqlite'}")
    lock(qtbot, win)
    page = win.unlock_page
    assert page.passphrase.placeholderText() == "Passphrase or recovery code"
    assert not page.security_key_button.isVisibleTo(page)
    page.passphrase.setText(code)
    page.unlock_button.click()
    wait_unlocked(qtbot, win)
    assert "recovery code" in win.lock_state.text()
    close_window(qtbot, win)


# --- the TPM (swtpm) -----------------------------------------------------------------

@pytest.fixture
def swtpm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    if shutil.which("swtpm") is None:
        pytest.skip("swtpm is not installed (scripts/install-system-deps installs it)")
    from tests.support.swtpm import Swtpm, found_by_vaultapp

    with found_by_vaultapp(Swtpm(tmp_path / "tpm-state"), monkeypatch) as sim:
        yield sim


def test_a_tpm_slot_with_a_pin_unlocks_after_a_lock_through_its_pin(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, swtpm: object) -> None:
    from vaultapp.core.keybox.slots.tpm import TpmRequest

    box = make_keybox(tmp_path)
    box.add_slot(TpmRequest(TPM_PIN))
    box.close()
    win = open_window(qtbot, tmp_path, f"sqlite:///{tmp_path / 'keybox.sqlite'}")
    lock(qtbot, win)
    page = win.unlock_page
    assert page.tpm_button.isVisibleTo(page) and not page.security_key_button.isVisibleTo(page)
    page.tpm_button.click()
    qtbot.waitUntil(lambda: visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    dialog = visible_dialog(PinDialog)
    assert isinstance(dialog, PinDialog) and dialog.objectName() == "tpmPinDialog"
    dialog.pin.setText("9999")  # wrong first
    dialog.accept()
    qtbot.waitUntil(lambda: "TPM" in page.tried.text() and page.tpm_button.isEnabled(),
                    timeout=WAIT_MS)
    assert not win.controller.is_unlocked
    page.tpm_button.click()
    qtbot.waitUntil(lambda: visible_dialog(PinDialog) is not None, timeout=WAIT_MS)
    dialog = visible_dialog(PinDialog)
    assert isinstance(dialog, PinDialog)
    dialog.pin.setText(TPM_PIN)
    dialog.accept()
    wait_unlocked(qtbot, win)
    assert "TPM" in win.lock_state.text()
    close_window(qtbot, win)


def test_a_tpm_slot_without_a_pin_unlocks_silently_only_before_a_lock(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, swtpm: object) -> None:
    from vaultapp.core.keybox.slots.tpm import TpmRequest

    box = make_keybox(tmp_path, keyring=False)
    box.add_slot(TpmRequest())
    box.close()
    win = open_window(qtbot, tmp_path, f"sqlite:///{tmp_path / 'keybox.sqlite'}")
    wait_unlocked(qtbot, win)  # at start, no keyring: the TPM alone, silently
    assert "TPM" in win.lock_state.text()
    lock(qtbot, win)
    page = win.unlock_page
    assert not page.tpm_button.isVisibleTo(page)  # it proves no person
    assert not page.retry_button.isVisibleTo(page)
    page.retry_button.click()
    qtbot.waitUntil(lambda: "passphrase" in page.tried.text()
                    and page.passphrase.isEnabled(), timeout=WAIT_MS)
    settle(qtbot, win)
    assert not win.controller.is_unlocked
    close_window(qtbot, win)
