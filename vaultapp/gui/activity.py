"""File jobs shown in the activity list: plan, ask about conflicts, run, report.

A job first *plans* on a worker (is the file sealed? where will the output go? does it
exist?), asks the person on the GUI thread when the output name is taken (keep both /
replace / skip), then *runs* on a worker with progress and cancel. Sealed files are
opened; everything else is sealed with the selected profile.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core import fileops
from vaultapp.core import format as fmt
from vaultapp.core.errors import CancelledError, VaultError

from .dialogs import ConflictDialog
from .worker import Task, run_task

SEAL, OPEN, REWRAP = "seal", "open", "rewrap"


def is_sealed_file(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(fmt.MAGIC)) == fmt.MAGIC


def free_name(target: Path) -> Path:
    """'name (1).ext', 'name (2).ext', ... : the first that does not exist."""
    stem, suffix = target.name, ""
    if "." in target.name[1:]:
        stem, _, ext = target.name.rpartition(".")
        suffix = "." + ext
    n = 1
    while True:
        candidate = target.with_name(f"{stem} ({n}){suffix}")
        if not os.path.lexists(candidate):
            return candidate
        n += 1


@dataclass
class Plan:
    mode: str
    target: Path | None
    exists: bool
    size: int


class ActivityRow(QWidget):
    """One file in the activity list: name, progress, speed, result, actions."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLabel(path.name)
        self.name.setToolTip(str(path))
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.status = QLabel(self.tr("Waiting…"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setAccessibleName(self.tr("Progress of {0}").format(path.name))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel {0}").format(path.name))
        self.show_button = QPushButton(self.tr("Show in folder"))
        self.show_button.setAccessibleName(self.tr("Show {0} in its folder").format(path.name))
        self.show_button.hide()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.name)
        text.addWidget(self.status)
        text.addWidget(self.bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addLayout(text, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.show_button)

    def set_result(self, text: str, ok: bool) -> None:
        self.status.setText(text)
        colour = "#2e7d32" if ok else "#c62828"
        self.status.setStyleSheet(f"color: {colour};")
        self.bar.hide()
        self.cancel_button.hide()


class FileJob(QObject):
    """Seal, open or rewrap one file, with its row in the activity list."""

    finished = Signal(object)

    def __init__(self, path: Path, controller: Any, profile: str | None,
                 remove_originals: bool = False, mode: str | None = None,
                 output_folder: Path | None = None) -> None:
        super().__init__()
        self.path = path
        self.controller = controller
        self.profile = profile
        self.remove_originals = remove_originals
        self.forced_mode = mode
        self.output_folder = output_folder
        self.row = ActivityRow(path)
        self.row.cancel_button.clicked.connect(self.cancel)
        self.row.show_button.clicked.connect(self.show_in_folder)
        self.task: Task | None = None
        self.output: Path | None = None
        self.ok: bool | None = None
        self.cancelled = False
        self._started = 0.0

    # --- steps ---

    def start(self) -> None:
        self.row.status.setText(self.tr("Preparing…"))
        self.task = run_task(self._plan, self._planned, self._failed)

    def _plan(self, task: Task) -> Plan:
        size = self.path.stat().st_size
        if self.forced_mode == REWRAP:
            return Plan(REWRAP, None, False, size)
        if is_sealed_file(self.path):
            meta = fileops.read_metadata(self.path, self.controller.keybox())
            target = fileops.open_output_path(self.path, self.output_folder, meta)
            return Plan(OPEN, target, os.path.lexists(target), size)
        target = fileops.seal_output_path(self.path, self.output_folder)
        return Plan(SEAL, target, os.path.lexists(target), size)

    def _planned(self, plan: Plan) -> None:
        if self.cancelled:
            self._finish(self.tr("Cancelled; nothing was written"), False)
            return
        force = False
        target = plan.target
        if plan.exists and target is not None:
            choice = ConflictDialog.ask(self.row, target)
            if choice == ConflictDialog.SKIP or choice is None:
                self._finish(self.tr("Skipped: {0} already exists").format(target.name), True)
                return
            if choice == ConflictDialog.KEEP_BOTH:
                target = free_name(target)
            else:
                force = True
        verb = {SEAL: self.tr("Sealing"), OPEN: self.tr("Opening"),
                REWRAP: self.tr("Rewrapping")}[plan.mode]
        self.row.status.setText(f"{verb}…")
        self._started = time.monotonic()
        self._size = max(plan.size, 1)
        self.task = run_task(lambda task: self._run(task, plan.mode, target, force),
                             self._done, self._failed, self._progress)

    def _run(self, task: Task, mode: str, target: Path | None, force: bool) -> tuple[str, Path]:
        box = self.controller.keybox()
        progress = task.report
        cancel = task.is_cancelled
        if mode == SEAL:
            self.profile = box.default_profile(self.profile)
            recipient = box.recipient(self.profile)
            result = fileops.seal_file(self.path, [recipient], output=target, force=force,
                                       progress=progress, cancel=cancel)
            box.record_sealed(recipient.key_id, 1, self.profile)
            assert result.output is not None
            if self.remove_originals:
                # Re-open and authenticate the sealed file before the original goes.
                fileops.verify_file(result.output, box, cancel=cancel)
                self.path.unlink()
            return mode, result.output
        if mode == OPEN:
            result = fileops.open_file(self.path, box, output=target, force=force,
                                       progress=progress, cancel=cancel)
            assert result.output is not None
            return mode, result.output
        box.rewrap_file(self.path)
        return mode, self.path

    def _progress(self, done: object) -> None:
        assert isinstance(done, int)
        fraction = done / self._size
        self.row.bar.setValue(int(1000 * min(fraction, 1.0)))
        elapsed = max(time.monotonic() - self._started, 1e-3)
        speed = done / elapsed / 1e6
        self.row.status.setText(self.tr("{0}% · {1:.0f} MB/s").format(int(100 * fraction), speed))

    def _done(self, result: tuple[str, Path]) -> None:
        mode, output = result
        self.output = output
        words = {SEAL: self.tr("Sealed → {0}"), OPEN: self.tr("Opened → {0}"),
                 REWRAP: self.tr("Rewrapped to the current key")}
        text = words[mode].format(output.name)
        if mode == SEAL and self.remove_originals:
            text += self.tr(" (original removed)")
        self._finish(text, True)
        self.row.show_button.show()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self._finish(self.tr("Cancelled; nothing was written"), False)
        elif isinstance(exc, VaultError):
            self._finish(str(exc), False)
        elif isinstance(exc, OSError):
            self._finish(self.tr("Cannot read {0}: {1}").format(self.path, exc.strerror), False)
        else:
            self._finish(self.tr("Unexpected error: {0}").format(type(exc).__name__), False)
            raise exc

    def _finish(self, text: str, ok: bool) -> None:
        self.ok = ok
        self.row.set_result(text, ok)
        self.finished.emit(self)

    def cancel(self) -> None:
        self.cancelled = True
        if self.task is not None:
            self.task.cancel()
        self.row.status.setText(self.tr("Cancelling…"))

    def show_in_folder(self) -> None:
        target = self.output or self.path
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent)))


