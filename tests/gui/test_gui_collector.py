"""Cycles are collected on the GUI thread only (vaultapp/gui/collector.py): garbage a
worker makes is freed by the GUI thread's timer, never by the worker's own allocations."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from vaultapp.gui.collector import GuiThreadCollector, collect_on_gui_thread
from vaultapp.gui.worker import run_task


class Cycle:
    """Half of a reference cycle that says on which thread it was freed."""

    freed_on: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.other: object = [self]

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.get_ident())


def test_the_collector_is_installed_once_and_turns_automatic_collection_off(
        qapp: QApplication) -> None:
    collector = collect_on_gui_thread(qapp)  # the conftest installed it for every test
    assert collect_on_gui_thread(qapp) is collector
    assert qapp.findChildren(GuiThreadCollector) == [collector]
    assert not gc.isenabled() and collector.timer.isActive()


def test_cycles_made_on_a_worker_are_freed_on_the_gui_thread(qtbot: QtBot,
                                                             qapp: QApplication) -> None:
    collector = collect_on_gui_thread(qapp)
    gc.collect()
    Cycle.freed_on.clear()

    made = 2 * gc.get_threshold()[0]  # past the threshold: the interpreter would collect

    def make_garbage(task: object) -> int:
        for _ in range(made):
            Cycle()
        return made

    # The GUI thread's timer waits while the worker runs: a collection in the middle
    # could leave the rest below the threshold, where the interpreter too would wait.
    collector.timer.stop()
    try:
        with qtbot.waitCallback() as done:
            run_task(make_garbage, done)
        assert Cycle.freed_on == []  # the worker's allocations collected nothing
    finally:
        collector.start()
    gui_thread = threading.get_ident()
    qtbot.waitUntil(lambda: len(Cycle.freed_on) == made, timeout=5000)
    assert set(Cycle.freed_on) == {gui_thread}  # the GUI thread's timer did
    assert collector.timer.isActive()


def test_check_collects_only_once_a_threshold_is_crossed(qapp: QApplication) -> None:
    collector = collect_on_gui_thread(qapp)
    gc.collect()
    Cycle.freed_on.clear()
    Cycle()
    assert collector.check() == 0 and Cycle.freed_on == []  # below the threshold: later
    for _ in range(collector.thresholds[0] + 1):
        Cycle()
    assert collector.check() > 0
    assert len(Cycle.freed_on) == collector.thresholds[0] + 2
