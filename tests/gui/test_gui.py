"""The real window under the offscreen platform, driven with pytest-qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from vaultapp.core.keybox import Keybox
from vaultapp.gui import dialogs
from vaultapp.gui.activity import (
    CANCEL,
    ActionsRole,
    Job,
    JobRole,
    NameRole,
    ProgressRole,
    StatusRole,
    StatusToolTipRole,
)
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.key_model import KeyTableModel
from vaultapp.gui.main_window import MainWindow

WAIT_MS = 15_000


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A modal dialog nobody answers would hang the test: fail loudly instead."""
    shown: list[str] = []

    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    monkeypatch.setattr(dialogs.ConflictDialog, "ask", classmethod(unexpected))
    monkeypatch.setattr(dialogs.ConfirmDestroyDialog, "ask", classmethod(unexpected))
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: shown.append(text)))
    return shown


@pytest.fixture
def keybox_url(tmp_path: Path, memory_keyring: object) -> str:
    url = f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    box = Keybox.create(url, use_keyring=True, passphrase=PASSPHRASE)
    box.create_profile("acme")
    box.close()
    return url


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, keybox_url: str) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(KeyboxController(keybox_url), settings)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page
                    and win.key_model.rowCount() == 1, timeout=WAIT_MS)
    yield win
    win.activity.cancel_all()
    try:
        qtbot.waitUntil(lambda: not win.activity.busy(), timeout=2 * WAIT_MS)
    except Exception as exc:  # say which job never finished
        states = [(j.path.name, j.ok, j.status) for j in win.activity.jobs]
        raise AssertionError(f"jobs still running at teardown: {states}") from exc
    win.controller.close()


def drop(widget: object, paths: list[Path]) -> None:
    """Send a real drag-enter and drop of file URLs (pytest-qt has no helper)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(20, 20)
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def wait_jobs(qtbot: QtBot, win: MainWindow, count: int) -> list[Job]:
    qtbot.waitUntil(lambda: len(win.activity.jobs) == count
                    and all(j.ok is not None for j in win.activity.jobs), timeout=WAIT_MS)
    return win.activity.jobs


# --- the activity list, read through its model and driven through its view -----------------

def data(win: MainWindow, job: Job, role: int) -> object:
    """What the activity model says of `job`'s row for `role`."""
    model = win.activity.model()
    (row,) = [r for r in range(model.rowCount()) if model.index(r).data(JobRole) is job]
    return model.index(row).data(role)


def status(win: MainWindow, job: Job) -> str:
    return str(data(win, job, StatusRole))


def row_name(win: MainWindow, job: Job) -> str:
    return str(data(win, job, NameRole))


def tooltip(win: MainWindow, job: Job) -> str:
    return str(data(win, job, Qt.ItemDataRole.ToolTipRole))


def status_tooltip(win: MainWindow, job: Job) -> str:
    return str(data(win, job, StatusToolTipRole))


def progress(win: MainWindow, job: Job) -> float:
    value = data(win, job, ProgressRole)
    return float(value) if isinstance(value, float) else 0.0


def shown_actions(win: MainWindow, job: Job) -> list[str]:
    """The buttons the row paints now (the delegate asks the model for the same list)."""
    actions = data(win, job, ActionsRole)
    assert isinstance(actions, list)
    return [a for a in actions if win.activity.button_rect(job, a) is not None]


def click(win: MainWindow, job: Job, action: str) -> None:
    """A real left click on the button the delegate paints for `action` in `job`'s row."""
    from PySide6.QtTest import QTest

    view = win.activity
    view.scrollTo(view.activity_model.index_of(job))
    rect = view.button_rect(job, action)
    assert rect is not None, f"no {action} button on {job.title}"
    assert view.viewport().rect().contains(rect.center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".vaultapp-*.tmp")]


def test_contract_object_names_and_accessibility(window: MainWindow) -> None:
    for name in ("dropZone", "profileList", "keyTable", "rotateKeyButton", "enableKeyButton",
                 "disableKeyButton", "destroyKeyButton", "activityList", "lockButton"):
        widget = window.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName(), name  # type: ignore[attr-defined]
    for button in window.vault_page.findChildren(QPushButton):
        assert button.text() or button.accessibleName()
        assert button.focusPolicy() != Qt.FocusPolicy.NoFocus


