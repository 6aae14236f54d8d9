"""The window from the keyboard: Tab reaches every control of the vault page in reading
order, the key table, the profiles and the activity take one Tab stop each (the arrow
keys move inside), the focus starts on the profiles; and the focus order and accessible
names of the vault page and of the dialogs (tests/gui/a11y.py), checked against real
Tab presses.

The real window under the offscreen platform (fixtures and helpers from test_gui).
"""

# The window's fixtures from test_gui are imported under their own names, and the tests
# take them as arguments of those names: that is how pytest finds them (hence no F811).
# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from vaultapp.core.keybox.models import KeyInfo
from vaultapp.gui import dialogs
from vaultapp.gui.main_window import MainWindow, QuitQuestion

from .a11y import (
    accessible_name,
    assert_focus_order,
    focus_chain,
    missing_accessible_names,
    widget_name,
)
from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    WAIT_MS,
    drop,
    keybox_url,
    no_unexpected_dialogs,
    wait_jobs,
    window,
)

REAL_CONFLICT_ASK = dialogs.ConflictDialog.ask
REAL_DESTROY_ASK = dialogs.ConfirmDestroyDialog.ask

VAULT_ORDER_ENABLED_KEY = [
    "profileList", "newProfileButton", "renameProfileButton", "dropZone", "sealFilesButton",
    "openFilesButton", "shareFilesButton", "keyTable", "rotateKeyButton", "disableKeyButton",
    "destroyKeyButton", "activityList", "lockButton"]
"""Tab on the vault page with the (enabled, primary) key selected: Enable and Cancel
destruction do not apply, so they are disabled and Tab passes them."""


def focused() -> str:
    widget = QApplication.focusWidget()
    return "nothing" if widget is None else widget_name(widget)


def active(qtbot: QtBot, win: QWidget) -> None:
    """Make `win` the active window: keyboard focus goes only to the active window."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=WAIT_MS)


def tab_through(qtbot: QtBot, start: QWidget, presses: int,
                key: Qt.Key = Qt.Key.Key_Tab) -> list[str]:
    """Put the focus on `start`, press Tab `presses` times; where the focus went."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus, timeout=WAIT_MS)
    seen = []
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), key)
        seen.append(focused())
    return seen


def select_version(win: MainWindow, version: int) -> None:
    for row in range(win.key_model.rowCount()):
        key = win.key_model.key_at(row)
        if key is not None and key.version == version:
            win.key_table.selectRow(row)
            return
    raise AssertionError(f"no key version {version}")


def state_of(win: MainWindow, version: int) -> str:
    keys = [k for k in win.all_keys if k.version == version]
    return keys[0].state if keys else "missing"


# --- the vault page ---------------------------------------------------------------------

def test_tab_visits_the_vault_page_in_reading_order(qtbot: QtBot, window: MainWindow) -> None:
    active(qtbot, window)
    window.key_table.selectRow(0)
    assert_focus_order(window, VAULT_ORDER_ENABLED_KEY)
    # real Tab presses go the same way, once around and back to the profiles
    seen = tab_through(qtbot, window.profile_list, len(VAULT_ORDER_ENABLED_KEY))
    assert seen == [*VAULT_ORDER_ENABLED_KEY[1:], "profileList"]
    # and Shift+Tab goes back the same way
    back = tab_through(qtbot, window.profile_list, len(VAULT_ORDER_ENABLED_KEY),
                       Qt.Key.Key_Backtab)
    assert back == list(reversed(VAULT_ORDER_ENABLED_KEY))


