"""The audit-log viewer (Vault → Audit log…) over a real keybox: entries in words, newest
first, filters, the chain's check, copying rows, and lazy paging of a million rows."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui.feature_fixtures import (
    WAIT_MS,
    focus_chain,
    keybox_url,
    missing_accessible_names,
    on_executor,
    shown,
    window,
)
from vaultapp.core.errors import Hint, KeyboxUnavailableError
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.service import Keybox as KeyboxService
from vaultapp.gui import log_dialog
from vaultapp.gui.executor import SerialExecutor
from vaultapp.gui.log_dialog import PAGE, AuditLogDialog, AuditLogModel, LogFilter
from vaultapp.gui.main_window import MainWindow

FIXTURES = (keybox_url, shown, window)  # pytest finds these fixtures by their names here


def open_log(qtbot: QtBot, win: MainWindow) -> AuditLogDialog:
    win.audit_log_action.trigger()
    dialog = win.audit_log_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and not dialog.model.loading()
                    and "Checking" not in dialog.chain_state.text(), timeout=WAIT_MS)
    return dialog


def column(dialog: AuditLogDialog, col: int) -> list[str]:
    model = dialog.model
    return [str(model.index(r, col).data()) for r in range(model.rowCount())]


def audit_rows(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT id, action FROM audit_log ORDER BY id DESC"))


def keybox_file(win: MainWindow) -> Path:
    return Path(win.controller.url.removeprefix("sqlite:///"))


def test_log_lists_every_entry_newest_first_in_words(qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.rotate("acme"))
    key = on_executor(window, lambda box: box.keys("acme")[-1])
    on_executor(window, lambda box: box.disable(key.key_id))  # type: ignore[attr-defined]
    on_executor(window, lambda box: box.set_rotation("acme", 30))
    dialog = open_log(qtbot, window)

    rows = audit_rows(keybox_file(window))
    assert dialog.model.rowCount() == len(rows)
    words = log_dialog.action_words()
    assert column(dialog, 2) == [words[action] for _, action in rows]  # newest first
    assert column(dialog, 2)[:3] == ["Rotation period set", "Key disabled", "Key rotated"]
    assert column(dialog, 3)[0] == "acme"
    assert column(dialog, 4)[1] == key.key_id[:8]  # type: ignore[attr-defined]
    assert dialog.model.index(1, 4).data(Qt.ItemDataRole.ToolTipRole) == key.key_id  # type: ignore[attr-defined]
    assert column(dialog, 5)[0] == "every 30 days"
    newest = on_executor(window, lambda box: box.audit_log()[-1])
    assert column(dialog, 0)[0] == f"{newest.at.astimezone():%Y-%m-%d %H:%M:%S}"  # type: ignore[attr-defined]
    assert "@" in column(dialog, 1)[0]  # the OS account and host
    assert dialog.chain_state.text() == \
        f"✓ The log's chain is intact: {len(rows)} entries."
    assert dialog.count.text() == f"{len(rows)} entries"


def test_every_action_the_core_writes_has_words() -> None:
    """Each audit action named in the core's source is worded (none shows as a code)."""
    import re

    source = "".join(p.read_text() for p in
                     (Path(__file__).parents[2] / "vaultapp" / "core").rglob("*.py"))
    written = set(re.findall(r'_audit\([^,]+, "([a-z_.]+)"', source))
    written |= set(re.findall(r'record_event\("([a-z_.]+)"', source))
    written |= {f"key.{c}" for c in ("enable", "disable", "schedule_destroy", "cancel_destroy")}
    cli = (Path(__file__).parents[2] / "vaultapp" / "cli.py").read_text()
    written |= set(re.findall(r'record_event\("([a-z_.]+)"', cli))
    assert written and written <= set(log_dialog.action_words()), \
        written - set(log_dialog.action_words())


def test_filters_by_profile_key_and_action(qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.create_profile("globex"))
    on_executor(window, lambda box: box.rotate("acme"))
    on_executor(window, lambda box: box.rotate("globex"))
    acme_keys = on_executor(window, lambda box: box.keys("acme"))
    dialog = open_log(qtbot, window)
    everything = dialog.model.rowCount()

    dialog.profile_filter.setEditText("globex")
    qtbot.waitUntil(lambda: dialog.model.log_filter().profile == "globex"
                    and not dialog.model.loading(), timeout=WAIT_MS)
    assert set(column(dialog, 3)) == {"globex"}
    assert column(dialog, 2) == ["Key rotated", "Profile created"]

    dialog.profile_filter.setEditText("")
    newest = acme_keys[-1].key_id  # type: ignore[index]
    dialog.key_filter.setText(newest[:6])
    qtbot.waitUntil(lambda: dialog.model.log_filter() == LogFilter(None, newest[:6], None)
                    and not dialog.model.loading(), timeout=WAIT_MS)
    assert column(dialog, 2) == ["Key rotated"]
    assert dialog.count.text() == "1 entries"

    dialog.key_filter.clear()
    dialog.action_filter.setCurrentIndex(dialog.action_filter.findData("key.rotate"))
    qtbot.waitUntil(lambda: dialog.model.log_filter().action == "key.rotate"
                    and not dialog.model.loading(), timeout=WAIT_MS)
    assert column(dialog, 3) == ["globex", "acme"]

    dialog.key_filter.setText("ffffffff")  # no such key: nothing, said so
    qtbot.waitUntil(lambda: dialog.model.log_filter().key_id == "ffffffff"
                    and not dialog.model.loading(), timeout=WAIT_MS)
    assert dialog.model.rowCount() == 0
    assert dialog.count.text() == "No entries match these filters."

    dialog.clear_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == everything, timeout=WAIT_MS)
    assert dialog.model.log_filter() == LogFilter()


