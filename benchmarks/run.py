"""The whole benchmark suite of issue 7 in one command, and one table of its targets.

    benchmarks/run [--quick] [--runs N] [--skip engine,sweep,small,app] [--out DIR]

Runs, one after the other (never two at once), each as a process of its own with its
own command-line flags: engine.py (large files, warm and cold page cache, once per size),
sweep.py (throughput against size, and throughput.png), small_files.py (10,000 files of
4 KiB) and app.py (start-up, rewrap, keyring unlock, key list, the window). They share
one gnome-keyring on a private D-Bus that this script starts and stops, so that vaultapp
unlocks through its keyring slot as on a desktop. Then it reads their JSON results from
the results folder and writes summary.md: every issue-7 target, its measured value or
ratio as median (min–max), and whether it is met. benchmarks/README.md has the details.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import engine
from engine import RSS_TARGET_MIB, stats

HERE = Path(__file__).resolve().parent
PARTS = ("engine", "sweep", "small", "app")
SCRIPTS = {"engine": "engine.py", "sweep": "sweep.py", "small": "small_files.py", "app": "app.py"}
# The ratio targets of issue 7 for large files, as engine.py names its ratios.
ENGINE_TARGETS = [
    ("seal / age encrypt", "`vaultapp seal` ≥ 1.3× `age -r`"),
    ("open / age decrypt", "`vaultapp open` ≥ 2× `age -d`"),
    ("seal / gpg encrypt", "`vaultapp seal` ≥ 3× `gpg --symmetric`"),
    ("open / gpg decrypt", "`vaultapp open` ≥ 3× `gpg -d`"),
    ("seal / cp", "`vaultapp seal` ≥ 0.75× `cp`"),
    ("open / cp", "`vaultapp open` ≥ 0.75× `cp`"),
]

TARGETS = {name: target for name, _, _, target in engine.RATIOS if target is not None}


@dataclass
class Plan:
    """What each part runs with: the defaults, --quick, or --runs and the size options."""

    engine_sizes: list[int]
    engine_runs: int
    engine_small_mib: int
    modes: str
    sweep_sizes: list[int]
    sweep_runs: int
    small_count: int
    small_runs: int
    app_runs: int
    app_big_gib: int
    skip: set[str] = field(default_factory=set)


@dataclass
class Row:
    """One line of the targets table."""

    target: str
    warm: str
    warm_met: bool | None
    cold: str = "—"
    cold_met: bool | None = None
    source: str = ""


# --------------------------------------------------------------------------- plan


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Full run: about 35–45 minutes on a 2-core VM; --quick: about 2 minutes.",
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and 1 run of everything: to try it out in minutes",
    )
    ap.add_argument(
        "--runs",
        type=int,
        default=None,
        help="runs per measurement for every part (default: each part's own)",
    )
    ap.add_argument(
        "--skip",
        default="",
        help="comma-separated parts not to run, of: "
        + ", ".join(PARTS)
        + " (their earlier results are still summarized)",
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=HERE / "results",
        help="folder for every result and summary.md (default benchmarks/results)",
    )
    ap.add_argument(
        "--engine-sizes",
        default=None,
        help="engine.py file sizes in MiB (default 1024,4096; --quick: 64)",
    )
    ap.add_argument(
        "--sweep-sizes",
        default=None,
        help="sweep.py sizes in MiB (default 1,4,16,64,256,1024; --quick: 1,4,16,64)",
    )
    args = ap.parse_args()
    args.skip = {p.strip() for p in args.skip.split(",") if p.strip()}
    if args.skip - set(PARTS):
        ap.error(f"--skip takes parts of: {', '.join(PARTS)}")
    if args.runs is not None and args.runs < 1:
        ap.error("--runs must be at least 1")
    return args


def sizes(text: str) -> list[int]:
    return sorted({int(s) for s in text.split(",") if s.strip()})


def make_plan(args: argparse.Namespace) -> Plan:
    """The defaults of each script, or small sizes and one run with --quick."""
    if args.quick:
        plan = Plan(
            engine_sizes=[64],
            engine_runs=1,
            engine_small_mib=16,
            modes="",
            sweep_sizes=[1, 4, 16, 64],
            sweep_runs=1,
            small_count=1000,
            small_runs=1,
            app_runs=1,
            app_big_gib=1,
        )
    else:  # each script's own defaults, and the sizes for engine.py
        plan = Plan(
            engine_sizes=[1024, 4096],
            engine_runs=3,
            engine_small_mib=64,
            modes="",
            sweep_sizes=[1, 4, 16, 64, 256, 1024],
            sweep_runs=3,
            small_count=10_000,
            small_runs=3,
            app_runs=5,
            app_big_gib=4,
        )
    if args.runs is not None:
        plan.engine_runs = plan.sweep_runs = plan.small_runs = plan.app_runs = args.runs
    if args.engine_sizes:
        plan.engine_sizes = sizes(args.engine_sizes)
    if args.sweep_sizes:
        plan.sweep_sizes = sizes(args.sweep_sizes)
    # cold needs root (to drop the page cache); engine.py reports "cold" only if it worked
    plan.modes = "warm,cold" if os.geteuid() == 0 else "warm"
    plan.skip = set(args.skip)
    return plan


def commands(plan: Plan, out: Path) -> dict[str, list[list[str]]]:
    """The command lines of every part, with their existing flags."""
    py = sys.executable
    return {
        "engine": [
            [
                py,
                str(HERE / SCRIPTS["engine"]),
                "--size-mib",
                str(size),
                "--runs",
                str(plan.engine_runs),
                "--modes",
                plan.modes,
                "--small-mib",
                str(plan.engine_small_mib),
                "--out",
                str(out),
            ]
            for size in plan.engine_sizes
        ],
        "sweep": [
            [
                py,
                str(HERE / SCRIPTS["sweep"]),
                "--sizes",
                ",".join(map(str, plan.sweep_sizes)),
                "--runs",
                str(plan.sweep_runs),
                "--out",
                str(out),
            ]
        ],
        "small": [
            [
                py,
                str(HERE / SCRIPTS["small"]),
                "--count",
                str(plan.small_count),
                "--runs",
                str(plan.small_runs),
                "--json",
                str(out / "small_files.json"),
            ]
        ],
        "app": [
            [
                py,
                str(HERE / SCRIPTS["app"]),
                "--runs",
                str(plan.app_runs),
                "--big-gib",
                str(plan.app_big_gib),
                "--out",
                str(out),
            ]
        ],
    }


def preflight(plan: Plan) -> None:
    """Stop at once, not after half an hour, if something the parts need is missing."""
    engine.vaultapp_command()
    if {"engine", "sweep"} - plan.skip:
        engine.check_programs()
    if "sweep" not in plan.skip:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise SystemExit("matplotlib is needed: .venv/bin/pip install -e '.[bench]'") from None


# --------------------------------------------------------------------------- running


def stream(argv: list[str], env: dict[str, str], log: Any) -> int:
    """Run one part, its output both on our stdout and in the log file."""
    print(f"$ {shlex.join(argv)}", flush=True)
    log.write(f"$ {shlex.join(argv)}\n")
    with subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=HERE.parent,
    ) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                sys.stdout.write(line)
                log.write(line)
        except BaseException:  # Ctrl-C or kill: stop the part, so that it cleans up too
            proc.terminate()
            raise
        return proc.wait()


def run_parts(plan: Plan, out: Path, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each part not skipped, in order; a failing part is recorded and the next one runs."""
    done: dict[str, dict[str, Any]] = {}
    with open(out / "run.log", "w", encoding="utf-8") as log:
        for part, argvs in commands(plan, out).items():
            if part in plan.skip:
                done[part] = {"skipped": True}
                continue
            start = time.monotonic()
            codes = [stream(argv, env, log) for argv in argvs]
            done[part] = {"seconds": time.monotonic() - start, "returncodes": codes}
            log.flush()
    return done


