"""The activity list as a Qt model and view: the model's contract, the delegate's painted
buttons, and the same actions from the keyboard and the context menu.

The real window under the offscreen platform (fixtures and helpers from test_gui).
"""

# The window's fixtures from test_gui are imported under their own names, and the tests
# take them as arguments of those names: that is how pytest finds them (hence no F811).
# ruff: noqa: F811

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QContextMenuEvent, QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from vaultapp.core.format import MAGIC
from vaultapp.gui.activity import (
    CANCEL,
    DETAILS,
    FAILED,
    OK,
    SHOW,
    ActionsRole,
    ActivityList,
    ActivityModel,
    Job,
    JobRole,
    StateRole,
)
from vaultapp.gui.main_window import MainWindow

from .test_gui import (  # noqa: F401  (fixtures, found by pytest under these names)
    click,
    drop,
    keybox_url,
    no_unexpected_dialogs,
    progress,
    shown_actions,
    status,
    wait_jobs,
    window,
)


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Show in folder, without a file manager: the folders it would open."""
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: urls.append(QUrl(url).toLocalFile()) or True))
    return urls


def big_file(folder: Path) -> Path:
    big = folder / "big.iso"
    with open(big, "wb") as f:
        f.truncate(4 << 30)  # sparse 4 GiB: sealing takes seconds
    return big


def test_model_passes_qtmodeltester(qtmodeltester: object, qtbot: QtBot,
                                    tmp_path: Path) -> None:
    model = ActivityModel()
    qtmodeltester.check(model)  # type: ignore[attr-defined]  # empty
    jobs = [Job([tmp_path / "a.txt"], None, None),
            Job([tmp_path / f"{i}.bin" for i in range(30)], None, None),
            Job([tmp_path / "c.txt"], None, None)]
    for job in jobs:
        model.add(job)
    jobs[0].set_result("Sealed → a.txt.vault", True)
    jobs[2].set_result("the file is tampered", False)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 3
    assert [model.index(r).data(JobRole) for r in range(3)] == jobs
    assert [model.index(r).data(StateRole) for r in range(3)] == [OK, "running", FAILED]
    first = model.index(0)
    assert first.data(Qt.ItemDataRole.DisplayRole) == "a.txt: Sealed → a.txt.vault"
    assert first.data(Qt.ItemDataRole.AccessibleTextRole) == "a.txt: Sealed → a.txt.vault"
    assert model.index(1).data(ActionsRole) == [CANCEL]
    assert "0.bin" in model.index(1).data(Qt.ItemDataRole.ToolTipRole)


def test_model_says_when_a_row_changed(qtbot: QtBot, tmp_path: Path) -> None:
    model = ActivityModel()
    job = Job([tmp_path / "a.txt"], None, None)
    model.add(job)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        job.set_result("Sealed → a.txt.vault", True)
    assert blocker.args[0].row() == 0 and blocker.args[1].row() == 0


def test_activity_is_a_list_view_with_a_delegate(window: MainWindow) -> None:
    from PySide6.QtWidgets import QListView, QStyledItemDelegate

    view = window.activity
    assert isinstance(view, QListView) and view.objectName() == "activityList"
    assert view.accessibleName() == "Activity"
    assert isinstance(view.itemDelegate(), QStyledItemDelegate)
    assert view.model() is view.activity_model
    assert view.focusPolicy() != Qt.FocusPolicy.NoFocus


def test_keyboard_cancels_and_shows_in_folder(qtbot: QtBot, window: MainWindow,
                                             tmp_path: Path, opened_urls: list[str]) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_bytes(b"notes")
    drop(window.drop_zone, [plain])
    (done,) = wait_jobs(qtbot, window, 1)
    drop(window.drop_zone, [big_file(tmp_path)])
    qtbot.waitUntil(lambda: len(window.activity.jobs) == 2
                    and progress(window, window.activity.jobs[1]) > 0, timeout=15_000)
    view = window.activity
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # a finished job: nothing to cancel
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened_urls == [str(tmp_path)]
    running = window.activity.jobs[1]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.current_job() is running
    qtbot.keyClick(view, Qt.Key.Key_Return)  # nothing to show yet
    assert opened_urls == [str(tmp_path)]
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    jobs = wait_jobs(qtbot, window, 2)
    assert done.ok and not jobs[1].ok and "Cancelled" in status(window, jobs[1])
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("big")) == ["big.iso"]


def test_mouse_clicks_the_painted_buttons(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                          opened_urls: list[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    plain = tmp_path / "report.txt"
    plain.write_bytes(b"r")
    window.settings = window.settings.__class__(output_folder=str(out))
    drop(window.drop_zone, [plain])
    (job,) = wait_jobs(qtbot, window, 1)
    assert job.ok and shown_actions(window, job) == [SHOW]
    click(window, job, SHOW)
    assert opened_urls == [str(out)]
    # a click beside the buttons selects the row and runs nothing
    from PySide6.QtTest import QTest

    rect = window.activity.visualRect(window.activity.model().index(0, 0))
    QTest.mouseClick(window.activity.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(rect.left() + 20, rect.center().y()))
    assert opened_urls == [str(out)] and window.activity.current_job() is job


def test_context_menu_offers_the_actions_that_apply(qtbot: QtBot, window: MainWindow,
                                                    tmp_path: Path, opened_urls: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    many = tmp_path / "many"
    many.mkdir()
    for i in range(25):
        (many / f"f{i:02d}.bin").write_bytes(os.urandom(100))
    (many / "zz-bad.vault").write_bytes(MAGIC + os.urandom(200))  # not really sealed
    drop(window.drop_zone, [many])
    (job,) = wait_jobs(qtbot, window, 1)
    assert not job.ok and shown_actions(window, job) == [DETAILS, SHOW]
    view = window.activity
    menu = view.menu_for(job)
    enabled = {a.data(): a.isEnabled() for a in menu.actions()}
    assert enabled == {CANCEL: False, DETAILS: True, SHOW: True}
    chosen: list[str] = []

    def choose(menu: QMenu, where: QPoint) -> str:
        chosen.append(",".join(a.text() for a in menu.actions()))
        return DETAILS

    monkeypatch.setattr(ActivityList, "choose", staticmethod(choose))
    view.setCurrentIndex(view.model().index(0, 0))
    # the context-menu key (keyboard reason), then a right click (mouse reason)
    QApplication.sendEvent(view, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard,
                                                   QPoint(5, 5), view.mapToGlobal(QPoint(5, 5))))
    assert chosen == ["Cancel,Details,Show in folder"]
    assert job.details is not None and job.details.isVisible()
    assert "zz-bad.vault" in job.details.text.toPlainText()
    job.details.reject()
    monkeypatch.setattr(ActivityList, "choose", staticmethod(lambda menu, where: SHOW))
    center = view.visualRect(view.model().index(0, 0)).center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, center, view.viewport().mapToGlobal(center)))
    assert opened_urls == [str(many)]
    qtbot.keyClick(view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)  # the menu again
    assert opened_urls == [str(many)] * 2


def test_rows_paint(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """The delegate paints finished, failed and running rows without error (the picture
    itself is docs/screenshots/activity-model.png)."""
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"a")
    bad = tmp_path / "bad.vault"
    bad.write_bytes(MAGIC + bytes(100))
    drop(window.drop_zone, [plain])
    wait_jobs(qtbot, window, 1)  # (two drops at once may add their rows in either order)
    drop(window.drop_zone, [bad])
    jobs = wait_jobs(qtbot, window, 2)
    assert jobs[0].ok and not jobs[1].ok
    image = window.activity.grab().toImage()
    assert not image.isNull() and image.width() > 0