def test_drop_seals_then_drop_opens(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_bytes(b"meeting notes\n" * 1000)
    drop(window.drop_zone, [plain])
    (job,) = wait_jobs(qtbot, window, 1)
    assert job.ok, status(window, job)
    sealed = tmp_path / "notes.txt.vault"
    assert sealed.exists() and "Sealed" in status(window, job)
    original = plain.read_bytes()
    plain.unlink()
    drop(window.drop_zone, [sealed])
    jobs = wait_jobs(qtbot, window, 2)
    assert jobs[1].ok and plain.read_bytes() == original
    # the key table learns about the sealed file from the audit log
    qtbot.waitUntil(lambda: window.key_model.key_at(0) is not None
                    and window.key_model.key_at(0).files_sealed == 1, timeout=WAIT_MS)


def test_folder_drop_is_recursive(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "sub").mkdir(parents=True)
    for rel in ("a.txt", "sub/b.txt", "sub/c.bin"):
        (folder / rel).write_bytes(os.urandom(1000))
    drop(window.drop_zone, [folder])
    jobs = wait_jobs(qtbot, window, 3)
    assert all(j.ok for j in jobs)
    assert sorted(p.name for p in folder.rglob("*.vault")) == ["a.txt.vault", "b.txt.vault",
                                                               "c.bin.vault"]


@pytest.mark.parametrize("choice", [dialogs.ConflictDialog.KEEP_BOTH,
                                    dialogs.ConflictDialog.REPLACE,
                                    dialogs.ConflictDialog.SKIP])
def test_name_conflict_asks(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch, choice: str) -> None:
    plain = tmp_path / "data.csv"
    plain.write_bytes(b"1,2,3\n")
    existing = tmp_path / "data.csv.vault"
    existing.write_bytes(b"precious")
    asked: list[Path] = []
    monkeypatch.setattr(dialogs.ConflictDialog, "ask",
                        classmethod(lambda cls, parent, target: asked.append(target) or choice))
    drop(window.drop_zone, [plain])
    (job,) = wait_jobs(qtbot, window, 1)
    assert asked == [existing]
    if choice == dialogs.ConflictDialog.KEEP_BOTH:
        assert existing.read_bytes() == b"precious"
        assert (tmp_path / "data.csv (1).vault").exists()
    elif choice == dialogs.ConflictDialog.REPLACE:
        assert existing.read_bytes() != b"precious"
    else:
        assert existing.read_bytes() == b"precious" and "Skipped" in status(window, job)
    assert leftovers(tmp_path) == []


def test_cancel_mid_file_leaves_nothing(qtbot: QtBot, window: MainWindow,
                                        tmp_path: Path) -> None:
    big = tmp_path / "big.iso"
    with open(big, "wb") as f:
        f.truncate(4 << 30)  # sparse 4 GiB: sealing takes seconds
    drop(window.drop_zone, [big])
    qtbot.waitUntil(lambda: bool(window.activity.jobs)
                    and progress(window, window.activity.jobs[0]) > 0, timeout=WAIT_MS)
    click(window, window.activity.jobs[0], CANCEL)
    (job,) = wait_jobs(qtbot, window, 1)
    assert not job.ok and "Cancelled" in status(window, job)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("big")) == ["big.iso"]
    assert leftovers(tmp_path) == []


def _select(window: MainWindow, version: int) -> None:
    for row in range(window.key_model.rowCount()):
        key = window.key_model.key_at(row)
        if key is not None and key.version == version:
            window.key_table.selectRow(row)
            return
    raise AssertionError(f"no key version {version}")


def _state(window: MainWindow, version: int) -> str:
    for row in range(window.key_model.rowCount()):
        key = window.key_model.key_at(row)
        if key is not None and key.version == version:
            return key.state
    return "missing"


