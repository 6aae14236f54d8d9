"""age files: vaultapp's age engine against the `age` binary, same file, same run.

    .venv/bin/python benchmarks/age_speed.py [--size-mib 1024] [--runs 3]
        [--dirs /dev/shm,benchmarks/results/age-speed] [--rss-mib 64]

For each folder (tmpfs and disk by default) it writes a random plaintext of the size, then
per run, in alternating order: encrypts it to one X25519 recipient with vaultapp's engine
and with `age -r`, and decrypts age's file with vaultapp's engine and with `age -d -i`
(the same input for both). Every measured step is a process of its own (vaultapp's is
`python benchmarks/age_speed.py --child …`, interpreter start included), timed by wall
clock, with its CPU time and peak RSS from GNU time (`/usr/bin/time`). Neither side
fsyncs its output. Each decrypted
output is compared with the plaintext once. vaultapp runs with compiled bytecode (a
private PYTHONPYCACHEPREFIX, filled by a warm-up run), as an installed copy does. A
second, small size (`--rss-mib`) is
measured once to show that peak RSS does not grow with the file.

Prints a Markdown table (median and min–max of the runs) and the speed ratio
age time / vaultapp time. Not a test: run it by hand (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"  # GNU time (Debian package `time`)
ENV = dict(os.environ)


def _child(op: str, src: str, dst: str, key: str) -> None:
    """One vaultapp engine operation (the measured process)."""
    sys.path.insert(0, str(ROOT))
    from vaultapp.core import age

    with open(src, "rb") as fin, open(dst, "wb") as fout:
        if op == "encrypt":
            age.encrypt(fin, fout, [age.parse_recipient(key)])
        else:
            age.decrypt(fin, fout, [age.parse_identity(Path(key).read_text().splitlines()[-1])])


def _compiled_bytecode(work: Path) -> dict[str, str]:
    """This VM sets PYTHONDONTWRITEBYTECODE=1, so every vaultapp process would compile
    its modules from source, which an installed copy never does: the measured processes
    get a private bytecode cache (outside the source tree), filled by a warm-up run."""
    return {"PYTHONPYCACHEPREFIX": str(work / "pycache"), "PYTHONDONTWRITEBYTECODE": ""}


def _run(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one process, as
    GNU time measures them (its child is forked from a small process, so the peak RSS is
    the command's own, not inherited from this interpreter)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        result = subprocess.run([TIME, "-q", "-f", "%U %S %M", "-o", report.name, *argv],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env=ENV)
        wall = time.perf_counter() - start
        if result.returncode:
            raise SystemExit(f"{argv[0]} failed: {' '.join(argv)}\n{result.stderr}")
        user, system, rss = report.read().split()
    return wall, float(user) + float(system), int(rss)


def _ours(op: str, src: Path, dst: Path, key: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", op, str(src), str(dst),
            key]


def _plaintext(path: Path, size: int) -> None:
    with open(path, "wb") as f:
        left = size
        while left:
            n = min(left, 1 << 24)
            f.write(os.urandom(n))
            left -= n


def _fmt(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f}) {unit}"


def _measure(folder: Path, size_mib: int, runs: int, check: bool) -> dict[str, list[float]]:
    sys.path.insert(0, str(ROOT))
    from vaultapp.core import age

    work = folder / f"vaultapp-age-speed-{os.getpid()}"
    work.mkdir(parents=True)
    try:
        identity = age.X25519Identity.generate()
        key_file = work / "key.txt"
        key_file.write_text(identity.encode() + "\n")
        key_file.chmod(0o600)
        recipient = identity.recipient().encode()
        plain = work / "plain.bin"
        _plaintext(plain, size_mib << 20)
        ours_age, theirs_age = work / "ours.age", work / "theirs.age"
        out = work / "out.bin"
        steps = {
            "encrypt vaultapp": _ours("encrypt", plain, ours_age, recipient),
            "encrypt age": ["age", "-r", recipient, "-o", str(theirs_age), str(plain)],
            "decrypt vaultapp": _ours("decrypt", theirs_age, out, str(key_file)),
            "decrypt age": ["age", "-d", "-i", str(key_file), "-o", str(out), str(theirs_age)],
        }
        ENV.update(_compiled_bytecode(work))
        _run(steps["encrypt vaultapp"])  # warm-up: fills the bytecode cache
        results: dict[str, list[float]] = {}
        for run in range(runs):
            order = list(steps) if run % 2 == 0 else [
                "encrypt age", "encrypt vaultapp", "decrypt age", "decrypt vaultapp"]
            for name in order:
                wall, cpu, rss = _run(steps[name])
                results.setdefault(name, []).append(wall)
                results.setdefault(name + " cpu", []).append(cpu)
                results.setdefault(name + " rss", []).append(rss / 1024)
                if check and run == 0 and name.startswith("decrypt"):
                    if not filecmp.cmp(plain, out, shallow=False):
                        raise SystemExit(f"{name}: the output differs from the plaintext")
                    out.unlink()
            if check and run == 0:  # age opens what vaultapp wrote
                _run(["age", "-d", "-i", str(key_file), "-o", str(out), str(ours_age)])
                if not filecmp.cmp(plain, out, shallow=False):
                    raise SystemExit("age -d of vaultapp's file differs from the plaintext")
                out.unlink()
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=4, metavar=("OP", "SRC", "DST", "KEY"))
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rss-mib", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dirs", default=f"/dev/shm,{ROOT / 'benchmarks/results/age-speed'}")
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    if shutil.which("age") is None or not Path(TIME).exists():
        raise SystemExit("needs the age binary and GNU time (/usr/bin/time)")
    version = subprocess.run(["age", "--version"], capture_output=True, text=True).stdout
    print(f"age {version.strip()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}\n")
    print("| where | size | step | wall | MB/s | CPU (user + sys) | peak RSS "
          "| age time / vaultapp time |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for folder in (Path(d) for d in args.dirs.split(",")):
        for size, runs in ((args.size_mib, args.runs), (args.rss_mib, 1)):
            results = _measure(folder, size, runs, check=size == args.size_mib)
            for op in ("encrypt", "decrypt"):
                ratio = statistics.median(results[f"{op} age"]) / statistics.median(
                    results[f"{op} vaultapp"])
                for tool in ("vaultapp", "age"):
                    walls = results[f"{op} {tool}"]
                    speed = (size << 20) / statistics.median(walls) / 1e6
                    print(f"| {folder} | {size} MiB | {op} {tool} | {_fmt(walls)} | "
                          f"{speed:.0f} | {_fmt(results[f'{op} {tool} cpu'])} | "
                          f"{_fmt(results[f'{op} {tool} rss'], 'MiB')} | "
                          f"{f'{ratio:.2f}x' if tool == 'vaultapp' else ''} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
