"""Background tasks (sealing, opening) run at a lower CPU priority than the GUI thread.

The window's file jobs report progress; such tasks run on their own pool whose threads
have the nice value BACKGROUND_NICE on Linux (and every thread they start inherits it),
so that the event loop keeps up when sealing keeps the cores busy. Keybox calls and other
short tasks keep the default priority. Elsewhere it is a no-op.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from vaultapp.core import fileops
from vaultapp.core.keybox import Keybox
from vaultapp.gui import worker
from vaultapp.gui.controller import KeyboxController
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.worker import BACKGROUND_NICE, Task, lower_thread_priority, run_task

WAIT_MS = 15_000
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="per-thread nice values are a Linux feature")


def nice_of(tid: int | None = None) -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id() if tid is None else tid)


def run_and_wait(qtbot: QtBot, func: Any, **kwargs: Any) -> Any:
    results: list[Any] = []
    run_task(func, results.append, results.append, **kwargs)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    (result,) = results
    assert not isinstance(result, BaseException), result
    return result


@linux_only
def test_background_task_and_its_threads_run_at_lower_priority(qtbot: QtBot) -> None:
    def work(task: Task) -> tuple[int, int]:
        seen: list[int] = []
        child = threading.Thread(target=lambda: seen.append(nice_of()))
        child.start()
        child.join()
        return nice_of(), seen[0]

    own, child = run_and_wait(qtbot, work, on_progress=lambda _: None)
    assert own == child == max(BACKGROUND_NICE, nice_of())


@linux_only
def test_short_tasks_keep_the_default_priority(qtbot: QtBot) -> None:
    gui = nice_of()
    run_and_wait(qtbot, lambda t: nice_of(), on_progress=lambda _: None)  # a background one
    assert run_and_wait(qtbot, lambda t: nice_of()) == gui  # then a keybox-like one
    assert run_and_wait(qtbot, lambda t: nice_of(), background=False) == gui
    assert worker.background_pool() is not QThreadPool.globalInstance()


@linux_only
def test_an_already_lower_priority_is_kept() -> None:
    seen: list[tuple[bool, int]] = []

    def thread() -> None:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE + 5)
        seen.append((lower_thread_priority(), nice_of()))

    t = threading.Thread(target=thread)
    t.start()
    t.join()
    assert seen == [(True, BACKGROUND_NICE + 5)]


def test_lowering_is_a_noop_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("setpriority must not be called: a thread id is no pid here")

    monkeypatch.setattr(os, "setpriority", refuse, raising=False)
    for platform in ("darwin", "win32", "freebsd14"):
        monkeypatch.setattr(sys, "platform", platform)
        assert lower_thread_priority() is False


def test_lowering_refused_keeps_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError("not allowed in this sandbox")

    monkeypatch.setattr(os, "setpriority", refuse, raising=False)
    monkeypatch.setattr(os, "getpriority", lambda *args: 0, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert lower_thread_priority() is False


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, memory_keyring: object) -> MainWindow:
    url = f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    box = Keybox.create(url, use_keyring=True, passphrase=PASSPHRASE)
    box.create_profile("acme")
    box.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(KeyboxController(url), settings)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.vault_page
                    and win.key_model.rowCount() == 1, timeout=WAIT_MS)
    yield win
    win.activity.cancel_all()
    qtbot.waitUntil(lambda: not win.activity.busy(), timeout=2 * WAIT_MS)
    win.controller.close()


def thread_nices() -> dict[int, int]:
    out = {}
    for name in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):  # the thread ended meanwhile
            out[int(name)] = nice_of(int(name))
    return out


@linux_only
def test_window_seals_at_lower_priority_and_the_output_opens(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = set(thread_nices())
    seen: dict[str, Any] = {}
    real_seal, real_report = fileops.seal_file, Task.report

    def seal_file(*args: Any, **kwargs: Any) -> Any:
        seen["sealing"] = nice_of()
        return real_seal(*args, **kwargs)

    def report(self: Task, value: object) -> None:
        # while the file is sealed: every thread started for it, the engine's included
        seen.setdefault("started", {tid: n for tid, n in thread_nices().items()
                                    if tid not in before})
        real_report(self, value)

    monkeypatch.setattr(fileops, "seal_file", seal_file)
    monkeypatch.setattr(Task, "report", report)
    plain = tmp_path / "big.bin"
    data = os.urandom(3 << 20) + b"tail"  # several batches: the engine's writer thread runs
    plain.write_bytes(data)
    window.handle_files([plain])
    qtbot.waitUntil(lambda: bool(window.activity.jobs) and window.activity.jobs[0].ok is not None,
                    timeout=WAIT_MS)
    job = window.activity.jobs[0]
    assert job.ok, job.status
    assert seen["sealing"] == max(BACKGROUND_NICE, nice_of())
    assert seen["started"] and set(seen["started"].values()) == {seen["sealing"]}
    assert nice_of() == 0 or nice_of() < BACKGROUND_NICE  # the GUI thread is untouched

    plain.unlink()
    box = window.controller.lease()  # key access as a file job has it
    opened = fileops.open_file(tmp_path / "big.bin.vault", box)
    assert opened.output == plain and plain.read_bytes() == data


def test_a_finished_task_lets_go_of_what_its_function_captured(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Qt connections used to keep every finished task, and all its function captured
    (a large drop's path list), alive for good."""
    import gc
    import weakref

    from vaultapp.gui.worker import run_task

    class Payload:
        pass

    refs = []
    results = []
    for _ in range(5):
        payload = Payload()
        refs.append(weakref.ref(payload))
        run_task(lambda task, p=payload: p, on_done=lambda r: results.append(type(r).__name__))
        del payload
    qtbot.waitUntil(lambda: len(results) == 5, timeout=10_000)
    results.clear()
    qtbot.wait(50)  # let deleteLater run
    gc.collect()
    assert [r() for r in refs] == [None] * 5
