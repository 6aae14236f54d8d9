"""Many small files: one `vaultapp seal` call, and one drop on the window, against an `age`
loop and against the bare file-system work with the same durability.

    python benchmarks/small_files.py [--quick] [--runs N]

On disk, 1, 100 and 10,000 × 4 KiB and 100,000 × 1 KiB (quick: 1, 100, 1,000 × 4 KiB),
each tool writing into an empty folder of its own, in the same rounds:
- `vaultapp seal IN -o OUT/`: one process, start-up and keyring unlock included;
- the window (gui_drop.py): from the drop to the batch's end, the window already unlocked;
- `age -r` once per file in a shell loop, then `sync -f` of the output file system;
- bare, in one Python process (its start counted) and one thread, no crypto: read each
  input, write it to an unnamed O_TMPFILE file, make it durable, link it under its name,
  and at the end fsync the folder. "bare fsync": one fsync per file (the old ceiling);
  "bare group": group commit, one syncfs per 500 files, then their links.
Target (issue 17): vaultapp ≥ 10× the age loop in files per second.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sys
from pathlib import Path

import harness as h

FULL = [(1, 4096), (100, 4096), (10_000, 4096), (100_000, 1024)]
QUICK = [(1, 4096), (100, 4096), (1_000, 4096)]
GROUP = 500  # descriptors held at once: under the usual limit of 1,024


def bare(mode: str, src: Path, out: Path) -> None:
    """The bare loop (run as `small_files.py --bare fsync|group IN OUT`)."""
    syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    folder = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    pending: list[tuple[int, str]] = []

    def commit() -> None:
        if mode == "group" and pending and syncfs(pending[0][0]) != 0:
            raise OSError(ctypes.get_errno(), "syncfs")
        for fd, name in pending:
            os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=folder)
            os.close(fd)
        pending.clear()

    for name in sorted(os.listdir(src)):
        with open(src / name, "rb") as f:
            data = f.read()
        fd = os.open(out, os.O_TMPFILE | os.O_WRONLY, 0o600)
        os.write(fd, data)
        if mode == "fsync":
            os.fsync(fd)
        pending.append((fd, name))
        if mode == "fsync" or len(pending) == GROUP:
            commit()
    commit()
    os.fsync(folder)


def main() -> None:
    args = h.arguments(__doc__, full_runs=3)  # the 100,000-file age loop takes minutes
    data: dict[tuple[int, int], dict[str, list[h.Sample]]] = {}
    with h.session() as b:
        ident = b.work / "age-identity"
        h.checked(["age-keygen", "-o", str(ident)])
        rid = h.checked(["age-keygen", "-y", str(ident)]).strip()
        for count, size in QUICK if args.quick else FULL:
            src = b.disk / f"in-{count}"
            src.mkdir()
            for i in range(count):
                (src / f"f{i:06d}").write_bytes(os.urandom(size))
            window_log = b.work / f"window-{count}x{size}.jsonl"
            out = {k: b.disk / f"out-{k}" for k in ("vaultapp", "window", "age", "fsync",
                                                     "group")}
            py = [sys.executable, str(Path(__file__).resolve())]
            loop = ('for f in "$0"/*; do age -r "$R" -o "$1/${f##*/}.age" "$f" || exit 1;'
                    ' done; sync -f "$1"')
            steps = [
                h.Step("vaultapp seal", b.va("seal", src, "-o", f"{out['vaultapp']}/"),
                       folder=out["vaultapp"], env=b.env),
                h.Step("window drop", [sys.executable, str(h.HERE / "gui_drop.py"), str(src),
                                       str(out["window"]), str(window_log)],
                       folder=out["window"], env=b.env),
                h.Step("age loop", ["sh", "-c", loop, str(src), str(out["age"])],
                       folder=out["age"], env={**b.env, "R": rid}),
                *(h.Step(f"bare {m}", [*py, "--bare", m, str(src), str(out[m])],
                         folder=out[m]) for m in ("fsync", "group"))]
            print(f"{count} × {size} B, load {h.load()}", flush=True)
            samples = h.rounds([[s] for s in steps], args.runs)
            drops = [json.loads(line) for line in window_log.read_text().splitlines()]
            samples["window drop"] = [h.Sample(d["seconds"], s.cpu, s.rss)
                                      for d, s in zip(drops, samples["window drop"],
                                                      strict=True)]
            data[(count, size)] = samples
            shutil.rmtree(src)
    sets, curve = list(data), [c for c, z in data if z == 4096]  # the curve: 4 KiB files
    rows = []
    for t in data[sets[0]]:
        wall = {k: h.median(v[t])["wall"] for k, v in data.items()}
        vs_age = {k: h.ratio(v["age loop"], v[t]) for k, v in data.items()}
        rows.append([t, *(f"{k[0] / wall[k]:,.0f} ({vs_age[k]:.1f}×)" for k in sets),
                     h.shape(curve, [data[(c, 4096)][t] for c in curve])])
    md = [f"### Many small files (on disk, median of {args.runs} rounds; the window: from the "
          f"drop to the batch's end)\n\nFiles per second (× the age loop), and how the time "
          f"grows with the number of 4 KiB files:\n",
          h.table(["tool", *(f"{c:,} × {z:,} B" for c, z in sets), "time, in files"], rows)]
    for c, z in sets[-2:]:
        s = data[(c, z)]
        times = h.ratio(s["age loop"], s["vaultapp seal"])
        md.append(f"\n{c:,} × {z:,} B: `vaultapp seal` {times:.1f}× the age loop (≥ 10×: "
                  f"{'met' if times >= 10 else '**not met**'}), "
                  f"{h.ratio(s['bare group'], s['vaultapp seal']):.2f}× bare group commit; the "
                  f"window {h.ratio(s['vaultapp seal'], s['window drop']):.2f}× `vaultapp seal`.")
    h.save("small_files", {"runs": args.runs, "samples": {f"{c}x{z}": v for (c, z), v in
                                                          data.items()}}, "\n".join(md))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
