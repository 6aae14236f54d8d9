"""Running a plan: every file in order, with progress, cancel, and one audit record.

A run of several small files (each at most SMALL_FILE_LIMIT) seals or opens file after
file on the calling thread while a CommitQueue makes the finished outputs durable a
group at a time and then links them (atomic.py); a long run of them to seal shares the
files with a helper process on the second core (helper.py). Cancel is then asked between files (a
small file is done in well under a millisecond), and the files finished before it are
still put in place. Each is settled (counted, reported) once its group is durable under
its names. Otherwise each file goes alone, reports its bytes, and cancel is asked inside
it too. Either way an output gets its name only once it is complete and durable, so each
file is either done or untouched.

The run never touches a keybox: it is handed what it needs (`Keys`): the key to seal
under (or a function that fetches it, asked at the first file to seal), a KeyResolver to
open and verify, and callbacks to count the sealed files in the audit log (once per
run) and to rewrap a file. A file that fails is reported and the others go on; a locked
keybox stops the run there, as does a `Keys` function that raises RunStopped.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaultapp.core import age, age_fileops, fileops
from vaultapp.core.atomic import CommitQueue
from vaultapp.core.envelope import KeyResolver, Recipient
from vaultapp.core.errors import CancelledError, KeyboxLockedError, VaultError
from vaultapp.core.stream import Cancel

from .conflicts import ConflictPolicy, Resolution, Resolver
from .helper import Cursor, Helper, seal_call, seal_with
from .helper import wanted as helper_wanted
from .inputs import COMMIT_THREADS, SMALL_FILE_LIMIT
from .plan import OPEN, REWRAP, SEAL, SHARE, VERIFY, WRITES, Plan, PlanItem
from .results import DONE, FAILED, FILE, FILES, SKIPPED, VERIFYING, FileOutcome, Progress, RunResult

RecordSealed = Callable[[bytes, int, "str | None"], None]
Rewrap = Callable[[Path], "tuple[bytes, bytes] | None"]
OnProgress = Callable[[Progress], None]
OnOutcome = Callable[[FileOutcome], None]


class RunStopped(Exception):
    """Raised by a `Keys` function to stop the whole run with `error` instead of failing
    one file: the command line opens the keybox only when the first age file asks for
    its identities, and a keybox that cannot be opened fails the command as it did when
    it was opened before any file (cli.cmd_open)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True)
class Keys:
    """What a run may use of the keybox, and nothing more.

    `recipient`: the key to seal under, or a zero-argument function returning it (asked
    once, at the first file to seal: a key that cannot seal then fails only the files to
    seal, and opening still works). `profile`: passed to `record_sealed(key_id, files,
    profile)`, called once per run that fetched a recipient. `rewrap(path)`: (old key id,
    new key id), or None when the file already uses the current key.
    """

    resolver: KeyResolver | None = None
    recipient: Recipient | Callable[[], Recipient] | None = None
    profile: str | None = None
    record_sealed: RecordSealed | None = None
    rewrap: Rewrap | None = None
    age_identities: Callable[[], Sequence[age.Identity]] | None = None
    """What opens age files (the keybox's identities, a passphrase), asked once, at the
    first age file."""
    share_with: Sequence[age.Recipient] = ()
    """The people SHARE encrypts to; `armor`: as ASCII armor."""
    armor: bool = False


def uses_commit_queue(plan: Plan) -> bool:
    """Whether `plan` is run with a CommitQueue: more than one file, all of them small."""
    return (len(plan.items) > 1 and any(i.mode in WRITES for i in plan.items)
            and all(i.size <= SMALL_FILE_LIMIT for i in plan.items))


def run_plan(plan: Plan, keys: Keys, *, policy: ConflictPolicy | None = None,
             remove_originals: bool = False, progress: OnProgress | None = None,
             cancel: Cancel | None = None, on_outcome: OnOutcome | None = None) -> RunResult:
    """Do every file of `plan`; return the totals (see the module docstring).

    `policy`: for outputs whose name is taken (default: fail them). `remove_originals`:
    after the audit record, re-open and authenticate each sealed output, then remove its
    original; an output that does not verify keeps its original and counts as failed.
    `on_outcome` is called for each file as it is settled, in the plan's order.
    """
    return _Run(plan, keys, policy or ConflictPolicy(), progress, cancel, on_outcome).run(
        remove_originals)


