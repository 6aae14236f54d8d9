"""Child processes for the integration tests: start them with pipes, finish them with a
bounded wait that fails the test (never hangs it) when a child does not exit."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHILD_TIMEOUT_S = 90


def start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def start_vaultapp(*args: object, env: dict[str, str]) -> subprocess.Popen[str]:
    """`python -m vaultapp ARGS` with this interpreter."""
    return start([sys.executable, "-m", "vaultapp", *map(str, args)], env)


def start_python(script: str, *args: object, env: dict[str, str]) -> subprocess.Popen[str]:
    """`python -c SCRIPT ARGS` with this interpreter."""
    return start([sys.executable, "-c", script, *map(str, args)], env)


def finish(proc: subprocess.Popen[str],
           timeout: float = CHILD_TIMEOUT_S) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); kills the child and fails the test after `timeout`."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"{proc.args} did not finish in {timeout} s:\n{err}")
    return proc.returncode, out, err
