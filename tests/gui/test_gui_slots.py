"""The key-slots dialog: slots you cannot lose by accident (issue 14, items 1, 2, 8, 10).

The real window and dialog offscreen, a real keybox on disk (keyring slot in the memory
keyring, a passphrase slot), every keybox call on the controller's executor.
"""

# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.gui.a11y import assert_focus_order, missing_accessible_names
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.models import SlotInfo
from vaultapp.core.strength import strength
from vaultapp.gui import slots_dialog
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.slots_dialog import (
    ConfirmRemoveSlot,
    KmsSlotDialog,
    PassphraseDialog,
    SlotLabelDialog,
    SlotsDialog,
    SlotTestDialog,
)

from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    WAIT_MS,
    keybox_url,
    no_unexpected_dialogs,
    window,
)

SECOND = "orbit violet canyon mango"
REAL_ASK = {cls: cls.ask for cls in (ConfirmRemoveSlot, PassphraseDialog, SlotLabelDialog,
                                     KmsSlotDialog)}
"""The real questions, for the tests that answer them (the fixture below replaces them)."""


@pytest.fixture(autouse=True)
def no_unexpected_slot_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal question nobody answers would hang the test: fail loudly instead."""
    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for cls in (ConfirmRemoveSlot, PassphraseDialog, SlotLabelDialog, KmsSlotDialog):
        monkeypatch.setattr(cls, "ask", classmethod(unexpected))


def open_slots(qtbot: QtBot, win: MainWindow, rows: int = 2) -> SlotsDialog:
    win.show_slots()
    dialog: SlotsDialog = win.slots_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == rows, timeout=WAIT_MS)
    return dialog


def answer_modal(qtbot: QtBot, check: Callable[[QWidget], None]) -> list[str]:
    """Run `check` on the next modal dialog once it is up; close it should `check` fail
    (a dialog left open would hang the test). Returns the failures seen."""
    failures: list[str] = []

    def attempt(tries: int = 0) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            if tries < 200:
                QTimer.singleShot(10, lambda: attempt(tries + 1))
            return
        try:
            check(modal)
        except BaseException as exc:  # reported by the test, after the dialog is closed
            failures.append(repr(exc))
            if modal.isVisible() and isinstance(modal, QDialog):
                modal.reject()

    QTimer.singleShot(0, attempt)
    return failures


def keybox_slots(win: MainWindow) -> list[SlotInfo]:
    return win.controller.executor.call(lambda: win.controller.keybox().slots())


def audit_actions(win: MainWindow) -> list[str]:
    return [e.action for e in win.controller.executor.call(
        lambda: win.controller.keybox().audit_log())]


def select(dialog: SlotsDialog, kind: str) -> SlotInfo:
    (row,) = [r for r, s in enumerate(dialog.slots) if s.kind == kind]
    dialog.table.selectRow(row)
    slot = dialog.selected_slot()
    assert slot is not None and slot.kind == kind
    return slot


def cells(dialog: SlotsDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_table_says_label_kind_and_what_each_slot_survives(qtbot: QtBot,
                                                           window: MainWindow) -> None:
    dialog = open_slots(qtbot, window)
    headers = [dialog.table.horizontalHeaderItem(c).text()
               for c in range(dialog.table.columnCount())]
    assert headers == ["Label", "Kind", "Survives losing this machine", "Unlocks after a lock",
                       "Slot"]
    by_kind = {s.kind: s for s in dialog.slots}
    rows = {row[1]: row for row in cells(dialog)}
    assert rows["System keyring"] == [by_kind["keyring"].label, "System keyring", "No", "No",
                                      by_kind["keyring"].slot_id]
    assert rows["Passphrase"] == ["recovery passphrase", "Passphrase", "Yes", "Yes",
                                  by_kind["passphrase"].slot_id]
    assert slots_dialog.kind_words("aws-kms") == "AWS KMS key"
    assert slots_dialog.kind_words("something-new") == "something-new"
    assert missing_accessible_names(dialog) == []
    assert not dialog.table.tabKeyNavigation()  # one Tab stop; arrows move inside
    qtbot.waitUntil(lambda: dialog.add_kms.isVisibleTo(dialog), timeout=WAIT_MS)  # boto3
    qtbot.waitUntil(lambda: dialog.add_key.isVisibleTo(dialog), timeout=WAIT_MS)  # fido2
    assert_focus_order(dialog, ["slotTable", "testSlot", "renameSlot", "removeSlot",
                                "addPassphraseSlot", "addRecoveryCodeSlot", "addFido2Slot",
                                "addKmsSlot", "QPushButton 'Close'"])


def test_test_a_passphrase_slot(qtbot: QtBot, window: MainWindow,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_slots(qtbot, window)
    slot = select(dialog, "passphrase")
    before = (keybox_slots(window), audit_actions(window))
    dialog.test.click()
    tester: SlotTestDialog = dialog.test_dialog
    qtbot.addWidget(tester)
    assert tester.isVisible() and tester.slot == slot
    field = tester.secret
    assert field.echoMode() == field.EchoMode.Password
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field,  # focus starts in it
                    timeout=WAIT_MS)
    tester.test_button.click()  # nothing typed yet: says so, tests nothing
    assert tester.outcome.text() == "Type the passphrase to test first." and tester.ok is None
    assert missing_accessible_names(tester) == []
    assert_focus_order(tester, ["testPassphrase", "testSlotButton", "QPushButton 'Close'"])

    qtbot.keyClicks(field, "totally wrong")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter tests
    qtbot.waitUntil(lambda: tester.ok is not None, timeout=WAIT_MS)
    assert tester.ok is False
    assert tester.outcome.text().startswith("This passphrase does not open the keybox: ")
    assert tester.outcome.text().endswith(": wrong passphrase")
    field.clear()
    qtbot.keyClicks(field, PASSPHRASE)
    tester.test_button.click()
    qtbot.waitUntil(lambda: tester.ok is not None, timeout=WAIT_MS)
    assert tester.ok is True
    assert tester.outcome.text() == "This passphrase opens the keybox."
    assert (keybox_slots(window), audit_actions(window)) == before  # a test changes nothing
    tester.reject()


def test_test_a_slot_that_needs_no_secret(qtbot: QtBot, window: MainWindow,
                                          memory_keyring: Any) -> None:
    dialog = open_slots(qtbot, window)
    slot = select(dialog, "keyring")
    dialog.test.click()  # no dialog: tested at once
    qtbot.waitUntil(lambda: "opens the keybox" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.status.text() == f"The slot “{slot.label}” opens the keybox."
    memory_keyring.store.clear()  # the keyring entry is gone: the test says so
    dialog.test.click()
    qtbot.waitUntil(lambda: "does not open" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.status.text().startswith(f"The slot “{slot.label}” does not open the "
                                           "keybox: ")


def test_rename_a_slot(qtbot: QtBot, window: MainWindow,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_slots(qtbot, window)
    slot = select(dialog, "passphrase")
    asked: list[str] = []

    def answer(cls: object, parent: object, current: str) -> str:
        asked.append(current)
        return "kit in the safe"

    monkeypatch.setattr(SlotLabelDialog, "ask", classmethod(answer))
    dialog.rename.click()
    qtbot.waitUntil(lambda: "kit in the safe" in [r[0] for r in cells(dialog)],
                    timeout=WAIT_MS)
    assert asked == ["recovery passphrase"]
    assert dialog.status.text() == "Renamed the slot to “kit in the safe”"
    assert {s.slot_id: s.label for s in keybox_slots(window)}[slot.slot_id] == \
        "kit in the safe"
    assert "slot.rename" in audit_actions(window)
    assert dialog.selected_slot() is not None  # the selection stays on the renamed slot


def test_rename_dialog_itself(qtbot: QtBot, window: MainWindow) -> None:
    ask = REAL_ASK[SlotLabelDialog]
    results: list[str | None] = []
    failures: list[str] = []

    def answer(text: str, accept: bool) -> Callable[[QWidget], None]:
        def check(modal: QWidget) -> None:
            assert isinstance(modal, QDialog) and modal.objectName() == "slotLabelDialog"
            field = modal.findChild(QLineEdit, "slotLabel")
            assert field is not None and field.accessibleName() == "Slot label"
            assert field.text() == "recovery passphrase"
            assert field.selectedText() == field.text()  # typing replaces it
            qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=WAIT_MS)
            field.setText(text)
            if accept:
                qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter accepts
            else:
                modal.reject()

        return check

    for text, accept in (("  paper in the drawer ", True), ("anything", False),
                         ("recovery passphrase", True)):  # the last: unchanged
        failures += answer_modal(qtbot, answer(text, accept))
        results.append(ask(window, "recovery passphrase"))
    assert failures == []
    assert results == ["paper in the drawer", None, None]


def test_remove_always_asks_and_keeps_the_slot_when_declined(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_slots(qtbot, window)
    slot = select(dialog, "keyring")
    asked: list[tuple[SlotInfo, str | None]] = []

    def decline(cls: object, parent: object, s: SlotInfo, consequence: str | None) -> bool:
        asked.append((s, consequence))
        return False

    monkeypatch.setattr(ConfirmRemoveSlot, "ask", classmethod(decline))
    dialog.remove.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert asked == [(slot, None)]  # the passphrase remains: nothing portable is lost
    window.controller.executor.call(lambda: None)
    assert len(keybox_slots(window)) == 2

    monkeypatch.setattr(ConfirmRemoveSlot, "ask",
                        classmethod(lambda cls, parent, s, consequence: True))
    dialog.remove.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    assert [s.kind for s in keybox_slots(window)] == ["passphrase"]
    assert dialog.status.text() == f"Removed the slot “{slot.label}”"


def test_removing_the_last_portable_slot_spells_out_the_consequence(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_slots(qtbot, window)
    slot = select(dialog, "passphrase")
    expected = window.controller.executor.call(
        lambda: window.controller.keybox().removal_consequence(slot.slot_id))
    assert expected  # the core says what would be lost
    asked: list[str | None] = []

    def decline(cls: object, parent: object, s: SlotInfo, consequence: str | None) -> bool:
        asked.append(consequence)
        return False

    monkeypatch.setattr(ConfirmRemoveSlot, "ask", classmethod(decline))
    dialog.remove.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert asked == [expected]
    assert len(keybox_slots(window)) == 2  # declined: kept

    monkeypatch.setattr(ConfirmRemoveSlot, "ask",
                        classmethod(lambda cls, parent, s, consequence: True))
    dialog.remove.click()  # confirmed: removed although it is the last portable one
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    assert [s.kind for s in keybox_slots(window)] == ["keyring"]


def test_the_removal_question_itself(qtbot: QtBot, window: MainWindow) -> None:
    ask = REAL_ASK[ConfirmRemoveSlot]
    slot = SlotInfo("0123abcd0123abcd", "passphrase", "kit in the safe", None,  # type: ignore[arg-type]
                    secret=True, portable=True)
    seen: list[dict[str, object]] = []
    failures: list[str] = []

    def answer(click: str) -> Callable[[QWidget], None]:
        def check(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            buttons = {b.text(): b for b in box.findChildren(QPushButton)}
            seen.append({"text": box.text(), "info": box.informativeText(),
                         "buttons": sorted(buttons), "default": box.defaultButton().text()})
            buttons[click].click()

        return check

    consequence = "the keybox opens only on this machine"
    failures += answer_modal(qtbot, answer("Keep it"))
    assert ask(window, slot, consequence) is False
    failures += answer_modal(qtbot, answer("Remove the last portable way in"))
    assert ask(window, slot, consequence) is True
    failures += answer_modal(qtbot, answer("Remove slot"))
    assert ask(window, slot, None) is True
    assert failures == []
    last, _, plain = seen
    assert last["text"] == "Remove the key slot “kit in the safe” (Passphrase)?"
    assert "if this machine or its keyring is lost, nobody can open your sealed files" \
        in str(last["info"])
    assert last["buttons"] == ["Keep it", "Remove the last portable way in"]
    assert last["default"] == "Keep it"  # Enter keeps the slot
    assert plain["buttons"] == ["Keep it", "Remove slot"]
    assert "still unlock" in str(plain["info"])


# --- adding a passphrase ---------------------------------------------------------------------

def test_passphrase_dialog_applies_the_strength_rule(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.first, timeout=WAIT_MS)
    assert missing_accessible_names(dialog) == []
    assert not dialog.ok_button.isEnabled()
    assert_focus_order(dialog, ["newPassphrase", "repeatPassphrase", "slotLabel",
                                "QPushButton 'Cancel'"])

    weak = strength("abc")
    qtbot.keyClicks(dialog.first, "abc")
    qtbot.keyClicks(dialog.second, "abc")
    lines = dialog.strength.text().splitlines()
    assert lines == [weak.verdict, weak.warning, *weak.suggestions]  # the first-run page's
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.second, Qt.Key.Key_Return)
    assert dialog.result() == 0 and dialog.isVisible()  # Enter does not accept a weak one

    dialog.first.setText(SECOND)
    dialog.second.setText(SECOND[:-1])
    assert dialog.mismatch.text() == "The two passphrases differ."
    assert not dialog.ok_button.isEnabled()
    dialog.second.setText(SECOND)
    assert dialog.mismatch.text() == "" and dialog.ok_button.isEnabled()
    assert_focus_order(dialog, ["newPassphrase", "repeatPassphrase", "slotLabel",
                                "QPushButton 'Add passphrase'", "QPushButton 'Cancel'"])
    assert dialog.strength.text() == strength(SECOND).verdict == "Strong"
    qtbot.keyClick(dialog.second, Qt.Key.Key_Return)  # Enter in Repeat adds
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == (SECOND, None)  # no label typed: the keybox chooses


def test_add_passphrase_with_and_without_a_label(qtbot: QtBot, window: MainWindow,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_slots(qtbot, window)
    answers = iter([(SECOND, None), ("lunar kettle harbor violin", "kit in the safe")])
    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(lambda cls, p: next(answers)))
    dialog.add_passphrase.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=WAIT_MS)
    dialog.add_passphrase.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4, timeout=WAIT_MS)
    labels = [s.label for s in keybox_slots(window) if s.kind == "passphrase"]
    assert labels[0] == "recovery passphrase" and labels[2] == "kit in the safe"
    assert labels[1] not in (labels[0], labels[2])  # the keybox's unique default label
    assert dialog.status.text() == "Added the passphrase slot “kit in the safe”"
    # each new passphrase really opens the keybox
    box = Keybox.open(window.controller.url)
    for passphrase in (SECOND, "lunar kettle harbor violin"):
        assert box.unlock(passphrase=passphrase) in labels
        box.lock()
    box.close()


def test_a_weak_passphrase_that_reaches_the_keybox_is_refused(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_slots(qtbot, window)
    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(lambda cls, p: ("abc", None)))
    dialog.add_passphrase.click()
    qtbot.waitUntil(lambda: bool(dialog.status.text()), timeout=WAIT_MS)
    assert strength("abc").summary in dialog.status.text()
    assert len(keybox_slots(window)) == 2


# --- AWS KMS ---------------------------------------------------------------------------------

def test_kms_is_offered_only_when_its_support_is_installed(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultapp.core.keybox.slots import registry

    asked: list[str] = []

    def available(kind: str) -> bool:
        asked.append(kind)
        return False

    monkeypatch.setattr(registry, "kind_available", available)
    monkeypatch.setattr(registry, "install_hint", lambda kind: "pip install 'vaultapp[aws]'")
    dialog = open_slots(qtbot, window)
    qtbot.waitUntil(lambda: dialog.kms_missing.isVisibleTo(dialog), timeout=WAIT_MS)
    assert sorted(asked) == ["aws-kms", "fido2", "tpm"]
    assert not dialog.add_kms.isVisibleTo(dialog)
    assert dialog.kms_missing.text() == ("To use AWS KMS, install the optional AWS support: "
                                         "pip install 'vaultapp[aws]'")
    dialog.reject()

    monkeypatch.setattr(registry, "kind_available", lambda kind: True)
    dialog = open_slots(qtbot, window)
    qtbot.waitUntil(lambda: dialog.add_kms.isVisibleTo(dialog), timeout=WAIT_MS)
    assert not dialog.kms_missing.isVisibleTo(dialog)


def test_kms_dialog_shows_all_of_a_long_error(qtbot: QtBot, window: MainWindow) -> None:
    dialog = KmsSlotDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    text = ("cannot reach the KMS endpoint https://kms.eu-west-1.amazonaws.com: "
            + "the connection was refused by the remote host after several attempts; " * 6
            + "check the endpoint and the network")
    dialog.show_outcome(text, False)
    qtbot.wait(50)
    label = dialog.outcome
    assert label.text() == text and label.wordWrap()
    assert dialog.height() > before  # the dialog grew to fit
    needed = label.heightForWidth(label.width())
    assert label.height() >= needed  # every wrapped line has room
    assert label.sizeHint().width() <= label.width() + 1
    lines = needed // label.fontMetrics().lineSpacing()
    assert lines >= 3  # it really wraps onto several lines, all of them shown
    assert label.geometry().bottom() < dialog.height()  # inside the dialog, not cut off
    assert missing_accessible_names(dialog) == []


def test_kms_dialog_test_connection_reports_failure(qtbot: QtBot, window: MainWindow,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    dialog = KmsSlotDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.arn.setText("arn:aws:kms:eu-west-1:111122223333:key/x")
    dialog.endpoint.setText("http://127.0.0.1:9")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "unreachable" in dialog.outcome.text(), timeout=30_000)
    label = dialog.outcome
    assert label.height() >= label.heightForWidth(label.width())


def test_add_kms_failure_is_shown_and_adds_nothing(qtbot: QtBot, window: MainWindow,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    dialog = open_slots(qtbot, window)
    monkeypatch.setattr(KmsSlotDialog, "ask", classmethod(
        lambda cls, parent: ("arn:aws:kms:eu-west-1:111122223333:key/x", None,
                             "http://127.0.0.1:9")))
    qtbot.waitUntil(lambda: dialog.add_kms.isVisibleTo(dialog), timeout=WAIT_MS)
    dialog.add_kms.click()
    qtbot.waitUntil(lambda: "cannot add the KMS slot" in dialog.status.text(), timeout=30_000)
    assert "unreachable" in dialog.status.text()
    assert dialog.table.rowCount() == 2


def test_slot_buttons_need_a_selection(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_slots(qtbot, window)
    dialog.table.clearSelection()
    assert not any(b.isEnabled() for b in (dialog.test, dialog.rename, dialog.remove))
    select(dialog, "keyring")
    assert all(b.isEnabled() for b in (dialog.test, dialog.rename, dialog.remove))


def test_a_keybox_without_a_portable_slot_is_warned_about(qtbot: QtBot, window: MainWindow,
                                                          keybox_url: str) -> None:
    """Keyring only (the passphrase slot removed with the core's confirmation): the
    dialog says at its top that losing this computer would lock the keybox for good."""
    dialog = open_slots(qtbot, window)
    assert "No slot survives" not in dialog.status.text()
    dialog.close()
    passphrase = next(s for s in dialog.slots if s.kind == "passphrase")
    window.controller.run(lambda t: window.controller.keybox().remove_slot(
        passphrase.slot_id, allow_last_portable=True))
    dialog = open_slots(qtbot, window, rows=1)
    qtbot.waitUntil(lambda: "No slot survives the loss of this computer" in
                    dialog.status.text(), timeout=WAIT_MS)
