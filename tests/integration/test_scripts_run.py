"""./scripts/run passes relative paths through (it never changes folder) and can put
`vaultapp` on PATH. Run as the real script, from another folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

RUN = ROOT / "scripts" / "run"

pytestmark = pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "vaultapp").exists(),
                                reason="scripts/run's virtualenv is made by scripts/test")


def _sealed_file(folder: Path) -> Path:
    from vaultapp.core import envelope
    from vaultapp.core.format import Metadata

    target = folder / "note.txt.vault"
    with open(target, "wb") as out, open(os.devnull, "rb") as src:
        envelope.seal(src, out, [envelope.Recipient(b"p" * 16, b"k" * 16, b"x" * 32)],
                      Metadata("note.txt", 0, 0))
    return target


def test_relative_paths_are_the_callers(tmp_path: Path) -> None:
    """Before: scripts/run changed to the repository first, so `inspect note.txt.vault`
    looked for the file there."""
    _sealed_file(tmp_path)
    r = subprocess.run([str(RUN), "inspect", "note.txt.vault"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("note.txt.vault: vaultapp sealed file")


def test_add_to_path_links_the_command(tmp_path: Path) -> None:
    env = dict(os.environ, HOME=str(tmp_path), PATH="/usr/bin:/bin")
    env.pop("XDG_BIN_HOME", None)
    r = subprocess.run([str(RUN), "--add-to-path"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    link = tmp_path / ".local" / "bin" / "vaultapp"
    assert link.is_symlink() and link.resolve() == (ROOT / ".venv" / "bin" / "vaultapp").resolve()
    assert "is not on your PATH yet" in r.stdout
    version = subprocess.run([str(link), "--version"], capture_output=True, text=True,
                             timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("vaultapp ")
