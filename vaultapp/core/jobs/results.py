"""What a run reports: plain typed data, no Qt, nothing that holds the keybox.

A run reports each file once, as it is settled (`FileOutcome`, in the order of the
plan), progress while it goes (`Progress`), and its totals at the end (`RunResult`).
Paths are strings, as in the plan (see plan.py on why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from vaultapp.core.errors import VaultError

DONE, SKIPPED, FAILED = "done", "skipped", "failed"

FILE, FILES, VERIFYING = "file", "files", "verifying"
"""Phases of a Progress: bytes of the current file; a file was settled; verifying sealed
outputs before their originals are removed."""


class FileOutcome(NamedTuple):
    """What happened to one file.

    `output`: where it was written ("" if nowhere); `size`: the plaintext size in bytes;
    `key_id`: the key it is sealed under (seal, open, verify; rewrap: the new key);
    `previous_key_id`: rewrap only, the key it was sealed under before (None when it
    already used the current key). `original_kept`: sealed, but the original could not be
    removed because the output did not verify (`error` says why).
    """

    path: str
    mode: str
    status: str
    output: str = ""
    error: VaultError | OSError | None = None
    size: int = 0
    key_id: bytes | None = None
    previous_key_id: bytes | None = None
    original_kept: bool = False

    @property
    def ok(self) -> bool:
        return self.status != FAILED


class Progress(NamedTuple):
    """How far a run is. `files_done` of `files_total` are settled; in phase FILE,
    `bytes_done` of `bytes_total` of the file `path` are done (reported only for files
    that go alone, not for small files in a CommitQueue); in phase VERIFYING, `files_done`
    of `files_total` sealed outputs were verified."""

    phase: str
    files_done: int
    files_total: int
    path: str = ""
    bytes_done: int = 0
    bytes_total: int = 0


@dataclass
class RunResult:
    """The totals of a run, its failures (in order), and what stopped it.

    `stopped`: cancelled (or the keybox locked) before every file was done.
    `audit_error`: the audit log could not count the sealed files (the files themselves
    are fine). `first_output`: for "show in folder".
    """

    total: int
    sealed: int = 0
    opened: int = 0
    verified: int = 0
    rewrapped: int = 0
    shared: int = 0
    """Encrypted as age files for people (SHARE)."""
    skipped: int = 0
    removed: int = 0
    stopped: bool = False
    failures: list[FileOutcome] = field(default_factory=list)
    audit_error: VaultError | None = None
    first_output: Path | None = None

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def succeeded(self) -> int:
        return self.sealed + self.opened + self.verified + self.rewrapped + self.shared

    @property
    def not_done(self) -> int:
        return self.total - self.succeeded - self.skipped - self.failed

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stopped and self.audit_error is None

    def first_error(self) -> VaultError | OSError | None:
        return next((f.error for f in self.failures if f.error is not None), None)

    def add(self, outcome: FileOutcome) -> None:
        """Count one settled file."""
        if outcome.status == FAILED:
            self.failures.append(outcome)
            return
        if outcome.status == SKIPPED:
            self.skipped += 1
            return
        if outcome.output and self.first_output is None:
            self.first_output = Path(outcome.output)
        counter = {"seal": "sealed", "open": "opened", "verify": "verified",
                   "rewrap": "rewrapped", "share": "shared"}[outcome.mode]
        setattr(self, counter, getattr(self, counter) + 1)
