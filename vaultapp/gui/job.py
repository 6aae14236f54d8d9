"""One job in the activity list: a run of vaultapp.core.jobs, planned, asked, run, shown.

A job *plans* on a worker (which files are sealed, where each output goes, which names
are taken), asks the person once on the GUI thread when output names are taken (keep
both / replace / skip, with the count), then *runs* the plan on a worker with progress
and cancel, and reports. A job of one file shows its bytes and MB/s; a job of many small
files (a batch: one row, one worker sealing file after file while a CommitQueue makes
the outputs durable, one audit-log row) shows "N of M · files/s" and lists the files
that failed in Details.

The job holds no widget: the activity list's model shows its `title`, `status`, `state`
and `progress`, and its `changed` signal says when to repaint the row.

Questions about taken names go through one `ConflictQuestions` queue per activity list:
a drop of a few files is a job per file, two of them plan at once, and the second used to
ask while the first's dialog was still open (its modal loop runs the second job's
"planned" callback), so two dialogs stacked. Now a job whose question would open over
another's waits for it, and says so in its row.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

from vaultapp.core import age, age_fileops, jobs
from vaultapp.core.errors import CancelledError, VaultError

from .dialogs import ConflictDialog, FailuresDialog
from .executor import KeyLease
from .hints import describe, remedy
from .numbers import count
from .worker import Task, emit, run_task

SEAL, OPEN, REWRAP, AUTO, SHARE = jobs.SEAL, jobs.OPEN, jobs.REWRAP, jobs.AUTO, jobs.SHARE
RUNNING, OK, PARTLY, FAILED = "running", "ok", "partly", "failed"


class ConflictQuestions:
    """Asks the jobs' questions about taken output names one at a time, in the order the
    jobs came to them (each dialog is modal; the next opens after the last is answered)."""

    def __init__(self) -> None:
        self._queue: list[Job] = []
        self.asking: Job | None = None

    def enqueue(self, job: Job) -> bool:
        """Let `job` ask (job.ask_conflicts) now, or once the questions before it are
        answered. Returns whether it has to wait."""
        self._queue.append(job)
        waits = self.asking is not None or len(self._queue) > 1
        if not waits:
            self._next()
        return waits

    def withdraw(self, job: Job) -> bool:
        """Take a waiting `job` out of the queue (it was cancelled); whether it waited."""
        if job in self._queue:
            self._queue.remove(job)
            return True
        return False

    def waiting(self) -> list[Job]:
        return list(self._queue)

    def _next(self) -> None:
        if self.asking is not None or not self._queue:
            return
        job = self.asking = self._queue.pop(0)
        try:
            job.ask_conflicts()
        finally:
            self.asking = None
        if self._queue:  # from the event loop, not from inside this job's callback
            QTimer.singleShot(0, self._next)


class Job(QObject):
    """Seal, open or rewrap files (one, or a batch of many small ones) as one row.

    Cancel stops a large file within a chunk and a batch between files; an output gets
    its name only once it is complete, so each file is either done or untouched.
    """

    changed = Signal(object)
    finished = Signal(object)
    notice = Signal(str)
    """A message for the window's status bar (Show in folder that could not open one)."""
    TOOLTIP_LINES = 8

    def __init__(self, paths: list[Path] | list[str], controller: Any, profile: str | None,
                 remove_originals: bool = False, mode: str | None = None,
                 output_folder: Path | None = None, refused: str | None = None,
                 share_with: Sequence[str] = (), armor: bool = False) -> None:
        """`refused`: the path yields no file (it does not exist, an empty folder, …): the
        row only says so, in these words, and touches nothing. `share_with`: for SHARE,
        the recipients (age1…, age1pq1…) to encrypt to, as ASCII armor if `armor`."""
        super().__init__()
        self.share_with = tuple(share_with)
        self.armor = armor
        # Age files to open: those with a passphrase (asked once the plan is made, on the
        # GUI thread), and whether any needs the keybox's identities.
        self._passphrase_files: list[str] = []
        self._keybox_age_files = False
        self._age_passphrase: str | None = None
        self.paths = [os.fspath(p) for p in paths]  # strings: see core/jobs/plan.py
        self.single = len(self.paths) == 1
        first = Path(self.paths[0])
        self.path = first if self.single else first.parent  # names the job; Show in folder
        self.controller = controller
        self.profile = profile
        self.remove_originals = remove_originals
        self.mode = mode or AUTO
        self.output_folder = output_folder
        if self.single:
            self.title, self.tooltip = first.name, str(first)
        else:
            self.title = self.tr("{0} files").format(count(len(self.paths)))
            self.tooltip = self._listing(self.paths, self.tr("… and {0} more"))
        self.name = self.title
        self.status = self.tr("Waiting…")
        self.status_tooltip = ""
        self.state = RUNNING
        self.progress: float | None = 0.0  # 0..1 while running, None once finished
        self.task: Task | None = None
        self.lease: KeyLease | None = None  # the job's key access, from start() on
        self.output: Path | None = None  # the (first) output, once there is one
        self.outcome: jobs.RunResult | None = None
        self.ok: bool | None = None
        self.refused = refused
        self.cancelled = False
        self.details: FailuresDialog | None = None
        self.dialog_parent: QWidget | None = None  # set by the activity list
        self.questions: ConflictQuestions | None = None  # the list's queue (else one of its own)
        self.result_status = ""  # the status the job finished with
        self.run_started = 0.0  # time.monotonic() when the files began, after planning
        self._plan: jobs.Plan | None = None

    # --- what the row shows ---

    @property
    def can_cancel(self) -> bool:
        return self.ok is None

    @property
    def can_show(self) -> bool:
        return self.ok is not None and self.output is not None

    @property
    def can_details(self) -> bool:
        return self.ok is not None and not self.single and bool(self.status_tooltip)

    def _set(self, status: str | None = None, progress: float | None = -1.0) -> None:
        if status is not None:
            self.status = status
        if progress is None or progress >= 0:
            self.progress = progress
        emit(self.changed, self)

    def _listing(self, lines: list[str], more_text: str) -> str:
        shown = lines[:self.TOOLTIP_LINES]
        if len(lines) > len(shown):
            shown.append(more_text.format(count(len(lines) - len(shown))))
        return "\n".join(shown)

    # --- the keybox ---

    def _keys(self) -> jobs.Keys:
        """What the run may use of the keybox (worker side): the one place a job touches
        it, through its KeyLease (every key an immutable copy made on the keybox's serial
        executor; a lock revokes it). Sealing asks for the key at its first file, so a key
        that cannot seal fails only the files to seal."""
        lease = self.lease
        assert lease is not None
        profile = self.profile
        return jobs.Keys(resolver=lease,
                         recipient=lambda: lease.recipient(lease.default_profile(profile)),
                         profile=profile, record_sealed=lease.record_sealed,
                         rewrap=lease.rewrap_file, age_identities=self._age_identities,
                         share_with=[age.parse_recipient(r) for r in self.share_with],
                         armor=self.armor)

    def _age_identities(self) -> list[age.Identity]:
        """What opens this job's age files (worker side): the typed passphrase, and the
        keybox's identities through the lease (only when a file is not a passphrase one)."""
        found: list[age.Identity] = []
        if self._age_passphrase:
            found.append(age.ScryptIdentity(self._age_passphrase))
        if self._keybox_age_files:
            assert self.lease is not None
            found += self.lease.age_identities()
        return found  # none: the file fails as for someone else, "make your identity"

    # --- steps ---

    def start(self) -> None:
        if self.refused is not None:
            self._finish(self.refused, False)
            return
        self._set(self.tr("Preparing…"))
        self.lease = self.controller.lease()
        self.task = run_task(self._plan_files, self._planned, self._failed)

    def _plan_files(self, task: Task) -> jobs.Plan:
        folder = self.output_folder
        if folder is not None and not folder.is_dir():
            # (else every output would be written to that one path, as `-o FILE` is)
            raise VaultError(self.tr("the output folder {0} does not exist; create it or "
                                     "choose another in Settings").format(folder))
        keys = self._keys()
        plan = jobs.plan_files(self.paths, self.mode, keys.resolver, folder, task.is_cancelled)
        for item in plan.items:
            if item.age and item.error is None:
                try:
                    passphrase = age_fileops.header_facts(Path(item.path)).passphrase
                except (VaultError, OSError):  # the run says why
                    passphrase = False
                if passphrase:
                    self._passphrase_files.append(item.path)
                else:
                    self._keybox_age_files = True
        return plan

    def _planned(self, plan: jobs.Plan) -> None:
        if self.cancelled:
            self._finish(self.tr("Cancelled; nothing was written"), False)
            return
        if plan.folder and not self.single:
            self.title = self.tr("{0} in {1}").format(self.title, plan.folder)
        # Kept here, not in the task's closure, so that it goes when the job finishes
        # (a finished task may outlive its job).
        self._plan = plan
        if not plan.conflicts() and not self._passphrase_files:
            self._run_plan(None)
            return
        if self.questions is None:
            self.questions = ConflictQuestions()
        if self.questions.enqueue(self):
            self._set(self.tr("Waiting until the open question is answered…"))

    def ask_conflicts(self) -> None:
        """Ask for the passphrase of age files that have one, then about the taken output
        names (the question queue's turn for this job)."""
        plan = self._plan
        if self.cancelled or plan is None:
            self._finish(self.tr("Cancelled; nothing was written"), False)
            return
        parent = self.dialog_parent or QApplication.activeWindow()
        if self._passphrase_files and self._age_passphrase is None:
            from .age_passphrase import AgePassphraseDialog

            self._set(self.tr("Waiting for the passphrase…"))
            given = AgePassphraseDialog.ask(parent, [os.path.basename(p)
                                                     for p in self._passphrase_files])
            if given is None or self.cancelled:
                self._finish(self.tr("Cancelled; nothing was written"), False)
                return
            self._age_passphrase = given
        conflicts = plan.conflicts()
        if not conflicts:
            self._run_plan(None)
            return
        self._set(self.tr("Output names are taken: waiting for your answer…"))
        if len(conflicts) == 1 and self.single:
            choice = ConflictDialog.ask(parent, Path(conflicts[0].target))
        else:
            choice = ConflictDialog.ask(parent, Path(conflicts[0].target), len(conflicts))
        if self.cancelled:  # cancelled (or locked) while the question was open
            self._finish(self.tr("Cancelled; nothing was written"), False)
            return
        self._run_plan(choice)

    def _run_plan(self, choice: str | None) -> None:
        """Run the plan on a worker, taken names handled as `choice` says."""
        plan = self._plan
        assert plan is not None
        policy = jobs.ConflictPolicy.asked(choice)
        if self.single:
            mode = plan.items[0].mode
            verb = {REWRAP: self.tr("Rewrapping"), OPEN: self.tr("Opening"),
                    SHARE: self.tr("Encrypting for people")}.get(mode, self.tr("Sealing"))
            self._set(f"{verb}…")
        else:
            self._set(self.tr("Encrypting for people…") if self.mode == SHARE
                      else self.tr("Sealing and opening…"))
        self.run_started = time.monotonic()
        self.task = run_task(lambda task: self._run(task, policy),
                             self._done, self._failed, self._progress)

    def _run(self, task: Task, policy: jobs.ConflictPolicy) -> jobs.RunResult:
        plan = self._plan
        assert plan is not None
        lease = self.lease
        assert lease is not None
        # A lock stops the run at its next file, as a cancel does: no key after the lock.
        return jobs.run_plan(plan, self._keys(), policy=policy,
                             remove_originals=self.remove_originals, progress=task.report,
                             cancel=lambda: task.is_cancelled() or lease.revoked)

    def _progress(self, value: object) -> None:
        if self.cancelled or not isinstance(value, jobs.Progress):
            return
        p = value
        if p.phase == jobs.VERIFYING:
            self._set(self.tr("Verifying before removing originals: {0} of {1}").format(
                count(p.files_done), count(p.files_total)), p.files_done / max(p.files_total, 1))
        elif self.single and p.phase == jobs.FILE:
            fraction = min(p.bytes_done / max(p.bytes_total, 1), 1.0)
            speed = p.bytes_done / max(time.monotonic() - self.run_started, 1e-3) / 1e6
            self._set(self.tr("{0}% · {1} MB/s").format(int(100 * fraction),
                                                         count(round(speed))), fraction)
        elif not self.single and p.phase == jobs.FILES:
            rate = p.files_done / max(time.monotonic() - self.run_started, 1e-3)
            self._set(self.tr("{0} of {1} · {2} files/s").format(
                count(p.files_done), count(p.files_total), count(round(rate))),
                p.files_done / max(p.files_total, 1))

    def _done(self, out: jobs.RunResult) -> None:
        self.outcome = out
        self.output = out.first_output
        if self.single:
            self._done_one(out)
        else:
            self._done_many(out)

    def _done_one(self, out: jobs.RunResult) -> None:
        plan = self._plan
        item = plan.items[0] if plan is not None and plan.items else None
        if out.failures:
            self._finish(self._reason(out.failures[0], whole=True), False)
        elif out.audit_error is not None:
            self._finish(str(out.audit_error), False)
        elif out.stopped or item is None:
            self._finish(self.tr("Cancelled; nothing was written"), False)
        elif out.skipped:
            self._finish(self.tr("Skipped: {0} already exists").format(
                os.path.basename(item.target)), True)
        elif out.rewrapped:
            self._finish(self.tr("Rewrapped to the current key"), True)
        elif out.shared:
            assert self.output is not None
            self._finish(self.tr("Shared → {0}").format(self.output.name), True)
        else:
            assert self.output is not None
            words = self.tr("Opened → {0}") if out.opened else self.tr("Sealed → {0}")
            text = words.format(self.output.name)
            if out.sealed and self.remove_originals:
                text += self.tr(" (original removed)")
            self._finish(text, True)

    def _done_many(self, out: jobs.RunResult) -> None:
        if self.mode == SHARE:
            parts = [self.tr("Shared {0}").format(count(out.shared)),
                     self.tr("{0} failed").format(count(out.failed))]
        else:
            parts = [self.tr("Sealed {0}").format(count(out.sealed)),
                     self.tr("opened {0}").format(count(out.opened)),
                     self.tr("{0} failed").format(count(out.failed))]
        if out.skipped:
            parts.append(self.tr("{0} skipped").format(count(out.skipped)))
        if self.remove_originals:
            parts.append(self.tr("{0} originals removed").format(count(out.removed)))
        if out.stopped:
            parts.insert(0, self.tr("Cancelled"))
            if out.not_done:
                parts.append(self.tr("{0} not started").format(count(out.not_done)))
        messages = self.messages()
        if messages:
            self.status_tooltip = self._listing(messages, self.tr("… and {0} more (see Details)"))
        self._finish(" · ".join(parts), not messages and not out.stopped,
                     partly=bool(out.sealed or out.opened or out.shared))

    def messages(self) -> list[str]:
        """Problems of the run as a whole (the audit log), then one line per failed file."""
        out = self.outcome
        if out is None:
            return []
        notes = [] if out.audit_error is None else [
            self.tr("The audit log could not count the sealed files: {0}").format(out.audit_error)]
        return notes + [self._reason(f) for f in out.failures]

    def _reason(self, failure: jobs.FileOutcome, whole: bool = False) -> str:
        """'name: what went wrong' for a batch's row and Details; for a single file's row
        (`whole`), the message alone."""
        exc = failure.error
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            if whole:
                return self.tr("Cannot read {0}: {1}").format(failure.path, reason)
        elif isinstance(exc, age.AgeNoMatchError) and exc.stanza_types == ("scrypt",):
            reason = self.tr("The passphrase is wrong; nothing was written")
        elif isinstance(exc, age.AgeNoMatchError):  # the window's own words, translated
            reason = self.tr("None of this keybox's identities can open it: it was made for "
                             "someone else; nothing was written")
            advice = remedy(exc)  # "make your identity", for a keybox without one
            reason = f"{reason}. {advice}" if advice else reason
        else:
            reason = describe(exc) if isinstance(exc, VaultError) else str(exc)
        if failure.original_kept:
            reason = self.tr("sealed, but the original was kept: {0}").format(reason)
        return reason if whole else f"{os.path.basename(failure.path)}: {reason}"

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self._finish(self.tr("Cancelled; nothing was written"), False)
        elif isinstance(exc, VaultError):
            self._finish(describe(exc), False)
        elif isinstance(exc, OSError):
            what = self.path if self.single else self.tr("the files")
            self._finish(self.tr("Cannot read {0}: {1}").format(what, exc.strerror), False)
        else:
            self._finish(self.tr("Unexpected error: {0}").format(type(exc).__name__), False)
            raise exc

    def set_result(self, text: str, ok: bool, partly: bool = False) -> None:
        """Green when it worked, red when not, amber when it `partly` did (a batch)."""
        self.ok = ok
        self.state = OK if ok else PARTLY if partly else FAILED
        self.result_status = text
        self._set(text, None)

    def _finish(self, text: str, ok: bool, partly: bool = False) -> None:
        self._plan = None
        self._age_passphrase = None
        self.set_result(text, ok, partly)
        emit(self.finished, self)

    # --- actions ---

    def cancel(self) -> None:
        if self.ok is not None:
            return
        self.cancelled = True
        if self.questions is not None and self.questions.withdraw(self):
            self._finish(self.tr("Cancelled; nothing was written"), False)
            return
        if self.task is not None:
            self.task.cancel()
        self._set(self.tr("Cancelling…"))

    def show_in_folder(self) -> bool:
        """Open the output's folder in the file manager. When none can be started, the
        row and the window's status bar say so (and where the folder is)."""
        if self.output is not None:
            folder = self.output.parent
        else:
            folder = self.path.parent if self.single else self.path
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        self._set(self.tr("{0} (no file manager could be started to show its folder)")
                  .format(self.result_status or self.status))
        emit(self.notice, self.tr("Could not start a file manager to show the folder {0}.")
             .format(folder))
        return False

    def show_details(self) -> None:
        """The failures' messages in a dialog (not modal: the window stays usable)."""
        if self.outcome is None:
            return
        out = self.outcome
        summary = self.tr("{0} of {1} files failed:").format(count(out.failed),
                                                             count(out.total))
        self.details = FailuresDialog(self.dialog_parent, summary, self.messages())
        self.details.open()
