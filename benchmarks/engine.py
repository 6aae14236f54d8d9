"""Benchmark of the vaultapp engine against cp, age and gpg on one large random file.

    python benchmarks/engine.py [--size-mib 1024] [--runs 3] [--out benchmarks/results]

Every tool runs as a process of its own (vaultapp through benchmarks/_child.py) on the
same file, interleaved within each run, so the ratios compare numbers taken minutes
apart at most on this noisy machine. benchmarks/README.md explains every column.
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
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHILD = HERE / "_child.py"
MIB = 1 << 20
TIME_BIN = "/usr/bin/time"
GPG_PASSPHRASE = "x"
FLAT_TOLERANCE_MIB = 4.0
RSS_TARGET_MIB = 48.0
RSS_TARGET_AT_MIB = 2048

# (name, tool whose time is the numerator, vaultapp step, target or None)
RATIOS: list[tuple[str, str, str, float | None]] = [
    ("seal / age encrypt", "age-encrypt", "seal", 1.2),
    ("open / age decrypt", "age-decrypt", "open", 1.5),
    ("seal / cp", "cp", "seal", 0.6),
    ("open / cp", "cp", "open", 0.6),
    ("seal / gpg encrypt", "gpg-encrypt", "seal", None),
    ("open / gpg decrypt", "gpg-decrypt", "open", None),
]
VIEWS = {
    "durable": "durable (output fsynced)",
    "cache": "page cache (no fsync)",
}


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
class Bench:
    work: Path
    size: int
    src: Path
    src_sha256: str
    key_hex: str
    age_recipient: str
    age_identity: Path
    gnupghome: Path
    have_time: bool
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


def pick_workdir(size: int, override: Path | None) -> Path:
    need = 3 * size + 512 * MIB  # input + an encrypted and a decrypted copy at most
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
    children reported (more than one means the engine changed during the run)."""
    git = ["git", "-C", str(ROOT)]
    dirty = run_text([*git, "status", "--porcelain", "--", "vaultapp"])
    prints = sorted({r["child"]["engine"] for r in records if r["step"] in ("seal", "open")})
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


# --------------------------------------------------------------------------- steps


def groups(b: Bench) -> list[list[Step]]:
    """Tools in groups whose steps must run in order (a decrypt reads its encrypt)."""
    w, src, py = b.work, str(b.src), sys.executable
    env = {"VAULTAPP_BENCH_KEY": b.key_hex}
    gpg_env = {"GNUPGHOME": str(b.gnupghome)}
    gpg_common = [
        "gpg",
        "--batch",
        "--yes",
        "--quiet",
        "--passphrase",
        GPG_PASSPHRASE,
        "--pinentry-mode",
        "loopback",
    ]
    vault, age, gpg = w / "out.vault", w / "out.age", w / "out.gpg"
    return [
        [Step("read", "read (cat > /dev/null)", ["cat", src], src=b.src, stdout_null=True)],
        [
            Step(
                "cp", "cp", ["cp", src, str(w / "out.cp")], src=b.src, dst=w / "out.cp", verify=True
            )
        ],
        [
            Step(
                "seal",
                "vaultapp seal",
                [py, str(CHILD), "seal", src, str(vault)],
                src=b.src,
                dst=vault,
                python_child=True,
                self_syncs=True,
                env=env,
            ),
            Step(
                "open",
                "vaultapp open",
                [py, str(CHILD), "open", str(vault), str(w / "out.vault.plain")],
                src=vault,
                dst=w / "out.vault.plain",
                python_child=True,
                self_syncs=True,
                verify=True,
                env=env,
            ),
        ],
        [
            Step(
                "age-encrypt",
                "age encrypt",
                ["age", "-r", b.age_recipient, "-o", str(age), src],
                src=b.src,
                dst=age,
            ),
            Step(
                "age-decrypt",
                "age decrypt",
                ["age", "-d", "-i", str(b.age_identity), "-o", str(w / "out.age.plain"), str(age)],
                src=age,
                dst=w / "out.age.plain",
                verify=True,
            ),
        ],
        [
            Step(
                "gpg-encrypt",
                "gpg encrypt (AES256)",
                [
                    *gpg_common,
                    "--symmetric",
                    "--compress-algo",
                    "none",
                    "--cipher-algo",
                    "AES256",
                    "-o",
                    str(gpg),
                    src,
                ],
                src=b.src,
                dst=gpg,
                env=gpg_env,
            ),
            Step(
                "gpg-decrypt",
                "gpg decrypt",
                [*gpg_common, "-o", str(w / "out.gpg.plain"), "-d", str(gpg)],
                src=gpg,
                dst=w / "out.gpg.plain",
                verify=True,
                env=gpg_env,
            ),
        ],
        [
            Step(
                "aead-encrypt",
                "AES-256-GCM in memory, encrypt",
                [py, str(CHILD), "aead-encrypt", str(b.size)],
                python_child=True,
                memory_only=True,
                env=env,
            ),
            Step(
                "aead-decrypt",
                "AES-256-GCM in memory, decrypt",
                [py, str(CHILD), "aead-decrypt", str(b.size)],
                python_child=True,
                memory_only=True,
                env=env,
            ),
        ],
    ]


