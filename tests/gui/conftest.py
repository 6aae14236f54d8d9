"""The window's tests run with the application's garbage collection: cycles are collected
on the GUI thread only (vaultapp/gui/collector.py), as `vaultapp` itself does, so that a
worker's collection never frees a Qt object (it crashed the process in shiboken)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from vaultapp.gui import i18n
from vaultapp.gui.collector import collect_on_gui_thread


@pytest.fixture(scope="session", autouse=True)
def collect_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    collector = collect_on_gui_thread(qapp)
    yield
    collector.stop()


@pytest.fixture
def language(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    """install(code) for the test; English and the locale the test found, afterwards."""
    saved = QLocale()

    def use(code: str) -> None:
        assert i18n.install(qapp, code), code

    yield use
    i18n.install(qapp, i18n.SOURCE_LANGUAGE)
    QLocale.setDefault(saved)
