"""Benchmark of vaultapp against cp, age and gpg on one large random file.

    python benchmarks/engine.py [--size-mib 1024] [--runs 3] [--out benchmarks/results]

Every tool runs as the process a user runs, on the same file, interleaved within each
run, so the ratios compare numbers taken minutes apart at most on this noisy machine.
vaultapp runs as its command line (`vaultapp --keybox K seal|open ...`) and unlocks its
keybox through a keyring slot, on a real gnome-keyring that this script starts on a
private D-Bus (or reuses, when benchmarks/run.py started one). The engine alone, called
in-process by benchmarks/_child.py, is measured beside it ("engine only"): the difference
is the cost of starting the command (interpreter, imports, keyring unlock, exit).
benchmarks/README.md explains every column.

sweep.py and run.py import the helpers here (keyring_session, prepare_tools, measure).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the private Secret Service the tests use as well
from tests.support.secret_service import (  # noqa: E402
    BACKEND,
    SecretService,
    SecretServiceError,
)

CHILD = HERE / "_child.py"
MIB = 1 << 20
TIME_BIN = "/usr/bin/time"
GPG_PASSPHRASE = "x"
FLAT_TOLERANCE_MIB = 4.0
RSS_TARGET_MIB = 48.0
PROFILE = "bench"
# Set by keyring_session() to the address of the bus it started, so that the benchmarks
# run under it (engine.py and sweep.py started by run.py) reuse it instead of their own.
BUS_MARKER = "VAULTAPP_BENCH_DBUS"
SECRET_SERVICE = BACKEND
# Never passed to a measured process: vaultapp must unlock through the keyring slot (a
# passphrase slot runs Argon2id with 192 MiB, which would dominate time and peak RSS),
# and the keybox is always given with --keybox.
NOT_INHERITED = ("VAULTAPP_PASSPHRASE", "VAULTAPP_KEYBOX")
# (name, step whose time is the numerator, vaultapp step, target or None): issue 7
RATIOS: list[tuple[str, str, str, float | None]] = [
    ("seal / age encrypt", "age-encrypt", "seal", 1.3),
    ("open / age decrypt", "age-decrypt", "open", 2.0),
    ("seal / gpg encrypt", "gpg-encrypt", "seal", 3.0),
    ("open / gpg decrypt", "gpg-decrypt", "open", 3.0),
    ("seal / cp", "cp", "seal", 0.75),
    ("open / cp", "cp", "open", 0.75),
    ("engine-only seal / age encrypt", "age-encrypt", "engine-seal", None),
    ("engine-only open / age decrypt", "age-decrypt", "engine-open", None),
]
VIEWS = {
    "durable": "durable (output fsynced)",
    "exit": "at exit (what a user waits for)",
}
VAULTAPP_STEPS = ("seal", "open")  # the command-line rows the RSS target applies to


@dataclass
class Step:
    """One measured process: a command, the file it reads and the file it writes."""

    key: str
    label: str
    argv: list[str]
    src: Path | None = None
    dst: Path | None = None
    python_child: bool = False  # benchmarks/_child.py: reports its own call time and VmHWM
    self_syncs: bool = False  # fsyncs its output itself (vaultapp's AtomicFile does)
    verify: bool = False  # dst must equal the input file byte for byte
    memory_only: bool = False  # no file I/O: measured in the warm mode only
    stdout_null: bool = False
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Tools:
    """What every step needs besides its input file; made once, before any timing."""

    work: Path
    vaultapp: Path
    keybox: Path
    vault_env: dict[str, str]  # added to the environment of vaultapp's processes
    key_hex: str  # the engine-only child's key (it has no keybox)
    age_recipient: str
    age_identity: Path
    gnupghome: Path
    have_time: bool


@dataclass
class Bench:
    """One input file and the records of every step measured on it."""

    tools: Tools
    size: int
    src: Path
    src_sha256: str
    records: list[dict[str, Any]] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def log(msg: str) -> None:
    print(msg, flush=True)


def run_text(argv: list[str], env: dict[str, str] | None = None) -> str:
    try:
        res = subprocess.run(argv, capture_output=True, text=True, check=True, env=env, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unavailable ({exc})"
    return (res.stdout or res.stderr).strip()


def run_checked(argv: list[str], env: dict[str, str] | None = None) -> str:
    """Run a set-up command; on failure stop with its own error message."""
    res = subprocess.run(
        argv, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300
    )
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({res.returncode}): {res.stderr.strip()}")
    return res.stdout


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    buf = bytearray(4 * MIB)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()


def read_through(path: Path) -> None:
    """Read a file once so that it sits in the page cache (the warm mode)."""
    buf = bytearray(4 * MIB)
    with open(path, "rb", buffering=0) as f:
        while f.readinto(buf):
            pass


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def cpu_times() -> tuple[float, float]:
    """(busy, steal) CPU seconds of all cores since boot, from /proc/stat.

    busy = user + nice + system + irq + softirq; steal = time the hypervisor ran
    someone else on our cores.
    """
    try:
        with open("/proc/stat", encoding="ascii") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return 0.0, 0.0
    hz = os.sysconf("SC_CLK_TCK")
    return (v[0] + v[1] + v[2] + v[5] + v[6]) / hz, v[7] / hz


def drop_caches() -> None:
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as f:
        f.write("3\n")


def try_drop_caches() -> str | None:
    """None if the page cache can be dropped here, else why not."""
    try:
        drop_caches()
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def write_random(path: Path, size: int) -> str:
    """Write `size` random bytes to `path` (fsynced) and return their SHA-256."""
    h = hashlib.sha256()
    left = size
    with open(path, "wb", buffering=0) as f:
        while left:
            block = os.urandom(min(left, 16 * MIB))
            f.write(block)
            h.update(block)
            left -= len(block)
        os.fsync(f.fileno())
    return h.hexdigest()


def pick_workdir(need: int, override: Path | None) -> Path:
    """A fresh temporary folder on /work or /tmp (whichever has more room) or `override`."""
    candidates = [override] if override else [Path("/work"), Path(tempfile.gettempdir())]
    free = {c: shutil.disk_usage(c).free for c in candidates if c.is_dir()}
    if not free:
        raise SystemExit("no folder to work in")
    best = max(free, key=lambda c: free[c])
    if free[best] < need:
        raise SystemExit(
            f"not enough disk space: {need / MIB:.0f} MiB needed, "
            f"{free[best] / MIB:.0f} MiB free in {best}"
        )
    return Path(tempfile.mkdtemp(prefix="vaultapp-bench-", dir=best))


def fs_of(path: Path) -> str:
    """The mount (device, type) holding `path`, from /proc/mounts."""
    best = ("", "?", "?")
    try:
        with open("/proc/mounts", encoding="utf-8") as f:
            for line in f:
                dev, mnt, typ = line.split()[:3]
                if str(path).startswith(mnt) and len(mnt) >= len(best[0]):
                    best = (mnt, dev, typ)
    except OSError:
        pass
    return f"{best[1]} ({best[2]}) mounted on {best[0]}"


def engine_version(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Which engine ran: git HEAD, uncommitted changes, and the source fingerprints the
    engine-only children reported (more than one means the engine changed in the run)."""
    git = ["git", "-C", str(ROOT)]
    dirty = run_text([*git, "status", "--porcelain", "--", "vaultapp"])
    prints = sorted({r["child"]["engine"] for r in records if "engine" in r.get("child", {})})
    return {
        "git_head": run_text([*git, "log", "-1", "--format=%h (%cI)"]),
        "uncommitted": [line.split(None, 1)[-1] for line in dirty.splitlines()]
        if "unavailable" not in dirty
        else [dirty],
        "fingerprints": prints,
    }


