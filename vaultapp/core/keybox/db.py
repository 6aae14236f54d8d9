"""Where the keybox lives and how we connect to it: URL resolution, engine, migrations.

SQLite (the default) runs in WAL mode with a 30 s busy timeout, and every transaction
starts with BEGIN IMMEDIATE, so several processes on one keybox wait for each other
instead of failing with "database is locked". PostgreSQL needs nothing special here:
the service locks the rows it changes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from ..errors import UsageError, VaultError
from .schema import HEAD_REVISION

BUSY_TIMEOUT_S = 30
KEYBOX_FILE = "keybox.sqlite"


def data_folder() -> Path:
    """VAULTAPP_HOME, else the platform's per-user data folder."""
    home = os.environ.get("VAULTAPP_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("vaultapp", appauthor=False))


def resolve_url(keybox: str | None) -> str:
    """--keybox, else VAULTAPP_KEYBOX, else the SQLite file in the data folder."""
    value = keybox or os.environ.get("VAULTAPP_KEYBOX")
    if value and "://" in value:
        return value
    path = Path(value).expanduser() if value else data_folder() / KEYBOX_FILE
    return f"sqlite:///{path.resolve()}"


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :])
    return None


def describe_location(url: str) -> str:
    """The keybox's location for people: a path, or the URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def prepare_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) so the keybox is owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise UsageError(
                "a PostgreSQL keybox needs psycopg: pip install 'vaultapp[postgres]'"
            ) from None
    return create_engine(url, pool_pre_ping=True)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic is imported only when needed)."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent.parent.parent / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def database_error(exc: DatabaseError, url: str) -> VaultError:
    """A database failure as a person-readable error (never a traceback)."""
    where = describe_location(url)
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig):
        return VaultError(f"the keybox at {where} stayed busy for {BUSY_TIMEOUT_S} s; try again")
    return VaultError(
        f"the keybox at {where} cannot be read ({type(exc.orig).__name__}); it may be damaged "
        "or not a keybox. Restore it from a backup with 'vaultapp keybox restore FROM'"
    )
