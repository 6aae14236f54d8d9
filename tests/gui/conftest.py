"""The window's tests run with the application's garbage collection: cycles are collected
on the GUI thread only (vaultapp/gui/collector.py), as `vaultapp` itself does, so that a
worker's collection never frees a Qt object (it crashed the process in shiboken)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from vaultapp.gui.collector import collect_on_gui_thread


@pytest.fixture(scope="session", autouse=True)
def collect_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    collector = collect_on_gui_thread(qapp)
    yield
    collector.stop()
