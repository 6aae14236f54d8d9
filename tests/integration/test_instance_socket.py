"""The single-instance socket against another local user (docs/SECURITY.md).

A later launch (`vaultapp gui FILE`, a double-click) hands the paths of its files to the
running window over a local socket. Here a process of `nobody` listens where the victim
would connect, and records every byte it receives: the victim must refuse, send nothing,
and say so in one line. The runtime folder itself is not used when others could reach it.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                                reason="needs Linux and root, to run a process as nobody")

SYSTEM_PYTHON = "/usr/bin/python3"  # readable by nobody (this venv's may not be)

ATTACKER = r"""
import json, os, select, socket, sys
path = sys.argv[1]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
os.chmod(path, 0o777)
server.listen(8)
print("listening", flush=True)
accepted, received, peers = 0, b"", [server, sys.stdin]
while True:
    ready, _, _ = select.select(peers, [], [], 30)
    for s in ready:
        if s is sys.stdin:
            continue
        if s is server:
            conn, _ = server.accept()
            accepted += 1
            peers.append(conn)
        else:
            chunk = s.recv(65536)
            received += chunk
            if not chunk:
                peers.remove(s)
                s.close()
    if not ready or (sys.stdin in ready and ready == [sys.stdin]):
        break  # the test is done, and nothing else is pending
print(json.dumps({"accepted": accepted, "received": received.decode("latin-1")}), flush=True)
"""


@pytest.fixture
def nobody_listener() -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A process of `nobody` listening on a socket in a folder of its own; yields the
    process and the socket's path (which the test may move: a socket is its inode)."""
    if not Path(SYSTEM_PYTHON).exists() or shutil.which("setpriv") is None:
        pytest.fail("needs /usr/bin/python3 and setpriv (scripts/install-system-deps)")
    nobody = pwd.getpwnam("nobody")
    folder = Path(tempfile.mkdtemp(prefix="vaultapp-attacker-", dir="/tmp"))
    os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    path = folder / "listener.sock"
    proc = subprocess.Popen(
        ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups",
         SYSTEM_PYTHON, "-c", ATTACKER, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "listening", proc.stderr
        assert path.lstat().st_uid == nobody.pw_uid
        yield proc, path
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def attacker_record(proc: subprocess.Popen[str]) -> dict[str, object]:
    out, err = proc.communicate("", timeout=60)  # stdin's end: report and exit
    assert proc.returncode == 0, err
    record = json.loads(out.strip().splitlines()[-1])
    assert isinstance(record, dict)
    return record


def test_gui_handover_refuses_a_socket_held_by_another_user(
        tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
        nobody_listener: tuple[subprocess.Popen[str], Path]) -> None:
    """nobody listens on the victim's instance socket; `vaultapp gui FILE` must send it
    nothing (not even the file's path) and fail with one clear line."""
    from vaultapp.core.keybox.location import resolve_url
    from vaultapp.gui.app import server_name

    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    victim_socket = Path(server_name(resolve_url(None)))
    assert victim_socket.parent == runtime / "vaultapp"
    attacker, listening = nobody_listener
    listening.rename(victim_socket)  # as if the attacker had got there first
    secret_name = tmp_path / "salary-review-2027.xlsx"
    secret_name.write_bytes(b"plain")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    try:
        r = subprocess.run([sys.executable, "-m", "vaultapp", "gui", str(secret_name)],
                           env=env, capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("the window started instead of refusing")
    record = attacker_record(attacker)
    assert record["received"] == "", record  # not one byte, so no path
    assert record["accepted"] == 1  # the victim did reach the attacker: the check held
    assert r.returncode != 0, r
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert "another user's (uid 65534) process holds the single-instance socket" in lines[0]
    assert "Traceback" not in r.stderr and "already running" not in r.stdout


def test_hand_over_checks_the_listener_before_sending(
        tmp_path: Path, nobody_listener: tuple[subprocess.Popen[str], Path]) -> None:
    """The client check on its own: hand_over to nobody's socket raises, sends nothing."""
    from PySide6.QtCore import QCoreApplication

    from vaultapp.core.errors import VaultError
    from vaultapp.gui.app import hand_over

    _app = QCoreApplication.instance() or QCoreApplication([])
    attacker, listening = nobody_listener
    with pytest.raises(VaultError, match="another user's"):
        hand_over(str(listening), [tmp_path / "a.txt"])
    record = attacker_record(attacker)
    assert record == {"accepted": 1, "received": ""}


@pytest.mark.parametrize("how", ["mode-0777", "owner-nobody", "runtime-dir-0777"])
def test_runtime_folder_open_to_others_is_not_used(
        tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """A runtime folder others can enter or own is refused: the socket goes to a 0700
    folder in the data folder instead."""
    from vaultapp.gui.app import runtime_folder

    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert runtime_folder() == runtime / "vaultapp"  # control: a private one is used
    ours = runtime / "vaultapp"
    if how == "mode-0777":
        ours.chmod(0o777)
    elif how == "owner-nobody":
        nobody = pwd.getpwnam("nobody")
        os.chown(ours, nobody.pw_uid, nobody.pw_gid)
    else:
        runtime.chmod(0o777)
    folder = runtime_folder()
    assert folder == isolated_home / "run"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert folder.stat().st_uid == os.getuid()
