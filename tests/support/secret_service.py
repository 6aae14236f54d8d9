"""A private Secret Service: gnome-keyring-daemon on its own dbus-daemon, for tests and
benchmarks that need the real OS keyring.

Why: the keyring tests and benchmarks must never touch the desktop keyring of the person
running them, neither by using it nor by stopping it. `SecretService.start()` runs a
dbus-daemon (a bus with no service folders, so nothing is started on demand) and an
unlocked gnome-keyring-daemon, both in the foreground as children of this process, with a
throwaway HOME and XDG_RUNTIME_DIR; if the service does not answer within the probe's
timeout, everything is stopped and started once more. `stop()` ends only what this
instance started, by pid: its two children, then any gnome-keyring-daemon whose
/proc/PID/environ carries this instance's own XDG_RUNTIME_DIR. Nothing is killed by name.

No pytest here (failures raise SecretServiceError), so benchmarks can import it too.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

BACKEND = "keyring.backends.SecretService.Keyring"
PROGRAMS = ("dbus-daemon", "gnome-keyring-daemon")
KEYRING_COMM = "gnome-keyring-d"  # /proc/PID/comm: the name cut to 15 characters
STOP_TIMEOUT_S = 5.0
PROBE = ("import keyring; keyring.set_password('vaultapp-probe', 'p', 'x'); "
         "assert keyring.get_password('vaultapp-probe', 'p') == 'x'; "
         "keyring.delete_password('vaultapp-probe', 'p')")
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SecretServiceError(RuntimeError):
    """The programs are missing, or the Secret Service did not come up (twice)."""


class SecretService:
    """One private Secret Service. After start(), `env` is os.environ with its HOME, XDG
    folders, bus address and keyring backend; `client_env` only the last two."""

    def __init__(self, login_password: str = "test-login-password",
                 probe_timeout_s: float = 20.0) -> None:
        self.login_password = login_password
        self.probe_timeout_s = probe_timeout_s
        self.base: Path | None = None
        self.env: dict[str, str] = {}
        self._children: list[subprocess.Popen[bytes]] = []

    @property
    def runtime_dir(self) -> str:
        return self.env["XDG_RUNTIME_DIR"]

    @property
    def client_env(self) -> dict[str, str]:
        return {name: self.env[name]
                for name in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")}

    def start(self) -> SecretService:
        missing = [p for p in PROGRAMS if shutil.which(p) is None]
        if missing:
            raise SecretServiceError(f"not installed: {', '.join(missing)} "
                                     "(scripts/install-system-deps installs them)")
        try:
            try:
                self._start_once()
            except SecretServiceError:  # not up within the probe's timeout: once more
                self.stop()
                self._start_once()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """End this instance's processes (only those) and remove its folder."""
        for proc in reversed(self._children):
            _end_child(proc)
        self._children.clear()
        if self.base is not None:
            for pid in self.keyring_daemon_pids():
                _end_pid(pid, self.runtime_dir)
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None

    def pids(self) -> list[int]:
        """Every live process this instance started: its children and keyring daemons."""
        children = {proc.pid for proc in self._children if proc.poll() is None}
        return sorted(children | set(self.keyring_daemon_pids()))

    def keyring_daemon_pids(self) -> list[int]:
        """gnome-keyring-daemon processes started with this instance's XDG_RUNTIME_DIR."""
        if self.base is None:
            return []
        return [pid for pid in _pids() if _comm(pid) == KEYRING_COMM
                and _runtime_dir_of(pid) == self.runtime_dir]

    def __enter__(self) -> SecretService:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _start_once(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="vaultapp-ss-"))
        home, runtime = self.base / "home", self.base / "runtime"
        home.mkdir(mode=0o700)
        runtime.mkdir(mode=0o700)
        self.env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
                    "XDG_DATA_HOME": str(home / ".local/share"),
                    "XDG_CONFIG_HOME": str(home / ".config"),
                    "XDG_CACHE_HOME": str(home / ".cache"),
                    "PYTHON_KEYRING_BACKEND": BACKEND}
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        config = self.base / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=self.base / "bus"))
        bus = self._spawn(["dbus-daemon", "--nofork", f"--config-file={config}",
                           "--print-address=1"], stdout=subprocess.PIPE)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = _first_line(bus, self.probe_timeout_s)
        daemon = self._spawn(["gnome-keyring-daemon", "--foreground", "--unlock",
                              "--components=secrets"], stdin=subprocess.PIPE)
        assert daemon.stdin is not None
        daemon.stdin.write(self.login_password.encode())  # unlocks the login keyring
        daemon.stdin.close()
        self._probe()

    def _spawn(self, argv: list[str], **pipes: int) -> subprocess.Popen[bytes]:
        streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, **pipes}
        proc = subprocess.Popen(argv, env=self.env, **streams)  # type: ignore[call-overload]
        self._children.append(proc)
        return proc

    def _probe(self) -> None:
        """Until a keyring write, read and delete through the Secret Service work."""
        deadline = time.monotonic() + self.probe_timeout_s
        while True:
            try:
                res = subprocess.run([sys.executable, "-c", PROBE], env=self.env,
                                     capture_output=True, text=True, timeout=30)
                if res.returncode == 0:
                    return
                detail = res.stderr[-500:]
            except subprocess.TimeoutExpired:
                detail = "the probe did not finish in 30 s"
            if time.monotonic() > deadline:
                raise SecretServiceError(f"the Secret Service did not come up: {detail}")
            time.sleep(0.2)


def _first_line(proc: subprocess.Popen[bytes], timeout_s: float) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout_s)
    line = proc.stdout.readline().decode().strip() if ready else ""
    if not line:
        raise SecretServiceError("dbus-daemon did not print its address")
    return line


def _end_child(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def _end_pid(pid: int, runtime_dir: str) -> None:
    """SIGTERM, then SIGKILL after STOP_TIMEOUT_S; each only while `pid` still carries
    `runtime_dir` (so a reused pid is never signalled)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if _runtime_dir_of(pid) != runtime_dir:
            return
        os.kill(pid, sig)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while _runtime_dir_of(pid) == runtime_dir and time.monotonic() < deadline:
            time.sleep(0.05)


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _runtime_dir_of(pid: int) -> str | None:
    """The XDG_RUNTIME_DIR a process was started with (None: gone, a zombie, not ours)."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return None
    for entry in environ.split(b"\0"):
        if entry.startswith(b"XDG_RUNTIME_DIR="):
            return entry.partition(b"=")[2].decode(errors="replace")
    return None
