"""File jobs shown in the activity list: plan, ask about conflicts, run, report.

A job first *plans* on a worker (is the file sealed? where will the output go? does it
exist?), asks the person on the GUI thread when the output name is taken (keep both /
replace / skip), then *runs* on a worker with progress and cancel. Sealed files are
opened; everything else is sealed with the selected profile.

A drop of many small files becomes one `BatchJob` instead (issue 7): one row, one
question about name conflicts for the whole batch, one worker that seals file after file
while a CommitQueue makes the finished outputs durable, and one audit-log row.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections import deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core import fileops
from vaultapp.core import format as fmt
from vaultapp.core.atomic import CommitQueue
from vaultapp.core.envelope import KeyResolver
from vaultapp.core.errors import CancelledError, KeyboxLockedError, VaultError

from .dialogs import ConflictDialog
from .worker import Task, emit, run_task

SEAL, OPEN, REWRAP = "seal", "open", "rewrap"

BATCH_MIN = 20
"""A drop of more than this many files of at most BATCH_MAX_FILE_SIZE becomes one BatchJob
(one row, one worker) instead of a FileJob per file."""
BATCH_MAX_FILE_SIZE = 8 << 20
"""Larger files keep a FileJob each: one of them already keeps both cores busy, and its own
row shows its progress in bytes (the same limit as `vaultapp seal`'s commit queue)."""
BATCH_COMMIT_THREADS = 8
"""Threads of a batch's CommitQueue, as `vaultapp seal` uses: the fsyncs of several
finished outputs overlap while the next file is sealed."""


def is_sealed_file(path: Path | str) -> bool:
    """Whether the file starts with the sealed-file magic. A bare descriptor, not open():
    a batch asks this of thousands of files, and open() costs several times more."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        return os.read(fd, len(fmt.MAGIC)) == fmt.MAGIC
    finally:
        os.close(fd)


def free_name(target: Path, taken: Collection[str] = ()) -> Path:
    """'name (1).ext', 'name (2).ext', ... : the first that does not exist and is not
    in `taken` (paths, as strings, that a batch has already given to other outputs)."""
    stem, suffix = target.name, ""
    if "." in target.name[1:]:
        stem, _, ext = target.name.rpartition(".")
        suffix = "." + ext
    n = 1
    while True:
        candidate = target.with_name(f"{stem} ({n}){suffix}")
        if str(candidate) not in taken and not os.path.lexists(candidate):
            return candidate
        n += 1


def output_for(path: Path, keybox: Callable[[], KeyResolver],
               output_folder: Path | None) -> tuple[str, Path]:
    """OPEN and the stored name if `path` is a sealed file, else SEAL and `path.vault`;
    in `output_folder` when one is set. Reads the file (worker side); `keybox` is asked
    for only when the header has to be authenticated."""
    if is_sealed_file(path):
        meta = fileops.read_metadata(path, keybox())
        return OPEN, fileops.open_output_path(path, output_folder, meta)
    return SEAL, fileops.seal_output_path(path, output_folder)


@dataclass
class Plan:
    mode: str
    target: Path | None
    exists: bool
    size: int


class ActivityRow(QWidget):
    """One job in the activity list: name, progress, speed, result, actions."""

    def __init__(self, title: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLabel(title)
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # file names, stored names
        self.name.setToolTip(tooltip)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.status = QLabel(self.tr("Waiting…"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # messages may name stored text
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setAccessibleName(self.tr("Progress of {0}").format(title))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel {0}").format(title))
        self.show_button = QPushButton(self.tr("Show in folder"))
        self.show_button.setAccessibleName(self.tr("Show {0} in its folder").format(title))
        self.show_button.hide()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.name)
        text.addWidget(self.status)
        text.addWidget(self.bar)
        self.buttons = QHBoxLayout(self)
        self.buttons.setContentsMargins(8, 6, 8, 6)
        self.buttons.addLayout(text, 1)
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addWidget(self.show_button)

    def set_result(self, text: str, ok: bool, partly: bool = False) -> None:
        """Green when it worked, red when not, amber when it `partly` did (a batch)."""
        self.status.setText(text)
        colour = "#2e7d32" if ok else "#9e6a00" if partly else "#c62828"
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
        self.row = ActivityRow(path.name, str(path))
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
        self.lease = self.controller.lease()
        self.task = run_task(self._plan, self._planned, self._failed)

    def _lease(self) -> Any:
        """The job's key access (a KeyLease: every key an immutable copy, revoked by a lock)."""
        return self.lease

    def _plan(self, task: Task) -> Plan:
        size = self.path.stat().st_size
        if self.forced_mode == REWRAP:
            return Plan(REWRAP, None, False, size)
        mode, target = output_for(self.path, self._lease, self.output_folder)
        return Plan(mode, target, os.path.lexists(target), size)

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
        box = self._lease()
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
        emit(self.finished, self)

    def cancel(self) -> None:
        self.cancelled = True
        if self.task is not None:
            self.task.cancel()
        self.row.status.setText(self.tr("Cancelling…"))

    def show_in_folder(self) -> None:
        target = self.output or self.path
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent)))