def test_key_buttons(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    window.rotate_button.click()
    qtbot.waitUntil(lambda: window.key_model.rowCount() == 2, timeout=WAIT_MS)
    assert window.key_model.key_at(0).primary and window.key_model.key_at(0).version == 2
    _select(window, 1)
    assert window.disable_button.isEnabled() and not window.enable_button.isEnabled()
    window.disable_button.click()
    qtbot.waitUntil(lambda: _state(window, 1) == "disabled", timeout=WAIT_MS)
    _select(window, 1)
    window.enable_button.click()
    qtbot.waitUntil(lambda: _state(window, 1) == "enabled", timeout=WAIT_MS)

    seen: list[int] = []

    def ask(cls: object, parent: object, key: object) -> dialogs.DestroyChoice:
        seen.append(key.files_sealed)  # type: ignore[attr-defined]
        return dialogs.DestroyChoice(7)

    monkeypatch.setattr(dialogs.ConfirmDestroyDialog, "ask", classmethod(ask))
    _select(window, 1)
    window.destroy_button.click()
    qtbot.waitUntil(lambda: _state(window, 1) == "pending_destruction", timeout=WAIT_MS)
    assert seen == [0]
    _select(window, 1)
    assert window.cancel_destroy_button.isEnabled()
    window.cancel_destroy_button.click()
    qtbot.waitUntil(lambda: _state(window, 1) == "disabled", timeout=WAIT_MS)
    monkeypatch.setattr(dialogs.ConfirmDestroyDialog, "ask",
                        classmethod(lambda cls, parent, key: dialogs.DestroyChoice(0)))
    _select(window, 1)
    window.destroy_button.click()
    qtbot.waitUntil(lambda: _state(window, 1) == "destroyed", timeout=WAIT_MS)


def test_destroy_dialog_states_consequence_and_count(qtbot: QtBot, window: MainWindow) -> None:
    key = window.key_model.key_at(0)
    assert key is not None
    dialog = dialogs.ConfirmDestroyDialog(window, key)
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(dialogs.QLabel))
    assert "can never be opened again" in text and "<b>0</b> file(s)" in text
    dialog.now.setChecked(True)
    assert dialog.choice() == dialogs.DestroyChoice(0)


def test_disabled_key_and_tampered_file_show_errors(qtbot: QtBot, window: MainWindow,
                                                    tmp_path: Path) -> None:
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"alpha")
    drop(window.drop_zone, [plain])
    wait_jobs(qtbot, window, 1)
    sealed = tmp_path / "a.txt.vault"
    data = bytearray(sealed.read_bytes())
    data[-1] ^= 1
    tampered = tmp_path / "tampered.vault"
    tampered.write_bytes(data)
    plain.unlink()
    drop(window.drop_zone, [tampered])
    jobs = wait_jobs(qtbot, window, 2)
    assert not jobs[1].ok and "tampered" in status(window, jobs[1])

    _select(window, 1)
    window.disable_button.click()
    qtbot.waitUntil(lambda: _state(window, 1) == "disabled", timeout=WAIT_MS)
    assert "cannot seal" in window.key_summary.text()
    drop(window.drop_zone, [sealed])
    jobs = wait_jobs(qtbot, window, 3)
    assert not jobs[2].ok and "disabled" in status(window, jobs[2])
    assert not plain.exists()
    other = tmp_path / "b.txt"
    other.write_bytes(b"beta")
    drop(window.drop_zone, [other])
    jobs = wait_jobs(qtbot, window, 4)
    assert not jobs[3].ok and "disabled" in status(window, jobs[3])
    assert leftovers(tmp_path) == []


def test_first_run_creates_keybox(qtbot: QtBot, tmp_path: Path, memory_keyring: object) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(KeyboxController(url), settings)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.setup_page, timeout=WAIT_MS)
    page = win.setup_page
    qtbot.waitUntil(lambda: page.use_keyring.isEnabled() and page.use_keyring.isChecked(),
                    timeout=WAIT_MS)
    page.passphrase.setText("short")
    assert not page.hint.ok  # too weak (tests/gui/test_gui_unlock.py checks the words)
    page.repeat.setText("different")
    assert not page.create_button.isEnabled()
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    assert page.create_button.isEnabled()
    page.create_button.click()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page
                    and win.key_model.rowCount() == 1, timeout=WAIT_MS)
    kinds = sorted(s.kind for s in win.controller.executor.call(
        lambda: win.controller.keybox().slots()))
    assert kinds == ["keyring", "passphrase"]
    win.controller.close()


def test_key_model_passes_modeltester(qtmodeltester: object, window: MainWindow) -> None:
    window.rotate_button.click()
    model = KeyTableModel()
    model.set_keys(window.all_keys)
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_key_model_fetches_lazily(qtbot: QtBot) -> None:
    from datetime import UTC, datetime

    from vaultapp.core.keybox.models import KeyInfo

    now = datetime.now(UTC)
    keys = [KeyInfo(f"{i:032x}", "big", "p" * 32, i, "enabled", i == 10_000, now, None, None,
                    None, 0) for i in range(1, 10_001)]
    model = KeyTableModel()
    model.set_keys(keys)
    assert model.total() == 10_000 and model.rowCount() == 200
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 400


