"""The real program started as a process: `vaultapp gui FILE` seals FILE, and a second
launch hands its files to the running window (single instance)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.slots import KdfParams


def wait_for(path: Path, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"vaultapp exited early: {proc.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear in {seconds} s")
        time.sleep(0.1)


@pytest.mark.integration
def test_gui_process_seals_argument_and_takes_second_launch(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE,
                        kdf=KdfParams(8192, 1, 1))
    box.create_profile("acme")
    box.close()
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_bytes(b"dropped by argument")
    second.write_bytes(b"handed over by a second launch")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VAULTAPP_PASSPHRASE": PASSPHRASE,
           "VAULTAPP_HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    cmd = [sys.executable, "-m", "vaultapp", "--keybox", url, "gui"]
    proc = subprocess.Popen([*cmd, str(first)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        wait_for(tmp_path / "first.txt.vault", proc)
        handed = subprocess.run([*cmd, str(second)], env=env, capture_output=True, text=True,
                                timeout=30)
        assert handed.returncode == 0, handed
        assert "already running" in handed.stdout
        wait_for(tmp_path / "second.txt.vault", proc)
        assert proc.poll() is None  # the first window keeps running
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    box = Keybox.open(url)
    box.unlock(PASSPHRASE)
    for name in ("first.txt", "second.txt"):
        original = (tmp_path / name).read_bytes()
        (tmp_path / name).unlink()
        from vaultapp.core import fileops

        fileops.open_file(tmp_path / f"{name}.vault", box)
        assert (tmp_path / name).read_bytes() == original
    box.close()
