"""Fixtures for every test: an isolated data folder, a fast KDF for in-process tests, an
in-memory keyring and the in-process command line; and markers that follow the folders
(tests/integration/ is `integration`, tests/gui/ is `gui`).

Fixtures only one folder uses live in that folder's conftest.py (the real Secret Service
in tests/integration/, the keybox command line and its speed-ups in tests/unit/)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Started before any test lowers this process's core-size limit (tests/support/core_launcher.py).
CORE_LAUNCHER: subprocess.Popen[str] | None = None
if sys.platform.startswith("linux") and "pytest" in sys.modules:
    CORE_LAUNCHER = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve().parent / "support" / "core_launcher.py")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _lower_the_kdf_floor() -> None:
    """In-process tests and their module- and session-scoped fixtures create slots with a
    cheap KDF (8 MiB x 1): below the product's floor, which applies to new slots."""
    from vaultapp.core.keybox.slots import passphrase as slots

    slots.KDF_FLOOR = slots.KdfParams(memory_kib=8192, iterations=1, lanes=1)


_lower_the_kdf_floor()


def pytest_unconfigure(config: pytest.Config) -> None:
    if CORE_LAUNCHER is not None and CORE_LAUNCHER.poll() is None:
        assert CORE_LAUNCHER.stdin is not None
        CORE_LAUNCHER.stdin.close()
        CORE_LAUNCHER.wait(timeout=30)

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "correct horse battery staple"

# PySide6 6.12's SignalInstance.emit() and .disconnect() give up a reference to True (or
# False) they never took (tests/gui/test_gui_emit.py). The window's own emits compensate
# (vaultapp.gui.worker.emit), but pytest-qt's waitSignal connects and disconnects in C++
# bindings we do not control, and on Python 3.11 a few hundred stray releases abort the
# whole test process with "bool_dealloc". These references keep both alive for the run.
_PINNED_BOOLS = [True, False] * 100_000

FOLDER_MARKERS = {"integration": "integration", "gui": "gui"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/integration/ or tests/gui/ gets that folder's marker."""
    tests = Path(__file__).resolve().parent
    for item in items:
        path = item.path.resolve()
        folder = path.relative_to(tests).parts[0] if tests in path.parents else ""
        marker = FOLDER_MARKERS.get(folder)
        if marker and item.get_closest_marker(marker) is None:
            item.add_marker(marker)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own VAULTAPP_HOME and no inherited keybox or passphrase."""
    home = tmp_path / "vaultapp-home"
    monkeypatch.setenv("VAULTAPP_HOME", str(home))
    # This machine's keybox pins, kept apart from the data folder as in real use.
    monkeypatch.setenv("VAULTAPP_CONFIG_HOME", str(tmp_path.parent / f"{tmp_path.name}-config"))
    for name in ("VAULTAPP_KEYBOX", "VAULTAPP_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    from vaultapp.core import secrets_env

    secrets_env.forget()  # the value a previous test's command took out of the environment
    return home


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process tests use cheap Argon2id parameters (stored in the slot, as always).

    Subprocess tests run the real defaults (about 0.5 s per unlock).
    """
    from vaultapp.core.keybox.slots import passphrase as slots

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
        # main() takes VAULTAPP_PASSPHRASE out of the environment (vaultapp.core.secrets_env);
        # in a test the environment stays as the test set it, for the next command.
        given = os.environ.get("VAULTAPP_PASSPHRASE")
        try:
            code = main(list(args))
        finally:
            if given is not None:
                os.environ["VAULTAPP_PASSPHRASE"] = given
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