# --------------------------------------------------------------------------- reading


def load(path: Path, started: float) -> tuple[dict[str, Any] | None, str]:
    """A part's JSON and where it comes from ('this run', 'earlier run, <time>')."""
    if not path.exists():
        return None, "not measured"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        return None, f"unreadable ({exc})"
    mtime = path.stat().st_mtime
    when = dt.datetime.fromtimestamp(mtime, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    fresh = mtime >= started
    return data, f"{path.name}" + ("" if fresh else f" (earlier run, {when})")


def fmt_range(s: dict[str, float], unit: str = "", scale: float = 1.0, spec: str = ".1f") -> str:
    return (
        f"{s['median'] * scale:{spec}}{unit} ({s['min'] * scale:{spec}}–{s['max'] * scale:{spec}})"
    )


def size_text(mib: int) -> str:
    return f"{mib // 1024} GiB" if mib >= 1024 and mib % 1024 == 0 else f"{mib} MiB"


def cold_note(result: dict[str, Any] | None) -> str:
    if os.geteuid() != 0:
        return "cold: skipped (needs root)"
    if result and result.get("cold_error"):
        return f"cold: could not be measured ({result['cold_error']})"
    return "not measured"


def current_engine_format(data: dict[str, Any]) -> bool:
    """False for JSON of engine.py before it ran the command line (its vaultapp rows are
    the in-process engine, its targets the earlier ones, and some fields are missing)."""
    return "engine-seal" in data["summary"].get("warm", {})


def engine_rows(plan: Plan, out: Path, started: float) -> list[Row]:
    """The large-file ratio targets, per engine size: warm and cold, durable view."""
    rows = []
    for size in plan.engine_sizes:
        data, source = load(out / f"engine-{size}mib.json", started)
        if data is not None and not current_engine_format(data):
            source += "; **older engine.py: vaultapp in-process, not the command**"
        for name, text in ENGINE_TARGETS:
            row = Row(
                f"{text}, {size_text(size)}", source if data is None else "", None, source=source
            )
            if data is not None:
                for mode in ("warm", "cold"):
                    e = data["ratios"].get(mode, {}).get(name, {}).get("durable")
                    value = fmt_range(e, "×", spec=".2f") if e else cold_note(data)
                    met = e["median"] >= TARGETS[name] if e else None
                    if mode == "warm":
                        row.warm, row.warm_met = value, met
                    else:
                        row.cold, row.cold_met = value, met
            rows.append(row)
    return rows


def rss_row(plan: Plan, out: Path, started: float) -> Row:
    """Peak RSS of every `vaultapp seal` / `open` process, every size, warm and cold."""
    peaks: dict[str, list[float]] = {"warm": [], "cold": []}
    sizes_seen: set[int] = set()
    sources = []
    for size in plan.engine_sizes:
        data, source = load(out / f"engine-{size}mib.json", started)
        if data is None:
            continue
        sources.append(source)
        for r in data["records"]:
            if r["step"] in engine.VAULTAPP_STEPS:
                peaks[r["mode"]].append(r["peak_rss_kib"] / 1024)
                sizes_seen.add(size)
        for key in engine.VAULTAPP_STEPS:  # the flatness check's small file
            peaks["warm"] += [data["flatness"][key]["small_peak_mib"]["max"]]
        sizes_seen.add(data["flatness"]["small_mib"])
    data, source = load(out / "sweep.json", started)
    if data is not None:
        sources.append(source)
        for r in data["records"]:
            if r["step"] in engine.VAULTAPP_STEPS:
                peaks["warm"].append(r["peak_rss_kib"] / 1024)
                sizes_seen.add(r["size_mib"])
    span = (
        f"; sizes {size_text(min(sizes_seen))}–{size_text(max(sizes_seen))}" if sizes_seen else ""
    )
    row = Row(
        "peak RSS of `vaultapp seal` / `open` < 48 MiB, whatever the size",
        "not measured",
        None,
        source=", ".join(sources),
    )
    for mode in ("warm", "cold"):
        vals = peaks[mode]
        if not vals:
            continue
        text = f"{fmt_range(stats(vals), ' MiB')}, max {max(vals):.1f}, {len(vals)} processes"
        if mode == "warm":
            row.warm, row.warm_met = text + span, max(vals) < RSS_TARGET_MIB
        else:
            row.cold, row.cold_met = text, max(vals) < RSS_TARGET_MIB
    return row


def small_row(out: Path, started: float) -> Row:
    data, source = load(out / "small_files.json", started)
    target = "10,000 × 4 KiB by one `vaultapp seal` ≥ 10× an `age` shell loop (files/s)"
    if data is None:
        return Row(target, source, None, source=source)
    v, a = stats(data["vaultapp_s"]), stats(data["age_loop_s"])
    n = data["count"]
    worst, best = a["min"] / v["max"], a["max"] / v["min"]
    text = (
        f"{data['ratio']:.1f}× ({worst:.1f}–{best:.1f}); vaultapp {n / v['median']:,.0f} "
        f"files/s, age {n / a['median']:,.0f} files/s ({n:,} files of {data['size']} B)"
    )
    return Row(target, text, data["ratio"] >= data.get("target", 10), source=source)


def _ms(s: dict[str, float]) -> str:
    return fmt_range(s, " ms", 1000)


# app.py's targets, in the order; {big} is the large file app.py rewrapped
APP_TARGETS = {
    "rewrap_small": "rewrap 1 MiB < 20 ms",
    "rewrap_big": "rewrap {big} < 20 ms",
    "rewrap_flat": "rewrap {big} within 2× of 1 MiB",
    "unlock": "keyring unlock < 100 ms",
    "listing": "key list, 1,000 profiles × 20 keys < 300 ms process CPU",
    "show": "window shows 10,000 keys < 200 ms",
    "version": "`vaultapp --version` < 150 ms",
    "inspect": "`vaultapp inspect` < 250 ms",
    "paint": "window first paint < 1 s",
    "stall": "event-loop stall < 30 ms while sealing 2 GiB",
}
Measured = dict[str, tuple[str, bool | None]]


def _rewrap(data: dict[str, Any]) -> Measured:
    rw = data.get("rewrap")
    if not rw:
        return {}
    small = rw["1 MiB"]
    out: Measured = {"rewrap_small": (_ms(small), small["median"] < 0.020)}
    for name, big in rw.items():
        if name != "1 MiB":
            ratio = big["median"] / small["median"]
            out["rewrap_big"] = (_ms(big), big["median"] < 0.020)
            out["rewrap_flat"] = (f"{ratio:.2f}× (ratio of medians)", ratio <= 2)
    return out


def _unlock_listing_startup(data: dict[str, Any]) -> Measured:
    out: Measured = {}
    ku = data.get("keyring_unlock", {})
    if "unlock" in ku:
        out["unlock"] = (
            f"{_ms(ku['unlock'])} ({ku.get('backend', '?')} backend)",
            ku["unlock"]["median"] < 0.100,
        )
    elif "skipped" in ku:
        out["unlock"] = (f"skipped: {ku['skipped']}", None)
    if "listing" in data:
        cpu = data["listing"]["cpu"]
        out["listing"] = (_ms(cpu), cpu["median"] < 0.300)
    if "startup" in data:
        ver, ins = data["startup"]["version"], data["startup"]["inspect"]
        out["version"] = (_ms(ver), ver["median"] < 0.150)
        out["inspect"] = (_ms(ins), ins["median"] < 0.250)
    return out


def _window(w: dict[str, Any] | None) -> Measured:
    if w is None:
        return {}
    if "error" in w:
        failed = "window benchmark failed: " + w["error"].strip().splitlines()[-1][:150]
        return {k: (failed, None) for k in ("show", "paint", "stall")}
    worst = w["worst_gaps_ms"]  # the 5 worst gaps of all stall runs
    per_run = [max(r["worst_gaps_ms"]) for r in w.get("stall_runs", [])] or [worst[-1]]
    stall = (
        f"worst gap {fmt_range(stats(per_run), ' ms')} over {len(per_run)} run(s); "
        "5 worst: " + ", ".join(f"{g:.0f}" for g in worst) + " ms"
    )
    return {
        "show": (_ms(w["show_10k"]), w["show_10k"]["median"] < 0.200),
        "paint": (_ms(w["first_paint"]), w["first_paint"]["median"] < 1.0),
        # a stall target is about the worst moment, not the median one
        "stall": (stall, max(worst) < 30 and bool(w.get("sealed_ok", True))),
    }  # fmt: skip


def app_rows(out: Path, started: float) -> list[Row]:
    """The application-level targets, from app.py's app.json."""
    data, source = load(out / "app.json", started)
    measured: Measured = {}
    big = "large file"
    if data is not None:
        measured = {**_rewrap(data), **_unlock_listing_startup(data), **_window(data.get("window"))}
        big = next((k for k in data.get("rewrap", {}) if k != "1 MiB"), big)
    missing = (source if data is None else "not measured", None)
    return [
        Row(text.format(big=big), *measured.get(key, missing), source=source)
        for key, text in APP_TARGETS.items()
    ]


def verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "**not met**")