def test_every_key_button_is_reachable_by_tab(qtbot: QtBot, window: MainWindow,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Each key button is a Tab stop whenever it applies, and Space on it does its work
    (the key's state changes as the button says)."""
    active(qtbot, window)

    def press(name: str) -> None:
        """Tab from the key table to the button `name`, then Space."""
        seen = tab_through(qtbot, window.key_table, 6)
        assert name in seen, seen
        window.key_table.setFocus()
        for _ in range(seen.index(name) + 1):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert focused() == name
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)

    select_version(window, 1)
    press("rotateKeyButton")
    qtbot.waitUntil(lambda: window.key_model.rowCount() == 2, timeout=WAIT_MS)
    select_version(window, 1)
    press("disableKeyButton")
    qtbot.waitUntil(lambda: state_of(window, 1) == "disabled", timeout=WAIT_MS)
    select_version(window, 1)
    chain = focus_chain(window)
    assert chain[chain.index("keyTable"):chain.index("activityList")] == [
        "keyTable", "rotateKeyButton", "enableKeyButton", "destroyKeyButton"]
    press("enableKeyButton")
    qtbot.waitUntil(lambda: state_of(window, 1) == "enabled", timeout=WAIT_MS)
    monkeypatch.setattr(dialogs.ConfirmDestroyDialog, "ask",
                        classmethod(lambda cls, parent, key: dialogs.DestroyChoice(7)))
    select_version(window, 1)
    press("destroyKeyButton")
    qtbot.waitUntil(lambda: state_of(window, 1) == "pending_destruction", timeout=WAIT_MS)
    select_version(window, 1)
    chain = focus_chain(window)
    assert chain[chain.index("keyTable"):chain.index("activityList")] == [
        "keyTable", "rotateKeyButton", "destroyKeyButton", "cancelDestroyButton"]
    press("cancelDestroyButton")
    qtbot.waitUntil(lambda: state_of(window, 1) == "disabled", timeout=WAIT_MS)
    # Lock, the last stop, locks
    seen = tab_through(qtbot, window.activity, 1)
    assert seen == ["lockButton"]
    qtbot.keyClick(window.lock_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.controller.is_unlocked, timeout=WAIT_MS)


def test_key_table_is_one_tab_stop_and_arrows_move_in_it(qtbot: QtBot,
                                                          window: MainWindow) -> None:
    active(qtbot, window)
    window.rotate_button.click()
    qtbot.waitUntil(lambda: window.key_model.rowCount() == 2, timeout=WAIT_MS)
    table = window.key_table
    assert not table.tabKeyNavigation()
    table.setFocus()
    table.selectRow(0)
    assert window.selected_key().version == 2  # type: ignore[union-attr]
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert window.selected_key().version == 1  # type: ignore[union-attr]
    assert window.enable_button.isEnabled() is False and window.disable_button.isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert window.selected_key().version == 2  # type: ignore[union-attr]
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert focused() == "rotateKeyButton"
    qtbot.keyClick(window.rotate_button, Qt.Key.Key_Backtab)
    assert focused() == "keyTable"


def test_profiles_and_activity_are_one_tab_stop_each(qtbot: QtBot, window: MainWindow,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    active(qtbot, window)
    monkeypatch.setattr(dialogs.ProfileNameDialog, "ask",
                        classmethod(lambda cls, parent, title, current="": "beta"))
    window.new_profile_button.click()
    qtbot.waitUntil(lambda: window.profile_list.count() == 2, timeout=WAIT_MS)
    profiles = window.profile_list
    assert not profiles.tabKeyNavigation()
    profiles.setFocus()
    profiles.setCurrentRow(0)
    qtbot.keyClick(profiles, Qt.Key.Key_Down)
    assert profiles.currentRow() == 1
    qtbot.keyClick(profiles, Qt.Key.Key_Tab)
    assert focused() == "newProfileButton"

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(b"x")
        drop(window.drop_zone, [tmp_path / name])
        wait_jobs(qtbot, window, len(window.activity.jobs) or 1)
    jobs = wait_jobs(qtbot, window, 2)
    view = window.activity
    assert not view.tabKeyNavigation()
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.current_job() is jobs[1]
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert focused() == "lockButton"


def test_focus_starts_on_the_profiles(qtbot: QtBot, window: MainWindow) -> None:
    active(qtbot, window)
    qtbot.waitUntil(lambda: focused() == "profileList", timeout=WAIT_MS)
    assert window.profile_list.currentRow() == 0  # the arrows start from the selected one


def test_enter_on_the_drop_zone_chooses_files(qtbot: QtBot, window: MainWindow,
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    active(qtbot, window)
    plain = tmp_path / "chosen.txt"
    plain.write_bytes(b"chosen from the keyboard")
    asked: list[str] = []

    def choose(parent: object, title: str, *args: object) -> tuple[list[str], str]:
        asked.append(title)
        return [str(plain)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    window.drop_zone.setFocus()
    qtbot.keyClick(window.drop_zone, Qt.Key.Key_Return)
    (job,) = wait_jobs(qtbot, window, 1)
    assert asked == ["Seal files"] and job.ok and (tmp_path / "chosen.txt.vault").exists()
    qtbot.keyClick(window.drop_zone, Qt.Key.Key_A)  # other keys do nothing
    assert asked == ["Seal files"]


def test_vault_page_controls_have_accessible_names(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"a")
    drop(window.drop_zone, [tmp_path / "a.txt"])
    wait_jobs(qtbot, window, 1)
    assert missing_accessible_names(window) == []
    for widget in (window.drop_zone, window.profile_list):
        assert widget.accessibleDescription()  # what the control is for


# --- the helper itself ------------------------------------------------------------------

def test_missing_accessible_names_finds_a_nameless_field(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QSpinBox

    root = QWidget()
    qtbot.addWidget(root)
    form = QFormLayout(root)
    named = QLineEdit()
    named.setAccessibleName("Named")
    nameless = QLineEdit()
    nameless.setObjectName("nameless")
    buddied = QLineEdit()
    form.addRow(named)
    form.addRow(nameless)
    form.addRow("&Buddy:", buddied)  # QFormLayout makes the label its buddy
    spin = QSpinBox()
    form.addRow(spin)
    form.addRow(QPushButton("Text is a name"))
    hidden = QLineEdit()
    form.addRow(hidden)
    hidden.hide()
    label = QLabel("not interactive")
    form.addRow(label)
    root.show()
    assert missing_accessible_names(root) == ["nameless (QLineEdit)", "QSpinBox (QSpinBox)"]
    assert focus_chain(root) == ["Named", "nameless", "QLineEdit", "QSpinBox",
                                 "QPushButton 'Text is a name'"]
    with pytest.raises(AssertionError, match="Tab order"):
        assert_focus_order(root, ["nameless", "Named"])
    assert_focus_order(root, ["nameless", "QLineEdit", "QSpinBox",
                              "QPushButton 'Text is a name'", "Named"])  # a cycle


# --- dialogs ------------------------------------------------------------------------------

def real_tabs(qtbot: QtBot, dialog: QWidget, presses: int) -> list[str]:
    """Where real Tab presses take the focus in a shown dialog, from where it starts."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and dialog.isAncestorOf(QApplication.focusWidget()), timeout=WAIT_MS)
    seen = [focused()]
    for _ in range(presses - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(focused())
    return seen


def check_dialog(qtbot: QtBot, dialog: QWidget, order: list[str]) -> None:
    """Names, the focus chain, and real Tab presses that follow it from the start."""
    assert missing_accessible_names(dialog) == []
    assert_focus_order(dialog, order)
    seen = real_tabs(qtbot, dialog, len(order))
    start = order.index(seen[0])
    assert seen == (order[start:] + order[:start]), seen


def while_modal(qtbot: QtBot, check: Callable[[QWidget], None]) -> list[BaseException]:
    """Run `check` on the next modal dialog once it is shown (then close it), from the
    event loop its exec() runs; what it raised."""
    errors: list[BaseException] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not box.isVisible():
            QTimer.singleShot(20, look)
            return
        try:
            check(box)
        except BaseException as exc:  # (the test raises it)
            errors.append(exc)
        finally:
            box.close()

    QTimer.singleShot(0, look)
    return errors


def test_conflict_dialog_keyboard_and_names(qtbot: QtBot, tmp_path: Path) -> None:
    for count in (1, 3):
        box, answers = dialogs.ConflictDialog.build(None, tmp_path / "x.txt.vault", count)
        qtbot.addWidget(box)
        box.show()
        active(qtbot, box)
        assert sorted(answers.values()) == ["keep_both", "replace", "skip"]
        chain = focus_chain(box)
        buttons = ["keepBothButton", "replaceButton", "skipButton"]
        assert sorted(n for n in chain if n in buttons) == sorted(buttons)
        check_dialog(qtbot, box, chain)
        assert box.defaultButton().objectName() == "keepBothButton"
        assert QApplication.focusWidget() in answers  # the focus is on an answer
        box.close()


def test_conflict_dialog_answers_from_the_keyboard(qtbot: QtBot, tmp_path: Path) -> None:
    """Enter takes the default (Keep both); Escape skips."""
    def enter(box: QWidget) -> None:
        qtbot.keyClick(box, Qt.Key.Key_Return)

    errors = while_modal(qtbot, enter)
    assert REAL_CONFLICT_ASK(None, tmp_path / "y.vault") == dialogs.ConflictDialog.KEEP_BOTH
    assert errors == []
    errors = while_modal(qtbot, lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    assert REAL_CONFLICT_ASK(None, tmp_path / "y.vault", 2) == dialogs.ConflictDialog.SKIP
    assert errors == []


def a_key(files: int = 3) -> KeyInfo:
    return KeyInfo("ab" * 16, "acme", "p" * 32, 1, "enabled", True, datetime.now(UTC), None,
                   None, None, files)


def test_confirm_destroy_dialog_keyboard_and_names(qtbot: QtBot) -> None:
    dialog = dialogs.ConfirmDestroyDialog(None, a_key())
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    # The radio buttons are one Tab stop (the arrows choose); the waiting period follows.
    check_dialog(qtbot, dialog, [
        "QRadioButton 'Destroy after a waiting period (can be cancelled)'",
        "Waiting period in days", "QPushButton 'Cancel'", "QPushButton 'Destroy'"])
    dialog.scheduled.setFocus()
    qtbot.keyClick(dialog.scheduled, Qt.Key.Key_Down)  # the arrow chooses "now"
    assert dialog.now.isChecked() and not dialog.days.isEnabled()
    assert_focus_order(dialog, ["QRadioButton 'Destroy now (cannot be undone)'",
                                "QPushButton 'Cancel'", "QPushButton 'Destroy'"])
    assert dialog.choice() == dialogs.DestroyChoice(0)


def test_failures_dialog_keyboard_and_names(qtbot: QtBot) -> None:
    dialog = dialogs.FailuresDialog(None, "2 of 30 files failed:",
                                    ["a.bin: gone", "b.bin: tampered"])
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    check_dialog(qtbot, dialog, ["failureMessages", "closeButton"])
    dialog.text.setFocus()
    qtbot.keyClick(dialog.text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.text.textCursor().selectedText() == "b.bin: tampered"  # keyboard selects


def test_profile_name_dialog_keyboard_and_names(qtbot: QtBot, window: MainWindow) -> None:
    dialog = dialogs.ProfileNameDialog.build(window, "New profile", "acme")
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=WAIT_MS)
    assert type(QApplication.focusWidget()).__name__ == "QLineEdit"  # typing starts at once
    names = focus_chain(dialog)
    assert names[0] == "QLineEdit" and set(names[1:]) == {"QPushButton 'OK'",
                                                           "QPushButton 'Cancel'"}
    check_dialog(qtbot, dialog, names)
    field = dialog.findChild(QLineEdit)
    assert field is not None and accessible_name(field) == "Profile name:"  # its label
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "beta ")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter submits
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.textValue() == "beta "


def test_profile_name_dialog_asks_for_a_name(qtbot: QtBot, window: MainWindow) -> None:
    def type_name(box: QWidget) -> None:
        field = box.findChild(QLineEdit)
        field.setText("  gamma ")
        qtbot.keyClick(field, Qt.Key.Key_Return)

    errors = while_modal(qtbot, type_name)
    assert dialogs.ProfileNameDialog.ask(window, "New profile") == "gamma"
    errors += while_modal(qtbot, lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    assert dialogs.ProfileNameDialog.ask(window, "New profile", "acme") is None
    assert errors == []


def test_quit_question_keyboard_and_names(qtbot: QtBot, window: MainWindow) -> None:
    box, quit_button = QuitQuestion.build(window, 1)
    qtbot.addWidget(box)
    box.show()
    active(qtbot, box)
    assert missing_accessible_names(box) == []
    assert set(focus_chain(box)) >= {"quitButton", "keepRunningButton"}
    assert QApplication.focusWidget() is not quit_button  # Enter keeps the jobs running
    assert box.defaultButton().objectName() == "keepRunningButton"
    box.close()
    assert isinstance(box, QMessageBox)
