"""The real program on a pseudo-terminal: what a person at a terminal sees and types.

`run_on_a_terminal` starts `python -m vaultapp ARGS` with a pty as its controlling
terminal (so getpass and the yes/no questions read from it, as they do for a person),
types each answer once its prompt has appeared, and returns the exit code with
everything the program wrote to the terminal (echoed input included: a secret typed
at a no-echo prompt must not be in it).
"""

from __future__ import annotations

import os
import pty
import select
import sys
import time

import pytest


def run_on_a_terminal(args: list[str], answers: list[tuple[str, str]], env: dict[str, str],
                      timeout: float = 60) -> tuple[int, str]:
    """Run `python -m vaultapp ARGS` on a pty; `answers` are (prompt, answer) pairs, each
    answer typed (with Enter) when its prompt appears after the previous answer's.
    Returns (exit code, the terminal's text)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: exec at once, nothing else in a forked test process
        os.execve(sys.executable, [sys.executable, "-m", "vaultapp", *args], env)
    output = b""
    seen = 0  # where the next prompt is looked for
    pending = list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            while pending and pending[0][0].encode() in output[seen:]:
                prompt, answer = pending.pop(0)
                seen = output.index(prompt.encode(), seen) + len(prompt.encode())
                os.write(fd, answer.encode() + b"\n")
        else:
            os.kill(pid, 9)
            pytest.fail(f"{args} did not finish in {timeout} s:\n{output.decode()}")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")
