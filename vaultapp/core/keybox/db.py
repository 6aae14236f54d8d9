"""Where the keybox lives and how we connect to it: URL resolution, engine, migrations.

SQLite (the default) runs in WAL mode with a 30 s busy timeout, and every transaction
starts with BEGIN IMMEDIATE, so several processes on one keybox wait for each other
instead of failing with "database is locked". On PostgreSQL the service locks the rows
it changes (SELECT ... FOR UPDATE); a lock wait ends after the same 30 s (lock_timeout),
and connecting gives up after PG_CONNECT_TIMEOUT_S, so an unreachable server is reported
instead of hanging.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from ..errors import UsageError, VaultError
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
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return None if row is None else str(row[0])
    except DatabaseError as exc:
        raise database_error(exc, engine.url.render_as_string(hide_password=True)) from None


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


def database_error(exc: DatabaseError, url: str) -> VaultError:
    """A database failure as a person-readable error (never a traceback)."""
    where = describe_location(url)
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig):
        return busy_error(where)
    if sqlite_path(url) is None:
        state = getattr(exc.orig, "sqlstate", None)
        reason = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0][:200]
        if state == "55P03":  # lock_not_available: another member held the rows too long
            return VaultError(f"the keybox at {where} stayed busy for {BUSY_TIMEOUT_S} s "
                              "(another member's change held it); try again")
        if state == "42501":  # insufficient_privilege
            return VaultError(
                f"the database user may not do this on the keybox at {where} ({reason}); "
                "ask the keybox's owner for the grants listed in docs/DISASTER-RECOVERY.md"
            )
        if isinstance(exc, OperationalError) and (state is None or state.startswith("08")):
            return VaultError(
                f"cannot reach the keybox database at {where} ({reason}); check that the "
                "server is running and that the URL, user and network are right"
            )
    return unreadable_error(where, type(exc.orig).__name__)
