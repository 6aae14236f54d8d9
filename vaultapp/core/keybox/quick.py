"""The quick keybox reader: a SQLite keybox read through the standard library's sqlite3.

Why it exists: loading SQLAlchemy costs about 0.4 s of CPU and 27 MiB of memory on the
reference machine, more than listing a profile's keys or sealing a file needs in total
(issue 7: `key list` under 300 ms of process time, `vaultapp seal` under 48 MiB). The
file commands (seal, open, verify) and `key list` therefore read a SQLite keybox here.

It does only what those commands need: read slots, profiles and keys, and append `seal`
rows to the audit log. Everything else, and every case it is not sure about, is left to
the full service: `QuickKeybox.open` returns None (and the caller opens `service.Keybox`)
when the keybox is not a SQLite file, its schema is not at the newest revision (the
service migrates it), it cannot be read (the service words the error), or, for an
unlocking command, a scheduled destruction or rotation is due (the service carries it
out on unlock). The rules for unlocking and for using keys are shared (access.py); the
SQL mirrors the ORM queries in service.py, and tests/test_quick.py checks that both
readers answer alike.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .access import KeyAccess, actor, no_profile_error, sealed_details
from .location import BUSY_TIMEOUT_S, busy_error, describe_location, sqlite_path, unreadable_error
from .models import HEAD_REVISION, PENDING_DESTRUCTION, KeyInfo
from .slots import SlotRecord, parse_params
from .timefmt import utcnow


@dataclass(frozen=True)
class KeyRecord:
    """A profile key's row as sealing and opening see it (access.KeyRow)."""

    key_id: str
    profile_id: str
    version: int
    state: str
    wrapped_key: bytes | None