class _Run:
    def __init__(self, plan: Plan, keys: Keys, policy: ConflictPolicy,
                 progress: OnProgress | None, cancel: Cancel | None,
                 on_outcome: OnOutcome | None) -> None:
        self.plan, self.keys = plan, keys
        self.names = Resolver(policy, [item.path for item in plan.items])
        self.progress, self.cancel, self.on_outcome = progress, cancel, on_outcome
        self.result = RunResult(len(plan.items))
        self.recipient: Recipient | None = None
        self.cannot_seal: VaultError | None = None
        self.sealed: list[tuple[str, str]] = []  # (original, output): to remove originals
        self.queued = uses_commit_queue(plan)
        self.remove = False
        self.age_keys: Sequence[age.Identity] | None = None
        self.begun = 0  # files begun here, or settled by the helper (progress)
        self.settled = 0  # the files before this index of the plan are settled

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel()

    def run(self, remove_originals: bool) -> RunResult:
        self.remove = remove_originals
        try:
            self._files()
        finally:
            self._record()
        if remove_originals and self.sealed:
            self._remove_originals()
        return self.result

    def _files(self) -> None:
        """Files are handed out in order (`Cursor`: to this thread and, for a long run of
        small files, to a helper process as well) and settled (counted, or their failure
        noted, in the plan's order) as soon as they are done, so at most a queue's worth
        of results is alive at once. Leaving by an exception (Ctrl-C) discards the
        outputs not yet named, the helper's too (it is killed)."""
        entries: dict[int, FileOutcome | fileops.FileResult] = {}
        cursor = Cursor(self.plan.items, self.names, self.plan.output)
        queue = CommitQueue(COMMIT_THREADS) if self.queued else None
        helper = self._start_helper(cursor) if queue is not None else None
        try:
            with queue if queue is not None else contextlib.nullcontext():
                while (handed := cursor.next_own()) is not None:
                    i, where = handed
                    if self.cancelled():
                        self.result.stopped = True
                        break
                    item = self.plan.items[i]
                    try:
                        entries[i] = self._start(item, where, queue, self.begun)
                    except CancelledError:
                        self.result.stopped = True
                        break
                    except KeyboxLockedError as exc:  # locked meanwhile: stop here
                        entries[i] = FileOutcome(item.path, item.mode, FAILED, error=exc)
                        self.result.stopped = True
                        break
                    self.begun += 1
                    if helper is not None:
                        self._arrived(helper, entries, block=False)
                    self._settle_ready(entries)
                    self._report_files()
                cursor.close()  # stopped: the helper is handed nothing more,
                if helper is not None and self.result.stopped:
                    helper.halt()  # and stops at its next file, as this thread did
            # Leaving the block waited for every output and made their folders durable.
            if helper is not None:
                self._arrived(helper, entries, block=True)
                helper.end()
        except BaseException:
            if helper is not None:
                helper.stop()
            raise
        for i in sorted(entries):  # what a stop left behind the first gap
            self._settle(self.plan.items[i], entries.pop(i))

    def _start_helper(self, cursor: Cursor) -> Helper | None:
        """A helper process for a long run of small files to seal (helper.py), or None."""
        if not helper_wanted(self.plan.items):
            return None
        try:
            recipient = self._recipient()
        except VaultError:  # it cannot seal (locked, no primary key): the files say so
            return None
        return Helper.start(recipient, cursor, self.plan.items)

    def _arrived(self, helper: Helper, entries: dict[int, FileOutcome | fileops.FileResult],
                 block: bool) -> None:
        """Take the files the helper settled; with `block`, until it has ended."""
        for i, outcome in helper.arrived(block):
            entries[i] = outcome
            self.begun += 1
            self._settle_ready(entries)
            self._report_files()

    def _settle_ready(self, entries: dict[int, FileOutcome | fileops.FileResult]) -> None:
        while self.settled in entries and _settled(entries[self.settled]):
            self._settle(self.plan.items[self.settled], entries.pop(self.settled))
            self.settled += 1

    def _report_files(self) -> None:
        if self.progress is not None:
            self.progress(Progress(FILES, self.begun, len(self.plan.items)))

    def _start(self, item: PlanItem, where: Resolution | None, queue: CommitQueue | None,
               done: int) -> FileOutcome | fileops.FileResult:
        """Begin one file: its outcome, or a result whose output the queue puts in place.
        `where`: its output's place, as the Cursor resolved it (None: it has none)."""
        if item.error is not None:
            return FileOutcome(item.path, item.mode, FAILED, error=item.error)
        on_bytes = cancel = None
        if queue is None:
            cancel = self.cancel
            if self.progress is not None:
                report, total = self.progress, len(self.plan.items)
                on_bytes = lambda n: report(  # noqa: E731
                    Progress(FILE, done, total, item.path, n, item.size))
        try:
            if item.mode == VERIFY:
                r = fileops.verify_file(Path(item.path), self._resolver(), on_bytes, cancel)
                return FileOutcome(item.path, VERIFY, DONE, size=r.size, key_id=r.key_id)
            if item.mode == REWRAP:
                return self._rewrap(item)
            assert where is not None
            if where.error is not None:
                return FileOutcome(item.path, item.mode, FAILED, error=where.error)
            if where.target is None:
                return FileOutcome(item.path, item.mode, SKIPPED)
            if item.mode == SEAL:
                return seal_with(seal_call(item, where, self.plan.output), item.path,
                                 self._recipient(), queue, progress=on_bytes, cancel=cancel)
            # The planned output as planned (so -o keeps its meaning), or the free name.
            output = Path(where.target) if where.renamed else self.plan.output
            if item.mode == SHARE:
                return age_fileops.share_file(Path(item.path), self.keys.share_with,
                                              armor=self.keys.armor, output=output,
                                              force=where.force, progress=on_bytes,
                                              cancel=cancel, commits=queue)
            assert item.mode == OPEN
            if item.age:
                return age_fileops.open_age_file(Path(item.path), self._age_identities,
                                                 output=output, force=where.force,
                                                 progress=on_bytes, cancel=cancel,
                                                 commits=queue)
            return fileops.open_file(Path(item.path), self._resolver(), output=output,
                                     force=where.force, progress=on_bytes, cancel=cancel,
                                     commits=queue)
        except (CancelledError, KeyboxLockedError, RunStopped):
            raise
        except (VaultError, OSError) as exc:
            return FileOutcome(item.path, item.mode, FAILED, error=exc)

    def _rewrap(self, item: PlanItem) -> FileOutcome:
        if self.keys.rewrap is None:
            raise TypeError("rewrapping needs Keys.rewrap")
        changed = self.keys.rewrap(Path(item.path))
        old, new = changed if changed is not None else (None, None)
        return FileOutcome(item.path, REWRAP, DONE, item.path, size=item.size, key_id=new,
                           previous_key_id=old)

    def _age_identities(self) -> Sequence[age.Identity]:
        if self.age_keys is None:
            if self.keys.age_identities is None:
                raise TypeError("opening age files needs Keys.age_identities")
            self.age_keys = self.keys.age_identities()
        return self.age_keys

    def _resolver(self) -> KeyResolver:
        if self.keys.resolver is None:
            raise TypeError("opening and verifying need Keys.resolver")
        return self.keys.resolver

    def _recipient(self) -> Recipient:
        """The key to seal under, fetched once; raises why it cannot seal."""
        if self.recipient is None and self.cannot_seal is None:
            source = self.keys.recipient
            if source is None:
                raise TypeError("sealing needs Keys.recipient")
            try:
                self.recipient = source if isinstance(source, Recipient) else source()
            except KeyboxLockedError:
                raise
            except VaultError as exc:  # e.g. the primary key is disabled: opening still works
                self.cannot_seal = exc
        if self.cannot_seal is not None:
            raise self.cannot_seal
        assert self.recipient is not None
        return self.recipient

    def _settle(self, item: PlanItem, entry: FileOutcome | fileops.FileResult) -> None:
        if isinstance(entry, fileops.FileResult):
            try:
                entry.wait()
            except (VaultError, OSError) as exc:
                entry = FileOutcome(item.path, item.mode, FAILED, error=exc)
            else:
                output = os.fspath(entry.output) if entry.output is not None else ""
                entry = FileOutcome(item.path, item.mode, DONE, output, size=entry.size,
                                    key_id=entry.key_id)
        if item.mode == SEAL and entry.status == DONE and self.remove:
            self.sealed.append((item.path, entry.output))
        self.result.add(entry)
        if self.on_outcome is not None:
            self.on_outcome(entry)

    def _record(self) -> None:
        """The run's one audit record: how many files were sealed under which key."""
        if self.recipient is None or self.keys.record_sealed is None:
            return
        try:
            self.keys.record_sealed(self.recipient.key_id, self.result.sealed,
                                    self.keys.profile)
        except VaultError as exc:
            self.result.audit_error = exc

    def _remove_originals(self) -> None:
        """Re-open and authenticate each sealed output before its original goes."""
        total = len(self.sealed)
        for n, (original, output) in enumerate(self.sealed, 1):
            if self.cancelled():
                self.result.stopped = True
                return
            try:
                fileops.verify_file(Path(output), self._resolver(),
                                    cancel=None if self.queued else self.cancel)
                os.unlink(original)
            except CancelledError:
                self.result.stopped = True
                return
            except (VaultError, OSError) as exc:
                self.result.sealed -= 1
                self.result.failures.append(FileOutcome(
                    original, SEAL, FAILED, output, error=exc, original_kept=True))
            else:
                self.result.removed += 1
            if self.progress is not None:
                self.progress(Progress(VERIFYING, n, total))


def _settled(entry: FileOutcome | fileops.FileResult) -> bool:
    return (isinstance(entry, FileOutcome) or entry.pending is None
            or entry.pending.done())
