"""What to do when an output name is taken: keep both, replace, skip or fail.

One run asks (or is told) once what to do with outputs that already exist; the answer
applies to every output name that existed when the run was planned. Two rules hold
whatever the answer, because either would lose data nobody chose to lose:

- two files of one run never get the same output name: the later one keeps both (the
  window) or fails (the command line, which never invents names);
- an output never replaces a file that is itself an input of the run (it may not have
  been read yet): keep both instead, or fail.

Names are compared as absolute paths (`os.path.abspath`, no disk access), so `a.txt` and
`./a.txt` are one file.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from vaultapp.core.errors import OutputExistsError

KEEP_BOTH, REPLACE, SKIP, FAIL = "keep_both", "replace", "skip", "fail"


@dataclass(frozen=True)
class ConflictPolicy:
    """`existing`: what to do with an output that existed when the run was planned
    (KEEP_BOTH, REPLACE, SKIP, or FAIL: report OutputExistsError for that file).
    `clash`: what to do when the rules above forbid the plain name (KEEP_BOTH or FAIL).
    """

    existing: str = FAIL
    clash: str = FAIL

    @classmethod
    def command_line(cls, force: bool) -> ConflictPolicy:
        """Without --force an existing output is a failure; with it, it is replaced."""
        return cls(REPLACE if force else FAIL, FAIL)

    @classmethod
    def asked(cls, answer: str | None) -> ConflictPolicy:
        """The window's: the person's answer (None: the question was dismissed = skip);
        clashes keep both."""
        return cls(answer or SKIP, KEEP_BOTH)


class Resolution(NamedTuple):
    """Where one output goes. `target` None: skip the file; `error`: fail it with that;
    `renamed`: the target is not the planned name (a free 'name (1).ext'). A NamedTuple:
    one is made per file of a run."""

    target: str | None
    force: bool = False
    renamed: bool = False
    error: OutputExistsError | None = None


def free_name(target: Path, taken: Collection[str] = ()) -> Path:
    """'name (1).ext', 'name (2).ext', ... : the first that does not exist and is not in
    `taken` (absolute paths, as strings, that the run has already given to other
    outputs)."""
    stem, suffix = target.name, ""
    if "." in target.name[1:]:
        stem, _, ext = target.name.rpartition(".")
        suffix = "." + ext
    n = 1
    while True:
        candidate = target.with_name(f"{stem} ({n}){suffix}")
        if os.path.abspath(candidate) not in taken and not os.path.lexists(candidate):
            return candidate
        n += 1


class Resolver:
    """Applies a ConflictPolicy to the outputs of one run, one after another, remembering
    which names the run has already given out (`claimed`)."""

    def __init__(self, policy: ConflictPolicy, inputs: Collection[str]) -> None:
        self.policy = policy
        self.inputs = {os.path.abspath(p) for p in inputs}
        self.claimed: set[str] = set()

    def resolve(self, target: str, existed: bool) -> Resolution:
        """Where the output planned as `target` goes (`existed`: when planned)."""
        key = os.path.abspath(target)
        if key in self.claimed:
            return self._clash(target, "is already the output of another file of this run")
        if not existed:
            return self._claim(target)
        choice = self.policy.existing
        if choice == REPLACE:
            if key in self.inputs:
                return self._clash(target, "is itself one of the files of this run")
            return self._claim(target, force=True)
        if choice == KEEP_BOTH:
            return self._claim(str(free_name(Path(target), self.claimed)), renamed=True)
        if choice == SKIP:
            return Resolution(None)
        # FAIL: the write itself refuses (AtomicFile's OutputExistsError, with its advice)
        return self._claim(target)

    def _clash(self, target: str, why: str) -> Resolution:
        if self.policy.clash == KEEP_BOTH:
            return self._claim(str(free_name(Path(target), self.claimed)), renamed=True)
        return Resolution(None, error=OutputExistsError(
            Path(target), clash=f"{why}; nothing was replaced"))

    def _claim(self, target: str, force: bool = False, renamed: bool = False) -> Resolution:
        self.claimed.add(os.path.abspath(target))
        return Resolution(target, force, renamed)