def targets_table(rows: list[Row]) -> list[str]:
    lines = [
        "| issue-7 target | warm page cache: median (min–max) | met | cold page cache "
        "| met | from |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r.target} | {r.warm} | {verdict(r.warm_met)} | {r.cold} "
            f"| {verdict(r.cold_met)} | {r.source} |"
        )
    return lines


def resources_tables(plan: Plan, out: Path, started: float) -> list[str]:
    """Wall time, speed, user CPU and peak RSS of every tool, per engine size and mode."""
    lines: list[str] = []
    for size in plan.engine_sizes:
        data, source = load(out / f"engine-{size}mib.json", started)
        if data is None:
            continue
        if not current_engine_format(data):
            lines += [
                f"#### {size_text(size)}: {source} is from an older engine.py; see its .md",
                "",
            ]
            continue
        modes = data["modes"]
        head = " | ".join(
            f"{m}: wall s | {m}: MB/s durable | {m}: user CPU s | {m}: peak RSS MiB" for m in modes
        )
        lines += [
            f"#### {size_text(size)} ({data['args']['runs']} run(s) per mode; medians)",
            "",
            f"| step | {head} |",
            "| --- |" + " ---: |" * (4 * len(modes)),
        ]
        for key, s in data["summary"][modes[0]].items():
            if key.startswith("aead"):
                continue
            cells = []
            for m in modes:
                e = data["summary"][m].get(key)
                cells += (
                    ["—"] * 4
                    if e is None
                    else [
                        f"{e['wall_s']['median']:.2f}",
                        f"{e['mbps_durable']['median']:.0f}",
                        f"{e['user_s']['median']:.2f}",
                        f"{e['peak_rss_mib']['median']:.1f}",
                    ]
                )
            lines.append(f"| {s['label']} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def sweep_table(out: Path, started: float) -> list[str]:
    data, source = load(out / "sweep.json", started)
    if data is None:
        return []
    sz = data["sizes_mib"]
    lines = [
        f"#### Throughput against size (MB/s durable, warm, medians; {source})",
        "",
        "| tool | " + " | ".join(size_text(s) for s in sz) + " |",
        "| --- |" + " ---: |" * len(sz),
    ]
    for s in data["steps"].values():
        by = {p["size_mib"]: p for p in s["points"]}
        lines.append(
            f"| {s['label']} | "
            + " | ".join(f"{by[m]['mbps_durable']['median']:.0f}" if m in by else "—" for m in sz)
            + " |"
        )
    return [*lines, "", "![throughput against size](throughput.png)", ""]


def checks_line(plan: Plan, out: Path, started: float) -> str:
    """How many outputs were compared with their input (a mismatch stops a benchmark)."""
    n = 0
    for name in [f"engine-{s}mib.json" for s in plan.engine_sizes] + ["sweep.json"]:
        data, _ = load(out / name, started)
        if data is not None:
            n += sum(1 for r in data["records"] if r.get("verified"))
    return (
        f"Outputs checked against their input's SHA-256 (decrypted files and copies): "
        f"{n}, all equal (a mismatch stops the benchmark)."
    )


def summary(
    plan: Plan, out: Path, started: float, done: dict[str, Any], argv: list[str], seconds: float
) -> str:
    rows = engine_rows(plan, out, started)
    rows.append(rss_row(plan, out, started))
    rows.append(small_row(out, started))
    rows += app_rows(out, started)
    when = dt.datetime.fromtimestamp(started, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# vaultapp benchmark summary (issue 7)",
        "",
        f"`{shlex.join(['benchmarks/run', *argv])}`, started {when}, took "
        f"{seconds / 60:.1f} min; load average at the end {os.getloadavg()[0]:.2f}. "
        "Every figure is median (min–max) over the runs; every ratio is vaultapp's speed "
        "over the other tool's, taken within one run (both measured minutes apart at most), "
        "with the outputs of every tool on disk when the clock stops (*durable*: vaultapp "
        "fsyncs by itself, the others are fsynced as soon as they exit). `vaultapp` is the "
        "command line, unlocking through a keyring slot on a real gnome-keyring (private "
        "D-Bus), with its bytecode cached as in an installed copy.",
        "",
    ]
    if plan.skip:
        lines += [
            f"Skipped in this run: {', '.join(sorted(plan.skip))} (their earlier "
            "results are used where present, marked in the last column).",
            "",
        ]
    if os.geteuid() != 0:
        lines += ["cold: skipped (needs root)", ""]
    if plan.engine_sizes != [1024, 4096] or plan.small_count != 10_000:
        lines += [
            "**Not the issue's sizes** (--quick or size options): the verdicts below "
            "are for the sizes named in each row, not for 1 GiB / 4 GiB / 10,000 files.",
            "",
        ]
    failed = [p for p, d in done.items() if any(d.get("returncodes", []))]
    if failed:
        lines += [f"**Failed parts**: {', '.join(failed)}: see run.log.", ""]
    lines += targets_table(rows)
    lines += ["", checks_line(plan, out, started), ""]
    lines += ["### Parts", "", "| part | time | result |", "| --- | --- | --- |"]
    for part, d in done.items():
        took = "skipped" if d.get("skipped") else f"{d['seconds'] / 60:.1f} min"
        ok = "" if d.get("skipped") else ("ok" if not any(d["returncodes"]) else "**failed**")
        lines.append(f"| {part} ({SCRIPTS[part]}) | {took} | {ok} |")
    lines += ["", "### Time, CPU and memory of every tool (engine.py)", ""]
    lines += resources_tables(plan, out, started)
    lines += sweep_table(out, started)
    lines += [
        "Details: `engine-<size>mib.md`, `sweep.json`, `app.json`, `small_files.json` "
        "and `run.log` in this folder; benchmarks/README.md explains every measure.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    engine.exit_on_sigterm()
    plan = make_plan(args)
    preflight(plan)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    scratch = Path(tempfile.mkdtemp(prefix="vaultapp-bench-run-"))
    try:
        with engine.keyring_session() as keyring_env:
            env = engine.child_environ({**keyring_env, **engine.python_env(scratch)})
            done = run_parts(plan, out, env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    text = summary(plan, out, started, done, sys.argv[1:], time.time() - started)
    (out / "summary.md").write_text(text)
    print("\n" + text)
    print(
        f"written: {out / 'summary.md'}"
        + (f" and {out / 'throughput.png'}" if (out / "throughput.png").exists() else "")
    )
    return 1 if any(any(d.get("returncodes", [])) for d in done.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
