"""Lock means locked (docs/ARCHITECTURE.md, "Locking"), in the real window offscreen.

On the first start the OS keyring unlocks silently. After a lock (explicit, idle or screen
lock) a person must prove something: a typed passphrase is tried against passphrase slots
only, so a wrong one is refused although the keyring could unlock, and "Try the keyring
again" is hidden unless the setting "Unlock with the system keyring after a lock" is on.
A keybox without any secret slot says so and lets the keyring in (or it would never open
again in this window). The first-run page applies the strength rule of
`vaultapp.core.strength`; Enter submits and focus starts in the first field.
"""

# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE, MemoryKeyring
from tests.gui.a11y import assert_focus_order, missing_accessible_names
from vaultapp.core.errors import KeyboxLockedError
from vaultapp.core.keybox import Keybox
from vaultapp.core.strength import strength
from vaultapp.gui import dialogs
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.main_window import MainWindow

from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    WAIT_MS,
    keybox_url,
    no_unexpected_dialogs,
    window,
)

WRONG = "totally wrong"


def lock(qtbot: QtBot, win: MainWindow) -> None:
    win.lock_button.click()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.unlock_page
                    and not win.unlock_page.tried.text().startswith("Unlocking"),
                    timeout=WAIT_MS)
    assert not win.controller.is_unlocked
    settle(qtbot, win)


def settle(qtbot: QtBot, win: MainWindow) -> None:
    """Let the question "does this keybox have a secret slot?" (executor) come back."""
    win.controller.executor.call(lambda: None)
    qtbot.wait(50)


def type_and_enter(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def wait_refused(qtbot: QtBot, win: MainWindow, words: str) -> None:
    qtbot.waitUntil(lambda: words in win.unlock_page.tried.text()
                    and win.unlock_page.passphrase.isEnabled(), timeout=WAIT_MS)
    assert not win.controller.is_unlocked
    assert win.pages.currentWidget() is win.unlock_page


def wait_unlocked(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page
                    and win.key_model.rowCount() == 1, timeout=WAIT_MS)
    assert win.controller.is_unlocked


def make_window(qtbot: QtBot, tmp_path: Path, url: str, **settings: object) -> MainWindow:
    ini = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    for name, value in settings.items():
        ini.setValue(name, value)
    win = MainWindow(KeyboxController(url), ini)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    win.start()
    return win


def test_first_start_unlocks_silently_through_the_keyring(window: MainWindow) -> None:
    assert window.controller.is_unlocked and not window.controller.locked_once
    assert window.lock_state.text() == "Unlocked (OS keyring)"


def test_after_a_lock_a_wrong_passphrase_is_refused_although_the_keyring_works(
        qtbot: QtBot, window: MainWindow, memory_keyring: MemoryKeyring) -> None:
    assert memory_keyring.store  # the keyring slot could unlock at any moment
    lock(qtbot, window)
    page = window.unlock_page
    assert not page.retry_button.isVisibleTo(page)  # no way in without a secret
    assert page.passphrase.isVisibleTo(page) and page.unlock_button.isVisibleTo(page)
    assert "asks for your passphrase" in page.explain.text()
    assert page.passphrase.objectName() == "unlockPassphrase"
    assert QApplication.focusWidget() is page.passphrase
    assert_focus_order(page, ["unlockPassphrase", "unlockButton"])
    assert missing_accessible_names(page) == []

    type_and_enter(qtbot, page.passphrase, WRONG)  # Enter submits
    wait_refused(qtbot, window, "wrong passphrase")
    assert "OS keyring" not in page.tried.text()  # the keyring was not even tried
    assert QApplication.focusWidget() is page.passphrase and page.passphrase.selectedText()

    type_and_enter(qtbot, page.passphrase, PASSPHRASE)
    wait_unlocked(qtbot, window)
    assert window.lock_state.text() == "Unlocked (recovery passphrase)"
    assert page.passphrase.text() == ""  # the secret does not stay in the field


def test_an_empty_passphrase_never_falls_back_to_the_keyring(
        qtbot: QtBot, window: MainWindow) -> None:
    lock(qtbot, window)
    page = window.unlock_page
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    assert page.tried.text() == "Type the passphrase or the recovery code first."
    page.tried.clear()
    page.unlock_button.click()
    assert page.tried.text() == "Type the passphrase or the recovery code first."
    assert page.passphrase.isEnabled()  # nothing was sent
    page.retry_button.click()  # hidden, but even a click that reaches it is refused
    qtbot.waitUntil(lambda: "passphrase, not the system keyring" in page.tried.text(),
                    timeout=WAIT_MS)
    settle(qtbot, window)
    assert not window.controller.is_unlocked


@pytest.mark.parametrize("how", ["idle", "screen"])
def test_idle_and_screen_locks_count_as_a_lock(qtbot: QtBot, window: MainWindow,
                                               how: str) -> None:
    if how == "screen":
        window.on_screen_locked()
    else:
        window.settings = dialogs.Settings(auto_lock_minutes=1)
        window._restart_idle_timer()
        assert window.idle_timer.isActive() and window.idle_timer.interval() == 60_000
        window.idle_timer.setInterval(50)
        window.idle_timer.start()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page,
                    timeout=WAIT_MS)
    settle(qtbot, window)
    page = window.unlock_page
    assert window.controller.locked_once
    assert not page.retry_button.isVisibleTo(page)
    type_and_enter(qtbot, page.passphrase, WRONG)
    wait_refused(qtbot, window, "wrong passphrase")
    type_and_enter(qtbot, page.passphrase, PASSPHRASE)
    wait_unlocked(qtbot, window)


