"""One way to run work off the GUI thread: `run_task(func, on_done, on_error)`.

The function runs on a QThreadPool; its result or exception comes back on the GUI thread
through queued signals. A task may report progress through a plain callable
(`progress(done)`), which the GUI receives as a signal. Widgets are never touched from a
worker.

Tasks that report progress are the long ones (sealing, opening, verifying files). They run
as *background* tasks: on a pool of their own whose threads have a lower CPU priority
(Linux), so that when the cores are busy the scheduler runs the GUI thread first and the
event loop keeps up (benchmarks/README.md, event-loop row). Short tasks (keybox calls)
keep the default priority on the global pool.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

REPORT_INTERVAL_S = 0.05
BACKGROUND_NICE = 10
"""Nice value of background task threads (Linux; 0 is the default, 19 the lowest).

On a contended core a nice-10 thread gets about a tenth of the share of a default one,
so the GUI thread runs soon after it wakes; when the GUI thread is idle, the workers
still get every cycle.
"""


_TRUE_IS_MORTAL = sys.version_info < (3, 12)


def emit(signal: Any, *args: object) -> None:
    """`signal.emit(*args)`, working around a PySide6 6.12 reference-count bug.

    `SignalInstance.emit()` returns True without taking a new reference to it, so every
    call gives up one reference to True that was never ours. On Python 3.11, where True
    is not immortal, a long session (thousands of progress reports) then aborts with
    "Fatal Python error: bool_dealloc" (tests/test_gui_emit.py reproduces it). Giving the
    reference back keeps the count right; should a later PySide6 return a proper
    reference, this only leaves an extra reference on True, which is never freed anyway.
    Every emit in the window goes through here.
    """
    result = signal.emit(*args)
    if _TRUE_IS_MORTAL and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))


def lower_thread_priority(nice: int | None = None) -> bool:
    """Give the calling thread (and the threads it starts later, which inherit it) the
    nice value `nice` (default BACKGROUND_NICE), unless it already has a lower priority.
    Linux only: there setpriority() with a thread id changes that one thread; elsewhere
    a thread id is not a process id, so this does nothing. Returns whether the thread
    now runs at `nice` or lower priority.
    """
    nice = BACKGROUND_NICE if nice is None else nice
    if not sys.platform.startswith("linux") or nice <= 0:
        return False
    try:
        tid = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, tid) < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
    except (OSError, AttributeError):  # a sandbox that forbids it: keep the default
        return False
    return True


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class Task(QRunnable):
    """A function run on a pool; `cancel()` sets a flag the function may poll.

    A background task lowers its thread's priority before it starts (see above).
    """

    def __init__(self, func: Callable[[Task], Any], background: bool = False) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.func = func
        self.background = background
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
        if self.background:
            lower_thread_priority()
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
            emit(signal, value)


_running: set[Task] = set()


def _finished_func(task: Task) -> None:
    """What a finished task holds instead of its function."""
_background_pool: QThreadPool | None = None


def background_pool() -> QThreadPool:
    """The pool of background tasks. Its threads are kept apart from the global pool
    because their priority, once lowered, stays lowered: an unprivileged thread may not
    raise it again. The application waits for them before it quits, as for the global
    pool, since a cancelled job still removes its temporary file.
    """
    global _background_pool
    if _background_pool is None or not shiboken6.isValid(_background_pool):
        app = QCoreApplication.instance()
        pool = QThreadPool(app)  # owned by the application, deleted (and waited for) with it
        if app is not None:
            app.aboutToQuit.connect(lambda: pool.waitForDone(30_000))
        _background_pool = pool
    return _background_pool


def run_task(
    func: Callable[[Task], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    background: bool | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Run `func(task)` on a worker thread; callbacks run on the GUI thread.

    `background` (default: whether progress is reported) runs it at lower CPU priority
    on the background pool (see the module docstring); `pool` chooses another pool (the
    keybox's serial executor).
    """
    if background is None:
        background = on_progress is not None
    task = Task(func, background)
    _running.add(task)

    def finished(_: object) -> None:
        # Qt's connections keep the task's callbacks (and this closure, and so the task)
        # alive in a cycle Python cannot see: let go of the work and its connections, or
        # every finished task would keep what its function captured forever.
        _running.discard(task)
        task.func = _finished_func
        task.signals.deleteLater()

    if on_done is not None:
        task.signals.done.connect(on_done)
    if on_error is not None:
        task.signals.failed.connect(on_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    task.signals.done.connect(finished)
    task.signals.failed.connect(finished)
    if pool is None:
        pool = background_pool() if background else QThreadPool.globalInstance()
    pool.start(task)
    return task


def running_tasks() -> int:
    return len(_running)


def alive(widget: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """`callback`, skipped when `widget` was closed and deleted before the work it waits
    for came back (from the executor or a worker)."""
    def call(value: Any) -> None:
        if shiboken6.isValid(widget):
            callback(value)

    return call
