"""Start-up cost of short `vaultapp` commands: wall time, CPU time and peak RSS.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--json FILE] [--imports]
        [--vaultapp PATH | --python PATH]   (default: this checkout's .venv/bin/vaultapp)

Not a test; never run in CI. On a private gnome-keyring (engine.keyring_session) `vaultapp
init` makes a throwaway keybox (temporary VAULTAPP_HOME) with a keyring and a passphrase
slot; VAULTAPP_PASSPHRASE is set for `init` only, so every timed command unlocks through
the keyring. Each command runs once to warm up, then --runs times, the commands taking
turns; `seal` and `open` (4 KiB) write a fresh output each time. Reported per command:
median wall ms (min–max), median user+sys CPU ms (os.wait4), median peak RSS MiB (ru_maxrss
via /usr/bin/time, +0.5 ms wall: a direct child would inherit this script's own peak), and
the budget: ≤ 250 ms, `--version` ≤ 60 ms. --imports: `profile list`, `key list` and `seal`
once each with PYTHONPROFILEIMPORTTIME=1 (= -X importtime); their 15 heaviest top-level
imports (cumulative µs), each with its heaviest chain of sub-imports.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import engine  # benchmarks/engine.py: the private keyring session, the child environment

PASSPHRASE = "startup benchmark passphrase"
IMPORT_COMMANDS = ("profile list", "key list", "seal 4 KiB")


@dataclass
class Command:
    label: str
    args: list[str]
    budget_ms: float = 250.0
    output: Path | None = None  # written by the command: removed before every run


@dataclass
class Node:
    name: str
    self_us: int
    cum_us: int
    children: list[Node]


def isolated_env(work: Path, keyring_env: dict[str, str]) -> dict[str, str]:
    """The private keyring's bus, a throwaway HOME and runtime folder, a bytecode cache."""
    home, runtime = work / "home", work / "runtime"
    home.mkdir(mode=0o700)
    runtime.mkdir(mode=0o700)
    extra = {"VAULTAPP_HOME": str(work / "vaultapp"), "HOME": str(home), "XDG_RUNTIME_DIR":
             str(runtime), "XDG_CONFIG_HOME": str(home / ".config")}  # no user keyring config
    return engine.child_environ({**keyring_env, **engine.python_env(work), **extra})


def make_vault(base: list[str], env: dict[str, str], work: Path) -> list[Command]:
    """Keybox (keyring + passphrase slot), one profile, a 4 KiB file and its sealed copy."""
    engine.run_checked([*base, "init"], {**env, "VAULTAPP_PASSPHRASE": PASSPHRASE})
    engine.run_checked([*base, "profile", "create", engine.PROFILE], env)
    slots = engine.run_checked([*base, "slot", "list"], env).splitlines()
    kinds = sorted(line.split("\t")[1] for line in slots if line.strip())
    if kinds != ["keyring", "passphrase"]:
        raise SystemExit(f"expected a keyring and a passphrase slot, got: {kinds}")
    plain, sealed = work / "plain.bin", work / "sealed.vault"
    plain.write_bytes(os.urandom(4096))
    engine.run_checked([*base, "seal", str(plain), "-o", str(sealed)], env)
    new_vault, opened = work / "timed.vault", work / "timed.plain"
    return [
        Command("--version", ["--version"], budget_ms=60.0),
        Command("key list", ["key", "list"]),
        Command("profile list", ["profile", "list"]),
        Command("slot list", ["slot", "list"]),
        Command("log", ["log"]),
        Command("seal 4 KiB", ["seal", str(plain), "-o", str(new_vault)], output=new_vault),
        Command("open 4 KiB", ["open", str(sealed), "-o", str(opened)], output=opened),
    ]


