"""The one keybox store: engine, sessions and transactions, migrations, and how database
failures read. Every command and the window reach the keybox's tables through here
(SQLAlchemy, SQLite by default, PostgreSQL for a team); the rules live in the service.

SQLite (the default) runs in WAL mode with a 30 s busy timeout, and every transaction
starts with BEGIN IMMEDIATE, so several processes on one keybox wait for each other
instead of failing with "database is locked". On PostgreSQL the service locks the rows
it changes (SELECT ... FOR UPDATE), and a read session is one snapshot (REPEATABLE READ,
as SQLite's WAL gives); a lock wait ends after the same 30 s (lock_timeout),
and connecting gives up after PG_CONNECT_TIMEOUT_S, so an unreachable server is reported
instead of hanging.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import Hint, KeyboxUnavailableError, UsageError, VaultError
from .location import (
    BUSY_TIMEOUT_S,
    KEYBOX_FILE,
    busy_error,
    data_folder,
    describe_location,
    resolve_url,
    sqlite_path,
    unreadable_error,
)
from .schema import HEAD_REVISION

__all__ = [
    "BUSY_TIMEOUT_S", "KEYBOX_FILE", "data_folder", "describe_location", "resolve_url",
    "sqlite_path",
]

PG_CONNECT_TIMEOUT_S = 10


def prepare_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) so the keybox is owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def publish_sqlite_file(temp: Path, path: Path) -> None:
    """fsync a finished keybox file and link it to its final name (never replacing one)."""
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temp, path)
    except FileExistsError:
        raise VaultError(f"a keybox already exists at {path}") from None
    finally:
        temp.unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    # Deleted content (a destroyed key's wrapped bytes) is overwritten, not left in free
    # pages; the WAL is truncated after a destruction (Store.scrub).
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()


def _on_sqlite_begin(conn: Any) -> None:
    # Writers take the write lock up front (waiting up to the busy timeout) so that a
    # read-then-write transaction can never fail with SQLITE_BUSY; readers start a
    # plain snapshot, which WAL never blocks.
    write = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


_WRITE_OPTION = "vaultapp_write"


def for_writing(engine: Engine) -> Engine:
    """The engine whose transactions are write transactions (BEGIN IMMEDIATE on SQLite)."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def for_reading(engine: Engine) -> Engine:
    """The engine whose transactions read one snapshot from start to end. SQLite's BEGIN
    in WAL mode already does; PostgreSQL's default (READ COMMITTED) takes a new snapshot
    per statement, so a check that reads the state and then the audit log could see
    another member's commit in between and call it tampering: REPEATABLE READ there."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="REPEATABLE READ")
    return engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise UsageError(
                "a PostgreSQL keybox needs psycopg: pip install 'vaultapp[postgres]'"
            ) from None
        from sqlalchemy.engine import make_url

        given = make_url(url).query  # settings in the URL win over these defaults
        if "connect_timeout" not in given:
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
        if "options" not in given:
            connect_args["options"] = f"-c lock_timeout={BUSY_TIMEOUT_S}s"
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def current_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision, read with one query (no schema inspection); None
    when the keybox has no schema yet."""
    try:
        with engine.connect() as conn:
            if not _has_revision_table(conn):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return None if row is None else str(row[0])
    except DatabaseError as exc:
        raise database_error(exc, engine.url.render_as_string(hide_password=True)) from None


def _has_revision_table(conn: Any) -> bool:
    if conn.dialect.name == "sqlite":
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    else:
        query = "SELECT 1 FROM information_schema.tables WHERE table_name = 'alembic_version'" \
                " AND table_schema = current_schema()"
    return conn.execute(text(query)).first() is not None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic is imported only when needed)."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent.parent.parent / "migrations"))
    with for_writing(engine).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


# SQLite's primary result codes (https://sqlite.org/rescode.html) that say the
# environment is at fault, by what a person can do about them.
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_SQLITE_DENIED = {3, 8, 23}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_AUTH
_SQLITE_ENVIRONMENT = {10, 13, 14}  # SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN


def database_error(exc: DatabaseError, url: str) -> VaultError:
    """A database failure as a person-readable error (never a traceback), classified by
    SQLite's result code or PostgreSQL's SQLSTATE, never by the message's words."""
    where = describe_location(url)
    if sqlite_path(url) is not None:
        code = getattr(exc.orig, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in _SQLITE_BUSY:
            return busy_error(where)
        name = getattr(exc.orig, "sqlite_errorname", None) or type(exc.orig).__name__
        if primary in _SQLITE_DENIED or primary in _SQLITE_ENVIRONMENT:
            return KeyboxUnavailableError(
                f"the keybox at {where} cannot be used ({name}); check the file's permissions "
                "and the free disk space", reason="denied", hint=Hint.NONE)
        return unreadable_error(where, name)
    state = getattr(exc.orig, "sqlstate", None)
    reason = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0][:200]
    if state == "55P03":  # lock_not_available: another member held the rows too long
        return KeyboxUnavailableError(
            f"the keybox at {where} stayed busy for {BUSY_TIMEOUT_S} s (another member's "
            "change held it)", reason="busy", hint=Hint.RETRY)
    if state == "42501":  # insufficient_privilege
        return KeyboxUnavailableError(
            f"the database user may not do this on the keybox at {where} ({reason}); "
            "ask the keybox's owner for the grants listed in docs/DISASTER-RECOVERY.md",
            reason="denied", hint=Hint.NONE)
    if isinstance(exc, OperationalError) and (state is None or state.startswith("08")):
        return KeyboxUnavailableError(
            f"cannot reach the keybox database at {where} ({reason}); check that the "
            "server is running and that the URL, user and network are right",
            reason="unreachable", hint=Hint.RETRY)
    return unreadable_error(where, type(exc.orig).__name__)


class Store:
    """One keybox database: read sessions and write transactions over one engine.

    Every database failure leaves here as a VaultError (database_error). Sessions do not
    expire rows on commit, so rows read in one stay readable after it.
    """

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(for_reading(engine), expire_on_commit=False)
        self._write_sessions = sessionmaker(for_writing(engine), expire_on_commit=False)

    @classmethod
    def connect(cls, url: str, *, migrate_schema: bool = True) -> Store:
        """The store at `url`, its schema brought to the newest revision when asked."""
        engine = make_engine(url)
        try:
            if migrate_schema:
                migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(url, engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (a plain snapshot: WAL never blocks it)."""
        try:
            with self._sessions() as s:
                yield s
        except DatabaseError as exc:
            raise database_error(exc, self.url) from None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE on SQLite: writers queue, never deadlock)."""
        try:
            with self._write_sessions() as s, s.begin():
                yield s
        except DatabaseError as exc:
            raise database_error(exc, self.url) from None

    def scrub(self, attempts: int = 50, pause_s: float = 0.1) -> bool:
        """After a destruction: checkpoint the WAL into the database file and truncate it,
        so no copy of the erased bytes stays in the journal (SQLite; PostgreSQL's own
        storage is the server's to vacuum). Retried while readers hold old snapshots;
        returns whether it completed."""
        if sqlite_path(self.url) is None:
            return True
        for _ in range(attempts):
            raw = self.engine.raw_connection()  # autocommit: no snapshot of its own
            try:
                busy = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                raw.close()
            if busy is not None and busy[0] == 0:
                return True
            time.sleep(pause_s)
        return False

    def close(self) -> None:
        self.engine.dispose()