class BatchItem(NamedTuple):
    """One file of a batch as planned: seal or open it, and the output name it would get.

    One small object with the paths as strings, not Paths in a dataclass (six objects the
    garbage collector tracks): every tracked object lengthens each full collection, which
    a worker runs while holding the GIL, so the window waits for it (measured: 50–100 ms
    per collection, three in a 10,000-file batch, when the batch kept more per file).
    """

    path: str
    mode: str  # SEAL or OPEN
    target: str
    exists: bool


@dataclass
class BatchPlan:
    """Every file of a batch that could be planned, and why the others could not."""

    items: list[BatchItem]
    failures: list[str]
    folder: str = ""  # the folder every file is in (or under), to name the batch

    def conflicts(self) -> list[BatchItem]:
        return [item for item in self.items if item.exists]


@dataclass
class BatchOutcome:
    """What a batch did: counts for its row, the first output (for Show in folder), and
    one message per failed file (`notes`: problems of the batch as a whole, such as the
    audit log)."""

    total: int
    sealed: int = 0
    opened: int = 0
    skipped: int = 0
    removed: int = 0
    stopped: bool = False  # cancelled before every file was done
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_output: Path | None = None

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def not_done(self) -> int:
        return self.total - self.sealed - self.opened - self.skipped - self.failed


def _failure(path: str, exc: BaseException | str) -> str:
    """'name: what went wrong', for the batch's row and its Details."""
    reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
    return f"{os.path.basename(path)}: {reason}"


def _in_place(result: fileops.FileResult) -> bool:
    return result.pending is None or result.pending.done()


def _resolve(item: BatchItem, choice: str | None, claimed: set[str],
             inputs: set[str]) -> tuple[Path | None, bool]:
    """Where `item`'s output goes and whether it replaces the file there; None = skip it.

    The batch's one answer to "already exists" applies to every output name that existed
    when the batch was planned. Two files of one batch never get the same output name (the
    later one keeps both), and no output replaces a file that is itself an input of the
    batch (keep both instead): either would lose data nobody chose to lose.
    """
    target = item.target
    if target in claimed:
        return free_name(Path(target), claimed), False
    if not item.exists:
        return Path(target), False
    if choice == ConflictDialog.REPLACE and target not in inputs:
        return Path(target), True
    if choice in (ConflictDialog.KEEP_BOTH, ConflictDialog.REPLACE):
        return free_name(Path(target), claimed), False
    return None, False


