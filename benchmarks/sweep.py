"""Throughput against file size: vaultapp seal/open, age, gpg and cp, warm page cache.

    python benchmarks/sweep.py [--sizes 1,4,16,64,256,1024] [--runs 3] [--out benchmarks/results]

For each size (MiB) one random file is written, then every tool runs on it as the process
a user runs (the same steps as engine.py: `vaultapp --keybox K seal|open` unlocking
through a keyring slot on a private gnome-keyring, `age -r` / `age -d`,
`gpg --symmetric --compress-algo none` / `gpg -d`, `cp`), --runs times in a rotating
order, with the input read into the page cache before each step. Every decrypted output
and every copy is checked against the input's SHA-256. Writes sweep.json (every raw
number) and throughput.png (MB/s against size, median with min–max error bars; one
subplot for the sealing side, one for the opening side, `cp` in both as the I/O limit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import engine
from engine import MIB, Bench, log, stats

DEFAULT_SIZES = "1,4,16,64,256,1024"
# step key -> (which subplot, line style): cp is drawn on both sides as the I/O limit
SIDES: dict[str, tuple[str, ...]] = {
    "cp": ("seal", "open"),
    "seal": ("seal",),
    "age-encrypt": ("seal",),
    "gpg-encrypt": ("seal",),
    "open": ("open",),
    "age-decrypt": ("open",),
    "gpg-decrypt": ("open",),
}
COLOURS = {"vaultapp": "tab:blue", "age": "tab:orange", "gpg": "tab:green", "cp": "tab:gray"}
LABELS = {
    "cp": "cp",
    "seal": "vaultapp seal",
    "open": "vaultapp open",
    "age-encrypt": "age -r",
    "age-decrypt": "age -d",
    "gpg-encrypt": "gpg --symmetric",
    "gpg-decrypt": "gpg -d",
}


def parse_sizes(text: str) -> list[int]:
    """'1,4,16' -> [1, 4, 16] (MiB, ascending, no duplicates)."""
    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--sizes takes MiB numbers like 1,4,16: {text!r}"
        ) from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("--sizes needs whole MiB numbers of at least 1")
    return sizes


def check_matplotlib() -> None:
    """Fail before any measuring, not after, if the plot cannot be drawn."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SystemExit(
            "matplotlib is needed for the plot: .venv/bin/pip install -e '.[bench]'"
        ) from None


def measure_size(tools: engine.Tools, size_mib: int, runs: int) -> list[dict[str, Any]]:
    """Every tool on one fresh random file of `size_mib`, warm, `runs` times."""
    src = tools.work / f"input-{size_mib}mib.bin"
    log(f"{size_mib} MiB:")
    try:
        b = Bench(tools, size_mib * MIB, src, engine.write_random(src, size_mib * MIB))
        engine.run_mode(b, "warm", runs, keys=set(SIDES))
    finally:
        src.unlink(missing_ok=True)
    for rec in b.records:
        rec["size_mib"] = size_mib
    return b.records


def points(records: list[dict[str, Any]], sizes: list[int]) -> dict[str, Any]:
    """Per step and size: MB/s (durable and at exit), wall, CPU and peak RSS over the runs."""
    out: dict[str, Any] = {}
    for key in SIDES:
        pts = []
        for size in sizes:
            recs = [r for r in records if r["step"] == key and r["size_mib"] == size]
            if not recs:
                continue
            nbytes = size * MIB
            pts.append(
                {
                    "size_mib": size,
                    "runs": len(recs),
                    "mbps_durable": stats([nbytes / r["durable_s"] / 1e6 for r in recs]),
                    "mbps_exit": stats([nbytes / r["exit_s"] / 1e6 for r in recs]),
                    "wall_s": stats([r["wall_s"] for r in recs]),
                    "user_s": stats([r["user_s"] for r in recs]),
                    "sys_s": stats([r["sys_s"] for r in recs]),
                    "peak_rss_mib": stats([r["peak_rss_kib"] / 1024 for r in recs]),
                    "verified": sum(1 for r in recs if r.get("verified")),
                }
            )
        out[key] = {"label": LABELS[key], "sides": list(SIDES[key]), "points": pts}
    return out