def test_single_instance_hands_files_over(qtbot: QtBot, window: MainWindow,
                                          tmp_path: Path) -> None:
    from vaultapp.gui.app import InstanceServer, hand_over

    name = f"vaultapp-test-{os.getpid()}"
    server = InstanceServer(name)
    server.files_received.connect(window.handle_files)
    plain = tmp_path / "handed.txt"
    plain.write_bytes(b"from a second launch")
    assert hand_over(name, [plain])
    # Wait for the whole job (its audit-log row comes after the file), not just the file:
    # a job still running when the test ends outlives the window pytest-qt deletes.
    (job,) = wait_jobs(qtbot, window, 1)
    assert job.ok and (tmp_path / "handed.txt.vault").exists()
    assert not hand_over(f"vaultapp-nobody-{os.getpid()}", [plain], timeout_ms=100)


def test_file_open_events_become_dropped_files(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path) -> None:
    """macOS sends double-clicked files as QFileOpenEvent: they are handled as dropped."""
    from PySide6.QtGui import QFileOpenEvent

    from vaultapp.gui.app import FileOpenEvents

    app = QApplication.instance()
    opener = FileOpenEvents(app)
    opener.files_received.connect(window.handle_files)
    plain = tmp_path / "finder.txt"
    plain.write_bytes(b"double-clicked")
    QApplication.sendEvent(app, QFileOpenEvent(str(plain)))
    (job,) = wait_jobs(qtbot, window, 1)  # the whole job, as above
    assert job.ok and (tmp_path / "finder.txt.vault").exists()
    app.removeEventFilter(opener)


def test_remove_originals_only_after_verified_seal(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path) -> None:
    window.settings = dialogs.Settings(remove_originals=True)
    plain = tmp_path / "secret.doc"
    plain.write_bytes(b"to be removed once sealed")
    drop(window.drop_zone, [plain])
    (job,) = wait_jobs(qtbot, window, 1)
    assert job.ok and "original removed" in status(window, job)
    assert not plain.exists()
    sealed = tmp_path / "secret.doc.vault"
    drop(window.drop_zone, [sealed])
    wait_jobs(qtbot, window, 2)
    assert plain.read_bytes() == b"to be removed once sealed"


def test_output_folder_setting(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "sealed-here"
    out.mkdir()
    dialog = dialogs.SettingsDialog(window, dialogs.Settings())
    qtbot.addWidget(dialog)
    assert dialog.beside.isChecked() and not dialog.folder.isEnabled()
    dialog.into.setChecked(True)
    dialog.folder.setText(str(out))
    window.settings = dialog.settings()
    assert window.settings.output_folder == str(out)
    plain = tmp_path / "report.txt"
    plain.write_bytes(b"r")
    drop(window.drop_zone, [plain])
    wait_jobs(qtbot, window, 1)
    assert (out / "report.txt.vault").exists() and not (tmp_path / "report.txt.vault").exists()


def test_rewrap_from_the_window(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from vaultapp.core import fileops

    plain = tmp_path / "old.txt"
    plain.write_bytes(b"sealed under version 1")
    drop(window.drop_zone, [plain])
    wait_jobs(qtbot, window, 1)
    sealed = tmp_path / "old.txt.vault"
    v1 = fileops.inspect_file(sealed).stanzas[0].key_id
    window.rotate_button.click()
    qtbot.waitUntil(lambda: window.key_model.rowCount() == 2, timeout=WAIT_MS)
    window.handle_files([sealed], mode="rewrap")
    jobs = wait_jobs(qtbot, window, 2)
    assert jobs[1].ok, status(window, jobs[1])
    v2 = fileops.inspect_file(sealed).stanzas[0].key_id
    assert v2 != v1 and v2.hex() == window.key_model.key_at(0).key_id


def test_window_notices_changes_from_another_process(qtbot: QtBot, window: MainWindow,
                                                     keybox_url: str) -> None:
    other = Keybox.open(keybox_url)
    other.unlock(PASSPHRASE)
    other.rotate("acme")
    other.close()
    window.poll_timer.setInterval(100)
    qtbot.waitUntil(lambda: window.key_model.rowCount() == 2, timeout=WAIT_MS)
