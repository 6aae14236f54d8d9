"""A throwaway PostgreSQL server for the team-keybox tests (import the fixtures you use).

`postgres_server` (session): initdb + pg_ctl on a temporary folder and a free loopback
port, trust authentication for the superuser `vault`; yields
`postgresql+psycopg://vault@127.0.0.1:PORT/postgres` and stops the server at the end.
When running as root the server runs as the `postgres` user (PostgreSQL refuses root).
It fails, never skips, when the server binaries are missing: the team keybox is part of
what vaultapp promises, and scripts/install-system-deps installs postgresql-15.

`pg_database` (function): a fresh, empty database on that server for one test, so every
test gets its own keybox; yields its SQLAlchemy URL. Databases are not dropped one by one
(DROP DATABASE forces a checkpoint, about a second each): the whole cluster, data folder
included, goes when the session ends.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT_S = 30
SUPERUSER = "vault"
PREFERRED_BIN = "/usr/lib/postgresql/15/bin"


def find_pg_bin() -> Path:
    """The folder with initdb and pg_ctl (PostgreSQL 15 preferred), or fail saying why."""
    candidates = [PREFERRED_BIN,
                  *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    which = shutil.which("initdb")
    if which:
        candidates.append(str(Path(which).resolve().parent))
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found in "
        "/usr/lib/postgresql/*/bin or on PATH: install them with scripts/install-system-deps "
        "(Debian: apt-get install postgresql-15)",
        pytrace=False,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user() -> list[str]:
    """Prefix that runs a command as `postgres` when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root, but there is no 'postgres' user to run the server as "
                    "(install the postgresql package, which creates it)", pytrace=False)
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.fail("running as root, but 'runuser' is missing (util-linux)", pytrace=False)
    return [runuser, "-u", "postgres", "--"]


def _run(cmd: list[str], what: str, log: Path | None = None) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=START_TIMEOUT_S + 30,
                            check=False)
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        pytest.fail(f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
                    f"\n{tail}", pytrace=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL server; yields the URL of its `postgres` database."""
    bindir = find_pg_bin()
    prefix = _as_server_user()
    # A throwaway cluster: on tmpfs when there is one (deleting a cluster's few thousand
    # files on a disk mounted with online discard takes ~10 s), else in the usual temp folder.
    shm = Path("/dev/shm")
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    base = Path(tempfile.mkdtemp(prefix="vaultapp-pg-", dir=where))
    base.chmod(0o755)  # the postgres user must reach it
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    if prefix:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    started = False
    try:
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER,
              "--auth=trust", "-E", "UTF8", "--no-sync"], "initdb")
        _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
              "-t", str(START_TIMEOUT_S),
              "-o", f"-p {port} -c listen_addresses=127.0.0.1 "
                    f"-c unix_socket_directories={sock} -c fsync=off", "start"],
             "pg_ctl start", log)
        started = True
        yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "-t", "30", "stop"], capture_output=True, timeout=60,
                           check=False)
        shutil.rmtree(base, ignore_errors=True)


def psycopg_dsn(url: str) -> str:
    """The libpq form of a `postgresql+psycopg://` URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def pg_database(postgres_server: str) -> str:
    """A fresh database for one test; yields its SQLAlchemy URL."""
    import psycopg

    name = f"keybox_{secrets.token_hex(4)}"
    with psycopg.connect(psycopg_dsn(postgres_server), autocommit=True,
                         connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.rsplit("/", 1)[0] + f"/{name}"
