"""Keybox growth: do unlocking, listing and rotating grow with the keybox?

    python benchmarks/keybox_growth.py [--quick] [--runs N]

Keyboxes of 1 profile × 1 key, 100 × 20, 1,000 × 20, and 1,000 × 20 with 1,000,000 more
audit rows (quick: 1 × 1, 10 × 20, 100 × 20, 100 × 20 + 100,000 rows): `vaultapp init`,
then one write transaction of the product's own code (`--build`: keys wrapped, audit rows
chained, the state MAC renewed), then a keyring slot. Timed, taking turns: unlock + seal
of 4 KiB, `key list`, `key rotate`; one `keybox check --unlock` each (it reads every key).
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import harness as h

FULL = [(1, 1, 0), (100, 20, 0), (1000, 20, 0), (1000, 20, 1_000_000)]
QUICK = [(1, 1, 0), (10, 20, 0), (100, 20, 0), (100, 20, 100_000)]
BATCH = 20_000


def build(path: Path, profiles: int, per: int, extra: int) -> None:
    """Fill the keybox at `path` (run as `keybox_growth.py --build PATH P K ROWS`)."""
    from sqlalchemy import func, insert, select

    from vaultapp.core.keybox import integrity, schema, service
    from vaultapp.core.keybox.actor import actor
    from vaultapp.core.keybox.timeutil import utcnow
    from vaultapp.core.keybox.wrapping import wrap

    box = service.Keybox.open(f"sqlite:///{path}")
    box.unlock(h.PASSPHRASE, kinds=("passphrase",))
    root, keys, made = bytes(box.require_root()), box._keys, utcnow() - timedelta(days=400)
    assert keys is not None
    tables: dict[Any, list[dict[str, object]]] = {schema.ProfileRow: [],
                                                   schema.ProfileKeyRow: [],
                                                   schema.KeySecretRow: []}
    log = []
    for p in range(profiles):
        pid, name = secrets.token_hex(16), f"profile-{p:04d}"
        tables[schema.ProfileRow].append({"profile_id": pid, "name": name,
                                          "rotation_days": None, "created_at": made})
        for v in range(1, per + 1):
            kid, secret = secrets.token_hex(16), os.urandom(32)
            tables[schema.ProfileKeyRow].append({
                "key_id": kid, "profile_id": pid, "version": v, "state": "enabled",
                "is_primary": v == per, "created_at": made, "state_changed_at": made,
                "wrapped_key": wrap(root + secret, os.urandom(32),
                                    service.key_context(box.keybox_id, pid, kid))})
            tables[schema.KeySecretRow].append({"key_id": kid, "secret": secret})
            log.append(("key.rotate", name, kid, 0, f"version {v} is primary"))
    log += [("seal", log[i % len(log)][1], log[i % len(log)][2], 1, "1 file(s) sealed")
            for i in range(extra)]
    with box._writing() as s:
        meta = s.get(schema.KeyboxMeta, 1)
        assert meta is not None
        for table, values in tables.items():
            for i in range(0, len(values), BATCH):
                s.connection().execute(insert(table), values[i:i + BATCH])
        audit = schema.AuditRow.__table__.c
        start = (s.scalar(select(func.max(audit.at))) or utcnow()) + timedelta(microseconds=1)
        chained = meta.audit_last_id > meta.audit_chain_start and meta.audit_head is not None
        previous = meta.audit_head if chained and meta.audit_head else integrity.GENESIS
        who, batch = actor(), []
        for i, (action, profile, kid, files, details) in enumerate(log):
            row = schema.AuditRow(at=start + timedelta(microseconds=i), actor=who,
                                  action=action, profile=profile, key_id=kid, files=files,
                                  details=details)
            previous = integrity.chain_link(keys.audit, previous, row)
            batch.append({c: getattr(row, c) for c in ("at", "actor", "action", "profile",
                                                       "key_id", "files", "details")}
                         | {"chain": previous})
            if len(batch) == BATCH or i == len(log) - 1:
                s.connection().execute(insert(schema.AuditRow), batch)
                batch = []
        meta.audit_last_id, meta.audit_head = s.scalar(select(func.max(audit.id))), previous
        while utcnow() <= start + timedelta(microseconds=len(log)):  # the note comes last
            time.sleep(0.01)
        integrity.log(s, service._audit(utcnow(), "keybox.note", details="benchmark rows"))
    box.close()


def main() -> None:
    args = h.arguments(__doc__)
    sizes = QUICK if args.quick else FULL
    cmds = ("unlock + seal 4 KiB", "key list", "key rotate")
    groups, checks, labels = [], {}, []
    with h.session() as b:
        plain = h.random_file(b.work / "plain", 4096)
        for profiles, per, extra in sizes:
            label = f"{profiles:,} × {per}" + (f" + {extra:,} rows" if extra else "")
            labels.append(label)
            box = b.work / f"box-{len(labels)}.sqlite"
            kb = ["--keybox", str(box)]
            h.checked(b.va(*kb, "init", "--no-keyring", "--passphrase-stdin"), b.env,
                      h.PASSPHRASE + "\n")
            print(f"building {label}, load {h.load()}", flush=True)
            h.checked([sys.executable, str(Path(__file__).resolve()), "--build", str(box),
                       str(profiles), str(per), str(extra)], b.env)
            h.checked(b.va(*kb, "slot", "add-keyring"), {**b.env,
                                                         "VAULTAPP_PASSPHRASE": h.PASSPHRASE})
            p0 = ["--profile", "profile-0000"]
            argvs = (["seal", *p0, str(plain), "-o", str(box) + ".vault", "--force"],
                     ["key", "list"], ["key", "rotate", *p0])
            groups += [[h.Step(f"{label}|{c}", b.va(*kb, *a), env=b.env)]
                       for c, a in zip(cmds, argvs, strict=True)]
        samples = h.rounds(groups, args.runs)
        for i, label in enumerate(labels):
            checks[label] = h.run(b.va("--keybox", b.work / f"box-{i + 1}.sqlite", "keybox",
                                       "check", "--unlock"), b.env)
    every = (*cmds, "keybox check --unlock")
    got = {lab: {c: samples[f"{lab}|{c}"] for c in cmds} | {every[-1]: [checks[lab]]}
           for lab in labels}
    wall = {lab: {c: h.median(got[lab][c])["wall"] for c in every} for lab in labels}
    n, keys = len(labels) - 1, [p * k for p, k, _ in sizes[:-1]]  # the last: audit rows
    rows = [[lab, *(f"{wall[lab][c] * 1e3:,.0f}" for c in every)] for lab in labels]
    shapes = [[c, h.shape(keys, [got[lab][c] for lab in labels[:n]]),
               f"{wall[labels[n]][c] / wall[labels[n - 1]][c]:.2f}×"] for c in every]
    md = (f"### Keybox growth (median wall ms of {args.runs} rounds; `keybox check`: one run)"
          f"\n\n{h.table(['keybox', *every], rows)}\n\nShape against the number of keys, "
          f"and the time with the audit rows over the time without them (same keys):\n\n"
          + h.table(["command", "in keys", "audit rows added"], shapes))
    h.save("keybox_growth", {"sizes": sizes, "runs": args.runs, "samples": samples,
                             "check": checks}, md)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        build(Path(sys.argv[2]), *map(int, sys.argv[3:6]))
    else:
        main()