def measure(b: Bench, step: Step, mode: str) -> dict[str, Any]:
    """Run one step as a fresh process and return what it cost."""
    if step.dst is not None:
        step.dst.unlink(missing_ok=True)
    os.sync()  # nothing dirty left over from the step before
    if mode == "cold":
        drop_caches()
    elif step.src is not None:
        read_through(step.src)
    tfile, ofile, efile = b.work / "time.txt", b.work / "stdout.txt", b.work / "stderr.txt"
    argv = step.argv
    if b.have_time:
        argv = [TIME_BIN, "-f", "%M %U %S %e", "-o", str(tfile), *argv]
    env = {**os.environ, **step.env}
    with open(ofile, "wb") as out, open(efile, "wb") as err:
        stdout = subprocess.DEVNULL if step.stdout_null else out
        busy0, steal0 = cpu_times()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=stdout, stderr=err, env=env)
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
    if b.have_time:
        rec["time_maxrss_kib"] = int(tfile.read_text().split()[-4])
    if step.python_child:
        child = json.loads(ofile.read_text())
        rec["child"] = child
        rec["peak_rss_kib"] = child["vm_hwm_kib"]
        rec["call_s"] = child["call_wall_s"]
        rec["inner_fsync_s"] = child["fsync_s"]
    else:
        rec["peak_rss_kib"] = rec.get("time_maxrss_kib", ru.ru_maxrss)
    # durable: the clock stops when the output is on disk, for every tool alike.
    # cache: the clock stops when the output is in the page cache (no fsync at all).
    inner = rec.get("inner_fsync_s", 0.0)
    rec["durable_s"] = wall + post_fsync
    rec["cache_s"] = wall - inner
    if "call_s" in rec:
        rec["call_durable_s"] = rec["call_s"]
        rec["call_cache_s"] = rec["call_s"] - inner
    if step.verify and step.dst is not None:
        digest = sha256_file(step.dst)
        if digest != b.src_sha256:
            raise RuntimeError(f"{step.label}: output differs from the input")
    return rec


def run_mode(b: Bench, mode: str, runs: int) -> None:
    gs = [g for g in groups(b) if not (mode == "cold" and all(s.memory_only for s in g))]
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
                    f"  [{mode} run {run + 1}/{runs}] {step.label:32s} "
                    f"{b.size / rec['durable_s'] / 1e6:7.0f} MB/s durable "
                    f"{b.size / rec['cache_s'] / 1e6:7.0f} MB/s cache  "
                    f"user {rec['user_s']:5.2f}s  peak {rec['peak_rss_kib'] / 1024:6.1f} MiB"
                )
            for step in group:
                if step.dst is not None:
                    step.dst.unlink(missing_ok=True)