def test_key_filter_is_a_prefix_not_a_pattern(window: MainWindow) -> None:
    """`%` and `_` typed in the key filter match themselves, not everything."""
    assert on_executor(window, lambda box: box.audit_page(0, 10, key_id="%")) == []
    assert on_executor(window, lambda box: box.audit_page(0, 10, key_id="_")) == []
    assert len(on_executor(window, lambda box: box.audit_page(0, 10)))  # type: ignore[arg-type]


def test_copy_selected_rows(qtbot: QtBot, window: MainWindow) -> None:
    key = on_executor(window, lambda box: box.rotate("acme"))
    dialog = open_log(qtbot, window)
    assert not dialog.copy_button.isEnabled()
    QGuiApplication.clipboard().clear()
    dialog.table.setFocus()
    dialog.table.selectRow(0)
    assert dialog.copy_button.isEnabled()
    QTest.keyClick(dialog.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0] == "Time\tActor\tAction\tProfile\tKey\tDetails"
    assert len(lines) == 2
    fields = lines[1].split("\t")
    assert fields[2] == "Key rotated" and fields[3] == "acme"
    assert fields[4] == key.key_id  # type: ignore[attr-defined]  # the whole id, not 8 digits

    dialog.table.selectAll()
    dialog.copy_button.click()
    assert len(QGuiApplication.clipboard().text().splitlines()) == dialog.model.rowCount() + 1


def test_broken_chain_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.rotate("acme"))
    on_executor(window, lambda box: box.rotate("acme"))
    rows = audit_rows(keybox_file(window))
    edited = rows[2][0]  # an older row (the newest one is checked at every unlock)
    with sqlite3.connect(keybox_file(window)) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")  # as a writer without a slot can
        conn.execute("UPDATE audit_log SET details = 'nothing happened' WHERE id = ?",
                     (edited,))
    dialog = open_log(qtbot, window)
    text = dialog.chain_state.text()
    assert text.startswith(f"⚠ The log's chain breaks at entry {edited} ")
    assert "restore the keybox from a backup" in text
    assert "nothing happened" in column(dialog, 5)  # the rows are still shown


def test_tampered_state_says_what_failed(qtbot: QtBot, window: MainWindow) -> None:
    with sqlite3.connect(keybox_file(window)) as conn:
        conn.execute("UPDATE profiles SET rotation_days = 1")
    dialog = open_log(qtbot, window)
    text = dialog.chain_state.text()
    assert text.startswith("⚠ The log could not be checked: the keybox was changed outside "
                           "vaultapp")
    assert "restore the keybox from a backup" in text


