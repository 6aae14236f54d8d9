"""Planning a run: for each file, what to do with it and where its output would go.

Planning reads only what it must: the first bytes of each file (is it sealed?) when the
operation is chosen per file (AUTO, the window's drop), and the authenticated header of
a sealed file to learn the name it will be opened under. Nothing is written. The plan
says, per file, whether the output name exists now, so a front end can ask about those
names once for the whole run before anything happens.

Items are small tuples of strings, not Paths in dataclasses: a plan of 10,000 files keeps
every item alive during the run, and each object the garbage collector tracks lengthens
every full collection, which a worker runs while holding the GIL (the window then waits;
measured 50-100 ms per collection when a batch kept more per file).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from vaultapp.core import age_fileops, fileops
from vaultapp.core.envelope import KeyResolver
from vaultapp.core.errors import CancelledError, KeyboxLockedError, VaultError
from vaultapp.core.stream import Cancel

from .inputs import file_size, sniff

SEAL, OPEN, VERIFY, REWRAP = "seal", "open", "verify", "rewrap"
SHARE = "share"
"""Encrypt to age recipients (people): FILE -> FILE.age."""
AUTO = "auto"
"""Open files that are sealed or age files by name or content (inputs.sniff), seal every
other file."""
WRITES = (SEAL, OPEN, SHARE)


class PlanItem(NamedTuple):
    """One file as planned. `target`: the output path ("" for VERIFY and REWRAP, and when
    planning failed); `exists`: whether it existed when planned; `size`: of the input, in
    bytes (0 when unknown); `error`: why the file cannot be done (the run reports it at
    this file's place and goes on)."""

    path: str
    mode: str
    target: str
    exists: bool
    size: int
    error: VaultError | OSError | None = None
    age: bool = False
    """An age file to open (with the keybox's identities), not a sealed file."""


@dataclass
class Plan:
    """Every file of a run, in order, and the `output` it was planned with (-o's rules:
    an existing folder receives the outputs, anything else is the output's path)."""

    items: list[PlanItem]
    output: Path | None = None
    folder: str = ""
    """The name of the folder every input is in (or under), to name the run; "" if none."""

    def conflicts(self) -> list[PlanItem]:
        """The items whose output name is taken."""
        return [item for item in self.items if item.exists]

    def modes(self) -> set[str]:
        return {item.mode for item in self.items if item.error is None}


def plan_files(paths: Iterable[Path | str], mode: str, resolver: KeyResolver | None = None,
               output: Path | None = None, cancel: Cancel | None = None) -> Plan:
    """Plan `mode` (SEAL, OPEN, VERIFY, REWRAP or AUTO) for every file of `paths`.

    `resolver` authenticates the headers of files to be opened (needed for OPEN and
    AUTO). A file that cannot be planned gets its error in its item; a locked keybox
    stops the planning (KeyboxLockedError), as does `cancel` (CancelledError).
    """
    strings = [os.fspath(p) for p in paths]
    plan = Plan([], output)
    if strings:
        with contextlib.suppress(ValueError):
            plan.folder = os.path.basename(os.path.commonpath(strings))
    for path in strings:
        if cancel is not None and cancel():
            raise CancelledError()
        plan.items.append(plan_file(path, mode, resolver, output))
    return plan


def plan_file(path: str, mode: str, resolver: KeyResolver | None,
              output: Path | None) -> PlanItem:
    """One file of plan_files (same rules)."""
    try:
        if mode == AUTO:
            sealed, size = sniff(path)
            mode = OPEN if sealed else SEAL
        else:
            size = file_size(path)  # the operation itself says why a file cannot be read
        is_age = False
        if mode == SEAL:
            target = fileops.seal_output_path(Path(path), output)
        elif mode == SHARE:
            target = age_fileops.share_output_path(Path(path), output)
        elif mode == OPEN and (age_fileops.is_age_file(path)
                               or path.lower().endswith(age_fileops.AGE_SUFFIX)):
            # (by name too: a damaged FILE.age is refused as an age file, not as a
            # sealed file it never claimed to be)
            is_age = True
            target = age_fileops.opened_output_path(Path(path), output)
        elif mode == OPEN:
            if resolver is None:
                raise TypeError("opening needs a KeyResolver to plan")
            meta = fileops.read_metadata(Path(path), resolver)
            target = fileops.open_output_path(Path(path), output, meta)
        else:
            return PlanItem(path, mode, "", False, size)
    except KeyboxLockedError:
        raise
    except (VaultError, OSError) as exc:
        return PlanItem(path, mode, "", False, 0, exc)
    return PlanItem(path, mode, str(target), os.path.lexists(target), size, None, is_age)
