"""Does unlocking grow with the keybox? Unlock + seal, `key list`, `keybox check` and one
write (`key rotate`) on keyboxes of growing size, as real `vaultapp` processes.

    .venv/bin/python benchmarks/keybox_growth.py [--runs 5] [--rebuild] [--json FILE]

Not a test; never run in CI. Sizes: fresh (1 profile, 1 key), 100 × 20 keys, 1,000 × 20,
and 1,000 × 20 with 1,000,000 more ("seal") audit rows. Each is built by the product's code
in one transaction: `Keybox.create` (a passphrase slot, cheap Argon2id), then inside one
`Keybox._writing()` rows are inserted with SQLAlchemy (keys wrapped by `wrapping.wrap`),
each audit row chained by `integrity.chain_link` before its insert, and `_seal_changes`
chains a last row and authenticates the state. Cached in $TMPDIR/vaultapp-keybox-growth/
(--rebuild). Each run copies them; `vaultapp slot add-keyring` (unlocked by
VAULTAPP_PASSPHRASE, so the product verifies the built state, else exit 6) adds a slot in
a private gnome-keyring (engine.keyring_session) that every timed command unlocks through.
Commands of all sizes take turns (startup.measure: a warm-up round, then --runs rounds).
Reported: median wall ms, CPU ms, peak RSS, ratio to fresh; in-process ms of
`integrity.state_macs` (paid by every unlock and every state-changing write); one
`keybox check --unlock` per size (--check-timeout 0 skips it) and the time it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import engine
import startup
from sqlalchemy import func, insert, select

from vaultapp.core.keybox import integrity, schema, service
from vaultapp.core.keybox.slots.passphrase import KdfParams
from vaultapp.core.keybox.states import KeyState
from vaultapp.core.keybox.timeutil import utcnow
from vaultapp.core.keybox.wrapping import wrap

PASSPHRASE = "keybox growth benchmark passphrase"
CHEAP_KDF = KdfParams(memory_kib=64, iterations=1, lanes=1)
SIZES = [("fresh", 1, 1, 0), ("100x20", 100, 20, 0), ("1000x20", 1000, 20, 0),
         ("1000x20+1M", 1000, 20, 1_000_000)]  # label, profiles, keys each, extra audit rows
CACHE = Path(tempfile.gettempdir()) / "vaultapp-keybox-growth"
BATCH = 20_000


def insert_chained(s: Any, meta: schema.KeyboxMeta, key: bytes, rows: Any, count: int) -> None:
    """Insert audit rows (action, profile, key id, files, details), each chained to the one
    before as _seal_changes does, and move the head; _seal_changes then MACs it."""
    previous = meta.audit_head if meta.audit_last_id > meta.audit_chain_start and \
        meta.audit_head is not None else integrity.GENESIS
    actor, batch, table = service.actor(), [], schema.AuditRow.__table__
    # After the rows Keybox.create wrote, 1 µs apart: `keybox check` wants (at, id) order.
    start = s.scalar(select(func.max(table.c.at))) + timedelta(microseconds=1)
    for i, (action, profile, key_id, files, details) in enumerate(rows):
        row = SimpleNamespace(at=start + timedelta(microseconds=i), actor=actor, action=action,
                              profile=profile, key_id=key_id, files=files, details=details)
        row.chain = previous = integrity.chain_link(key, previous, row)  # type: ignore[arg-type]
        batch.append(vars(row))
        if len(batch) == BATCH or i == count - 1:
            s.connection().execute(insert(table), batch)
            batch = []
    meta.audit_last_id, meta.audit_head = int(s.scalar(select(func.max(table.c.id)))), previous
    while utcnow() <= start + timedelta(microseconds=count):  # the last row comes after
        time.sleep(0.01)


def build(path: Path, profiles: int, per: int, extra: int) -> None:
    box = service.Keybox.create(f"sqlite:///{path}", use_keyring=False, passphrase=PASSPHRASE,
                                kdf=CHEAP_KDF)
    root, keys, kid = bytes(box.require_root()), box._keys, box.keybox_id
    assert keys is not None
    made = utcnow() - timedelta(days=400)
    p_rows, k_rows, secrets_rows, audit = [], [], [], []
    for p in range(profiles):
        pid, name = secrets.token_hex(16), f"profile-{p:04d}"
        p_rows.append({"profile_id": pid, "name": name, "rotation_days": None,
                       "created_at": made})
        for v in range(1, per + 1):
            key_id, secret = secrets.token_hex(16), os.urandom(32)
            k_rows.append({"key_id": key_id, "profile_id": pid, "version": v,
                           "state": KeyState.ENABLED.value, "is_primary": v == per,
                           "wrapped_key": wrap(root + secret, os.urandom(32),
                                               service.key_context(kid, pid, key_id)),
                           "created_at": made, "state_changed_at": made})
            secrets_rows.append({"key_id": key_id, "secret": secret})
            audit.append(("profile.create" if v == 1 else "key.rotate", name, key_id, 0,
                          f"version {v} is primary"))
    seals = ((("seal", audit[i % len(audit)][1], audit[i % len(audit)][2], 1 + i % 3,
               f"{1 + i % 3} file(s) sealed")) for i in range(extra))
    with box._writing() as s:
        meta = s.get(schema.KeyboxMeta, 1)  # the row _writing locked (one identity map)
        assert meta is not None
        for table, values in ((schema.ProfileRow, p_rows), (schema.ProfileKeyRow, k_rows),
                              (schema.KeySecretRow, secrets_rows)):
            for i in range(0, len(values), BATCH):
                s.connection().execute(insert(table.__table__), values[i:i + BATCH])
        insert_chained(s, meta, keys.audit, iter([*audit, *seals]), len(audit) + extra)
        service._log(s, service._audit(utcnow(), "keybox.note", details="built by "
                                       "benchmarks/keybox_growth.py"))
    box.close()
    if path.with_name(path.name + "-wal").exists():
        raise SystemExit(f"{path}: the WAL was not checkpointed")


def state_mac_ms(path: Path, runs: int) -> float:
    """In-process: integrity.state_macs over the whole state (unlock and every write)."""
    box = service.Keybox.open(f"sqlite:///{path}")
    box.unlock(PASSPHRASE, kinds=("passphrase",))
    assert box._keys is not None
    times = []
    with box.store.session() as s:
        for _ in range(runs):
            t = time.perf_counter()
            integrity.state_macs(s, box._keys.state, box.keybox_id, 1)
            times.append(time.perf_counter() - t)
    box.close()
    return statistics.median(times) * 1e3


def check_once(base: list[str], box: Path, env: dict[str, str], timeout: float) -> str:
    """One `keybox check --unlock` (it unwraps every key: minutes at 20,000 keys): wall
    time and the line it prints with its own time."""
    t = time.perf_counter()
    try:
        res = subprocess.run([*base, "--keybox", str(box), "keybox", "check", "--unlock"],
                             env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout:.0f} s"
    out = (res.stdout + res.stderr).strip().replace("\n", "; ")
    return f"{time.perf_counter() - t:.1f} s wall, exit {res.returncode}: {out}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    p.add_argument("--rebuild", action="store_true", help="build the cached keyboxes again")
    p.add_argument("--check-timeout", type=float, default=900, help="s per keybox check "
                   "(0: skip it; it takes minutes at 20,000 keys)")
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    p.add_argument("--sizes", default=",".join(s[0] for s in SIZES), help="labels to run")
    args = p.parse_args()
    sizes = [s for s in SIZES if s[0] in args.sizes.split(",")]
    engine.exit_on_sigterm()
    base, load = [str(engine.vaultapp_command())], Path("/proc/loadavg")
    result: dict[str, Any] = {"runs": args.runs, "loadavg_start": load.read_text().strip()}
    CACHE.mkdir(mode=0o700, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vaultapp-growth-") as tmp:
        work = Path(tmp)
        os.environ["VAULTAPP_CONFIG_HOME"] = str(work / "builder-pins")  # never the user's
        build_s: dict[str, float] = {}
        for label, profiles, per, extra in sizes:
            cached = CACHE / f"{label}.sqlite"
            if args.rebuild or not cached.exists():
                cached.unlink(missing_ok=True)
                t = time.monotonic()
                build(cached, profiles, per, extra)
                build_s[label] = time.monotonic() - t
                print(f"built {label} in {build_s[label]:.1f} s", flush=True)
        with engine.keyring_session() as keyring_env:
            env = startup.isolated_env(work, {**keyring_env, "VAULTAPP_CONFIG_HOME": ""})
            plain = work / "plain.bin"
            plain.write_bytes(os.urandom(4096))
            cmds, boxes = [], {}
            for label, *_ in sizes:
                box = boxes[label] = work / f"{label}.sqlite"
                shutil.copyfile(CACHE / f"{label}.sqlite", box)
                kb = ["--keybox", str(box)]
                engine.run_checked([*base, *kb, "slot", "add-keyring"],
                                   {**env, "VAULTAPP_PASSPHRASE": PASSPHRASE})
                out = work / f"{label}.vault"
                cmds += [startup.Command(f"{label}|seal", [*kb, "seal", "--profile",
                                         "profile-0000", str(plain), "-o", str(out)],
                                         output=out),
                         startup.Command(f"{label}|key list", [*kb, "key", "list"]),
                         startup.Command(f"{label}|key rotate", [*kb, "key", "rotate",
                                                                 "--profile", "profile-0000"])]
            t = time.monotonic()
            rows = startup.summarize(cmds, startup.measure(base, cmds, env, work, args.runs))
            result["timing_s"] = time.monotonic() - t
            notes = {label: check_once(base, boxes[label], env, args.check_timeout)
                     if args.check_timeout > 0 else "skipped" for label, *_ in sizes}
        macs = {label: state_mac_ms(boxes[label], 5) for label, *_ in sizes}
    result.update(loadavg_end=load.read_text().strip(), build_s=build_s, check=notes,
                  state_mac_ms=macs, commands=rows)
    by = {r["command"]: r for r in rows}
    print(f"\nmedian of {args.runs} runs, after a warm-up round; unlock through a private "
          "gnome-keyring slot\n")
    print("| size | command | wall ms | min–max | CPU ms | peak RSS MiB | × fresh |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        label, what = r["command"].split("|")
        fresh = by[f"fresh|{what}"]["wall_ms"]
        print(f"| {label} | `{what}` | {r['wall_ms']:.0f} | {r['wall_min_ms']:.0f}–"
              f"{r['wall_max_ms']:.0f} | {r['cpu_ms']:.0f} | {r['rss_mib']:.1f} | "
              f"{r['wall_ms'] / fresh:.2f} |")
    print("\n| size | state MAC ms, in-process | `keybox check --unlock`, one run |")
    print("| --- | ---: | --- |")
    for label, *_ in sizes:
        print(f"| {label} | {macs[label]:.1f} | {notes[label]} |")
    ratio = by[f"{sizes[-1][0]}|seal"]["wall_ms"] / by["fresh|seal"]["wall_ms"]
    print(f"\nunlock + seal, {sizes[-1][0]} vs fresh: {ratio:.2f}× (target ≤ 1.5×: "
          f"{'met' if ratio <= 1.5 else 'NOT met'})")
    print(f"load average: {result['loadavg_start']} (start), {result['loadavg_end']} (end)")
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
