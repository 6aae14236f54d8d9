"""Throughput: `vaultapp seal` and `open`, sealed files and age files, against `cp`, `age`.

    python benchmarks/throughput.py [--quick] [--runs N]

On tmpfs (/dev/shm: `cp` is the memory-copy limit) and on disk (`cp` + fsync is the
durable-write limit), for each size (1 MiB to 8 GiB; quick: 1 to 64 MiB) and every round:
`cp`; `cp` of that copy (a third file, as open writes one: memory this VM has not touched
yet fills at 0.3-1.5 GB/s, README); `vaultapp seal` then `open`; `vaultapp seal --to` one
X25519 recipient then `open` of that age file; `age -r` then `age -d`. Every output is
fsynced with its folder after the tool exits, counted (vaultapp has done so itself), and
compared with the input once. A size that does not fit three times over is skipped.
Also peak RSS, and `vaultapp rewrap` (after a `key rotate`) of each size on disk.
Targets: open ≥ 0.85× cp on tmpfs and ≥ 0.9× cp on disk, seal ≥ 0.9× both (issue 17);
the age format ≥ 1.5× `age` at 1 GiB (issue 15).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import harness as h

FULL_MIB, QUICK_MIB = [1, 16, 256, 1024, 4096, 8192], [1, 8, 64]
TOOLS = ("vaultapp seal", "vaultapp open", "cp", "cp, 3rd file", "age -r", "age -d",
         "vaultapp seal --to", "vaultapp open .age")
TARGETS = {  # (path, where): vaultapp's tool, what it is held against, the target ratio
    ("seal", "tmpfs"): ("vaultapp seal", "cp", 0.9),
    ("seal", "disk"): ("vaultapp seal", "cp", 0.9),
    ("open", "tmpfs"): ("vaultapp open", "cp, 3rd file", 0.85),
    ("open", "disk"): ("vaultapp open", "cp, 3rd file", 0.9),
    ("age seal", "tmpfs"): ("vaultapp seal --to", "age -r", 1.5),
    ("age seal", "disk"): ("vaultapp seal --to", "age -r", 1.5),
    ("age open", "tmpfs"): ("vaultapp open .age", "age -d", 1.5),
    ("age open", "disk"): ("vaultapp open .age", "age -d", 1.5)}


def steps(b: h.Bench, src: Path, rid: str, ident: str) -> list[list[h.Step]]:
    d = src.parent
    return [
        [h.Step("cp", ["cp", str(src), str(d / "copy")], d / "copy", src),
         h.Step("cp, 3rd file", ["cp", str(d / "copy"), str(d / "copy2")], d / "copy2", src)],
        [h.Step("vaultapp seal", b.va("seal", src, "-o", d / "in.vault"), d / "in.vault",
                env=b.env),
         h.Step("vaultapp open", b.va("open", d / "in.vault", "-o", d / "opened"),
                d / "opened", src, env=b.env)],
        [h.Step("vaultapp seal --to", b.va("seal", "--to", rid, src, "-o", d / "v.age"),
                d / "v.age", env=b.env),
         h.Step("vaultapp open .age", b.va("open", d / "v.age", "-o", d / "v.out"),
                d / "v.out", src, env=b.env)],
        [h.Step("age -r", ["age", "-r", rid, "-o", str(d / "in.age"), str(src)], d / "in.age"),
         h.Step("age -d", ["age", "-d", "-i", ident, "-o", str(d / "age.out"),
                           str(d / "in.age")], d / "age.out", src)],
    ]


def rewrap(b: h.Bench, src: Path, runs: int) -> list[h.Sample]:
    sealed = src.with_suffix(".rewrap.vault")
    h.checked(b.va("seal", src, "-o", sealed), b.env)
    got = []
    for _ in range(runs):
        h.checked(b.va("key", "rotate", "--profile", h.PROFILE), b.env)
        got.append(h.run(b.va("rewrap", sealed), b.env))
    sealed.unlink()
    return got


def main() -> None:
    args = h.arguments(__doc__)
    sizes = QUICK_MIB if args.quick else FULL_MIB
    data: dict[str, dict[int, dict[str, list[h.Sample]]]] = {}
    skipped: list[str] = []
    rewraps: dict[int, list[h.Sample]] = {}
    with h.session() as b:
        ident = str(b.work / "age-identity")
        h.checked(["age-keygen", "-o", ident])
        rid = h.checked(["age-keygen", "-y", ident]).strip()
        h.checked(b.va("identity", "import", ident, "--name", "bench"), b.env)
        for where, folder in b.folders().items():
            for mib in sizes:
                if not h.fits(folder, 3 * mib * h.MIB):
                    skipped.append(f"{mib:,} MiB on {where}")
                    continue
                src = h.random_file(folder / "input", mib * h.MIB)
                print(f"{where} {mib} MiB, load {h.load()}", flush=True)
                data.setdefault(where, {})[mib] = h.rounds(steps(b, src, rid, ident),
                                                           args.runs)
                if where == "disk":
                    rewraps[mib] = rewrap(b, src, args.runs)
                src.unlink()
    h.save("throughput", {"sizes_mib": sizes, "runs": args.runs, "samples": data,
                          "rewrap": rewraps, "skipped": skipped},
           report(data, rewraps, skipped, args.runs, sizes))


def report(data: dict[str, Any], rewraps: dict[int, list[h.Sample]], skipped: list[str],
           runs: int, sizes: list[int]) -> str:
    md = [f"### Throughput (MB/s = 10^6 B/s, median of {runs} rounds, output durable)"]
    pairs = [("vaultapp seal", "cp"), ("vaultapp open", "cp"), ("vaultapp seal", "age -r"),
             ("vaultapp open", "age -d"), ("vaultapp seal --to", "age -r"),
             ("vaultapp open .age", "age -d")]
    for where, by_size in data.items():
        rows = [[f"{mib:,}", *(h.mbps(mib * h.MIB, s[k]) for k in TOOLS),
                 *(f"{h.ratio(s[o], s[m]):.2f}×" for m, o in pairs),
                 " / ".join(f"{h.median(s[k])['rss']:.1f}" for k in TOOLS[:2])]
                for mib, s in by_size.items()]
        md += [f"\n#### {where}\n", h.table(["MiB", *TOOLS, "seal/cp", "open/cp", "seal/age",
                                             "open/age", "age format: seal/age", "open/age",
                                             "peak RSS MiB seal / open"], rows)]

    def marginal(where: str, op: str) -> float:
        """MB/s over the extra bytes of the largest size, start-up left out (NaN unless all
        its times are above all of the size before)."""
        (x1, s1), (x2, s2) = list(data[where].items())[-2:]
        a, b = h.median(s1[op]), h.median(s2[op])
        grew = b["min"] > a["max"]
        return (x2 - x1) * h.MIB / (b["wall"] - a["wall"]) / 1e6 if grew else math.nan

    rows = []
    targets: list[int] = [m for m in (1024, 4096) if m in sizes] or [sizes[-1]]
    for mib in targets:
        for (op, where), (tool, base, target) in TARGETS.items():
            if (s := data.get(where, {}).get(mib)) is not None:
                other = "age -r" if op.endswith("seal") else "age -d"
                vs = h.ratio(s[base], s[tool])
                edge = marginal(where, tool) / marginal(where, "cp")
                rows.append([f"{op}, {where}, {mib:,} MiB",
                             f"{mib * h.MIB / h.median(s[tool])['wall'] / 1e9:.2f} GB/s",
                             f"{vs:.2f}× {base}",
                             f"{h.ratio(s[other], s[tool]):.2f}× `{other}`",
                             f"≥ {target}× {base}: {'met' if vs >= target else '**not met**'}",
                             "—" if math.isnan(edge) else f"{edge:.2f}×"])
    md += ["\n#### Against the targets (ratios within each round; marginal: the same, start-up "
           "left out, from the two largest sizes)\n", h.table(
               ["path", "vaultapp", "against the target's base", "against age", "target",
                "marginal, against cp"],
               rows)]
    grow = [[f"{op}, {where}", h.shape(list(data[where]), [s[op] for s in data[where].values()]),
             f"{marginal(where, op):,.0f}".replace("nan", "—")] for where in data for op in TOOLS]
    if rewraps:
        ms = ", ".join(f"{h.median(r)['wall'] * 1e3:.0f}" for r in rewraps.values())
        grow.append([f"vaultapp rewrap (disk; ms: {ms})", h.shape(list(rewraps),
                                                                 list(rewraps.values())), ""])
    md += ["\n#### Time against file size (whole process)\n",
           h.table(["operation", "shape", "marginal MB/s"], grow)]
    if skipped:
        md.append(f"\nSkipped (not enough room): {', '.join(skipped)}.")
    return "\n".join(md)


if __name__ == "__main__":
    main()