def machine_facts(work: Path) -> dict[str, Any]:
    cpu = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="utf-8") as f:
        mem = f"{int(f.readline().split()[1]) / MIB:.1f} GiB"
    try:
        import cryptography

        crypto = cryptography.__version__
    except ImportError:
        crypto = "?"
    gpg = run_text(["gpg", "--version"]).splitlines()
    return {
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "cryptography": crypto,
        "age": run_text(["age", "--version"]),
        "gpg": " / ".join(line for line in gpg if line.startswith(("gpg", "libgcrypt"))),
        "cp": run_text(["cp", "--version"]).splitlines()[0],
        "workdir_fs": fs_of(work),
    }


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


# --------------------------------------------------------------------------- set-up


def vaultapp_command() -> Path:
    """The `vaultapp` script of this virtualenv (what `pip install -e .` made)."""
    script = Path(sys.executable).parent / "vaultapp"
    if script.exists():
        return script
    found = shutil.which("vaultapp")
    if found is None:
        raise SystemExit("the vaultapp command is not installed: .venv/bin/pip install -e .")
    return Path(found)


def python_env(work: Path) -> dict[str, str]:
    """Environment for measured Python processes: their bytecode is cached (in `work`).

    This machine sets PYTHONDONTWRITEBYTECODE=1 and the editable install has no .pyc
    files, so every vaultapp process would compile vaultapp's modules from source: a cost
    (and memory) an installed copy, which ships its bytecode, does not have. A private
    PYTHONPYCACHEPREFIX keeps the compiled files out of the source tree; the first run
    (the warm-up) fills it.
    """
    return {"PYTHONPYCACHEPREFIX": str(work / "pycache"), "PYTHONDONTWRITEBYTECODE": ""}


