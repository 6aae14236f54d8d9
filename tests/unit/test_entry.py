"""The program's entry point (`cli.run`): a command leaves without the interpreter's
teardown, so what it printed must already be flushed, and its exit code kept."""

from __future__ import annotations

import subprocess
import sys

from vaultapp import __version__


def _vaultapp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vaultapp", *args], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_output_into_a_pipe_arrives_whole() -> None:
    version = _vaultapp("--version")
    assert (version.returncode, version.stdout) == (0, f"vaultapp {__version__}\n")
    helped = _vaultapp("--help")  # many kilobytes, block-buffered into the pipe
    assert helped.returncode == 0 and "selftest" in helped.stdout
    assert helped.stdout.endswith("\n")


def test_the_exit_code_and_the_error_are_kept() -> None:
    wrong = _vaultapp("no-such-command")
    assert wrong.returncode == 2 and "no-such-command" in wrong.stderr
