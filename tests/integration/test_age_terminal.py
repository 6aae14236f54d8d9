"""The questions the command line asks at a terminal when sharing, asked of the real
program on a pseudo-terminal (tests/support/terminal.py): an identity's export asks
first and a "no" writes nothing; a passphrase file's passphrase is typed twice, a
mismatch writes nothing; a wrong passphrase at `open` writes nothing. No secret typed
at a prompt is echoed. The same commands without a terminal are in
tests/unit/test_cli_share.py."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.support.terminal import run_on_a_terminal

ROOT = Path(__file__).resolve().parents[2]
FILE_PASSPHRASE = "a long passphrase for one shared file"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A passphrase-only keybox (unlocked through VAULTAPP_PASSPHRASE, no keyring) with
    one identity; the environment of the program run on the terminal."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VAULTAPP_HOME": str(tmp_path / "home"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "VAULTAPP_PASSPHRASE": PASSPHRASE}
    for args in (["init", "--no-keyring"], ["identity", "new"]):
        code, screen = run_on_a_terminal(args, [], env)
        assert code == 0, screen
    return env


def test_an_identity_export_asks_first_and_no_writes_nothing(env: dict[str, str],
                                                            tmp_path: Path) -> None:
    key = tmp_path / "me.key"
    question = "Whoever has that file opens every file shared with it. [y/N] "
    code, screen = run_on_a_terminal(["identity", "export", "me", "-o", str(key)],
                                     [(question, "n")], env)
    assert (code, key.exists()) == (1, False), screen
    assert "Write the secret key of" in screen and "nothing exported" in screen
    code, screen = run_on_a_terminal(["identity", "export", "me", "-o", str(key)],
                                     [(question, "y")], env)
    assert code == 0, screen
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().splitlines()[-1].startswith("AGE-SECRET-KEY-PQ-1")
    assert "AGE-SECRET-KEY" not in screen  # the secret went to the file only


def test_a_passphrase_file_typed_twice_then_opened(env: dict[str, str],
                                                  tmp_path: Path) -> None:
    plain = tmp_path / "letter.txt"
    plain.write_text("dear reader\n")
    shared = tmp_path / "letter.txt.age"
    seal = ["seal", "--with-passphrase", str(plain)]
    first, again = "Passphrase for the file: ", "Repeat it: "

    code, screen = run_on_a_terminal(
        seal, [(first, FILE_PASSPHRASE), (again, FILE_PASSPHRASE + "x")], env)
    assert code == 2 and "the two passphrases differ; nothing was written" in screen
    assert not shared.exists()

    code, screen = run_on_a_terminal(seal, [(first, FILE_PASSPHRASE),
                                            (again, FILE_PASSPHRASE)], env)
    assert code == 0, screen
    assert FILE_PASSPHRASE not in screen  # not echoed
    assert b"-> scrypt " in shared.read_bytes()
    plain.unlink()

    prompt = "Passphrase of the age file: "
    code, screen = run_on_a_terminal(["open", str(shared)], [(prompt, "not the one")], env)
    assert code == 3 and "the passphrase is wrong" in screen, screen
    assert "not the one" not in screen and not plain.exists()
    code, screen = run_on_a_terminal(["open", str(shared)], [(prompt, FILE_PASSPHRASE)],
                                     env)
    assert code == 0, screen
    assert plain.read_text() == "dear reader\n"