def child_environ(extra: dict[str, str]) -> dict[str, str]:
    """os.environ with `extra` on top and without what a measured process must not see.

    A value of "" in `extra` removes that variable.
    """
    env = {**os.environ, **extra}
    for name in (*NOT_INHERITED, *(k for k, v in extra.items() if v == "")):
        env.pop(name, None)
    return env


@contextlib.contextmanager
def keyring_session() -> Iterator[dict[str, str]]:
    """A gnome-keyring (Secret Service) on a private D-Bus, unlocked, with a throwaway HOME.

    Yields the variables a child needs to use it (bus address, keyring backend). The
    daemons are started and stopped by tests/support/secret_service.py, which ends only
    what it started, by pid, and removes its folder on the way out, also on failure. If
    this process runs under a session that a parent benchmark started (BUS_MARKER equals
    the bus address), that one is reused.
    """
    inherited = os.environ.get(BUS_MARKER)
    if inherited and inherited == os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        yield {
            "DBUS_SESSION_BUS_ADDRESS": inherited,
            BUS_MARKER: inherited,
            "PYTHON_KEYRING_BACKEND": SECRET_SERVICE,
        }
        return
    service = SecretService(login_password="benchmark login password")
    try:
        service.start()
    except SecretServiceError as error:
        raise SystemExit(f"the private Secret Service: {error}") from None
    try:
        child = service.client_env
        yield {**child, BUS_MARKER: child["DBUS_SESSION_BUS_ADDRESS"]}
    finally:
        service.stop()


def make_keybox(vaultapp: Path, work: Path, env: dict[str, str]) -> Path:
    """`vaultapp init` with a keyring slot only (no passphrase slot), and one profile."""
    keybox = work / "keybox.sqlite"
    base = [str(vaultapp), "--keybox", str(keybox)]
    run_checked([*base, "init"], env)
    run_checked([*base, "profile", "create", PROFILE], env)
    kinds = [
        line.split("\t")[1]
        for line in run_checked([*base, "slot", "list"], env).split("\n")
        if line.strip()
    ]
    if kinds != ["keyring"]:
        raise SystemExit(f"expected a keybox with one keyring slot, it has: {kinds}")
    return keybox


def make_age_identity(work: Path) -> tuple[str, Path]:
    identity = work / "age-identity.txt"
    run_checked(["age-keygen", "-o", str(identity)])
    return run_checked(["age-keygen", "-y", str(identity)]).strip(), identity


def gpg_common(passphrase: str = GPG_PASSPHRASE) -> list[str]:
    return [
        "gpg",
        "--batch",
        "--yes",
        "--quiet",
        "--passphrase",
        passphrase,
        "--pinentry-mode",
        "loopback",
    ]


def warm_up(t: Tools) -> None:
    """Start the throwaway gpg-agent and fill vaultapp's bytecode cache before any timing,
    so that no measured step pays for either; check that the keyring unlock works."""
    tiny = t.work / "tiny"
    tiny.write_bytes(b"warm-up")
    run_checked(
        [*gpg_common(), "--symmetric", "-o", f"{tiny}.gpg", str(tiny)],
        {**os.environ, "GNUPGHOME": str(t.gnupghome)},
    )
    env = child_environ(t.vault_env)
    base = [str(t.vaultapp), "--keybox", str(t.keybox)]
    run_checked([*base, "seal", str(tiny), "-o", f"{tiny}.vault", "--force"], env)
    run_checked([*base, "open", f"{tiny}.vault", "-o", f"{tiny}.plain", "--force"], env)
    run_checked(
        [sys.executable, str(CHILD), "aead-encrypt", "1"], {**env, "VAULTAPP_BENCH_KEY": t.key_hex}
    )
    if Path(f"{tiny}.plain").read_bytes() != b"warm-up":
        raise SystemExit("vaultapp open did not give back what vaultapp seal sealed")
    for p in (tiny, Path(f"{tiny}.gpg"), Path(f"{tiny}.vault"), Path(f"{tiny}.plain")):
        p.unlink(missing_ok=True)