# --------------------------------------------------------------------------- summary


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


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
            for view in ("durable", "cache"):
                s[f"mbps_{view}"] = stats([b.size / r[f"{view}_s"] / 1e6 for r in recs])
            if "call_s" in recs[0]:
                for view in ("durable", "cache"):
                    s[f"call_mbps_{view}"] = stats(
                        [b.size / r[f"call_{view}_s"] / 1e6 for r in recs]
                    )
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
            for view in ("durable", "cache"):
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
    """Peak RSS of seal and open on a small file, to compare with the big one."""
    vault, plain = b.work / "small.vault", b.work / "small.vault.plain"
    env = {"VAULTAPP_BENCH_KEY": b.key_hex}
    py = sys.executable
    steps = [
        Step(
            "seal",
            "vaultapp seal",
            [py, str(CHILD), "seal", str(small), str(vault)],
            src=small,
            dst=vault,
            python_child=True,
            self_syncs=True,
            env=env,
        ),
        Step(
            "open",
            "vaultapp open",
            [py, str(CHILD), "open", str(vault), str(plain)],
            src=vault,
            dst=plain,
            python_child=True,
            self_syncs=True,
            env=env,
        ),
    ]
    peaks: dict[str, list[float]] = {"seal": [], "open": []}
    for _ in range(runs):
        for step in steps:
            rec = measure(b, step, "warm")
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


def markdown(result: dict[str, Any]) -> str:
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
        "the others are fsynced right after they exit). **cache**: no fsync at all "
        "(vaultapp's own fsync time, measured inside the process, is subtracted). "
        "**call**: vaultapp's seal/open call alone, without interpreter start and imports. "
        "User/sys CPU and peak RSS are those of the tool's process; sys also counts the "
        "kernel time of the fsync of its output (vaultapp does that in its own process, for "
        "the others the harness does it and its sys time is added).",
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
    for mode in result["modes"]:
        what = "input in page cache" if mode == "warm" else "page cache dropped before each step"
        lines += [
            f"### {mode} ({what})",
            "",
            "| step | MB/s durable | MB/s cache | MB/s call (durable / cache) | user CPU s "
            "| sys CPU s | peak RSS MiB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for key, s in result["summary"][mode].items():
            memory_only = key.startswith("aead")
            call = (
                f"{_range(s['call_mbps_durable'])} / {s['call_mbps_cache']['median']:.0f}"
                if "call_mbps_durable" in s and not memory_only
                else ""
            )
            if memory_only:
                call = _range(s["call_mbps_durable"])
            lines.append(
                f"| {s['label']} | {'—' if memory_only else _range(s['mbps_durable'])} "
                f"| {'—' if memory_only else _range(s['mbps_cache'])} | {call} "
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
    lines += [
        "### Ratios (vaultapp speed / other speed, each taken within one run)",
        "",
        "| ratio | target | "
        + " | ".join(f"{mode} {VIEWS[v]}" for mode in result["modes"] for v in VIEWS)
        + " |",
        "| --- | --- | " + " | ".join("---" for _ in result["modes"] for _ in VIEWS) + " |",
    ]
    for name, _, _, target in RATIOS:
        cells = []
        for mode in result["modes"]:
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
    size_mib = a["size_mib"]
    for key in ("seal", "open"):
        peaks = [result["summary"][mode][key]["peak_rss_mib"]["max"] for mode in result["modes"]]
        worst = max(peaks)
        verdict = "met" if worst < RSS_TARGET_MIB else "**not met**"
        at = (
            ""
            if size_mib >= RSS_TARGET_AT_MIB
            else (
                f" (measured at {size_mib} MiB, the target is for {RSS_TARGET_AT_MIB} MiB: "
                "see the flatness check)"
            )
        )
        lines.append(
            f"- peak RSS of {key}: {worst:.1f} MiB (worst run), target "
            f"< {RSS_TARGET_MIB:.0f} MiB: {verdict}{at}"
        )
    f = result["flatness"]
    for key in ("seal", "open"):
        e = f[key]
        lines.append(
            f"- memory flatness, {key}: peak RSS {e['small_peak_mib']['median']:.1f} MiB at "
            f"{f['small_mib']} MiB vs {e['big_peak_mib']['median']:.1f} MiB at "
            f"{f['big_mib']} MiB ({e['difference_mib']:+.1f} MiB): "
            f"{'flat' if e['flat'] else '**not flat**'}"
        )
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def setup_tools(work: Path) -> tuple[str, Path, Path]:
    identity = work / "age-identity.txt"
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    recipient = subprocess.run(
        ["age-keygen", "-y", str(identity)], check=True, capture_output=True, text=True
    ).stdout.strip()
    gnupghome = work / "gnupg"
    gnupghome.mkdir(mode=0o700)
    return recipient, identity, gnupghome


def warm_up_gpg(b: Bench) -> None:
    """Start the throwaway gpg-agent before any timing, so no step pays for it."""
    tiny = b.work / "tiny"
    tiny.write_bytes(b"warm-up")
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--yes",
            "--quiet",
            "--passphrase",
            GPG_PASSPHRASE,
            "--pinentry-mode",
            "loopback",
            "--symmetric",
            "-o",
            str(tiny) + ".gpg",
            str(tiny),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "GNUPGHOME": str(b.gnupghome)},
    )


