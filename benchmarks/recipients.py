"""Sharing as age files: what does each recipient cost, against `age`?

    python benchmarks/recipients.py [--quick] [--runs N]

`vaultapp seal --to` of 4 KiB to 1, 3, 10, 30, 100 X25519 recipients (quick: 1, 10, 100)
against `age -r` with the same ones; opening it with the last one's identity: `vaultapp
open` (identity imported into the keybox) against `age -d -i`. The age format at size is
measured beside the vault format by throughput.py.
"""

from __future__ import annotations

import harness as h


def main() -> None:
    args = h.arguments(__doc__)
    counts = [1, 10, 100] if args.quick else [1, 3, 10, 30, 100]
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
    ms = {k: h.median(v)["wall"] * 1e3 for k, v in many.items()}
    ops = ("vaultapp seal --to", "age -r", "vaultapp open", "age -d")
    rows = [[n, *(f"{ms[f'{n}|{op}']:,.0f}" for op in ops)] for n in counts]
    shapes = [[op, h.shape(counts, [many[f"{n}|{op}"] for n in counts])] for op in ops]
    md = (f"### Recipients (4 KiB file, median wall ms of {args.runs} rounds)\n\n"
          f"{h.table(['recipients', *ops], rows)}\n\n{h.table(['operation', 'shape'], shapes)}")
    h.save("recipients", {"counts": counts, "runs": args.runs, "recipients": many}, md)


if __name__ == "__main__":
    main()