def stop_gpg_agent(gnupghome: Path) -> None:
    if gnupghome.is_dir():
        subprocess.run(
            ["gpgconf", "--kill", "gpg-agent"],
            capture_output=True,
            check=False,
            env={**os.environ, "GNUPGHOME": str(gnupghome)},
        )


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so that every `finally` (daemons, temporary files)
    runs when a benchmark is stopped with `kill`."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def check_programs() -> None:
    for tool in ("cp", "cat", "age", "age-keygen", "gpg", "gpgconf"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed and not installed")


@contextlib.contextmanager
def prepare_tools(work: Path) -> Iterator[Tools]:
    """The keyring session, keybox, age identity and GNUPGHOME in `work`, warmed up.

    The gpg-agent and the keyring daemons are stopped on the way out, also on failure
    (removing `work` is the caller's job).
    """
    check_programs()
    gnupghome = work / "gnupg"
    with keyring_session() as keyring_env:
        try:
            gnupghome.mkdir(mode=0o700)
            vaultapp = vaultapp_command()
            vault_env = {**keyring_env, **python_env(work), "VAULTAPP_HOME": str(work / "home")}
            keybox = make_keybox(vaultapp, work, child_environ(vault_env))
            recipient, identity = make_age_identity(work)
            tools = Tools(
                work=work,
                vaultapp=vaultapp,
                keybox=keybox,
                vault_env=vault_env,
                key_hex=os.urandom(64).hex(),
                age_recipient=recipient,
                age_identity=identity,
                gnupghome=gnupghome,
                have_time=os.access(TIME_BIN, os.X_OK),
            )
            if not tools.have_time:
                log(
                    f"{TIME_BIN} missing: peak RSS of the command-line steps falls back to "
                    "wait4's ru_maxrss, which includes the RSS this harness had when it "
                    "started them"
                )
            warm_up(tools)
            yield tools
        finally:
            stop_gpg_agent(gnupghome)


# --------------------------------------------------------------------------- steps


def vaultapp_steps(t: Tools, src: Path, stem: str) -> list[Step]:
    """`vaultapp seal` of `src`, then `vaultapp open` of its output: the real commands."""
    vault, plain = t.work / f"{stem}.vault", t.work / f"{stem}.vault.plain"
    base = [str(t.vaultapp), "--keybox", str(t.keybox)]
    return [
        Step(
            "seal",
            "vaultapp seal",
            [*base, "seal", str(src), "-o", str(vault), "--force"],
            src=src,
            dst=vault,
            self_syncs=True,
            env=t.vault_env,
        ),
        Step(
            "open",
            "vaultapp open",
            [*base, "open", str(vault), "-o", str(plain), "--force"],
            src=vault,
            dst=plain,
            self_syncs=True,
            verify=True,
            env=t.vault_env,
        ),
    ]


def engine_only_steps(b: Bench) -> list[Step]:
    """seal_file / open_file called in a Python process (benchmarks/_child.py): no keybox."""
    t, py = b.tools, sys.executable
    vault, plain = t.work / "out.engine.vault", t.work / "out.engine.plain"
    env = {**t.vault_env, "VAULTAPP_BENCH_KEY": t.key_hex}
    common: dict[str, Any] = {"python_child": True, "self_syncs": True, "env": env}
    return [
        Step("engine-seal", "vaultapp seal, engine only",
             [py, str(CHILD), "seal", str(b.src), str(vault)], src=b.src, dst=vault, **common),
        Step("engine-open", "vaultapp open, engine only",
             [py, str(CHILD), "open", str(vault), str(plain)], src=vault, dst=plain,
             verify=True, **common),
    ]  # fmt: skip


def age_steps(b: Bench) -> list[Step]:
    """`age -r RECIPIENT`, then `age -d -i IDENTITY` of its output."""
    t = b.tools
    sealed, plain = t.work / "out.age", t.work / "out.age.plain"
    return [
        Step("age-encrypt", "age encrypt",
             ["age", "-r", t.age_recipient, "-o", str(sealed), str(b.src)], src=b.src, dst=sealed),
        Step("age-decrypt", "age decrypt",
             ["age", "-d", "-i", str(t.age_identity), "-o", str(plain), str(sealed)],
             src=sealed, dst=plain, verify=True),
    ]  # fmt: skip


def gpg_steps(b: Bench) -> list[Step]:
    """`gpg --symmetric` (AES256, no compression, throwaway GNUPGHOME), then its decrypt."""
    t = b.tools
    sealed, plain = t.work / "out.gpg", t.work / "out.gpg.plain"
    env = {"GNUPGHOME": str(t.gnupghome)}
    encrypt = ["--symmetric", "--compress-algo", "none", "--cipher-algo", "AES256"]
    return [
        Step("gpg-encrypt", "gpg encrypt (AES256)",
             [*gpg_common(), *encrypt, "-o", str(sealed), str(b.src)], src=b.src, dst=sealed,
             env=env),
        Step("gpg-decrypt", "gpg decrypt", [*gpg_common(), "-o", str(plain), "-d", str(sealed)],
             src=sealed, dst=plain, verify=True, env=env),
    ]  # fmt: skip


def aead_steps(b: Bench) -> list[Step]:
    """AES-256-GCM over the same number of bytes in memory: the cipher's limit."""
    env = {**b.tools.vault_env, "VAULTAPP_BENCH_KEY": b.tools.key_hex}
    return [
        Step(f"aead-{op}", f"AES-256-GCM in memory, {op}",
             [sys.executable, str(CHILD), f"aead-{op}", str(b.size)], python_child=True,
             memory_only=True, env=env)
        for op in ("encrypt", "decrypt")
    ]  # fmt: skip


def groups(b: Bench, keys: set[str] | None = None) -> list[list[Step]]:
    """Tools in groups whose steps must run in order (a decrypt reads its encrypt).

    `keys` keeps only those steps (sweep.py measures a subset).
    """
    src, copy = str(b.src), b.tools.work / "out.cp"
    all_groups = [
        [Step("read", "read (cat > /dev/null)", ["cat", src], src=b.src, stdout_null=True)],
        [Step("cp", "cp", ["cp", src, str(copy)], src=b.src, dst=copy, verify=True)],
        vaultapp_steps(b.tools, b.src, "out"),
        engine_only_steps(b),
        age_steps(b),
        gpg_steps(b),
        aead_steps(b),
    ]
    if keys is None:
        return all_groups
    kept = [[s for s in g if s.key in keys] for g in all_groups]
    return [g for g in kept if g]


def measure(b: Bench, step: Step, mode: str) -> dict[str, Any]:
    """Run one step as a fresh process and return what it cost."""
    t = b.tools
    if step.dst is not None:
        step.dst.unlink(missing_ok=True)
    os.sync()  # nothing dirty left over from the step before
    if mode == "cold":
        drop_caches()
    elif step.src is not None:
        read_through(step.src)
    tfile, ofile, efile = t.work / "time.txt", t.work / "stdout.txt", t.work / "stderr.txt"
    argv = step.argv
    if t.have_time:
        argv = [TIME_BIN, "-f", "%M %U %S %e", "-o", str(tfile), *argv]
    env = child_environ(step.env)
    with open(ofile, "wb") as out, open(efile, "wb") as err:
        stdout = subprocess.DEVNULL if step.stdout_null else out
        busy0, steal0 = cpu_times()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=stdout, stderr=err, env=env, stdin=subprocess.DEVNULL)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        busy1, steal1 = cpu_times()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{step.label} failed ({proc.returncode}): {efile.read_text(errors='replace')}"
        )
    post_fsync = post_fsync_sys = 0.0
    if step.dst is not None and not step.self_syncs:
        sys0 = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        t0 = time.perf_counter()
        fsync_path(step.dst)
        fsync_path(step.dst.parent)  # as vaultapp's AtomicFile does after its rename
        post_fsync = time.perf_counter() - t0
        # the kernel work of writing the output back is charged to whoever calls
        # fsync: vaultapp does so itself, so do the same for the others
        post_fsync_sys = resource.getrusage(resource.RUSAGE_SELF).ru_stime - sys0
    rec: dict[str, Any] = {
        "step": step.key,
        "mode": mode,
        "wall_s": wall,
        "user_s": ru.ru_utime,
        "process_sys_s": ru.ru_stime,
        "sys_s": ru.ru_stime + post_fsync_sys,
        "post_fsync_s": post_fsync,
        "post_fsync_sys_s": post_fsync_sys,
        "steal_s": steal1 - steal0,
        # CPU that other processes on this machine used while the step ran (noise)
        "others_cpu_s": max(0.0, busy1 - busy0 - ru.ru_utime - ru.ru_stime),
        "wait4_maxrss_kib": ru.ru_maxrss,
    }
    if t.have_time:
        rec["time_maxrss_kib"] = int(tfile.read_text().split()[-4])
    if step.python_child:
        child = json.loads(ofile.read_text())
        rec["child"] = child
        rec["peak_rss_kib"] = child["vm_hwm_kib"]
        rec["call_s"] = child["call_wall_s"]
        rec["inner_fsync_s"] = child["fsync_s"]
        rec["call_durable_s"] = rec["call_s"]
        rec["call_cache_s"] = rec["call_s"] - rec["inner_fsync_s"]
    else:
        rec["peak_rss_kib"] = rec.get("time_maxrss_kib", ru.ru_maxrss)
    # durable: the clock stops when the output is on disk, for every tool alike.
    # exit: the clock stops when the process exits (vaultapp has fsynced, others not).
    rec["durable_s"] = wall + post_fsync
    rec["exit_s"] = wall
    if step.verify and step.dst is not None:
        digest = sha256_file(step.dst)
        rec["verified"] = digest == b.src_sha256
        if not rec["verified"]:
            raise RuntimeError(f"{step.label}: output differs from the input")
    return rec