def _from_db(value: str | None) -> datetime | None:
    """A timestamp as SQLAlchemy stores it in SQLite (naive UTC text), made aware."""
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _to_db(value: datetime) -> str:
    """The inverse of _from_db, in SQLAlchemy's SQLite format (microseconds always)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


_KEY_COLUMNS = "key_id, profile_id, version, state, wrapped_key"


class QuickKeybox(KeyAccess):
    """A SQLite keybox opened for sealing, opening and listing keys (see the module doc)."""

    def __init__(self, url: str, conn: sqlite3.Connection, keybox_id: str, check: bytes) -> None:
        super().__init__()
        self.url = url
        self._conn = conn
        self._lock = threading.Lock()  # one connection, used by the commands' file threads
        self.keybox_id = keybox_id
        self._check = check

    @classmethod
    def open(cls, url: str, unlocking: bool) -> QuickKeybox | None:
        """The keybox at `url`, or None when the full service should handle it."""
        path = sqlite_path(url)
        try:
            if path is None or not path.is_file() or path.stat().st_size == 0:
                return None
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.Error):
            return None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            meta = conn.execute(
                "SELECT keybox_id, root_key_check FROM keybox_meta WHERE id = 1").fetchone()
            if revision != [(HEAD_REVISION,)] or meta is None or \
                    (unlocking and _work_is_due(conn)):
                conn.close()
                return None
        except (sqlite3.Error, ValueError):
            conn.close()
            return None
        return cls(url, conn, str(meta[0]), bytes(meta[1]))

    @property
    def location(self) -> str:
        return describe_location(self.url)

    def close(self) -> None:
        self.lock()
        self._conn.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read snapshot (WAL: never blocks, never blocked by writers)."""
        with self._lock, self._errors():
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise busy_error(self.location) from None
            raise unreadable_error(self.location, type(exc).__name__) from None
        except sqlite3.Error as exc:
            raise unreadable_error(self.location, type(exc).__name__) from None

    # --- what KeyAccess reads -----------------------------------------------------------

    def _slot_records(self) -> list[SlotRecord]:
        with self._reading() as c:
            rows = c.execute("SELECT slot_id, kind, label, params, wrapped_root_key "
                             "FROM key_slots ORDER BY created_at").fetchall()
        return [SlotRecord(r[0], r[1], r[2], parse_params(r[3]), r[4]) for r in rows]

    def _profile_names(self) -> list[str]:
        with self._reading() as c:
            return [r[0] for r in c.execute("SELECT name FROM profiles ORDER BY name")]

    def _fetch_key(self, key_id: str) -> KeyRecord | None:
        with self._reading() as c:
            row = c.execute(f"SELECT {_KEY_COLUMNS} FROM profile_keys WHERE key_id = ?",
                            (key_id,)).fetchone()
        return None if row is None else KeyRecord(*row)

    def _primary_key(self, profile: str) -> KeyRecord | None:
        with self._reading() as c:
            found = c.execute("SELECT profile_id FROM profiles WHERE name = ?",
                              (profile,)).fetchone()
            if found is None:
                raise no_profile_error(profile)
            row = c.execute(f"SELECT {_KEY_COLUMNS} FROM profile_keys "
                            "WHERE profile_id = ? AND is_primary", (found[0],)).fetchone()
        return None if row is None else KeyRecord(*row)

    def _run_due_work(self) -> None:
        """Nothing: open() hands a keybox with due work to the full service."""

    # --- the commands' needs --------------------------------------------------------------

    def keys(self, profile: str | None = None) -> list[KeyInfo]:
        """Like service.Keybox.keys: every key (or one profile's), with files sealed."""
        where, params = "", tuple[str, ...]()
        if profile is not None:
            where, params = "WHERE p.name = ?", (profile,)
        with self._reading() as c:
            if profile is not None and c.execute(
                    "SELECT 1 FROM profiles WHERE name = ?", params).fetchone() is None:
                raise no_profile_error(profile)
            rows = c.execute(
                "SELECT k.key_id, p.name, p.profile_id, k.version, k.state, k.is_primary, "
                "k.created_at, k.destroy_after, k.destroyed_at, p.rotation_days "
                "FROM profile_keys k JOIN profiles p ON p.profile_id = k.profile_id "
                f"{where} ORDER BY p.name, k.version", params).fetchall()
            counts = self._sealed_counts(c, [r[0] for r in rows] if profile else None)
        return [KeyInfo(r[0], r[1], r[2], r[3], r[4], bool(r[5]), _aware(r[6]), _from_db(r[7]),
                        _from_db(r[8]), r[9], counts.get(r[0], 0)) for r in rows]

    @staticmethod
    def _sealed_counts(c: sqlite3.Connection, key_ids: list[str] | None) -> dict[str, int]:
        query = ("SELECT key_id, SUM(files) FROM audit_log "
                 "WHERE action IN ('seal', 'rewrap') AND key_id IS NOT NULL")
        params: tuple[Any, ...] = ()
        if key_ids is not None:
            query += f" AND key_id IN ({', '.join('?' * len(key_ids))})"
            params = tuple(key_ids)
        return {k: int(n or 0) for k, n in c.execute(query + " GROUP BY key_id", params)}

    def record_sealed(self, key_id: bytes, files: int, profile: str | None = None) -> None:
        """Count sealed files in the audit log, as service.Keybox.record_sealed does."""
        if files <= 0:
            return
        with self._lock, self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT INTO audit_log (at, actor, action, profile, key_id, files, details) "
                    "VALUES (?, ?, 'seal', ?, ?, ?, ?)",
                    (_to_db(utcnow()), actor(), profile, key_id.hex(), files,
                     sealed_details(files)))
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")


def _aware(value: str) -> datetime:
    parsed = _from_db(value)
    assert parsed is not None
    return parsed


def _work_is_due(conn: sqlite3.Connection) -> bool:
    """Whether unlocking must destroy a key or rotate a profile (service._run_due_work)."""
    now = utcnow()
    for (after,) in conn.execute("SELECT destroy_after FROM profile_keys WHERE state = ? "
                                 "AND destroy_after IS NOT NULL", (PENDING_DESTRUCTION,)):
        if _aware(after) <= now:
            return True
    for created, days in conn.execute(
            "SELECT k.created_at, p.rotation_days FROM profile_keys k "
            "JOIN profiles p ON p.profile_id = k.profile_id "
            "WHERE k.is_primary AND p.rotation_days IS NOT NULL"):
        if days and _aware(created) + timedelta(days=days) <= now:
            return True
    return False