def size_label(mib: int) -> str:
    return f"{mib // 1024} GiB" if mib >= 1024 and mib % 1024 == 0 else f"{mib} MiB"


def draw(result: dict[str, Any], path: Path) -> None:
    """throughput.png: two subplots (sealing, opening), MB/s against size, log x.

    Solid lines with min–max error bars: durable MB/s (every output fsynced); thin dashed
    lines: MB/s at the process's exit (what a user waits for; only vaultapp has fsynced).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    sizes = result["sizes_mib"]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.2), sharey=True)
    for ax, side in zip(axes, ("seal", "open"), strict=True):
        for key, s in result["steps"].items():
            if side not in s["sides"] or not s["points"]:
                continue
            colour = COLOURS["vaultapp" if key in ("seal", "open") else key.split("-")[0]]
            xs = [p["size_mib"] for p in s["points"]]
            med = [p["mbps_durable"]["median"] for p in s["points"]]
            err = [
                [p["mbps_durable"]["median"] - p["mbps_durable"]["min"] for p in s["points"]],
                [p["mbps_durable"]["max"] - p["mbps_durable"]["median"] for p in s["points"]],
            ]
            width = 2.4 if key in ("seal", "open") else 1.5
            ax.errorbar(
                xs,
                med,
                yerr=err,
                label=s["label"],
                color=colour,
                marker="o",
                linewidth=width,
                capsize=3,
            )
            ax.plot(
                xs,
                [p["mbps_exit"]["median"] for p in s["points"]],
                color=colour,
                linestyle="--",
                linewidth=0.9,
                alpha=0.7,
            )
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")  # from ~1 MB/s (start-up bound) to GB/s (cp into the cache)
        ax.set_xticks(sizes, [size_label(m) for m in sizes])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("file size")
        ax.set_title("sealing (encrypt)" if side == "seal" else "opening (decrypt)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(loc="upper left", fontsize=9)
    axes[0].set_ylabel("MB/s (10^6 B/s), median, bars min–max")
    m, e = result["machine"], result["engine"]
    version = e["git_head"] + (" + uncommitted changes" if e["uncommitted"] else "")
    fig.suptitle(
        f"Throughput against size, warm page cache, {result['args']['runs']} run(s) per "
        f"point; solid: durable (output fsynced), dashed: at exit\n"
        f"{m['date_utc']}, {m['nproc']} cores, {m['cpu']}; vaultapp {version}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes(DEFAULT_SIZES),
        help=f"file sizes in MiB (default {DEFAULT_SIZES})",
    )
    ap.add_argument("--runs", type=int, default=3, help="runs per size and tool")
    ap.add_argument(
        "--out",
        type=Path,
        default=engine.HERE / "results",
        help="folder for sweep.json and throughput.png",
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="folder for the temporary files (default: /work or /tmp)",
    )
    return ap.parse_args()


def main() -> int:
    args = parse_args()
    engine.exit_on_sigterm()
    check_matplotlib()
    load_start = os.getloadavg()[0]
    work = engine.pick_workdir(3 * max(args.sizes) * MIB + 512 * MIB, args.workdir)
    log(f"working in {work} ({engine.fs_of(work)})")
    records: list[dict[str, Any]] = []
    try:
        with engine.prepare_tools(work) as tools:
            for size in args.sizes:
                records += measure_size(tools, size, args.runs)
            machine = engine.machine_facts(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "args": {"sizes_mib": args.sizes, "runs": args.runs},
        "machine": machine,
        "engine": engine.engine_version(records),
        "load_average_start_end": [load_start, os.getloadavg()[0]],
        "finished_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sizes_mib": args.sizes,
        "view": "warm page cache; durable = output fsynced, exit = process exit",
        "steps": points(records, args.sizes),
        "records": records,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sweep.json").write_text(json.dumps(result, indent=2) + "\n")
    draw(result, args.out / "throughput.png")
    for s in result["steps"].values():
        cells = ", ".join(
            f"{size_label(p['size_mib'])} {p['mbps_durable']['median']:.0f}" for p in s["points"]
        )
        log(f"{s['label']:16s} MB/s durable: {cells}")
    log(f"written: {args.out / 'sweep.json'} and {args.out / 'throughput.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