def run_mode(b: Bench, mode: str, runs: int, keys: set[str] | None = None) -> None:
    """`runs` rounds of every group, in an order that rotates from round to round."""
    gs = [g for g in groups(b, keys) if not (mode == "cold" and all(s.memory_only for s in g))]
    for run in range(runs):
        k = run % len(gs)  # rotate the order so drift does not always hit the same tool
        for group in gs[k:] + gs[:k]:
            for step in group:
                rec = measure(b, step, mode)
                rec["run"] = run
                rec["bytes"] = b.size
                rec["time_utc"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                b.records.append(rec)
                log(
                    f"  [{b.size // MIB} MiB {mode} run {run + 1}/{runs}] {step.label:30s} "
                    f"{b.size / rec['durable_s'] / 1e6:7.0f} MB/s durable "
                    f"{b.size / rec['exit_s'] / 1e6:7.0f} MB/s at exit  "
                    f"user {rec['user_s']:5.2f}s  peak {rec['peak_rss_kib'] / 1024:6.1f} MiB"
                )
            for step in group:
                if step.dst is not None:
                    step.dst.unlink(missing_ok=True)


# --------------------------------------------------------------------------- summary


def summarize(b: Bench, steps: list[Step], modes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mode in modes:
        out[mode] = {}
        for step in steps:
            recs = [
                r
                for r in b.records
                if r["mode"] == mode and r["step"] == step.key and r.get("bytes") == b.size
            ]
            if not recs:
                continue
            s: dict[str, Any] = {"label": step.label, "runs": len(recs)}
            for view in VIEWS:
                s[f"mbps_{view}"] = stats([b.size / r[f"{view}_s"] / 1e6 for r in recs])
            if "call_s" in recs[0]:
                for view in ("durable", "cache"):
                    s[f"call_mbps_{view}"] = stats(
                        [b.size / r[f"call_{view}_s"] / 1e6 for r in recs]
                    )
            s["wall_s"] = stats([r["wall_s"] for r in recs])
            s["user_s"] = stats([r["user_s"] for r in recs])
            s["sys_s"] = stats([r["sys_s"] for r in recs])
            s["peak_rss_mib"] = stats([r["peak_rss_kib"] / 1024 for r in recs])
            out[mode][step.key] = s
    return out


def ratios(b: Bench, modes: list[str]) -> dict[str, Any]:
    """Speed ratios vaultapp / other, each computed within one run, then summarized."""
    out: dict[str, Any] = {}
    for mode in modes:
        out[mode] = {}
        for name, other, mine, target in RATIOS:
            entry: dict[str, Any] = {"target": target}
            for view in VIEWS:
                per_run = []
                for run in sorted({r["run"] for r in b.records if r["mode"] == mode}):
                    by = {
                        r["step"]: r
                        for r in b.records
                        if r["mode"] == mode and r["run"] == run and r["bytes"] == b.size
                    }
                    if other in by and mine in by:
                        per_run.append(by[other][f"{view}_s"] / by[mine][f"{view}_s"])
                if per_run:
                    entry[view] = {**stats(per_run), "per_run": per_run}
                    if target is not None:
                        entry[view]["met"] = statistics.median(per_run) >= target
            out[mode][name] = entry
    return out


def flatness(b: Bench, small: Path, small_size: int, runs: int) -> dict[str, Any]:
    """Peak RSS of `vaultapp seal` and `open` on a small file, to compare with the big one."""
    small_bench = Bench(b.tools, small_size, small, sha256_file(small))
    steps = vaultapp_steps(b.tools, small, "small")
    peaks: dict[str, list[float]] = {"seal": [], "open": []}
    for _ in range(runs):
        for step in steps:
            rec = measure(small_bench, step, "warm")
            peaks[step.key].append(rec["peak_rss_kib"] / 1024)
        for step in steps:
            assert step.dst is not None
            step.dst.unlink(missing_ok=True)
    big = {
        k: [r["peak_rss_kib"] / 1024 for r in b.records if r["step"] == k and r["bytes"] == b.size]
        for k in peaks
    }
    out: dict[str, Any] = {"small_mib": small_size // MIB, "big_mib": b.size // MIB}
    for k in peaks:
        small_med, big_med = statistics.median(peaks[k]), statistics.median(big[k])
        out[k] = {
            "small_peak_mib": stats(peaks[k]),
            "big_peak_mib": stats(big[k]),
            "difference_mib": big_med - small_med,
            "flat": abs(big_med - small_med) < FLAT_TOLERANCE_MIB,
        }
    return out


def _range(s: dict[str, float], spec: str = ".0f") -> str:
    return f"{s['median']:{spec}} ({s['min']:{spec}}–{s['max']:{spec}})"


def _header(result: dict[str, Any]) -> list[str]:
    a, m = result["args"], result["machine"]
    lines = [
        f"## vaultapp engine benchmark, {a['size_mib']} MiB, {a['runs']} run(s) per mode",
        "",
        f"{m['date_utc']}; {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, "
        f"Linux {m['kernel']}; Python {m['python']}, cryptography {m['cryptography']}; "
        f"age {m['age']}; {m['gpg']}; {m['cp']}; files on {m['workdir_fs']}.",
        "",
        "MB/s = 10^6 plaintext bytes per second: median (min–max) over the runs. "
        "**durable**: the clock stops once the output is fsynced (vaultapp fsyncs by itself; "
        "the others are fsynced right after they exit). **at exit**: the clock stops when the "
        "process exits, what a user waits for (vaultapp has fsynced by then, the others not). "
        "`vaultapp seal` / `open` are the command line, unlocking through a keyring slot on a "
        "real gnome-keyring, with its bytecode cached as in an installed copy; **engine "
        "only** is one seal_file/open_file call in a Python process with the key given (no "
        "keybox), and **call** its time without interpreter "
        "start and imports (durable / without its own fsync). "
        "User/sys CPU and peak RSS are those of the tool's process (peak RSS: GNU time %M; "
        "VmHWM for the Python children); sys also counts the kernel time of the fsync of its "
        "output (vaultapp does that in its own process, for the others the harness does it "
        "and its sys time is added).",
        "",
    ]
    load = result["load_average_start_end"]
    lines += [f"Load average (1 min) at the start: {load[0]:.2f}, at the end: {load[1]:.2f}.", ""]
    e = result["engine"]
    changes = ", ".join(e["uncommitted"]) if e["uncommitted"] else "none"
    lines += [
        f"Engine: git {e['git_head']}; uncommitted changes under vaultapp/: {changes}; "
        f"source fingerprint of the loaded vaultapp modules: {', '.join(e['fingerprints'])}.",
        "",
    ]
    if len(e["fingerprints"]) > 1:
        lines += [
            "**The engine's source changed during this run**: its steps did not all run the "
            "same code. Rerun before comparing.",
            "",
        ]
    if result["cold_error"]:
        lines += [f"**Cold could not be measured**: {result['cold_error']}", ""]
    return lines


def _mode_table(result: dict[str, Any], mode: str) -> list[str]:
    what = "input in page cache" if mode == "warm" else "page cache dropped before each step"
    lines = [
        f"### {mode} ({what})",
        "",
        "| step | MB/s durable | MB/s at exit | MB/s call (durable / no fsync) | user CPU s "
        "| sys CPU s | peak RSS MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, s in result["summary"][mode].items():
        memory_only = key.startswith("aead")
        call = ""
        if "call_mbps_durable" in s:
            call = _range(s["call_mbps_durable"])
            if not memory_only:
                call += f" / {s['call_mbps_cache']['median']:.0f}"
        lines.append(
            f"| {s['label']} | {'—' if memory_only else _range(s['mbps_durable'])} "
            f"| {'—' if memory_only else _range(s['mbps_exit'])} | {call} "
            f"| {_range(s['user_s'], '.2f')} | {_range(s['sys_s'], '.2f')} "
            f"| {_range(s['peak_rss_mib'], '.1f')} |"
        )
    recs = [r for r in result["records"] if r["mode"] == mode]
    steals = [r["steal_s"] for r in recs]
    others = [r["others_cpu_s"] for r in recs]
    lines += [
        "",
        f"Noise during these steps: CPU used by everything else (other processes, kernel "
        f"threads) {sum(others):.2f} s in all "
        f"({max(others):.2f} s at most in one step); CPU stolen by the hypervisor "
        f"{sum(steals):.2f} s in all ({max(steals):.2f} s at most).",
        "",
    ]
    return lines


def _ratio_table(result: dict[str, Any]) -> list[str]:
    modes = result["modes"]
    lines = [
        "### Ratios (vaultapp speed / other speed, each taken within one run)",
        "",
        "| ratio | target | " + " | ".join(f"{m} {VIEWS[v]}" for m in modes for v in VIEWS) + " |",
        "| --- | --- | " + " | ".join("---" for _ in modes for _ in VIEWS) + " |",
    ]
    for name, _, _, target in RATIOS:
        cells = []
        for mode in modes:
            for view in VIEWS:
                e = result["ratios"][mode][name].get(view)
                if e is None:
                    cells.append("n/a")
                    continue
                verdict = "" if target is None else (" met" if e["met"] else " **not met**")
                cells.append(f"{_range(e, '.2f')}{verdict}")
        tgt = "—" if target is None else f"≥ {target}×"
        lines.append(f"| {name} | {tgt} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def _memory_lines(result: dict[str, Any]) -> list[str]:
    lines = []
    for key in VAULTAPP_STEPS:
        worst = max(result["summary"][mode][key]["peak_rss_mib"]["max"] for mode in result["modes"])
        verdict = "met" if worst < RSS_TARGET_MIB else "**not met**"
        lines.append(
            f"- peak RSS of `vaultapp {key}`: {worst:.1f} MiB (worst run), target "
            f"< {RSS_TARGET_MIB:.0f} MiB whatever the size: {verdict}"
        )
    f = result["flatness"]
    for key in VAULTAPP_STEPS:
        e = f[key]
        lines.append(
            f"- memory flatness, {key}: peak RSS {e['small_peak_mib']['median']:.1f} MiB at "
            f"{f['small_mib']} MiB vs {e['big_peak_mib']['median']:.1f} MiB at "
            f"{f['big_mib']} MiB ({e['difference_mib']:+.1f} MiB): "
            f"{'flat' if e['flat'] else '**not flat**'}"
        )
    lines.append("")
    return lines


def markdown(result: dict[str, Any]) -> str:
    lines = _header(result)
    for mode in result["modes"]:
        lines += _mode_table(result, mode)
    lines += _ratio_table(result)
    lines += _memory_lines(result)
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mib", type=int, default=1024, help="size of the test file")
    ap.add_argument("--runs", type=int, default=3, help="runs per mode")
    ap.add_argument("--out", type=Path, default=HERE / "results", help="folder for results")
    ap.add_argument("--modes", default="warm,cold", help="warm, cold or both (warm,cold)")
    ap.add_argument("--small-mib", type=int, default=64, help="size for the flatness check")
    ap.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="folder for the temporary files (default: /work or /tmp, "
        "whichever has more free space)",
    )
    args = ap.parse_args()
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.modes or any(m not in ("warm", "cold") for m in args.modes):
        ap.error("--modes takes warm, cold or warm,cold")
    return args


def benchmark(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Every mode and run on one file of --size-mib, then the flatness check."""
    size, small_size = args.size_mib * MIB, args.small_mib * MIB
    load_start = os.getloadavg()
    modes = list(args.modes)
    with prepare_tools(work) as tools:
        log(f"writing {args.size_mib} MiB of random bytes ...")
        src, small = work / "input.bin", work / "small.bin"
        b = Bench(tools, size, src, write_random(src, size))
        write_random(small, small_size)
        cold_error = try_drop_caches() if "cold" in modes else None
        if cold_error:
            log(f"cold could not be measured: dropping the page cache failed ({cold_error})")
            modes = [m for m in modes if m != "cold"]
        for mode in modes:
            log(f"{mode}:")
            run_mode(b, mode, args.runs)
        log("memory flatness check ...")
        flat = flatness(b, small, small_size, args.runs)
        steps = [s for g in groups(b) for s in g]
        return {
            "args": {"size_mib": args.size_mib, "runs": args.runs, "small_mib": args.small_mib},
            "machine": machine_facts(work),
            "modes": modes,
            "cold_error": cold_error,
            "peak_rss_source": (
                "engine-only and in-memory AES: VmHWM of the child process; others: "
                + ("GNU time %M" if tools.have_time else "wait4 ru_maxrss (includes launcher RSS)")
            ),
            "engine": engine_version(b.records),
            "load_average_start_end": [load_start[0], os.getloadavg()[0]],
            "summary": summarize(b, steps, modes),
            "ratios": ratios(b, modes),
            "flatness": flat,
            "records": b.records,
        }


def main() -> int:
    args = parse_args()
    exit_on_sigterm()
    if os.getloadavg()[0] > 0.5:
        log(f"warning: the machine is busy (load average {os.getloadavg()[0]:.2f}): expect noise")
    # input + an encrypted and a decrypted copy at most, the small file and slack
    work = pick_workdir(3 * args.size_mib * MIB + args.small_mib * MIB + 512 * MIB, args.workdir)
    log(f"working in {work} ({fs_of(work)})")
    try:
        result = benchmark(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    md = markdown(result)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"engine-{args.size_mib}mib"
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / f"{stem}.md").write_text(md + "\n")
    log("")
    log(md)
    log(f"written: {args.out / (stem + '.md')} and {args.out / (stem + '.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
