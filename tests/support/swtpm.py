"""A real TPM 2.0 simulator for the tests: Debian's `swtpm` on two free loopback ports
with its state in a temporary folder, started and ended by pid (never by name).

`tpm2-tools` (the `tpm2_*` commands) reads what vaultapp did to it: the transient handles
left behind, the dictionary-attack counter; `clear()` is `tpm2_clear`, what a person does
in the firmware menu or `tpm2_clear` does to a real TPM.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

START_TIMEOUT_S = 15


class SwtpmError(RuntimeError):
    pass


def _free_port_pair() -> int:
    """A port P with P and P + 1 both free on 127.0.0.1 (server and control)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            if port >= 65535:
                continue
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
        return int(port)
    raise SwtpmError("no two consecutive free loopback ports")


class Swtpm:
    """One swtpm process; `tcti` is what TPM2TOOLS_TCTI names it by."""

    def __init__(self, state_dir: Path, *, startup: bool = True) -> None:
        self.state_dir = state_dir
        self.startup = startup  # False: powered on, but never sent TPM2_Startup
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = state_dir.parent / f"{state_dir.name}.log"

    @property
    def tcti(self) -> str:
        return f"swtpm:host=127.0.0.1,port={self.port}"

    def start(self) -> None:
        if shutil.which("swtpm") is None:
            raise SwtpmError("swtpm is not installed (scripts/install-system-deps installs it)")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(5):
            if attempt or not self.port:  # a restart keeps its ports when it can
                self.port = _free_port_pair()
            with self.log.open("ab") as log:
                self.proc = subprocess.Popen(
                    ["swtpm", "socket", "--tpm2",
                     "--server", f"type=tcp,port={self.port},bindaddr=127.0.0.1",
                     "--ctrl", f"type=tcp,port={self.port + 1},bindaddr=127.0.0.1",
                     "--tpmstate", f"dir={self.state_dir}",
                     *(["--flags", "startup-clear"] if self.startup else [])],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            if self._wait_ready():
                return
            self.stop()  # lost the ports to someone else: try another pair
        raise SwtpmError(f"swtpm did not start: {self.log.read_text(errors='replace')}")

    def _wait_ready(self) -> bool:
        assert self.proc is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            with contextlib.suppress(OSError), \
                    socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """End the process by its pid: SIGTERM, then SIGKILL after 10 s."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def restart(self, *, fresh: bool = False) -> None:
        """Stop and start again (a reboot); `fresh` throws the state away (a new TPM)."""
        self.stop()
        if fresh:
            shutil.rmtree(self.state_dir)
        self.start()

    def tools(self, *args: str) -> str:
        """Run one tpm2-tools command against this TPM; its stdout."""
        env = {**os.environ, "TPM2TOOLS_TCTI": self.tcti, "TSS2_LOG": "all+NONE"}
        done = subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=60,
                              check=False)
        if done.returncode != 0:
            raise SwtpmError(f"{args} failed: {done.stderr}")
        return done.stdout

    def clear(self) -> None:
        """TPM2_Clear through the lockout hierarchy: new owner seed, every key under it gone."""
        self.tools("tpm2_clear", "-c", "l")

    def transient_handles(self) -> list[str]:
        """Objects and sessions still loaded (swtpm has no resource manager to flush them)."""
        found = []
        for kind in ("handles-transient", "handles-loaded-session"):
            found += [line.strip() for line in self.tools("tpm2_getcap", kind).splitlines()
                      if line.strip()]
        return found

    def lockout_counter(self) -> int:
        for line in self.tools("tpm2_getcap", "properties-variable").splitlines():
            if line.strip().startswith("TPM2_PT_LOCKOUT_COUNTER:"):
                return int(line.split(":")[1].strip(), 0)
        raise SwtpmError("no TPM2_PT_LOCKOUT_COUNTER")


@contextlib.contextmanager
def found_by_vaultapp(sim: Swtpm, monkeypatch: Any) -> Iterator[Swtpm]:
    """`sim`, started, where vaultapp looks for a TPM (TPM2TOOLS_TCTI; TCTI unset) until
    the block ends; then stopped. Starting may raise SwtpmError (the caller fails or
    skips)."""
    sim.start()
    monkeypatch.setenv("TPM2TOOLS_TCTI", sim.tcti)
    monkeypatch.delenv("TCTI", raising=False)
    try:
        yield sim
    finally:
        sim.stop()
