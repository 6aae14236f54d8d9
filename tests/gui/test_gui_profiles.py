"""Profile → Delete profile… and Rotation period… on a real keybox, with the real dialogs
answered by keyboard and clicks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.feature_fixtures import (
    WAIT_MS,
    focus_chain,
    idle,
    keybox_url,
    missing_accessible_names,
    on_executor,
    shown,
    window,
)
from vaultapp.core.keybox.states import KeyState
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.profile_dialog import (
    DeleteChoice,
    DeleteProfileDialog,
    KeyCounts,
    RotationChoice,
    RotationDialog,
    TypedConfirmDialog,
)

FIXTURES = (keybox_url, shown, window)  # pytest finds these fixtures by their names here


def answer_modals(qtbot: QtBot, *answers: Callable[[QWidget], None]) -> list[QWidget]:
    """Answer the next modal dialogs, in order, as they appear; returns them."""
    seen: list[QWidget] = []
    pending = list(answers)

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal not in seen and pending:
            seen.append(modal)
            pending.pop(0)(modal)
        if pending:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def button(widget: QWidget, text: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.text() == text]
    assert found, f"no button {text!r} in {[b.text() for b in widget.findChildren(QPushButton)]}"
    return found[0]


def select_profile(qtbot: QtBot, win: MainWindow, name: str) -> None:
    win.refresh()
    qtbot.waitUntil(lambda: name in [win.profile_list.item(i).text()
                                     for i in range(win.profile_list.count())],
                    timeout=WAIT_MS)
    row = [win.profile_list.item(i).text() for i in range(win.profile_list.count())].index(name)
    win.profile_list.setCurrentRow(row)
    assert win.current_profile() == name


def profile_names(win: MainWindow) -> list[str]:
    profiles = on_executor(win, lambda box: box.profiles())
    return [p.name for p in profiles]  # type: ignore[attr-defined]


def last_action(win: MainWindow) -> str:
    entries = on_executor(win, lambda box: box.audit_log())
    return entries[-1].action  # type: ignore[index]


# --- delete -------------------------------------------------------------------------------

def test_profile_without_usable_keys_is_deleted_after_one_question(
        qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.create_profile("old"))
    key = on_executor(window, lambda box: box.keys("old")[0])
    on_executor(window, lambda box: box.schedule_destroy(key.key_id, 0))  # type: ignore[attr-defined]
    select_profile(qtbot, window, "old")
    texts: list[str] = []

    def delete(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        texts.extend([box.windowTitle(), box.text(), box.informativeText()])
        assert box.defaultButton().text() == "Cancel"  # Enter keeps the profile
        button(box, "Delete profile").click()

    answer_modals(qtbot, delete)
    window.delete_profile_action.trigger()
    qtbot.waitUntil(lambda: "old" not in profile_names(window), timeout=WAIT_MS)
    assert texts == ["Delete profile", "Delete the profile old?",
                     "No key of this profile can open files any more (1 destroyed keys). The "
                     "profile is removed; the audit log keeps its history."]
    assert last_action(window) == "profile.delete"
    qtbot.waitUntil(lambda: window.profile_list.count() == 1, timeout=WAIT_MS)


def test_cancel_keeps_the_profile(qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.create_profile("empty"))
    key = on_executor(window, lambda box: box.keys("empty")[0])
    on_executor(window, lambda box: box.schedule_destroy(key.key_id, 0))  # type: ignore[attr-defined]
    select_profile(qtbot, window, "empty")
    seen = answer_modals(qtbot, lambda box: QTest.keyClick(box, Qt.Key.Key_Escape))
    window.delete_profile_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    idle(qtbot, window)
    assert "empty" in profile_names(window)


def test_keys_that_open_files_are_never_lost_without_two_questions(
        qtbot: QtBot, window: MainWindow) -> None:
    """The refusal names the keys by state; 'Delete anyway…' asks for the typed name; a
    wrong name leaves the button disabled; the right one and Enter delete."""
    on_executor(window, lambda box: box.rotate("acme"))
    old = on_executor(window, lambda box: box.keys("acme")[0])
    on_executor(window, lambda box: box.disable(old.key_id))  # type: ignore[attr-defined]
    on_executor(window, lambda box: box.record_sealed(bytes.fromhex(old.key_id), 3))  # type: ignore[attr-defined]
    select_profile(qtbot, window, "acme")
    refusal: list[str] = []
    typed: list[object] = []

    def refuse(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        refusal.extend([box.windowTitle(), box.text(), box.informativeText()])
        assert box.defaultButton().text() == "Keep the profile"
        button(box, "Delete anyway…").click()

    def type_name(dialog: QWidget) -> None:
        assert isinstance(dialog, TypedConfirmDialog)
        assert dialog.focusWidget() is dialog.typed  # focus starts in the field
        assert missing_accessible_names(dialog) == []
        assert dialog.delete_button.text() == "Delete and lose 2 keys"
        QTest.keyClicks(dialog.typed, "acm")
        typed.append(dialog.delete_button.isEnabled())
        QTest.keyClick(dialog.typed, Qt.Key.Key_Return)  # not yet: the name is wrong
        typed.append(dialog.isVisible())
        QTest.keyClicks(dialog.typed, "e")
        typed.append(dialog.delete_button.isEnabled())
        QTest.keyClick(dialog.typed, Qt.Key.Key_Return)

    answer_modals(qtbot, refuse, type_name)
    window.delete_profile_action.trigger()
    qtbot.waitUntil(lambda: "acme" not in profile_names(window), timeout=WAIT_MS)
    assert refusal == [
        "Profile not deleted",
        "The profile acme was not deleted: 2 of its keys still open files.",
        "Its keys: 1 enabled, 1 disabled, 0 pending destruction, 0 destroyed. Deleting the "
        "profile erases them all, and the files sealed under them (3 that the audit log knows "
        "of) could never be opened again. Rewrap the files you still need under another "
        "profile first, or destroy the keys you no longer need."]
    assert typed == [False, True, True]
    assert last_action(window) == "profile.delete"
    assert on_executor(window, lambda box: box.keys()) == []


def test_the_refusal_keeps_the_profile(qtbot: QtBot, window: MainWindow) -> None:
    select_profile(qtbot, window, "acme")
    answer_modals(qtbot, lambda box: button(box, "Keep the profile").click())
    window.delete_profile_action.trigger()
    idle(qtbot, window)
    qtbot.wait(100)
    idle(qtbot, window)
    assert profile_names(window) == ["acme"]


def test_the_typed_confirmation_cancelled_keeps_the_profile(
        qtbot: QtBot, window: MainWindow) -> None:
    select_profile(qtbot, window, "acme")
    seen = answer_modals(qtbot, lambda box: button(box, "Delete anyway…").click(),
                         lambda dialog: QTest.keyClick(dialog, Qt.Key.Key_Escape))
    window.delete_profile_action.trigger()
    qtbot.waitUntil(lambda: len(seen) == 2 and not seen[1].isVisible(), timeout=WAIT_MS)
    idle(qtbot, window)
    assert profile_names(window) == ["acme"]


def test_the_core_refuses_when_keys_appeared_after_the_question(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        shown: list[tuple[str, str]]) -> None:
    """The counts were read, then (say, from another process) the profile got a usable key:
    a plain delete is refused by the core, and the window says so with its own remedy."""
    def plain_delete(cls: object, parent: object, name: str, counts: KeyCounts,
                     files: int) -> DeleteChoice:
        return DeleteChoice(lose_keys=False)

    monkeypatch.setattr(DeleteProfileDialog, "ask", classmethod(plain_delete))
    select_profile(qtbot, window, "acme")
    window.delete_profile_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    ((kind, text),) = shown
    assert kind == "warning"
    assert text.startswith("profile 'acme' still has 1 key(s) that can open files")
    assert text.endswith("Keep the profile, or confirm that its keys may be lost.")
    assert profile_names(window) == ["acme"]


def test_counts_by_state_and_what_is_at_risk() -> None:
    counts = KeyCounts.of({KeyState.ENABLED: 2, KeyState.PENDING_DESTRUCTION: 1,
                           KeyState.DESTROYED: 4})
    assert (counts.enabled, counts.disabled, counts.pending_destruction,
            counts.destroyed) == (2, 0, 1, 4)
    assert counts.at_risk == 3
    assert KeyCounts.of({KeyState.DESTROYED: 2}).at_risk == 0


def test_delete_needs_a_selected_profile_and_an_unlocked_keybox(
        qtbot: QtBot, window: MainWindow) -> None:
    window.lock()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page,
                    timeout=WAIT_MS)
    assert not window.delete_profile_action.isEnabled()
    assert not window.rotation_action.isEnabled()
    window.delete_profile()  # a stray call asks nothing (a question would fail the test)
    window.set_rotation_period()


# --- rotation period ----------------------------------------------------------------------

def test_rotation_period_is_set_and_shown(qtbot: QtBot, window: MainWindow,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []

    def every_30(cls: object, parent: object, profile: object) -> RotationChoice:
        asked.append(profile)
        return RotationChoice(30)

    monkeypatch.setattr(RotationDialog, "ask", classmethod(every_30))
    select_profile(qtbot, window, "acme")
    assert window.profile_list.item(0).toolTip() == "acme: no automatic rotation"
    window.rotation_action.trigger()
    qtbot.waitUntil(lambda: window.profile_list.count() == 1 and
                    window.profile_list.item(0).toolTip() ==
                    "acme: the primary key is rotated every 30 days", timeout=WAIT_MS)
    assert [p.name for p in asked] == ["acme"]  # type: ignore[attr-defined]
    profile = on_executor(window, lambda box: box.profile("acme"))
    assert profile.rotation_days == 30  # type: ignore[attr-defined]
    assert window.statusBar().currentMessage() == \
        "acme: the primary key is rotated every 30 days"
    key = window.key_model.key_at(0)
    assert key is not None and key.next_rotation is not None
    assert window.key_model.index(0, 6).data() == f"{key.next_rotation.astimezone():%Y-%m-%d}"

    monkeypatch.setattr(RotationDialog, "ask",
                        classmethod(lambda cls, parent, profile: RotationChoice(None)))
    window.rotation_action.trigger()
    qtbot.waitUntil(lambda: window.profile_list.item(0).toolTip() ==
                    "acme: no automatic rotation", timeout=WAIT_MS)
    assert on_executor(window, lambda box: box.profile("acme")).rotation_days is None  # type: ignore[attr-defined]
    assert last_action(window) == "profile.rotation"


def test_rotation_dialog_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    profile = on_executor(window, lambda box: box.profile("acme"))
    dialog = RotationDialog(window, profile)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.automatic, timeout=WAIT_MS)
    assert missing_accessible_names(dialog) == []
    assert not dialog.days.isEnabled()  # no rotation yet: the days wait for the box
    assert dialog.choice() == RotationChoice(None)
    QTest.keyClick(dialog.automatic, Qt.Key.Key_Space)
    assert dialog.days.isEnabled()
    assert focus_chain(dialog)[:2] == [dialog.automatic, dialog.days]
    dialog.days.setFocus()
    dialog.days.selectAll()
    QTest.keyClicks(dialog.days, "45")
    QTest.keyClick(dialog.days, Qt.Key.Key_Return)  # Enter submits
    assert dialog.result() == 1 and dialog.choice() == RotationChoice(45)

    again = RotationDialog(window, profile)  # type: ignore[arg-type]
    qtbot.addWidget(again)
    again.show()
    QTest.keyClick(again, Qt.Key.Key_Escape)  # Esc cancels
    assert again.result() == 0 and not again.isVisible()


def test_rotation_unchanged_writes_nothing(qtbot: QtBot, window: MainWindow,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RotationDialog, "ask",
                        classmethod(lambda cls, parent, profile: RotationChoice(None)))
    select_profile(qtbot, window, "acme")
    before = last_action(window)
    window.rotation_action.trigger()
    idle(qtbot, window)
    assert last_action(window) == before


def test_dialogs_fit_their_text(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import QLocale

    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    long = "a-profile-with-a-rather-long-name-" * 3
    dialog = TypedConfirmDialog(None, long, KeyCounts(enabled=12_345), 1_000_000)
    qtbot.addWidget(dialog)
    dialog.show()
    screen = dialog.screen().availableGeometry()
    assert dialog.sizeHint().width() <= screen.width()
    assert dialog.delete_button.text() == "Delete and lose 12,345 keys"
    assert dialog.width() >= dialog.delete_button.sizeHint().width()
    QLocale.setDefault(previous)
