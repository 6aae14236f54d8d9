"""Fixtures and helpers of the window's keybox-feature tests (audit log, maintenance,
profiles, About): the real window offscreen over a real keybox on disk.

Import the fixtures into a test module (`from tests.gui.feature_fixtures import window,
...  # noqa: F401`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from vaultapp.core.keybox import Keybox
from vaultapp.gui import dialogs
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.main_window import MainWindow

WAIT_MS = 15_000


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes the window showed, (kind, text), instead of showing them; a
    question nobody expected fails the test."""
    seen: list[tuple[str, str]] = []

    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    monkeypatch.setattr(dialogs.ConflictDialog, "ask", classmethod(unexpected))
    monkeypatch.setattr(dialogs.ConfirmDestroyDialog, "ask", classmethod(unexpected))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda parent, title, text, *a: seen.append(("warning", text))))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(
        lambda parent, title, text, *a: seen.append(("information", text))))
    return seen


@pytest.fixture
def keybox_url(tmp_path: Path, memory_keyring: object) -> str:
    url = f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    box = Keybox.create(url, use_keyring=True, passphrase=PASSPHRASE)
    box.create_profile("acme")
    box.close()
    return url


def open_window(qtbot: QtBot, tmp_path: Path, url: str, keys: int = 1) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(KeyboxController(url), settings)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page
                    and win.key_model.rowCount() == keys, timeout=WAIT_MS)
    return win


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, keybox_url: str,
           shown: list[tuple[str, str]]) -> Iterator[MainWindow]:
    win = open_window(qtbot, tmp_path, keybox_url)
    yield win
    win.activity.cancel_all()
    qtbot.waitUntil(lambda: not win.activity.busy(), timeout=2 * WAIT_MS)
    win.controller.close()


def on_executor(win: MainWindow, func: Callable[[Keybox], object]) -> object:
    """Run `func(keybox)` on the window's executor and wait (from the test thread)."""
    return win.controller.executor.call(lambda: func(win.controller.keybox()))


def idle(qtbot: QtBot, win: MainWindow) -> None:
    """Wait until the executor has run everything queued so far and its results were
    delivered to the GUI thread."""
    done: list[bool] = []
    win.controller.run(lambda t: None, lambda _: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)


# --- accessibility, inline (tests/gui/a11y.py of the keyboard work may replace these) ------

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QCheckBox,
               QAbstractItemView)


def missing_accessible_names(root: QWidget) -> list[str]:
    """Visible interactive widgets under `root` without an accessible name (a line edit
    inside a combo or spin box is named through it; a table's header is part of the
    table, which screen readers name)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisible() or \
                isinstance(widget, QHeaderView):
            continue
        if isinstance(widget, QLineEdit) and \
                isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
            continue
        if not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} "
                           f"{getattr(widget, 'text', lambda: '')()!r}")
    return missing


def focus_chain(root: QWidget) -> list[QWidget]:
    """The widgets Tab visits under `root`, from the first, once round."""
    first = root.focusWidget() or root
    chain: list[QWidget] = []
    widget = first.nextInFocusChain()
    for _ in range(500):
        if widget is first:
            break
        if (widget.isVisible() and widget.isEnabled() and root.isAncestorOf(widget)
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.focusProxy() is None):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    if first is not root:
        chain.insert(0, first)
    return chain


def press(widget: QWidget, key: Qt.Key) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, key)
    QApplication.processEvents()
