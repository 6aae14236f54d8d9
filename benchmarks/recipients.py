"""Sharing as age files: cost per recipient, and vaultapp's age path against `age`.

    python benchmarks/recipients.py [--quick] [--runs N]

1. `vaultapp seal --to` of 4 KiB to 1, 3, 10, 30, 100 X25519 recipients (quick: 1, 10,
   100) against `age -r` with the same ones; opening it with the last one's identity:
   `vaultapp open` (identity imported into the keybox) against `age -d -i`.
2. The age format at size, as throughput.py does the vault format: 1 GiB (quick: 64 MiB)
   on tmpfs and on disk, `cp`, `vaultapp seal --to` then `vaultapp open`, `age -r` then
   `age -d`, every output fsynced with its folder and counted, compared with the input.
"""

from __future__ import annotations

import harness as h


def main() -> None:
    args = h.arguments(__doc__)
    counts = [1, 10, 100] if args.quick else [1, 3, 10, 30, 100]
    size = (64 if args.quick else 1024) * h.MIB
    with h.session() as b:
        ids = [b.work / f"id-{i}" for i in range(counts[-1])]
        for ident in ids:
            h.checked(["age-keygen", "-o", str(ident)])
        rids = [h.checked(["age-keygen", "-y", str(i)]).strip() for i in ids]
        h.checked(b.va("identity", "import", ids[-1], "--name", "last"), b.env)
        d = b.disk
        plain = h.random_file(d / "plain", 4096)
        groups = []
        for n in counts:
            last, ours, theirs = ids[n - 1], d / f"ours-{n}.age", d / f"theirs-{n}.age"
            if n != counts[-1]:  # the keybox holds only the last identity: import this one
                h.checked(b.va("identity", "import", last, "--name", f"id-{n}"), b.env)
            to = [a for r in rids[:n] for a in ("--to", r)]
            groups += [
                [h.Step(f"{n}|vaultapp seal --to", b.va("seal", *to, plain, "-o", ours),
                        ours, env=b.env),
                 h.Step(f"{n}|vaultapp open", b.va("open", ours, "-o", d / f"ours-{n}.out"),
                        d / f"ours-{n}.out", plain, env=b.env)],
                [h.Step(f"{n}|age -r", ["age", *(a.replace("--to", "-r") for a in to), "-o",
                                        str(theirs), str(plain)], theirs),
                 h.Step(f"{n}|age -d", ["age", "-d", "-i", str(last), "-o",
                                        str(d / f"theirs-{n}.out"), str(theirs)],
                        d / f"theirs-{n}.out", plain)]]
        print(f"recipients, load {h.load()}", flush=True)
        many = h.rounds(groups, args.runs)
        big = {}
        for where, folder in b.folders().items():
            if not h.fits(folder, 3 * size):
                continue
            src, r = h.random_file(folder / "input", size), rids[0]
            print(f"age format, {where}, load {h.load()}", flush=True)
            big[where] = h.rounds([
                [h.Step("cp", ["cp", str(src), str(folder / "copy")], folder / "copy", src)],
                [h.Step("vaultapp seal --to", b.va("seal", "--to", r, src, "-o",
                                                   folder / "v.age"), folder / "v.age",
                        env=b.env),
                 h.Step("vaultapp open", b.va("open", folder / "v.age", "-o", folder / "v.out"),
                        folder / "v.out", src, env=b.env)],
                [h.Step("age -r", ["age", "-r", r, "-o", str(folder / "a.age"), str(src)],
                        folder / "a.age"),
                 h.Step("age -d", ["age", "-d", "-i", str(ids[0]), "-o", str(folder / "a.out"),
                                   str(folder / "a.age")], folder / "a.out", src)]], args.runs)
            src.unlink()
    ms = {k: h.median(v)["wall"] * 1e3 for k, v in many.items()}
    ops = ("vaultapp seal --to", "age -r", "vaultapp open", "age -d")
    rows = [[n, *(f"{ms[f'{n}|{op}']:,.0f}" for op in ops)] for n in counts]
    shapes = [[op, h.shape(counts, [many[f"{n}|{op}"] for n in counts])] for op in ops]
    rows2 = []
    for where, s in big.items():
        for op, other in (("vaultapp seal --to", "age -r"), ("vaultapp open", "age -d")):
            rows2.append([f"{op}, {where}", h.mbps(size, s[op]),
                          f"{h.ratio(s['cp'], s[op]):.2f}×",
                          f"{h.ratio(s[other], s[op]):.2f}× `{other}`",
                          f"{h.median(s[op])['rss']:.1f}"])
    md = (f"### Recipients (4 KiB file, median wall ms of {args.runs} rounds)\n\n"
          f"{h.table(['recipients', *ops], rows)}\n\n{h.table(['operation', 'shape'], shapes)}"
          f"\n\n### The age format at {size // h.MIB:,} MiB (MB/s, output durable)\n\n"
          + h.table(["path", "MB/s", "against cp", "against age", "peak RSS MiB"], rows2))
    h.save("recipients", {"counts": counts, "size": size, "runs": args.runs, "recipients": many,
                          "age_format": big}, md)


if __name__ == "__main__":
    main()
