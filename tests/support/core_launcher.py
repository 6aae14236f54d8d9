"""Start programs with `ulimit -c unlimited`, from a process that still may.

vaultapp lowers RLIMIT_CORE to (0, 0) in every process that unlocks a keybox or runs the
command line, the test process included (in-process tests); without CAP_SYS_RESOURCE
(containers) a hard limit once lowered cannot be raised again, by it or its children. So
tests/conftest.py starts this launcher at import, before any of that, and a test that
needs "core dumps allowed" asks it to start the program:

    request:  {"argv": [...], "cwd": "...", "env": {...}, "prompt": "passphrase"}
    replies:  {"pid": PID, "core_limit": [soft, hard]}  once the prompt is on stderr
              {"returncode": N, "stderr": "..."}         once the program has exited

The program's stdin is a new terminal (so it prompts), in a new session.
"""

from __future__ import annotations

import json
import os
import pty
import resource
import select
import subprocess
import sys
import time


def _unlimited() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def _reply(value: object) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def serve_one(request: dict[str, object]) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen(request["argv"], cwd=request["cwd"], env=request["env"],  # type: ignore[call-overload]
                            stdin=slave, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=_unlimited)
    os.close(slave)
    assert proc.stderr is not None
    seen, deadline = b"", time.monotonic() + 60
    prompt = str(request.get("prompt", "passphrase")).encode()
    while prompt not in seen.lower() and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.2)
        if ready:
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    time.sleep(0.2)  # the prompt is written just before the read starts
    _reply({"pid": proc.pid, "core_limit": list(resource.getrlimit(resource.RLIMIT_CORE)),
            "prompted": prompt in seen.lower()})
    rest = proc.stderr.read()
    code = proc.wait()
    os.close(master)
    _reply({"returncode": code, "stderr": (seen + rest).decode(errors="replace")})


def main() -> None:
    for line in sys.stdin:
        serve_one(json.loads(line))


if __name__ == "__main__":
    main()
