"""Run every benchmark, one after the other, and gather their tables into summary.md.

    benchmarks/run [--quick] [--runs N] [--only startup,throughput,...]

Each script runs as a process of its own, one at a time, printing into results/run.log.
summary.md: machine, date, versions, the load average around each part, every table;
plot.png: throughput against size, one line per tool (matplotlib, the `bench` extra).
Never a test: nothing in tests/ or .ci/ runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import harness as h
from throughput import TOOLS

PARTS = ["startup", "throughput", "small_files", "keybox_growth", "recipients"]


def plot(out: Path) -> str:
    """plot.png from results/throughput.json; a sentence saying what happened."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "No plot: matplotlib is missing (`.venv/bin/pip install -e '.[bench]'`)."
    data = json.loads((h.RESULTS / "throughput.json").read_text())["samples"]
    fig, axes = plt.subplots(1, len(data), figsize=(6 * len(data), 4.5), squeeze=False)
    for ax, (where, by_size) in zip(axes[0], data.items(), strict=True):
        sizes = [int(m) for m in by_size]
        for tool in TOOLS:
            walls = [statistics.median(s["wall"] for s in by_size[str(m)][tool])
                     for m in sizes]
            ax.plot(sizes, [m * h.MIB / w / 1e6 for m, w in zip(sizes, walls, strict=True)],
                    marker="o", label=tool)
        ax.set(xscale="log", yscale="log", xlabel="file size (MiB)", ylabel="MB/s, durable",
               title=f"{where} (median)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    return "![throughput against size](plot.png)"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes: a few minutes")
    p.add_argument("--runs", type=int, help="rounds per measurement (default: each script's)")
    p.add_argument("--only", default=",".join(PARTS), help="parts to run (comma-separated)")
    args = p.parse_args()
    parts = [x for x in args.only.split(",") if x]
    if unknown := set(parts) - set(PARTS):
        p.error(f"unknown parts: {', '.join(sorted(unknown))}; there are {', '.join(PARTS)}")
    h.RESULTS.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(h.ROOT)}
    v, started, load0 = h.versions(), time.monotonic(), h.load()
    sections, failed = [], []
    with open(h.RESULTS / "run.log", "w") as log:
        for part in parts:
            argv = [sys.executable, str(h.HERE / f"{part}.py"), *(["--quick"] * args.quick),
                    *(["--runs", str(args.runs)] if args.runs else [])]
            before, t = h.load(), time.monotonic()
            print(f"{part} (load {before}) ...", flush=True)
            code = subprocess.run(argv, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
            took = (time.monotonic() - t) / 60
            failed += [part] if code else []
            body = f"### {part}\n\n**Failed** (exit {code}; see results/run.log)." if code \
                else (h.RESULTS / f"{part}.md").read_text().strip()
            sections.append(f"{body}\n\n*{part}.py: {took:.1f} min, load average {before} "
                            f"before, {h.load()} after*")
            print(f"  {took:.1f} min{', FAILED' if code else ''}", flush=True)
    picture = plot(h.HERE / "plot.png") if "throughput" in parts and "throughput" not in \
        failed else "No plot: throughput.py did not run."
    head = (f"# Benchmark summary ({'quick' if args.quick else 'full'} mode)\n\n"
            f"`benchmarks/run{' --quick' if args.quick else ''}`, {v['date']}, "
            f"{(time.monotonic() - started) / 60:.1f} min. Machine: {v['machine']}. Load "
            f"average (1, 5, 15 min): {load0} at the start, {h.load()} at the end. vaultapp "
            f"{v['vaultapp']}; Python {v['python']}, cryptography {v['cryptography']}, "
            f"SQLAlchemy {v['SQLAlchemy']}; age {v['age']}.")
    (h.HERE / "summary.md").write_text("\n\n".join([head, *sections, picture]) + "\n")
    print(f"wrote {h.HERE / 'summary.md'}" + (f"; failed: {', '.join(failed)}" if failed
                                              else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
