"""Many small files: one `vaultapp seal` call against `age` in a shell loop.

Run: .venv/bin/python benchmarks/small_files.py [--count 10000] [--size 4096] [--runs 3]

Both tools write every output durably in this measurement: vaultapp fsyncs each file
before its rename (and each folder once at the end); for age, the loop is followed by a
`sync` of the output folder's file system, counted in its time. Target (issue 7):
vaultapp ≥ 10× faster than the age loop, reported in files per second.

vaultapp unlocks as on a desktop, through its keyring slot, on a private gnome-keyring
(engine.keyring_session, shared with benchmarks/run when it started one); `--passphrase`
unlocks through the passphrase slot instead (Argon2id: about 1 s of CPU more per call).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import engine  # noqa: E402  (benchmarks/engine.py: the keyring session and child environment)

VAULTAPP = Path(sys.executable).parent / "vaultapp"


def make_files(folder: Path, count: int, size: int) -> list[Path]:
    folder.mkdir(parents=True)
    files = []
    for i in range(count):
        p = folder / f"f{i:05d}.bin"
        p.write_bytes(os.urandom(size))
        files.append(p)
    return files


def time_vaultapp(files: list[Path], env: dict[str, str]) -> float:
    for p in files:
        Path(f"{p}.vault").unlink(missing_ok=True)
    os.sync()  # both tools start with nothing waiting to be written (inputs, deletions)
    start = time.perf_counter()
    subprocess.run([str(VAULTAPP), "seal", *map(str, files)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_age(files: list[Path], recipient: str) -> float:
    for p in files:
        Path(f"{p}.age").unlink(missing_ok=True)
    os.sync()
    script = 'for f in "$@"; do age -r "$R" -o "$f.age" "$f" || exit 1; done; sync -f "$1"'
    start = time.perf_counter()
    subprocess.run(["sh", "-c", script, "sh", *map(str, files)], check=True,
                   env={**os.environ, "R": recipient})
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--passphrase", action="store_true",
                        help="unlock through the passphrase slot instead of the keyring")
    parser.add_argument("--json", type=Path, default=None,
                        help="also write the raw times and the ratio to this JSON file")
    args = parser.parse_args()
    if shutil.which("age") is None:
        print("age is not installed (apt-get install age)", file=sys.stderr)
        return 1
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="vaultapp-small-", dir=ROOT)))
        extra = {"VAULTAPP_HOME": str(tmp / "home"), **engine.python_env(tmp)}
        if not args.passphrase:
            extra.update(stack.enter_context(engine.keyring_session()))
        env = engine.child_environ(extra)  # (drops any VAULTAPP_PASSPHRASE inherited)
        init = [str(VAULTAPP), "init"]
        if args.passphrase:
            env["VAULTAPP_PASSPHRASE"] = "benchmark passphrase"
            init.append("--no-keyring")
        subprocess.run(init, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        subprocess.run([str(VAULTAPP), "profile", "create", "bench"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        identity = tmp / "id.txt"
        subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
        recipient = subprocess.run(["age-keygen", "-y", str(identity)], check=True,
                                   capture_output=True, text=True).stdout.strip()
        files = make_files(tmp / "files", args.count, args.size)
        time_vaultapp(files[:1], env)  # warm-up: fills the bytecode cache (python_env)
        # The unlock is part of every vaultapp call, and counted: this is what a user
        # running the command waits for.
        ours = [time_vaultapp(files, env) for _ in range(args.runs)]
        theirs = [time_age(files, recipient) for _ in range(args.runs)]
    v, a = statistics.median(ours), statistics.median(theirs)
    print(f"| tool | {args.count} files of {args.size} B: median s (min–max) | files/s |")
    print("| --- | --- | --- |")
    print(f"| vaultapp seal (one call) | {v:.2f} ({min(ours):.2f}–{max(ours):.2f}) | "
          f"{args.count / v:,.0f} |")
    print(f"| age in a shell loop | {a:.2f} ({min(theirs):.2f}–{max(theirs):.2f}) | "
          f"{args.count / a:,.0f} |")
    ratio = a / v
    print(f"\nvaultapp is {ratio:.1f}× the age loop (target ≥ 10×: "
          f"{'met' if ratio >= 10 else 'not met'})")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "count": args.count, "size": args.size, "runs": args.runs,
            "unlock": "passphrase" if args.passphrase else "keyring",
            "vaultapp_s": ours, "age_loop_s": theirs,
            "vaultapp_files_per_s": args.count / v, "age_files_per_s": args.count / a,
            "ratio": ratio, "target": 10, "met": ratio >= 10}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