class BatchRow(ActivityRow):
    """The one row of a batch; a Details button lists the files that failed."""

    def __init__(self, title: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(title, tooltip, parent)
        self.show_button.setAccessibleName(self.tr("Show the outputs of {0} in their folder")
                                           .format(title))
        self.details_button = QPushButton(self.tr("Details"))
        self.details_button.setAccessibleName(self.tr("Details of the files that failed"))
        self.details_button.hide()
        self.buttons.insertWidget(self.buttons.count() - 1, self.details_button)


class FailuresDialog(QDialog):
    """The messages of a batch's failed files, selectable, one a line."""

    def __init__(self, parent: QWidget | None, summary: str, messages: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Files that failed"))
        self.resize(760, 360)
        heading = QLabel(summary)
        heading.setWordWrap(True)
        self.text = QPlainTextEdit("\n".join(messages))
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setAccessibleName(self.tr("Messages of the files that failed"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class BatchJob(QObject):
    """Seal or open many small files as one job with one activity row (issue 7).

    Shaped like FileJob (start, cancel, finished, row, ok, output), so ActivityList runs
    it the same way. Planning reads every file's first bytes on a worker; output names
    that are taken are asked about once, for the whole batch. Then one worker seals or
    opens file after file while a CommitQueue fsyncs and links the finished outputs
    several at a time, and the audit log gets one row for all the files sealed: per file,
    that is what makes thousands of small files fast. A file that fails is reported and
    the others go on. Cancel stops between files; an output gets its name only once it
    is complete, so each file is either done or untouched.
    """

    finished = Signal(object)
    TOOLTIP_LINES = 8

    def __init__(self, paths: Sequence[Path | str], controller: Any, profile: str | None,
                 remove_originals: bool = False, output_folder: Path | None = None) -> None:
        super().__init__()
        self.paths = [os.fspath(p) for p in paths]  # strings: see BatchItem
        self.path = Path(self.paths[0]).parent  # names the job in messages; Show in folder
        self.controller = controller
        self.profile = profile
        self.remove_originals = remove_originals
        self.output_folder = output_folder
        self.title = self.tr("{0} files").format(f"{len(self.paths):,}")
        self.row = BatchRow(self.title, self._listing(self.paths, self.tr("… and {0} more")))
        self.row.bar.setRange(0, max(len(self.paths), 1))
        self.row.cancel_button.clicked.connect(self.cancel)
        self.row.show_button.clicked.connect(self.show_in_folder)
        self.row.details_button.clicked.connect(self.show_details)
        self.task: Task | None = None
        self.output: Path | None = None  # the first output, once there is one
        self.outcome: BatchOutcome | None = None
        self.ok: bool | None = None
        self.cancelled = False
        self.details: FailuresDialog | None = None
        self._batch_plan: BatchPlan | None = None
        self.run_started = 0.0  # time.monotonic() when the files began, after planning

    def _listing(self, lines: list[str], more_text: str) -> str:
        shown = lines[:self.TOOLTIP_LINES]
        if len(lines) > len(shown):
            shown.append(more_text.format(f"{len(lines) - len(shown):,}"))
        return "\n".join(shown)

    # --- steps ---

    def start(self) -> None:
        self.row.status.setText(self.tr("Preparing…"))
        self.lease = self.controller.lease()
        self.task = run_task(self._plan, self._planned, self._failed)

    def _lease(self) -> Any:
        """The job's key access (a KeyLease: every key an immutable copy, revoked by a lock)."""
        return self.lease

    def _plan(self, task: Task) -> BatchPlan:
        if self.output_folder is not None and not self.output_folder.is_dir():
            # (else every output would be written to that one path, as `-o FILE` is)
            raise VaultError(self.tr("the output folder {0} does not exist; create it or "
                                     "choose another in Settings").format(self.output_folder))
        plan = BatchPlan([], [])
        with contextlib.suppress(ValueError):
            plan.folder = os.path.basename(os.path.commonpath(self.paths))
        for path in self.paths:
            if task.is_cancelled():
                raise CancelledError()
            try:
                mode, target = output_for(Path(path), self._lease,
                                          self.output_folder)
                plan.items.append(BatchItem(path, mode, str(target), os.path.lexists(target)))
            except KeyboxLockedError:
                raise
            except (VaultError, OSError) as exc:
                plan.failures.append(_failure(path, exc))
        return plan

    def _planned(self, plan: BatchPlan) -> None:
        if self.cancelled:
            self._finish(self.tr("Cancelled; nothing was written"), False)
            return
        if plan.folder:
            self.row.name.setText(self.tr("{0} in {1}").format(self.title, plan.folder))
        choice = None
        conflicts = plan.conflicts()
        if conflicts:
            choice = ConflictDialog.ask(self.row, Path(conflicts[0].target), len(conflicts))
            if choice is None:
                choice = ConflictDialog.SKIP
        self.row.status.setText(self.tr("Sealing and opening…"))
        self.run_started = time.monotonic()
        # Kept here, not in the task's closure, so that it goes when the job finishes
        # (a finished task may outlive its job).
        self._batch_plan = plan
        self.task = run_task(lambda task: self._run(task, choice),
                             self._done, self._failed, self._progress)

    def _run(self, task: Task, choice: str | None) -> BatchOutcome:
        """Worker side: every planned file, then the audit log, then the originals.

        Outputs are settled (counted, or their failure noted) as soon as the queue has
        put them in place, so at most a queue's worth of results is alive at once.
        """
        plan = self._batch_plan
        assert plan is not None
        box = self._lease()
        out = BatchOutcome(len(self.paths), failures=list(plan.failures))
        profile, recipient, cannot_seal = None, None, ""
        if any(item.mode == SEAL for item in plan.items):
            try:
                profile = box.default_profile(self.profile)
                recipient = box.recipient(profile)
            except KeyboxLockedError:
                raise
            except VaultError as exc:  # e.g. the primary key is disabled: opening still works
                cannot_seal = str(exc)
        inputs = {item.path for item in plan.items}
        claimed: set[str] = set()
        waiting: deque[tuple[BatchItem, fileops.FileResult]] = deque()
        sealed: list[tuple[str, str]] = []  # (original, output), to remove originals

        def settle(item: BatchItem, result: fileops.FileResult) -> None:
            try:
                result.wait()
            except (VaultError, OSError) as exc:
                out.failures.append(_failure(item.path, exc))
                return
            assert result.output is not None
            if out.first_output is None:
                out.first_output = result.output
            if item.mode == OPEN:
                out.opened += 1
                return
            out.sealed += 1
            if self.remove_originals:
                sealed.append((item.path, str(result.output)))

        done = len(plan.failures)
        with CommitQueue(BATCH_COMMIT_THREADS) as commits:
            for item in plan.items:
                if task.is_cancelled():
                    out.stopped = True
                    break
                if self.lease.revoked:  # locked meanwhile: no more keys for this batch
                    out.failures.append(_failure(item.path, KeyboxLockedError(
                        "the keybox was locked; unlock it to go on")))
                    out.stopped = True
                    break
                done += 1
                target, force = _resolve(item, choice, claimed, inputs)
                if target is None:
                    out.skipped += 1
                elif item.mode == SEAL and recipient is None:
                    out.failures.append(_failure(item.path, cannot_seal))
                else:
                    claimed.add(str(target))
                    try:
                        if item.mode == SEAL:
                            assert recipient is not None
                            result = fileops.seal_file(Path(item.path), [recipient],
                                                       output=target, force=force,
                                                       commits=commits)
                        else:
                            result = fileops.open_file(Path(item.path), box, output=target,
                                                       force=force, commits=commits)
                    except KeyboxLockedError as exc:  # locked meanwhile: stop here
                        out.failures.append(_failure(item.path, exc))
                        out.stopped = True
                        break
                    except (VaultError, OSError) as exc:
                        out.failures.append(_failure(item.path, exc))
                    else:
                        waiting.append((item, result))
                while waiting and _in_place(waiting[0][1]):
                    settle(*waiting.popleft())
                task.report(done)
        # Leaving the block waited for every output and made their folders durable.
        while waiting:
            settle(*waiting.popleft())
        if recipient is not None and out.sealed:
            try:
                box.record_sealed(recipient.key_id, out.sealed, profile)
            except VaultError as exc:
                out.notes.append(self.tr("The audit log could not count the sealed files: {0}")
                                 .format(exc))
        if self.remove_originals:
            self._remove_originals(task, box, sealed, out)
        return out

    def _remove_originals(self, task: Task, box: KeyResolver,
                          sealed: list[tuple[str, str]], out: BatchOutcome) -> None:
        """Re-open and authenticate each sealed output before its original goes (as
        FileJob does); a file whose output does not verify keeps its original and counts
        as failed."""
        for n, (original, output) in enumerate(sealed, 1):
            if task.is_cancelled():
                out.stopped = True
                return
            try:
                fileops.verify_file(Path(output), box)
                os.unlink(original)
            except (VaultError, OSError) as exc:
                out.sealed -= 1
                out.failures.append(_failure(original, self.tr(
                    "sealed, but the original was kept: {0}").format(
                    exc.strerror if isinstance(exc, OSError) else exc)))
            else:
                out.removed += 1
            task.report((n, len(sealed)))

    def _progress(self, value: object) -> None:
        if self.cancelled:
            return
        if isinstance(value, tuple):  # verifying before removing originals
            n, total = value
            self.row.bar.setRange(0, total)
            self.row.bar.setValue(n)
            self.row.status.setText(self.tr("Verifying before removing originals: {0} of {1}")
                                    .format(f"{n:,}", f"{total:,}"))
            return
        assert isinstance(value, int)
        self.row.bar.setValue(value)
        rate = value / max(time.monotonic() - self.run_started, 1e-3)
        self.row.status.setText(self.tr("{0} of {1} · {2} files/s").format(
            f"{value:,}", f"{len(self.paths):,}", f"{rate:,.0f}"))

    def _done(self, out: BatchOutcome) -> None:
        self.outcome = out
        self.output = out.first_output
        parts = [self.tr("Sealed {0}").format(f"{out.sealed:,}"),
                 self.tr("opened {0}").format(f"{out.opened:,}"),
                 self.tr("{0} failed").format(f"{out.failed:,}")]
        if out.skipped:
            parts.append(self.tr("{0} skipped").format(f"{out.skipped:,}"))
        if self.remove_originals:
            parts.append(self.tr("{0} originals removed").format(f"{out.removed:,}"))
        if out.stopped:
            parts.insert(0, self.tr("Cancelled"))
            if out.not_done:
                parts.append(self.tr("{0} not started").format(f"{out.not_done:,}"))
        messages = out.notes + out.failures
        if messages:
            self.row.status.setToolTip(self._listing(
                messages, self.tr("… and {0} more (see Details)")))
            self.row.details_button.show()
        self._finish(" · ".join(parts), not messages and not out.stopped,
                     partly=bool(out.sealed or out.opened))
        if self.output is not None:
            self.row.show_button.show()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self._finish(self.tr("Cancelled; nothing was written"), False)
        elif isinstance(exc, VaultError):
            self._finish(str(exc), False)
        elif isinstance(exc, OSError):
            self._finish(self.tr("Cannot read the files: {0}").format(exc.strerror), False)
        else:
            self._finish(self.tr("Unexpected error: {0}").format(type(exc).__name__), False)
            raise exc

    def _finish(self, text: str, ok: bool, partly: bool = False) -> None:
        self.ok = ok
        self._batch_plan = None
        self.row.set_result(text, ok, partly)
        emit(self.finished, self)

    def cancel(self) -> None:
        self.cancelled = True
        if self.task is not None:
            self.task.cancel()
        self.row.status.setText(self.tr("Cancelling…"))

    def show_in_folder(self) -> None:
        target = self.output.parent if self.output is not None else self.path
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def show_details(self) -> None:
        """The failures' messages in a dialog (not modal: the window stays usable)."""
        if self.outcome is None:
            return
        out = self.outcome
        summary = self.tr("{0} of {1} files failed:").format(f"{out.failed:,}",
                                                            f"{out.total:,}")
        self.details = FailuresDialog(self.row, summary, out.notes + out.failures)
        self.details.open()


Job = FileJob | BatchJob


class ActivityList(QListWidget):
    """The list of jobs (a file or a batch each), newest at the bottom; runs at most two
    at a time."""

    job_finished = Signal(object)
    MAX_RUNNING = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityList")
        self.setAccessibleName(self.tr("Activity"))
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.jobs: list[Job] = []
        self._waiting: list[Job] = []
        self._running = 0

    def add_job(self, job: Job) -> None:
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

    def _on_finished(self, job: Job) -> None:
        self._running -= 1
        emit(self.job_finished, job)
        self._pump()

    def cancel_all(self) -> None:
        for job in self._waiting:  # never started: finished here, not left "Cancelling…"
            job.cancelled, job.ok = True, False
            job.row.set_result(self.tr("Cancelled; nothing was written"), False)
        self._waiting.clear()
        for job in self.jobs:
            if job.ok is None:
                job.cancel()

    def busy(self) -> bool:
        return self._running > 0 or bool(self._waiting)


def expand_paths(paths: list[Path], is_cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Files, and every regular file under dropped folders (recursive, links not followed;
    FIFOs, sockets and devices skipped: opening a FIFO would wait for a writer forever)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            for folder, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    f = Path(folder) / name
                    if _is_regular(f) and not name.startswith(".vaultapp-"):
                        out.append(f)
                if is_cancelled is not None and is_cancelled():
                    break
        elif p.is_file():
            out.append(p)
    return out


def split_for_batch(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """(small, large): the files a BatchJob takes (at most BATCH_MAX_FILE_SIZE) and the
    rest, in their order. Worker side: stats every file. A file that cannot be stat'ed
    counts as small; the batch then reports why it could not be read."""
    small: list[Path] = []
    large: list[Path] = []
    for f in files:
        try:
            size = f.stat().st_size
        except OSError:
            size = 0
        (small if size <= BATCH_MAX_FILE_SIZE else large).append(f)
    return small, large


def _is_regular(path: Path) -> bool:
    """A regular file itself, not a link to one (one lstat, as is_symlink() costs)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:  # gone meanwhile
        return False