def run_once(argv: list[str], env: dict[str, str], work: Path) -> dict[str, float]:
    """One process under /usr/bin/time: wall ms, user+sys CPU ms, peak RSS MiB."""
    rss_file, err_file = work / "rss.txt", work / "stderr.txt"
    with open(err_file, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([engine.TIME_BIN, "-f", "%M", "-o", str(rss_file), *argv],
                                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {err_file.read_text(errors='replace')}")
    return {"wall_ms": wall * 1e3, "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1e3,
            "rss_mib": int(rss_file.read_text().split()[-1]) / 1024}


def measure(base: list[str], cmds: list[Command], env: dict[str, str], work: Path,
            runs: int) -> dict[str, dict[str, list[float]]]:
    """A warm-up run of every command, then `runs` rounds in which they take turns."""
    raw: dict[str, dict[str, list[float]]] = {c.label: {} for c in cmds}
    for round_no in range(runs + 1):
        for cmd in cmds:
            if cmd.output is not None:
                cmd.output.unlink(missing_ok=True)
            os.sync()  # no writeback left over from the command before
            sample = run_once([*base, *cmd.args], env, work)
            for key, value in sample.items():
                if round_no > 0:  # round 0 is the warm-up
                    raw[cmd.label].setdefault(key, []).append(value)
    return raw


def summarize(cmds: list[Command], raw: dict[str, dict[str, list[float]]]) -> list[dict[str, Any]]:
    rows = []
    for cmd in cmds:
        r = raw[cmd.label]
        wall = statistics.median(r["wall_ms"])
        rows.append({"command": cmd.label, "wall_ms": wall, "wall_min_ms": min(r["wall_ms"]),
                     "wall_max_ms": max(r["wall_ms"]), "cpu_ms": statistics.median(r["cpu_ms"]),
                     "rss_mib": statistics.median(r["rss_mib"]), "budget_ms": cmd.budget_ms,
                     "met": wall <= cmd.budget_ms, "raw": r})
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| command | wall ms | min–max | CPU ms | peak RSS MiB | budget | met |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    lines += [f"| `{r['command']}` | {r['wall_ms']:.1f} | {r['wall_min_ms']:.1f}–"
              f"{r['wall_max_ms']:.1f} | {r['cpu_ms']:.1f} | {r['rss_mib']:.1f} | "
              f"≤ {r['budget_ms']:.0f} ms | {'met' if r['met'] else '**not met**'} |" for r in rows]
    return "\n".join(lines)


def cpu_snapshot() -> tuple[float, float, float, float]:
    """Wall clock, busy and stolen CPU s of all cores, CPU s of this script and its children
    (the measured ones; the keyring daemons count as other processes until they exit)."""
    own = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return time.monotonic(), *engine.cpu_times(), sum(u.ru_utime + u.ru_stime for u in own)


def parse_importtime(stderr: str) -> list[Node]:
    """The top-level imports in `-X importtime` output (which lists children first)."""
    pending: dict[int, list[Node]] = {}  # depth -> nodes still waiting for their parent
    for line in stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3 or "self" in parts[0]:
            continue
        name = parts[2][1:]
        depth = (len(name) - len(name.lstrip(" "))) // 2
        node = Node(name.strip(), int(parts[0].split(":")[1]), int(parts[1]),
                    pending.pop(depth + 1, []))
        pending.setdefault(depth, []).append(node)
    return pending.get(0, [])


def chain(node: Node, length: int = 4) -> str:
    """`node` and, below it, its heaviest sub-import, that one's heaviest, and so on."""
    names = [node.name]
    while node.children and len(names) < length:
        node = max(node.children, key=lambda n: n.cum_us)
        names.append(f"{node.name} ({node.cum_us / 1e3:.1f} ms)")
    return " → ".join(names)


def import_profile(base: list[str], cmd: Command, env: dict[str, str]) -> dict[str, Any]:
    """One run of `cmd` with -X importtime: its 15 heaviest top-level imports, printed."""
    if cmd.output is not None:
        cmd.output.unlink(missing_ok=True)
    res = subprocess.run([*base, *cmd.args], env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
                         capture_output=True, text=True, check=True)
    top = sorted(parse_importtime(res.stderr), key=lambda n: n.cum_us, reverse=True)
    total = sum(n.cum_us for n in top)
    print(f"\n### `{cmd.label}`: {len(top)} top-level imports, {total / 1e3:.1f} ms in all\n")
    print("| cumulative µs | self µs | import → its heaviest chain |\n| ---: | ---: | --- |")
    for n in top[:15]:
        print(f"| {n.cum_us} | {n.self_us} | {chain(n)} |")
    return {"total_us": total, "top": [[n.cum_us, n.self_us, chain(n)] for n in top[:15]]}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    p.add_argument("--imports", action="store_true", help="the import-time profile instead")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--vaultapp", type=Path, default=engine.ROOT / ".venv/bin/vaultapp")
    which.add_argument("--python", type=Path, help="measure PYTHON -m vaultapp")
    return p.parse_args()


def main() -> int:
    args = parse_args()
    engine.exit_on_sigterm()
    base = [str(args.python), "-m", "vaultapp"] if args.python else [str(args.vaultapp)]
    loadavg = Path("/proc/loadavg")
    result: dict[str, Any] = {"argv": base, "runs": args.runs, "nproc": os.cpu_count(),
                              "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                              "loadavg_start": loadavg.read_text().strip()}
    with engine.keyring_session() as keyring_env, \
            tempfile.TemporaryDirectory(prefix="vaultapp-startup-") as tmp:
        work = Path(tmp)
        env = isolated_env(work, keyring_env)
        cmds = make_vault(base, env, work)
        result["version"] = engine.run_checked([*base, "--version"], env).strip()
        print(f"{result['version']}: {' '.join(base)}")
        if args.imports:
            measure(base, cmds, env, work, runs=0)  # the warm-up only
            result["imports"] = {c.label: import_profile(base, c, env)
                                 for c in cmds if c.label in IMPORT_COMMANDS}
        else:
            before = cpu_snapshot()
            result["commands"] = summarize(cmds, measure(base, cmds, env, work, args.runs))
            wall, busy, steal, mine = (b - a for a, b in zip(before, cpu_snapshot(), strict=True))
            result["noise"] = {"seconds": wall, "others_cpu_s": busy - mine, "steal_s": steal}
            if (work / "timed.plain").read_bytes() != (work / "plain.bin").read_bytes():
                raise SystemExit("open did not give back the sealed 4 KiB file")
            print(f"median of {args.runs} runs each, after a warm-up run\n")
            print(table(result["commands"]))
    result["loadavg_end"] = loadavg.read_text().strip()
    print(f"\nload average: {result['loadavg_start']} (start), {result['loadavg_end']} (end)")
    if "noise" in result:
        n = result["noise"]
        print(f"while timing ({n['seconds']:.1f} s × {result['nproc']} CPUs): other processes "
              f"used {n['others_cpu_s']:.1f} s of CPU, the hypervisor stole {n['steal_s']:.1f} s")
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
