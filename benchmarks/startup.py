"""Start-up: do short commands meet the budgets of issue 12?

    python benchmarks/startup.py [--quick] [--runs N]

`--version` (≤ 60 ms), `key list`, `profile list`, `slot list`, `log`, seal and open of
4 KiB (≤ 250 ms each), unlocking through the keyring, taking turns; seal and open replace
their output (--force), without a sync after them: this is start-up.
"""

from __future__ import annotations

import harness as h


def main() -> None:
    args = h.arguments(__doc__, quick_runs=3, full_runs=7)
    with h.session() as b:
        plain = h.random_file(b.disk / "plain", 4096)
        sealed = b.disk / "sealed.vault"
        h.checked(b.va("seal", plain, "-o", sealed), b.env)
        steps = [h.Step(" ".join(a), b.va(*a), env=b.env) for a in
                 (["--version"], ["key", "list"], ["profile", "list"], ["slot", "list"],
                  ["log"])]
        steps += [h.Step("seal 4 KiB", b.va("seal", plain, "-o", b.disk / "new.vault",
                                            "--force"), env=b.env),
                  h.Step("open 4 KiB", b.va("open", sealed, "-o", b.disk / "opened",
                                            "--force"), env=b.env)]
        before = h.load()
        samples = h.rounds([[s] for s in steps], args.runs)
        if (b.disk / "opened").read_bytes() != plain.read_bytes():
            raise SystemExit("open did not give back the sealed 4 KiB file")
    rows = []
    for name, got in samples.items():
        m, budget = h.median(got), 60 if name == "--version" else 250
        rows.append([f"`{name}`", f"{m['wall'] * 1e3:.0f}",
                     f"{m['min'] * 1e3:.0f}–{m['max'] * 1e3:.0f}", f"{m['cpu'] * 1e3:.0f}",
                     f"{m['rss']:.1f}", f"≤ {budget}",
                     "met" if m["wall"] * 1e3 <= budget else "**not met**"])
    md = (f"### Start-up (issue 12 budgets)\n\nMedian of {args.runs} rounds; load average "
          f"{before} before, {h.load()} after.\n\n"
          + h.table(["command", "wall ms", "min–max", "CPU ms", "peak RSS MiB", "budget ms",
                     "met"], rows))
    h.save("startup", {"runs": args.runs, "samples": samples}, md)


if __name__ == "__main__":
    main()