def stop_gpg_agent(gnupghome: Path) -> None:
    subprocess.run(
        ["gpgconf", "--kill", "gpg-agent"],
        capture_output=True,
        check=False,
        env={**os.environ, "GNUPGHOME": str(gnupghome)},
    )


def main() -> int:
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
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or any(m not in ("warm", "cold") for m in modes):
        ap.error("--modes takes warm, cold or warm,cold")
    for tool in ("cp", "cat", "age", "age-keygen", "gpg", "gpgconf"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed and not installed")

    size, small_size = args.size_mib * MIB, args.small_mib * MIB
    load_start = os.getloadavg()
    if load_start[0] > 0.5:
        log(f"warning: the machine is busy (load average {load_start[0]:.2f}): expect noise")
    work = pick_workdir(size, args.workdir)
    log(f"working in {work} ({fs_of(work)})")
    b: Bench | None = None
    gnupghome = work / "gnupg"
    try:
        recipient, identity, gnupghome = setup_tools(work)
        log(f"writing {args.size_mib} MiB of random bytes ...")
        src = work / "input.bin"
        digest = write_random(src, size)
        small = work / "small.bin"
        write_random(small, small_size)
        b = Bench(
            work,
            size,
            src,
            digest,
            os.urandom(64).hex(),
            recipient,
            identity,
            gnupghome,
            have_time=os.access(TIME_BIN, os.X_OK),
        )
        if not b.have_time:
            log(
                f"{TIME_BIN} missing: peak RSS of cp/age/gpg falls back to wait4's ru_maxrss, "
                "which includes the RSS this harness had when it started them"
            )
        warm_up_gpg(b)
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
        result = {
            "args": {"size_mib": args.size_mib, "runs": args.runs, "small_mib": args.small_mib},
            "machine": machine_facts(work),
            "modes": modes,
            "cold_error": cold_error,
            "peak_rss_source": (
                "vaultapp and in-memory AES: VmHWM of the child process; others: "
                + ("GNU time %M" if b.have_time else "wait4 ru_maxrss (includes launcher RSS)")
            ),
            "engine": engine_version(b.records),
            "load_average_start_end": [load_start[0], os.getloadavg()[0]],
            "summary": summarize(b, steps, modes),
            "ratios": ratios(b, modes),
            "flatness": flat,
            "records": b.records,
        }
    finally:
        stop_gpg_agent(gnupghome)
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
