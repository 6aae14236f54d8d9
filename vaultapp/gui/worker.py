"""One way to run work off the GUI thread: `run_task(func, on_done, on_error)`.

The function runs on the global QThreadPool; its result or exception comes back on the
GUI thread through queued signals. A task may report progress through a plain callable
(`progress(done)`), which the GUI receives as a signal. Widgets are never touched from a
worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


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

    def cancel(self) -> None:
        self._cancelled.set()

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def report(self, value: object) -> None:
        self.signals.progress.emit(value)

    def run(self) -> None:
        try:
            result = self.func(self)
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


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
