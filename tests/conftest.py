"""Shared fixtures: an isolated data folder per test, a fast KDF for in-process tests,
an in-memory keyring for unit tests, and a real Secret Service for integration tests."""

from __future__ import annotations

import argparse
import functools
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "correct horse battery staple"

# PySide6 6.12's SignalInstance.emit() and .disconnect() give up a reference to True (or
# False) they never took (tests/gui/test_gui_emit.py). The window's own emits compensate
# (vaultapp.gui.worker.emit), but pytest-qt's waitSignal connects and disconnects in C++
# bindings we do not control, and on Python 3.11 a few hundred stray releases abort the
# whole test process with "bool_dealloc". These references keep both alive for the run.
_PINNED_BOOLS = [True, False] * 100_000


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own VAULTAPP_HOME and no inherited keybox or passphrase."""
    home = tmp_path / "vaultapp-home"
    monkeypatch.setenv("VAULTAPP_HOME", str(home))
    for name in ("VAULTAPP_KEYBOX", "VAULTAPP_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process tests use cheap Argon2id parameters (stored in the slot, as always).

    Subprocess tests run the real defaults (about 0.5 s per unlock).
    """
    from vaultapp.core.keybox import slots

    monkeypatch.setattr(slots, "DEFAULT_KDF", slots.KdfParams(memory_kib=8192, iterations=1,
                                                             lanes=1))


class MemoryKeyring:
    """An in-memory keyring backend for unit tests (the real one is tested separately)."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.store[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        del self.store[(service, user)]


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    import keyring

    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    return backend


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run vaultapp.cli.main in-process: cli("seal", "f", stdin="...") -> CliResult."""
    from vaultapp.cli import main

    def run(*args: str, stdin: str | None = None) -> CliResult:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def keybox_cli(cli, memory_keyring, monkeypatch):  # type: ignore[no-untyped-def]
    """An initialised keybox (keyring + passphrase slots) with profile 'acme'."""
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init").code == 0
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    assert cli("profile", "create", "acme").code == 0
    return cli


@pytest.fixture
def no_disk_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    """Durability is not under test here, and one fsync can take 100 ms on a busy disk:
    keybox transactions skip SQLite's flushes and file outputs skip os.fsync."""
    from vaultapp.core.keybox import db

    connect = db._on_sqlite_connect

    def connect_without_flush(dbapi_connection, record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA synchronous = OFF")  # also while turning on WAL
        connect(dbapi_connection, record)
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    monkeypatch.setattr(db, "_on_sqlite_connect", connect_without_flush)
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.fixture
def cached_argparse_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each in-process command builds the whole parser, and argparse looks every help
    string up in gettext's catalogs (~15 ms a command). The answers never change within a
    test, so remember them."""
    monkeypatch.setattr(argparse, "_", functools.cache(argparse._))


# --- a real Secret Service (gnome-keyring on a private D-Bus session) ------------------

@dataclass
class SecretService:
    env: dict[str, str]


@pytest.fixture(scope="session")
def secret_service() -> Iterator[SecretService]:
    """gnome-keyring-daemon on a private dbus-daemon, with a throwaway HOME.

    Fails (never skips) when the programs are missing: .ci/run installs them.
    """
    for program in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(program) is None:
            pytest.fail(f"{program} is not installed (apt-get install gnome-keyring dbus)")
    base = Path(tempfile.mkdtemp(prefix="vaultapp-ss-"))
    runtime = base / "runtime"
    runtime.mkdir(mode=0o700)
    home = base / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
           "XDG_DATA_HOME": str(home / ".local/share")}
    out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                          "--print-pid=1"], capture_output=True, text=True, env=env,
                         check=True, timeout=20).stdout.split()
    address, pid = out[0], int(out[1])
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                   input="test-login-password", capture_output=True, text=True, env=env,
                   check=True, timeout=20)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    deadline = time.monotonic() + 10
    probe = [sys.executable, "-c", "import keyring; keyring.set_password('probe','p','x')"]
    while subprocess.run(probe, env=env, capture_output=True, timeout=30).returncode != 0:
        if time.monotonic() > deadline:
            pytest.fail("the Secret Service did not come up")
        time.sleep(0.2)
    try:
        yield SecretService(env)
    finally:
        subprocess.run(["pkill", "-f", f"gnome-keyring-daemon.*{runtime}"], check=False)
        subprocess.run(["pkill", "-u", str(os.getuid()), "gnome-keyring-d"], check=False)
        os.kill(pid, 15)
        shutil.rmtree(base, ignore_errors=True)
