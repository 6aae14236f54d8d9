"""Attacks on a running vaultapp process, repeated as real processes (docs/SECURITY.md):
a core dump or a same-user memory reader at the passphrase prompt, the passphrase
inherited by children, a hostile keybox's KDF parameters, passphrases that are not
UTF-8, control characters in stored text, and a forged audit actor.

The keyboxes are made in-process with the cheap KDF (stored in the slot), so the child
processes unlock fast; each child is the real `python -m vaultapp`.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import resource
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, ROOT
from vaultapp.core.keybox import Keybox

# A process of the same user without capabilities: what "another tool of this user"
# can do (root's CAP_SYS_PTRACE would read any process's memory regardless).
NO_CAPS = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "VAULTAPP_PASSPHRASE"}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def passphrase_keybox(home: Path, profile: str | None = "acme") -> Path:
    """A keybox in `home` with only a passphrase slot (so unlocking asks for it)."""
    path = home / "keybox.sqlite"
    box = Keybox.create(f"sqlite:///{path}", use_keyring=False, passphrase=PASSPHRASE)
    if profile:
        box.create_profile(profile)
    box.close()
    return path


def vaultapp_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "vaultapp", *args]


@contextlib.contextmanager
def at_the_prompt(argv: list[str], cwd: Path, env: dict[str, str]
                  ) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Start `argv` with a terminal as stdin; yield it and the terminal's master side
    once it waits at the passphrase prompt."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    os.close(slave)
    try:
        assert proc.stderr is not None
        seen, deadline = b"", time.monotonic() + 30
        while b"passphrase" not in seen.lower():
            ready, _, _ = select.select([proc.stderr], [], [], 0.2)
            if ready:
                chunk = os.read(proc.stderr.fileno(), 4096)
                assert chunk, f"exited before the prompt: {seen!r}"
                seen += chunk
            assert time.monotonic() < deadline, f"no prompt: {seen!r}"
        time.sleep(0.2)  # the prompt is written just before the read starts
        yield proc, master
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        os.close(master)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def core_limit(pid: int) -> tuple[str, str]:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            soft, hard = line.split()[4:6]
            return soft, hard
    raise AssertionError("no core limit line")


def cores_collected_here() -> bool:
    pattern = Path("/proc/sys/kernel/core_pattern").read_text().strip()
    return not pattern.startswith("|") and "/" not in pattern


def launch_with_cores_allowed(argv: list[str], cwd: Path, env: dict[str, str]
                              ) -> tuple[subprocess.Popen[str], dict[str, object]]:
    """Start `argv` through tests/support/core_launcher.py (`ulimit -c unlimited`, a
    terminal as stdin); returns the launcher and its first reply, once it prompts (or
    gave up waiting). The caller ends the program (its pid is in the reply)."""
    from tests import conftest

    launcher = conftest.CORE_LAUNCHER
    if launcher is None or launcher.poll() is not None:
        pytest.fail("the core launcher of tests/conftest.py is not running")
    assert launcher.stdin is not None and launcher.stdout is not None
    launcher.stdin.write(json.dumps({"argv": argv, "cwd": str(cwd), "env": env}) + "\n")
    launcher.stdin.flush()
    return launcher, json.loads(launcher.stdout.readline())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc and prctl")
def test_cli_at_passphrase_prompt_writes_no_core_and_is_not_dumpable(
        tmp_path: Path, isolated_home: Path) -> None:
    """ulimit -c unlimited, start `vaultapp key rotate`, crash it at the passphrase
    prompt and read its memory as a same-user process: no core, no read."""
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed: scripts/install-system-deps")
    passphrase_keybox(isolated_home)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    argv = NO_CAPS + vaultapp_argv("key", "rotate", "--profile", "acme")
    launcher, started = launch_with_cores_allowed(argv, cwd, child_env())
    assert launcher.stdout is not None
    pid = int(started["pid"])  # type: ignore[call-overload]
    try:
        assert started["core_limit"][1] == resource.RLIM_INFINITY  # type: ignore[index]
        assert started["prompted"], "no passphrase prompt"
        assert core_limit(pid) == ("0", "0")
        reader = subprocess.run([*NO_CAPS, "cat", f"/proc/{pid}/environ"],
                                capture_output=True, timeout=30)
        assert reader.returncode != 0 and reader.stdout == b"", reader  # non-dumpable
        assert b"Permission denied" in reader.stderr
    finally:
        os.kill(pid, signal.SIGSEGV)
        ended = json.loads(launcher.stdout.readline())
    assert ended["returncode"] == -signal.SIGSEGV, ended
    if cores_collected_here():
        assert sorted(p.name for p in cwd.iterdir()) == []  # no core file at all


def test_a_child_of_the_cli_never_inherits_the_passphrase(isolated_home: Path) -> None:
    """Read VAULTAPP_PASSPHRASE like a command does, then spawn `env`: the child's
    environment (and the C environ) must not hold it, and the value stays usable."""
    script = (
        "import os, subprocess, sys\n"
        "from vaultapp import cli\n"
        "from vaultapp.core import secrets_env\n"
        "assert secrets_env.take_env_passphrase() == sys.argv[1]\n"
        "assert 'VAULTAPP_PASSPHRASE' not in os.environ\n"
        "assert b'VAULTAPP_PASSPHRASE' not in os.environb\n"
        "sys.stdout.write(subprocess.run(['env'], capture_output=True, text=True).stdout)\n"
        "os.system('env')\n"  # the C environ, as a shell started by system(3) sees it
        "assert secrets_env.take_env_passphrase() == sys.argv[1]\n"  # cached for later
    )
    r = subprocess.run([sys.executable, "-c", script, PASSPHRASE], capture_output=True,
                       text=True, timeout=60,
                       env=child_env(VAULTAPP_PASSPHRASE=PASSPHRASE))
    assert r.returncode == 0, r.stderr
    assert "VAULTAPP_HOME=" in r.stdout  # the child did print its environment
    assert "VAULTAPP_PASSPHRASE" not in r.stdout and PASSPHRASE not in r.stdout


def test_commands_still_use_the_passphrase_from_the_environment(isolated_home: Path) -> None:
    """The passphrase taken out of the environment still creates and unlocks."""
    env = child_env(VAULTAPP_PASSPHRASE=PASSPHRASE)
    home = isolated_home
    r = subprocess.run(vaultapp_argv("init", "--no-keyring"), env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(vaultapp_argv("profile", "create", "acme"), env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (home / "keybox.sqlite").exists()


# --- item 5: a hostile keybox's KDF parameters -----------------------------------------

def test_hostile_kdf_in_keybox_fails_fast_in_small_memory(isolated_home: Path) -> None:
    """Edit the passphrase slot with the sqlite3 tool to ask for 1 GiB x 16 passes, then
    `vaultapp key rotate`: refused within 2 s, in < 100 MiB, with a clear message."""
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        pytest.fail("the sqlite3 command-line tool is needed: scripts/install-system-deps")
    path = passphrase_keybox(isolated_home)
    edit = ("UPDATE key_slots SET params = json_set(params, '$.memory_kib', 1048576, "
            "'$.iterations', 16) WHERE kind = 'passphrase';")
    subprocess.run([sqlite, str(path), edit], check=True, timeout=30)
    with sqlite3.connect(path) as db:
        (params,) = db.execute("SELECT params FROM key_slots WHERE kind = 'passphrase'"
                               ).fetchone()
    db.close()
    assert json.loads(params)["memory_kib"] == 1048576
    # On the machine that verified the slot, the edited slot is not used at all (exit 6).
    code, err, seconds, rss_kib = rss_of(vaultapp_argv("key", "rotate", "--profile", "acme"),
                                         child_env(VAULTAPP_PASSPHRASE=PASSPHRASE))
    assert code == 6 and "differs from the one this machine verified" in err, err
    # A machine that never unlocked this keybox tries the slot: the KDF bound stops it.
    from vaultapp.core.keybox import pin

    pin.forget(str(path))
    # Best of three: a machine busy with other work only ever makes a run slower, and
    # before the bound each run took the whole Argon2 (about 50 s, 1 GiB).
    for _ in range(3):
        code, err, seconds, rss_kib = rss_of(
            vaultapp_argv("key", "rotate", "--profile", "acme"),
            child_env(VAULTAPP_PASSPHRASE=PASSPHRASE))
        if seconds < 2.0:
            break
    assert code == 5, err
    assert "out-of-bounds key-derivation parameters (1048576 KiB, 16 passes" in err, err
    assert "Traceback" not in err
    assert seconds < 2.0, f"took {seconds:.2f} s"
    assert rss_kib < 100 * 1024, f"peak RSS {rss_kib} KiB"


# ru_maxrss of a child forked from this (large) test process counts the pages it shared
# with it before exec; a small intermediate process forks the program instead and reports
# the program's own ru_maxrss (os.wait4).
_MEASURE = (
    "import json, os, sys, time\n"
    "started = time.monotonic()\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execve(sys.argv[1], sys.argv[1:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'rss_kib': usage.ru_maxrss,"
    " 'seconds': time.monotonic() - started}))\n"
)


def rss_of(argv: list[str], env: dict[str, str]) -> tuple[int, str, float, int]:
    """(exit code, stderr, wall seconds, peak RSS in KiB) of one child."""
    r = subprocess.run([sys.executable, "-S", "-c", _MEASURE, *argv], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    facts = json.loads(r.stdout.strip().splitlines()[-1])
    return facts["code"], r.stderr, facts["seconds"], facts["rss_kib"]


# --- item 6: passphrases that are not UTF-8 ----------------------------------------------

NOT_UTF8 = b"\xff\xfe"


def assert_clear_usage_error(code: int, err: str) -> None:
    assert code == 2, err
    assert "not valid UTF-8" in err, err
    assert "Traceback" not in err and "codec" not in err, err
    for leak in ("xff", "0xff", "\udcff", "position", "\ufffd"):
        assert leak not in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_non_utf8_passphrase_on_stdin_is_a_clear_usage_error(isolated_home: Path) -> None:
    """printf '\\xff\\xfe\\n' | vaultapp init --no-keyring --passphrase-stdin."""
    r = subprocess.run(vaultapp_argv("init", "--no-keyring", "--passphrase-stdin"),
                       input=NOT_UTF8 + b"\n", env=child_env(), capture_output=True,
                       timeout=60)
    assert_clear_usage_error(r.returncode, r.stderr.decode(errors="replace"))
    assert not (isolated_home / "keybox.sqlite").exists()


@pytest.mark.parametrize("command", [("init", "--no-keyring"),
                                     ("key", "rotate", "--profile", "acme")])
def test_non_utf8_passphrase_in_the_environment_is_a_clear_usage_error(
        isolated_home: Path, command: tuple[str, ...]) -> None:
    """VAULTAPP_PASSPHRASE=$'\\xff\\xfe' vaultapp init / key rotate."""
    if command[0] != "init":
        passphrase_keybox(isolated_home)
    env = {k.encode(): v.encode() for k, v in child_env().items()}
    env[b"VAULTAPP_PASSPHRASE"] = NOT_UTF8
    r = subprocess.run(vaultapp_argv(*command), env=env, capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=60)
    assert_clear_usage_error(r.returncode, r.stderr.decode(errors="replace"))


@pytest.mark.parametrize("command", [("init", "--no-keyring"),
                                     ("key", "rotate", "--profile", "acme")])
def test_non_utf8_passphrase_at_the_terminal_is_a_clear_usage_error(
        tmp_path: Path, isolated_home: Path, command: tuple[str, ...]) -> None:
    """Type the bytes ff fe at the passphrase prompt of a terminal."""
    if command[0] != "init":
        passphrase_keybox(isolated_home)
    with at_the_prompt(vaultapp_argv(*command), tmp_path, child_env()) as (proc, master):
        os.write(master, NOT_UTF8 + b"\n")  # refused at once: no second prompt
        assert proc.stderr is not None
        code = proc.wait(timeout=60)
        err = proc.stderr.read().decode(errors="replace")
    lines = [line for line in err.splitlines() if "vaultapp:" in line]
    assert_clear_usage_error(code, "\n".join(lines) or err)
    assert "Traceback" not in err


# --- item 7: control characters in stored text -------------------------------------------

HOSTILE = "\x1b[2J\u202eevil"
ESCAPED = "\\x1b[2J\\u202eevil"


def sqlite_cli(path: Path, sql: str) -> None:
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        pytest.fail("the sqlite3 command-line tool is needed: scripts/install-system-deps")
    subprocess.run([sqlite, str(path), sql], check=True, timeout=30)


def test_stored_control_characters_are_printed_escaped(isolated_home: Path) -> None:
    """Put ESC[2J and U+202E into a profile name, an audit row and a slot label with the
    sqlite3 tool: log, profile list, key list and slot list print them escaped."""
    path = passphrase_keybox(isolated_home)
    hostile_sql = "char(27) || '[2J' || char(8238) || 'evil'"
    sqlite_cli(path, f"UPDATE profiles SET name = {hostile_sql};"
                     "INSERT INTO audit_log (at, actor, action, profile, key_id, files, "
                     f"details) SELECT at, {hostile_sql}, {hostile_sql}, {hostile_sql}, "
                     f"key_id, files, {hostile_sql} FROM audit_log LIMIT 1;"
                     f"UPDATE key_slots SET label = {hostile_sql};")
    env = child_env()
    for command in (("log",), ("profile", "list"), ("key", "list"), ("slot", "list")):
        r = subprocess.run(vaultapp_argv(*command), env=env, capture_output=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stderr
        out = r.stdout.decode()
        assert ESCAPED in out, (command, out)
        assert "\x1b" not in out and "\u202e" not in out, (command, out)
        r = subprocess.run(vaultapp_argv(*command, "--json"), env=env, capture_output=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stderr
        values = [v for row in json.loads(r.stdout) for v in row.values()]
        assert HOSTILE in values  # exact JSON: the stored text itself
        assert b"\x1b" not in r.stdout  # JSON escapes it as \u001b
    # an error naming a stored name: the locked listing names the slot's label
    r = subprocess.run(vaultapp_argv("key", "rotate", "--profile", "x"), env=env,
                       capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 5, r.stderr
    err = r.stderr.decode()
    assert ESCAPED in err and "\x1b" not in err and "\u202e" not in err, err


# --- item 8: the audit actor -------------------------------------------------------------

def test_audit_actor_is_the_os_account_not_logname(isolated_home: Path) -> None:
    """LOGNAME=mallory USER=mallory vaultapp profile create x; the log shows the real
    account."""
    import pwd
    import socket

    passphrase_keybox(isolated_home, profile=None)
    env = child_env(LOGNAME="mallory", USER="mallory", LNAME="mallory", USERNAME="mallory",
                    VAULTAPP_PASSPHRASE=PASSPHRASE)
    r = subprocess.run(vaultapp_argv("profile", "create", "x"), env=env, capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(vaultapp_argv("log", "--json"), env=env, capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    rows = [e for e in json.loads(r.stdout) if e["profile"] == "x"]
    assert rows
    real = pwd.getpwuid(os.getuid()).pw_name
    for row in rows:
        assert row["actor"] == f"{real}@{socket.gethostname()}", row
        assert "mallory" not in row["actor"]