def test_the_controller_refuses_the_keyring_after_a_lock(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    """Not only the hidden button: the controller itself keeps the rule."""
    controller = window.controller
    controller.lock()
    errors: list[BaseException] = []
    controller.unlock_silently(errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert isinstance(errors[0], KeyboxLockedError)
    assert not controller.is_unlocked
    with qtbot.waitSignal(controller.unlocked, timeout=WAIT_MS) as blocker:
        controller.unlock_silently(errors.append, keyring_after_lock=True)
    assert blocker.args == ["OS keyring"]


def test_setting_keyring_after_a_lock(qtbot: QtBot, window: MainWindow,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.settings.keyring_after_lock is False  # off by default
    dialog = dialogs.SettingsDialog(window, window.settings)
    qtbot.addWidget(dialog)
    box = dialog.keyring_after_lock
    assert box.objectName() == "keyringAfterLock" and not box.isChecked()
    assert box.text() == "Unlock with the system keyring after a lock"
    note = dialog.findChild(object, "keyringAfterLockNote")
    assert note is not None and "a lock only hides the window" in note.text()
    assert box.accessibleDescription() == note.text()
    box.setChecked(True)
    assert dialog.settings().keyring_after_lock is True

    # chosen in the dialog, kept in QSettings, read back by a new window
    monkeypatch.setattr(dialogs.SettingsDialog, "ask",
                        classmethod(lambda cls, parent, s: dialog.settings()))
    window._edit_settings()
    assert window.settings.keyring_after_lock is True
    assert window.qsettings.value("keyring_after_lock") == "true"
    assert window._load_settings().keyring_after_lock is True

    lock(qtbot, window)
    page = window.unlock_page
    assert page.retry_button.isVisibleTo(page)
    assert_focus_order(page, ["unlockPassphrase", "unlockButton", "unlockKeyringButton"])
    # a typed passphrase is still checked against the passphrase slots only
    type_and_enter(qtbot, page.passphrase, WRONG)
    wait_refused(qtbot, window, "wrong passphrase")
    page.retry_button.click()
    wait_unlocked(qtbot, window)
    assert window.lock_state.text() == "Unlocked (OS keyring)"


def test_turning_the_setting_off_while_locked_hides_the_keyring_button(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.settings = dialogs.Settings(keyring_after_lock=True)
    lock(qtbot, window)
    page = window.unlock_page
    assert page.retry_button.isVisibleTo(page)
    monkeypatch.setattr(dialogs.SettingsDialog, "ask",
                        classmethod(lambda cls, parent, s: dialogs.Settings()))
    window._edit_settings()
    settle(qtbot, window)
    assert not page.retry_button.isVisibleTo(page)


def test_a_keybox_without_a_secret_slot_says_so_and_lets_the_keyring_in(
        qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    url = f"sqlite:///{tmp_path / 'keyring-only.sqlite'}"
    box = Keybox.create(url, use_keyring=True, passphrase=None)
    box.create_profile("acme")
    box.close()
    win = make_window(qtbot, tmp_path, url)
    wait_unlocked(qtbot, win)
    lock(qtbot, win)
    page = win.unlock_page
    assert not page.passphrase.isVisibleTo(page) and not page.unlock_button.isVisibleTo(page)
    assert page.retry_button.isVisibleTo(page)
    assert page.retry_button.text() == "Unlock with the system keyring"
    assert "no passphrase slot" in page.explain.text()
    assert QApplication.focusWidget() is page.retry_button
    assert_focus_order(page, ["unlockKeyringButton"])
    page.retry_button.click()
    wait_unlocked(qtbot, win)
    win.controller.close()


def test_a_passphrase_typed_on_the_first_unlock_page_is_passphrase_only(
        qtbot: QtBot, tmp_path: Path, keybox_url: str, memory_keyring: MemoryKeyring) -> None:
    entries = dict(memory_keyring.store)
    memory_keyring.store.clear()  # the keyring cannot unlock at start
    win = make_window(qtbot, tmp_path, keybox_url)
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.unlock_page
                    and "OS keyring" in win.unlock_page.tried.text(), timeout=WAIT_MS)
    settle(qtbot, win)
    page = win.unlock_page
    assert not win.controller.locked_once
    assert page.retry_button.isVisibleTo(page)  # no lock yet: the keyring may be retried
    assert QApplication.focusWidget() is page.passphrase
    memory_keyring.store.update(entries)  # now the keyring could unlock
    type_and_enter(qtbot, page.passphrase, WRONG)
    wait_refused(qtbot, win, "wrong passphrase")
    page.retry_button.click()  # before any lock the keyring still opens it
    wait_unlocked(qtbot, win)
    assert win.lock_state.text() == "Unlocked (OS keyring)"
    win.controller.close()


def test_a_late_locked_error_leaves_what_is_being_typed(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    """A job that ends after the lock reports KeyboxLockedError: the unlock page keeps
    the half-typed passphrase (it is not cleared, nor selected to be typed over)."""
    lock(qtbot, window)
    page = window.unlock_page
    page.passphrase.setText("half typ")
    page.passphrase.deselect()
    window._show_error(KeyboxLockedError("the keybox is locked"))
    assert page.passphrase.text() == "half typ" and not page.passphrase.hasSelectedText()
    assert window.pages.currentWidget() is page


# --- the first-run page ----------------------------------------------------------------------

def test_first_run_page_applies_the_strength_rule(qtbot: QtBot, tmp_path: Path,
                                                  memory_keyring: MemoryKeyring) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    win = make_window(qtbot, tmp_path, url)
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.setup_page, timeout=WAIT_MS)
    page = win.setup_page
    qtbot.waitUntil(lambda: page.use_keyring.isEnabled(), timeout=WAIT_MS)
    assert QApplication.focusWidget() is page.passphrase  # focus starts in the first field
    assert_focus_order(page, ["setupPassphrase", "setupRepeat", "setupProfile",
                              "createKeyboxButton", "setupUseKeyring"])
    assert missing_accessible_names(page) == []

    verdict = strength("abc")
    assert not verdict.ok
    page.passphrase.setText("abc")
    page.repeat.setText("abc")
    shown = page.hint.text().splitlines()
    assert shown == [verdict.verdict, verdict.warning, *verdict.suggestions]
    assert verdict.summary == " ".join([shown[0] + ":", *shown[1:]])  # the CLI's words
    assert not page.create_button.isEnabled()
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)  # Enter says why, creates nothing
    assert page.error.text() == "Choose a stronger passphrase."
    assert not win.controller.is_unlocked

    page.passphrase.setText(PASSPHRASE)
    assert page.hint.text() == strength(PASSPHRASE).verdict == "Strong"
    page.repeat.setText(PASSPHRASE + "x")
    assert not page.create_button.isEnabled()
    page.repeat.clear()
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    assert page.create_button.isEnabled()
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)  # Enter in Repeat creates
    wait_unlocked(qtbot, win)
    kinds = sorted(s.kind for s in win.controller.executor.call(
        lambda: win.controller.keybox().slots()))
    assert kinds == ["keyring", "passphrase"]
    win.controller.close()


class Marking(QTranslator):
    """A translator that marks what it translates, and remembers the context asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, str]] = []

    def translate(self, context: str, text: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        self.asked.append((context, text))
        return f"«{text}»" if context == "strength" else ""

    def isEmpty(self) -> bool:
        return False


def test_strength_feedback_is_translated_in_the_strength_context(qtbot: QtBot) -> None:
    from vaultapp.gui.pages import StrengthLabel

    translator = Marking()
    app = QApplication.instance()
    assert app is not None
    app.installTranslator(translator)
    try:
        label = StrengthLabel()
        qtbot.addWidget(label)
        label.show_for("abc")
    finally:
        app.removeTranslator(translator)
    verdict = strength("abc")
    assert ("strength", "Too weak") in translator.asked
    assert ("strength", verdict.warning) in translator.asked
    assert all(("strength", s) in translator.asked for s in verdict.suggestions)
    lines = label.text().splitlines()
    assert lines[0] == "«Too weak»" and f"«{verdict.warning}»" in lines
    assert not label.ok