def test_a_page_that_cannot_be_read_says_why(qtbot: QtBot, window: MainWindow,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(self: object, *args: object, **kwargs: object) -> list[object]:
        raise KeyboxUnavailableError("the keybox database is busy", reason="busy",
                                     hint=Hint.RETRY)

    monkeypatch.setattr(KeyboxService, "audit_page", unavailable)
    dialog = open_log(qtbot, window)
    qtbot.waitUntil(lambda: "could not be read" in dialog.count.text(), timeout=WAIT_MS)
    assert dialog.count.text() == ("The log could not be read: the keybox database is busy. "
                                   "Try again in a moment.")
    assert dialog.model.rowCount() == 0
    assert not dialog.model.canFetchMore(QModelIndex())  # no loop of failing queries


def test_dialog_keyboard_and_names(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_log(qtbot, window)
    qtbot.waitUntil(lambda: dialog.profile_filter.hasFocus(), timeout=WAIT_MS)
    assert missing_accessible_names(dialog) == []
    chain = focus_chain(dialog)
    order = [dialog.profile_filter, dialog.key_filter, dialog.action_filter,
             dialog.clear_button, dialog.table, dialog.copy_button]
    positions = [chain.index(w) for w in order if w.isEnabled()]
    assert positions == sorted(positions)
    assert not dialog.table.tabKeyNavigation()  # one Tab stop; arrows move inside

    # Enter in a filter field applies it at once and keeps the dialog open.
    dialog.key_filter.setFocus()
    dialog.key_filter.setText("ffff")
    QTest.keyClick(dialog.key_filter, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.model.log_filter().key_id == "ffff"
    # Esc closes it.
    QTest.keyClick(dialog.key_filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    # Sized by its content, within the screen: the columns' widths where they fit.
    screen = dialog.screen().availableGeometry()
    assert dialog.minimumSizeHint().width() <= screen.width()
    assert dialog.width() <= screen.width() * 0.9 and dialog.height() <= screen.height() * 0.9
    assert dialog.width() >= min(dialog._preferred_width, int(screen.width() * 0.9))


def test_model_passes_the_model_tester(qtbot: QtBot, qtmodeltester: object,
                                       window: MainWindow) -> None:
    dialog = open_log(qtbot, window)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]


# --- a million rows, read page by page ------------------------------------------------------

MILLION = 1_000_000


@pytest.fixture
def million_row_keybox(tmp_path: Path, memory_keyring: object) -> str:
    """A keybox whose log has a million rows more (written directly: this test is about
    reading them, so they are not chained)."""
    url = f"sqlite:///{tmp_path / 'big.sqlite'}"
    Keybox.create(url, use_keyring=True).close()
    at = datetime(2025, 1, 1, tzinfo=UTC).isoformat()
    with sqlite3.connect(tmp_path / "big.sqlite") as conn:
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO audit_log (at, actor, action, profile, key_id, files, details) "
            "SELECT ?, 'someone@host', 'seal', 'p' || (i % 7), printf('%032x', i), 1, "
            "'row ' || i FROM n", (MILLION - 1, at))
    return url


@pytest.mark.slow
def test_million_rows_are_read_one_page_at_a_time(qtbot: QtBot, tmp_path: Path,
                                                  million_row_keybox: str) -> None:
    from PySide6.QtWidgets import QTableView

    box = Keybox.open(million_row_keybox)  # audit_page reads, it needs no unlock
    executor = SerialExecutor()
    asked: list[tuple[int, int, LogFilter]] = []

    def fetch(offset: int, limit: int, f: LogFilter) -> list[object]:
        asked.append((offset, limit, f))
        return box.audit_page(offset, limit, f.profile, f.key_id, f.action)  # type: ignore[return-value]

    model = AuditLogModel(executor.submit, fetch)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(800, 400)
    view.show()
    started = time.monotonic()
    model.set_filter(LogFilter())
    qtbot.waitUntil(lambda: model.rowCount() == PAGE, timeout=WAIT_MS)
    first_page_s = time.monotonic() - started
    assert first_page_s < 5  # a page, not a million rows (about 0.05 s here)
    assert model.index(0, 5).data() == f"row {MILLION - 1}"  # newest first
    assert asked == [(0, PAGE, LogFilter())]

    view.scrollToBottom()  # the view asks for the next page, once
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PAGE, timeout=WAIT_MS)
    QApplication.processEvents()
    assert [a[0] for a in asked][:2] == [0, PAGE]
    assert model.index(PAGE, 5).data() == f"row {MILLION - 1 - PAGE}"

    model.set_filter(LogFilter(profile="p3"))  # a new query, not a scan of what is shown
    qtbot.waitUntil(lambda: model.rowCount() == PAGE and
                    model.index(0, 3).data() == "p3", timeout=WAIT_MS)
    assert {model.index(r, 3).data() for r in range(model.rowCount())} == {"p3"}
    executor.wait()
    box.close()


def test_results_of_an_old_filter_are_dropped(qtbot: QtBot) -> None:
    """A page asked for before the filter changed never lands in the new rows."""
    from vaultapp.core.keybox.models import AuditEntry

    pending: list[tuple[object, object]] = []

    def run(func: object, on_done: object, on_error: object) -> None:
        pending.append((func, on_done))

    def entry(profile: str) -> AuditEntry:
        return AuditEntry(datetime.now(UTC), "me@host", "seal", profile, None, 1, "")

    model = AuditLogModel(run, lambda o, n, f: [])  # type: ignore[arg-type]
    model.set_filter(LogFilter(profile="old"))
    model.set_filter(LogFilter(profile="new"))
    (_, old_done), (_, new_done) = pending
    old_done([entry("old")])  # type: ignore[operator]
    assert model.rowCount() == 0
    new_done([entry("new")])  # type: ignore[operator]
    assert [model.index(0, 3).data()] == ["new"]
    assert model.exhausted()


def test_stored_text_is_shown_with_controls_escaped(qtbot: QtBot, window: MainWindow) -> None:
    on_executor(window, lambda box: box.rename_profile("acme", "ac\u202eme"))
    dialog = open_log(qtbot, window)
    assert column(dialog, 3)[0] == "ac\\u202eme"  # a bidi control, visible


def test_menu_entry_needs_an_unlocked_keybox(qtbot: QtBot, window: MainWindow) -> None:
    assert window.audit_log_action.isEnabled()
    dialog = open_log(qtbot, window)
    window.lock()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)  # a lock closes it
    window.audit_log_dialog = None  # type: ignore[assignment]
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page,
                    timeout=WAIT_MS)
    assert not window.audit_log_action.isEnabled()
    window.show_audit_log()  # a stray call does nothing while locked
    assert getattr(window, "audit_log_dialog", None) is None
