"""tests/support/secret_service.py ends only the processes it started.

Two private Secret Services start in parallel beside a bystander gnome-keyring-daemon,
started here outside any helper as a desktop's own would be. Stopping one service ends
exactly its dbus-daemon and gnome-keyring-daemon: it signals no other process (so no
other gnome-keyring-daemon on the machine), the bystander is still alive, and the other
service still answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.secret_service import KEYRING_COMM, PROBE, SecretService


def comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """Running (a zombie has exited: it only waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def keyring_daemons() -> set[int]:
    """Every running gnome-keyring-daemon on the machine, whoever started it."""
    pids = (int(p) for p in os.listdir("/proc") if p.isdigit())
    return {pid for pid in pids if comm(pid) == KEYRING_COMM and alive(pid)}


@pytest.fixture
def bystander(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A gnome-keyring-daemon no helper started (no bus: it just waits)."""
    runtime, home = tmp_path / "bystander-runtime", tmp_path / "bystander-home"
    runtime.mkdir(mode=0o700)
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    proc = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--components=secrets"],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while comm(proc.pid) != KEYRING_COMM and time.monotonic() < deadline:
        time.sleep(0.05)
    yield proc
    proc.terminate()
    proc.wait(timeout=10)


def test_stopping_one_service_leaves_every_other_keyring_daemon_alive(
        bystander: subprocess.Popen[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    signalled: set[int] = set()
    real_kill = os.kill

    def recording_kill(pid: int, sig: int) -> None:
        signalled.add(pid)
        real_kill(pid, sig)

    services = [SecretService(), SecretService()]
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(SecretService.start, services))
        first, second = services
        first_pids, second_pids = first.pids(), second.pids()
        assert len(first_pids) == len(second_pids) == 2  # a dbus-daemon, a keyring daemon
        assert len(first.keyring_daemon_pids()) == len(second.keyring_daemon_pids()) == 1
        others = keyring_daemons() - set(first_pids)
        assert bystander.pid in others and set(second.keyring_daemon_pids()) <= others

        with monkeypatch.context() as patch:
            patch.setattr(os, "kill", recording_kill)  # Popen.terminate() uses it too
            first.stop()

        assert not [pid for pid in first_pids if alive(pid)]
        assert signalled <= set(first_pids), f"signalled {signalled}, started {first_pids}"
        assert [pid for pid in [bystander.pid, *second_pids] if not alive(pid)] == []
        probe = subprocess.run([sys.executable, "-c", PROBE], env=second.env,
                               capture_output=True, text=True, timeout=60)
        assert probe.returncode == 0, probe.stderr
    finally:
        for service in services:
            service.stop()
