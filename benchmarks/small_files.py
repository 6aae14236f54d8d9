"""Many small files: one `vaultapp seal` call, and one drop on the window, against an `age`
loop and against the bare file-system work with the same durability.

    python benchmarks/small_files.py [--quick] [--runs N]

On disk, 1, 100 and 10,000 × 4 KiB and 100,000 × 1 KiB (quick: 1, 100, 1,000 × 4 KiB),
each tool writing into an empty folder of its own, in the same rounds:
- `vaultapp seal IN -o OUT/`: one process, start-up and keyring unlock included; its
  group commit makes each group durable with one syncfs (measured against fdatasync of
  each file over threads, the fallback where syncfs is missing: README);
- the window (gui_drop.py): from the drop to the batch's end, the window already unlocked;
- `age -r` once per file in a shell loop, then `sync -f` of the output file system;
- "bare group", in one Python process (its start counted) and one thread, no crypto:
  read each input, write it to an unnamed O_TMPFILE file; one syncfs per 256 files, then
  their links, then the folder's fsync: vaultapp's group commit without vaultapp.
Target (issue 17): vaultapp ≥ 10× the age loop in files per second.

Every run writes into a new folder, and no output is removed before the script ends
(README: "Deleting files makes the next ones slow").
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
from pathlib import Path

import harness as h

FULL = [(1, 4096), (100, 4096), (10_000, 4096), (100_000, 1024)]
QUICK = [(1, 4096), (100, 4096), (1_000, 4096)]
GROUP = 256  # files per syncfs: vaultapp's GROUP_FILES
OUT = "@OUT@"  # in a step's argv: the new folder that run writes into
FRESH = ('o=$(mktemp -d -p "$0") || exit 1; for a; do shift; case $a in @OUT@*) '
         'a=$o${a#@OUT@};; esac; set -- "$@" "$a"; done; exec "$@"')
"""`sh -c FRESH BASE ARGV...`: run ARGV with @OUT@ replaced by a new folder under BASE."""


def bare(src: Path, out: Path) -> None:
    """The bare loop (run as `small_files.py --bare IN OUT`)."""
    syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    folder = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    pending: list[tuple[int, str]] = []

    def commit() -> None:
        if pending and syncfs(folder) != 0:
            raise OSError(ctypes.get_errno(), "syncfs")
        for fd, name in pending:
            os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=folder)
            os.close(fd)
        os.fsync(folder)
        pending.clear()

    for name in sorted(os.listdir(src)):
        with open(src / name, "rb") as f:
            data = f.read()
        fd = os.open(out, os.O_TMPFILE | os.O_WRONLY, 0o600)
        os.write(fd, data)
        pending.append((fd, name))
        if len(pending) == GROUP:
            commit()
    commit()


def main() -> None:
    args = h.arguments(__doc__, full_runs=3)  # the 100,000-file age loop takes minutes
    data: dict[tuple[int, int], dict[str, list[h.Sample]]] = {}
    loads: dict[tuple[int, int], tuple[str, str]] = {}
    with h.session() as b:
        ident = b.work / "age-identity"
        h.checked(["age-keygen", "-o", str(ident)])
        rid = h.checked(["age-keygen", "-y", str(ident)]).strip()
        py = [sys.executable, str(Path(__file__).resolve())]
        for count, size in QUICK if args.quick else FULL:
            src = b.disk / f"in-{count}"
            src.mkdir()
            for i in range(count):
                (src / f"f{i:06d}").write_bytes(os.urandom(size))
            window_log = b.work / f"window-{count}x{size}.jsonl"
            base = {k: b.disk / f"out-{count}-{k}"  # each run: a new folder in it
                    for k in ("vaultapp", "window", "age", "group")}
            loop = ('for f in "$0"/*; do age -r "$R" -o "$1/${f##*/}.age" "$f" || exit 1;'
                    ' done; sync -f "$1"')
            argv = {
                "vaultapp seal": b.va("seal", src, "-o", f"{OUT}/"),
                "window drop": [sys.executable, str(h.HERE / "gui_drop.py"), str(src), OUT,
                                str(window_log)],
                "age loop": ["sh", "-c", loop, str(src), OUT],
                "bare group": [*py, "--bare", str(src), OUT]}
            env = {"age loop": {**b.env, "R": rid}, "bare group": None}
            steps = []
            for (name, command), folder in zip(argv.items(), base.values(), strict=True):
                folder.mkdir()
                steps.append(h.Step(name, ["sh", "-c", FRESH, str(folder), *command],
                                    env=env.get(name, b.env)))
            before = h.load()
            print(f"{count} × {size} B, load {before}", flush=True)
            samples = h.rounds([[s] for s in steps], args.runs)
            loads[(count, size)] = (before, h.load())
            drops = [json.loads(line) for line in window_log.read_text().splitlines()]
            samples["window drop"] = [h.Sample(d["seconds"], s.cpu, s.rss)
                                      for d, s in zip(drops, samples["window drop"],
                                                      strict=True)]
            data[(count, size)] = samples  # outputs stay until the end (see the docstring)
    h.save("small_files", {"runs": args.runs, "loads": {f"{c}x{z}": v for (c, z), v in
                                                        loads.items()},
                           "samples": {f"{c}x{z}": v for (c, z), v in data.items()}},
           report(data, loads, args.runs))


def report(data: dict[tuple[int, int], dict[str, list[h.Sample]]],
           loads: dict[tuple[int, int], tuple[str, str]], runs: int) -> str:
    sets, curve = list(data), [c for c, z in data if z == 4096]  # the curve: 4 KiB files
    rows = []
    for t in data[sets[0]]:
        wall = {k: h.median(v[t])["wall"] for k, v in data.items()}
        vs_age = {k: h.ratio(v["age loop"], v[t]) for k, v in data.items()}
        rows.append([t, *(f"{k[0] / wall[k]:,.0f} ({vs_age[k]:.1f}×)" for k in sets),
                     h.shape(curve, [data[(c, 4096)][t] for c in curve])])
    rows.append(["load average before; after", *(f"{'; '.join(loads[k])}" for k in sets),
                 ""])
    md = [f"### Many small files (on disk, median of {runs} rounds; the window: from the "
          f"drop to the batch's end)\n\nFiles per second (× the age loop, the median of "
          f"the ratios within each round), and how the time grows with the number of "
          f"4 KiB files:\n",
          h.table(["tool", *(f"{c:,} × {z:,} B" for c, z in sets), "time, in files"], rows)]
    for c, z in sets[-2:]:
        s = data[(c, z)]
        times = h.ratio(s["age loop"], s["vaultapp seal"])
        md.append(f"\n{c:,} × {z:,} B (load {loads[(c, z)][0]} before, {loads[(c, z)][1]} "
                  f"after): `vaultapp seal` {times:.1f}× the age loop (≥ 10×: "
                  f"{'met' if times >= 10 else '**not met**'}), "
                  f"{h.ratio(s['bare group'], s['vaultapp seal']):.2f}× bare group commit; "
                  f"the window "
                  f"{h.ratio(s['vaultapp seal'], s['window drop']):.2f}× `vaultapp seal`. "
                  f"CPU of `vaultapp seal`: {h.median(s['vaultapp seal'])['cpu']:.2f} s "
                  f"(wall {h.median(s['vaultapp seal'])['wall']:.2f} s).")
    return "\n".join(md)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
