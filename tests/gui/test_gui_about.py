"""Help → About vaultapp: version, keybox location, licence, toolkit and Python versions,
and where the user guide is."""

from __future__ import annotations

import platform
import tomllib
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.gui.feature_fixtures import (
    WAIT_MS,
    keybox_url,
    missing_accessible_names,
    shown,
    window,
)
from vaultapp import __version__
from vaultapp.gui import about_dialog
from vaultapp.gui.about_dialog import AboutDialog
from vaultapp.gui.main_window import MainWindow

FIXTURES = (keybox_url, shown, window)  # pytest finds these fixtures by their names here

ROOT = Path(__file__).resolve().parents[2]


def open_about(qtbot: QtBot, win: MainWindow) -> AboutDialog:
    help_menu = [a.menu() for a in win.menuBar().actions() if a.text() == "&Help"]
    assert help_menu and win.about_action in help_menu[0].actions()
    win.about_action.trigger()
    dialog = win.about_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def test_about_names_version_keybox_licence_and_versions(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    dialog = open_about(qtbot, window)
    assert dialog.windowTitle() == "About vaultapp"
    assert dialog.version.text() == __version__
    assert dialog.location.text() == window.controller.location
    assert Path(window.controller.location).name == "keybox.sqlite"
    assert dialog.qt.text() == f"Qt {qVersion()}, PySide6 {PySide6.__version__}"
    assert dialog.python.text() == \
        f"{platform.python_implementation()} {platform.python_version()}"


def test_the_licence_is_the_one_the_project_declares() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert about_dialog.LICENCE == project["license"]["text"] == "MIT"


def test_the_user_guide_link_points_at_the_guide(qtbot: QtBot, window: MainWindow) -> None:
    guide = ROOT / "docs" / "USER-GUIDE.md"
    assert about_dialog.user_guide() == guide
    dialog = open_about(qtbot, window)
    text = dialog.docs.text()
    assert f'href="{QUrl.fromLocalFile(str(guide)).toString()}"' in text
    assert dialog.docs.openExternalLinks()
    assert dialog.docs.accessibleName() == "Open the user guide"


def test_without_the_source_tree_it_says_where_the_guide_is(qtbot: QtBot,
                                                            monkeypatch: object) -> None:
    monkeypatch.setattr(about_dialog, "user_guide", lambda: None)  # type: ignore[attr-defined]
    dialog = AboutDialog(None, "/somewhere/keybox.sqlite")
    qtbot.addWidget(dialog)
    assert dialog.docs.text() == ("The user guide, USER-GUIDE.md, is in the docs folder of "
                                  "vaultapp's source.")


def test_about_keyboard_names_and_size(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_about(qtbot, window)
    assert missing_accessible_names(dialog) == []
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None, timeout=WAIT_MS)
    assert dialog.focusWidget().text() == "Close"  # type: ignore[attr-defined]
    screen = dialog.screen().availableGeometry()
    assert dialog.sizeHint().width() <= screen.width()
    for label in (dialog.version, dialog.location, dialog.licence, dialog.qt, dialog.python):
        assert label.textFormat() == Qt.TextFormat.PlainText  # stored text is never markup
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # Enter closes
    assert not dialog.isVisible()
    dialog = open_about(qtbot, window)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # so does Esc
    assert not dialog.isVisible()


def test_about_while_locked(qtbot: QtBot, window: MainWindow) -> None:
    window.lock()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page,
                    timeout=WAIT_MS)
    assert window.about_action.isEnabled()
    assert open_about(qtbot, window).version.text() == __version__