class ActivityList(QListWidget):
    """The list of file jobs, newest at the bottom; runs at most two at a time."""

    job_finished = Signal(object)
    MAX_RUNNING = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityList")
        self.setAccessibleName(self.tr("Activity"))
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.jobs: list[FileJob] = []
        self._waiting: list[FileJob] = []
        self._running = 0

    def add_job(self, job: FileJob) -> None:
        item = QListWidgetItem(self)
        item.setSizeHint(QSize(200, 64))
        self.addItem(item)
        self.setItemWidget(item, job.row)
        self.scrollToItem(item)
        job.finished.connect(self._on_finished)
        self.jobs.append(job)
        self._waiting.append(job)
        self._pump()

    def _pump(self) -> None:
        while self._waiting and self._running < self.MAX_RUNNING:
            job = self._waiting.pop(0)
            self._running += 1
            job.start()

    def _on_finished(self, job: FileJob) -> None:
        self._running -= 1
        self.job_finished.emit(job)
        self._pump()

    def cancel_all(self) -> None:
        for job in self._waiting:
            job.row.set_result(self.tr("Cancelled; nothing was written"), False)
        self._waiting.clear()
        for job in self.jobs:
            if job.ok is None:
                job.cancel()

    def busy(self) -> bool:
        return self._running > 0 or bool(self._waiting)


def expand_paths(paths: list[Path], is_cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Files, and every file under dropped folders (recursive, links not followed)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            for folder, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    f = Path(folder) / name
                    if not f.is_symlink() and not name.startswith(".vaultapp-"):
                        out.append(f)
                if is_cancelled is not None and is_cancelled():
                    break
        elif p.is_file():
            out.append(p)
    return out
