"""One way to run work off the GUI thread: `run_task(func, on_done, on_error)`.

The function runs on the global QThreadPool; its result or exception comes back on the
GUI thread through queued signals. A task may report progress through a plain callable
(`progress(done)`), which the GUI receives as a signal. Widgets are never touched from a
worker.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

REPORT_INTERVAL_S = 0.05


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class Task(QRunnable):
    """A function run on the pool; `cancel()` sets a flag the function may poll."""

    def __init__(self, func: Callable[[Task], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.func = func
        self.signals = TaskSignals()
        self._cancelled = threading.Event()
        self._last_report = 0.0

    def cancel(self) -> None:
        self._cancelled.set()

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def report(self, value: object) -> None:
        """Progress for the GUI, at most every REPORT_INTERVAL_S (a 2 GiB file would
        otherwise send thousands of signals, each taking the GIL on the GUI thread)."""
        now = time.monotonic()
        if now - self._last_report >= REPORT_INTERVAL_S:
            self._last_report = now
            self._emit(self.signals.progress, value)

    def run(self) -> None:
        try:
            result = self.func(self)
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.done, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        # The window (and with it the receiver) may be gone when the app is quitting.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


_running: set[Task] = set()


def run_task(
    func: Callable[[Task], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
) -> Task:
    """Run `func(task)` on the thread pool; callbacks run on the GUI thread."""
    task = Task(func)
    _running.add(task)

    def finished(_: object) -> None:
        _running.discard(task)

    if on_done is not None:
        task.signals.done.connect(on_done)
    if on_error is not None:
        task.signals.failed.connect(on_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    task.signals.done.connect(finished)
    task.signals.failed.connect(finished)
    QThreadPool.globalInstance().start(task)
    return task


def running_tasks() -> int:
    return len(_running)
