"""Keybox resilience: integrity check, consistent online backup, and restore.

A backup is a byte-for-byte consistent copy made with SQLite's online backup API while
other processes may be using the keybox; it stays protected by its key slots (the root
key is not in it). Restore replaces the keybox file atomically and keeps the replaced
file beside it. Nothing here ever "repairs" a damaged keybox silently.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text

from ..atomic import AtomicFile, describe_os_error
from ..errors import UsageError, VaultError
from . import store as db
from .schema import AuditRow, KeyboxMeta, KeySlotRow, ProfileKeyRow, ProfileRow
from .states import KeyState, has_material

if TYPE_CHECKING:
    from .service import Keybox


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sqlite_only(url: str, what: str) -> Path:
    """The keybox file, or UsageError for a team keybox (pg_dump is its way)."""
    path = db.sqlite_path(url)
    if path is None:
        raise UsageError(  # a hint for every front end: pg_dump is the way, not a flag
            f"{what} works only on SQLite keyboxes; back up a PostgreSQL keybox with "
            "pg_dump (see docs/DISASTER-RECOVERY.md)"
        )
    return path


def _sqlite_integrity(path: Path) -> list[str]:
    """SQLite's own integrity check, on a read-only connection (never writes)."""
    if not path.exists():
        return [f"there is no keybox file at {path}"]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=db.BUSY_TIMEOUT_S)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"the file is not a readable keybox ({exc})"]
    return [] if rows == ["ok"] else [f"SQLite integrity check: {r}" for r in rows[:20]]


def check(box_url: str, open_box: Callable[[], Keybox] | None = None) -> CheckReport:
    """SQLite's integrity check (for files) first, then our own invariants.

    `open_box` may return an unlocked keybox, so that every key is also unwrapped; it is
    called only once the file itself passed SQLite's check.
    """
    from .service import Keybox

    report = CheckReport()
    path = db.sqlite_path(box_url)
    if path is not None:
        report.problems += _sqlite_integrity(path)
        if report.problems:
            return report
    box = open_box() if open_box is not None else Keybox.open(box_url)
    try:
        with box.store.engine.connect() as conn:
            metas = conn.execute(select(func.count()).select_from(KeyboxMeta)).scalar_one()
            if metas != 1:
                report.problems.append(f"keybox_meta has {metas} rows instead of 1")
            if conn.execute(select(func.count()).select_from(KeySlotRow)).scalar_one() == 0:
                report.problems.append("the keybox has no key slot: nothing can unlock it")
            profiles = conn.execute(select(ProfileRow.profile_id, ProfileRow.name)).all()
            for profile_id, name in profiles:
                keys = conn.execute(select(ProfileKeyRow).where(
                    ProfileKeyRow.profile_id == profile_id)).all()
                primaries = [k for k in keys if k.is_primary]
                if keys and len(primaries) != 1:
                    report.problems.append(f"profile {name!r} has {len(primaries)} primary keys")
                versions = sorted(k.version for k in keys)
                if versions != list(range(1, len(versions) + 1)):
                    report.problems.append(f"profile {name!r} has key versions {versions}")
                for k in keys:
                    if has_material(KeyState(k.state)) != (k.wrapped_key is not None):
                        report.problems.append(
                            f"key {k.key_id[:8]} is {k.state} but its material is "
                            f"{'missing' if k.wrapped_key is None else 'still present'}")
            ids = [r[0] for r in conn.execute(select(AuditRow.id).order_by(AuditRow.at,
                                                                           AuditRow.id))]
            if ids != sorted(ids):
                report.problems.append("the audit log is out of order")
            if path is not None and \
                    conn.execute(text("PRAGMA foreign_key_check")).first() is not None:
                report.problems.append("a key refers to a profile that does not exist")
        if box.is_unlocked:
            started = time.monotonic()
            checked, broken = box.verify_all()
            if broken is not None:
                report.problems.append(f"the audit log's chain breaks at row {broken}: rows "
                                       "were edited, inserted or removed outside vaultapp")
            for key in box.keys():  # noqa: SIM118 - Keybox.keys() is a query, not a dict
                if has_material(key.state):
                    try:
                        box.material_check(key.key_id)
                    except VaultError as exc:
                        report.problems.append(str(exc))
            report.notes.append(
                f"the authenticated state and {checked:,} chained audit rows verified, and "
                f"every profile key unwraps, in {time.monotonic() - started:.2f} s")
        else:
            report.notes.append("locked: the authenticated state and the audit chain were not "
                                "verified, nor the profile keys unwrapped (unlock to check them)")
    finally:
        box.close()
    return report


def backup(box: Keybox, out: Path, *, force: bool = False) -> Path:
    """Write a consistent copy of the unlocked keybox to `out` (atomically, owner-only);
    the audit log records it (a chained row, so the keybox must be unlocked)."""
    path = sqlite_only(box.url, "backing up")
    if not path.exists():
        raise VaultError(f"there is no keybox at {path}")
    if out.is_dir():
        out = out / f"keybox-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.sqlite"
    with AtomicFile(out, force=force, named=True) as target:
        assert target.temp is not None
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=db.BUSY_TIMEOUT_S)
        dest = sqlite3.connect(target.temp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        except sqlite3.DatabaseError as exc:
            raise VaultError(f"cannot back up the keybox at {path}: {exc}") from None
        finally:
            dest.close()
            source.close()
        target.commit()
    box.record_event("keybox.backup", f"backup written to {out}", backup=True)
    return out


def validate_backup(box_url: str, source: Path) -> Path:
    """The keybox file a restore would replace; VaultError if `source` is not a usable
    backup (checked before the person is asked)."""
    path = sqlite_only(box_url, "restoring")
    problems = _sqlite_integrity(source)
    if problems:
        raise VaultError(f"{source} is not a usable keybox backup: {problems[0]}")
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            conn.execute("SELECT keybox_id FROM keybox_meta").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise VaultError(f"{source} is not a keybox backup") from None
    return path


def restore(box_url: str, source: Path) -> Path:
    """Replace the keybox with the backup `source`; return where the old one was kept.

    The caller then forgets this machine's pin and unlocks the restored keybox, which
    pins it again and records the restore (`keybox restore` asks the person first)."""
    path = validate_backup(box_url, source)
    kept = path.with_name(f"{path.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with AtomicFile(path, force=True) as target, open(source, "rb") as src:
        while chunk := src.read(1 << 20):
            target.write(chunk)
        if path.exists():
            try:
                os.link(path, kept)
            except OSError as exc:
                raise describe_os_error(exc, kept, "cannot keep the current keybox as") \
                    from None
        for suffix in ("-wal", "-shm"):
            stale = path.with_name(path.name + suffix)
            if stale.exists():
                stale.unlink()
        target.commit()
    return kept
