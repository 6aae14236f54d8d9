"""What every benchmark shares: timing a process, repeating it, ratios, a throwaway keybox.

`run` times one process: wall clock, user + system CPU (os.wait4), peak RSS (GNU time's
%M). `rounds` repeats groups of steps, rotating their order; a ratio is always taken
within one round. `session()` gives each script a private gnome-keyring on its own D-Bus,
a throwaway keybox that unlocks through it, and a folder on tmpfs and one on disk
(README: "How it measures").
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"  # git-ignored: every script's JSON and Markdown, run.log
sys.path.insert(0, str(ROOT))
from tests.support.secret_service import SecretService  # noqa: E402

MIB = 1 << 20
PASSPHRASE = "benchmark keybox passphrase"  # passes the strength rule (core/strength.py)
PROFILE = "bench"
TIME = "/usr/bin/time"  # GNU time, for peak RSS


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its children
    rss: float  # peak RSS, MiB


@dataclass
class Step:
    """One command of a round. `out` is removed before it runs and made durable after it
    (fsync of the file and its folder, counted in its time: every tool gets the same
    durability vaultapp gives itself); `same_as` is a file `out` must equal (checked once).
    `folder` is made empty before the step, and is left to the tool to make durable."""

    name: str
    argv: list[str]
    out: Path | None = None
    same_as: Path | None = None
    env: dict[str, str] | None = None
    folder: Path | None = None
    checked: bool = field(default=False, repr=False)


def run(argv: list[str], env: dict[str, str] | None = None) -> Sample:
    """Run one process to its end and time it; a failure stops the benchmark."""
    with tempfile.NamedTemporaryFile("r", prefix="vaultapp-time-") as report:
        start = time.perf_counter()
        proc = subprocess.Popen([TIME, "-f", "%M", "-o", report.name, *argv], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}"
                             f"\n{err.decode(errors='replace')[-2000:]}")
        rss = int(report.read().split()[-1]) / 1024
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss)


def checked(argv: list[str], env: dict[str, str] | None = None, stdin: str = "") -> str:
    """A set-up command (not timed): its standard output; a failure stops the benchmark."""
    res = subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"failed ({res.returncode}): {' '.join(argv)}\n{res.stderr[-2000:]}")
    return res.stdout


def measure(step: Step) -> Sample:
    argv = step.argv
    if step.out is not None:
        step.out.unlink(missing_ok=True)
        argv = ["sh", "-c", '"$@" && exec sync "$0" "$(dirname "$0")"', str(step.out), *argv]
    if step.folder is not None:
        shutil.rmtree(step.folder, ignore_errors=True)
        step.folder.mkdir()
    os.sync()  # no writeback left over from the step before
    sample = run(argv, step.env)
    if step.same_as is not None and not step.checked:
        assert step.out is not None
        if not filecmp.cmp(step.out, step.same_as, shallow=False):
            raise SystemExit(f"{step.name}: {step.out} differs from {step.same_as}")
        step.checked = True
    return sample


def rounds(groups: list[list[Step]], runs: int) -> dict[str, list[Sample]]:
    """`runs` rounds of every group, the groups' order rotated each round (a group's steps
    keep their order: an open reads its seal's output). Outputs are removed after their
    group, so that big files never pile up."""
    samples: dict[str, list[Sample]] = {s.name: [] for g in groups for s in g}
    for r in range(runs):
        k = r % len(groups)
        for group in groups[k:] + groups[:k]:
            for step in group:
                samples[step.name].append(measure(step))
            for step in group:
                if step.out is not None:
                    step.out.unlink(missing_ok=True)
                if step.folder is not None:
                    shutil.rmtree(step.folder)
    return samples


def median(samples: list[Sample]) -> dict[str, float]:
    walls = [s.wall for s in samples]
    return {"wall": statistics.median(walls), "min": min(walls), "max": max(walls),
            "cpu": statistics.median(s.cpu for s in samples),
            "rss": statistics.median(s.rss for s in samples)}


def ratio(base: list[Sample], mine: list[Sample]) -> float:
    """How many times faster `mine` is than `base`: the median of per-round ratios."""
    return statistics.median(b.wall / m.wall for b, m in zip(base, mine, strict=True))


def shape(xs: Sequence[float], points: Sequence[Sequence[Sample]]) -> str:
    """How time grows with x (samples at each x). Flat: the largest x's times reach down to
    the smallest's, or its median is under 1.25× theirs. Else k of t - t0 ~ (x - x0)^k (a
    fixed start-up is not growth) from the last two points, if the middle one is clear of
    the first; sub- or super-linear only when k from the samples' extremes agrees."""
    ys = [statistics.median(s.wall for s in p) for p in points]
    low, high = [min(s.wall for s in p) for p in points], [max(s.wall for s in p) for p in points]
    span = f"×{ys[-1] / ys[0]:.2f} from {xs[0]:,g} to {xs[-1]:,g}"
    if ys[-1] < 1.25 * ys[0] or low[-1] <= high[0]:
        return f"flat ({span})"
    if len(xs) < 3 or low[-2] <= high[0]:
        return f"grows ({span})"
    steps = math.log((xs[-1] - xs[0]) / (xs[-2] - xs[0]))
    k, k_min, k_max = (math.log((top - ys[0]) / (mid - ys[0])) / steps for top, mid in
                       ((ys[-1], ys[-2]), (low[-1], high[-2]), (high[-1], low[-2])))
    word = "sub-linear" if k_max < 0.85 else "**super-linear**" if k_min > 1.15 else "linear"
    return f"{word} (k = {k:.2f}, {k_min:.2f}–{k_max:.2f}; {span})"


def table(head: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def mbps(size: int, samples: list[Sample]) -> str:
    return f"{size / median(samples)['wall'] / 1e6:,.0f}"


def random_file(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        for left in range(size, 0, -16 * MIB):
            f.write(os.urandom(min(left, 16 * MIB)))
    return path


def load() -> str:
    """The load averages (1, 5, 15 min), as `uptime` prints them."""
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])


def versions() -> dict[str, str]:
    def out(*argv: str) -> str:  # the first line it prints (git and age are there)
        got = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT).stdout.split("\n")
        return got[0].strip() or "?"
    import cryptography
    import sqlalchemy
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{os.cpu_count()} × {cpu}, "
                       f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f}"
                       f" GiB RAM, Linux {platform.release()}",
            "vaultapp": out("git", "describe", "--always", "--dirty"),
            "python": platform.python_version(), "cryptography": cryptography.__version__,
            "SQLAlchemy": sqlalchemy.__version__, "age": out("age", "--version")}


def arguments(doc: str, quick_runs: int = 3, full_runs: int = 5) -> argparse.Namespace:
    """--quick (small sizes, a few minutes in all) and --runs, for every script."""
    p = argparse.ArgumentParser(description=doc,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes, few runs")
    p.add_argument("--runs", type=int, help=f"rounds (default {quick_runs} quick, "
                                            f"{full_runs} full)")
    args = p.parse_args()
    args.runs = args.runs or (quick_runs if args.quick else full_runs)
    return args


def save(name: str, data: dict[str, Any], markdown: str) -> None:
    """results/NAME.json (every sample) and results/NAME.md (its tables; run.py gathers
    them into summary.md)."""
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=1, default=asdict) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown + "\n")
    print(markdown, flush=True)


@dataclass
class Bench:
    """A session's ground: `vaultapp` (argv start), `env` (for its processes), folders."""

    vaultapp: list[str]
    env: dict[str, str]
    work: Path  # on disk, private to this session
    tmpfs: Path
    disk: Path

    def va(self, *args: str | Path) -> list[str]:
        return [*self.vaultapp, *map(str, args)]

    def folders(self) -> dict[str, Path]:  # where throughput is measured
        return {"tmpfs": self.tmpfs, "disk": self.disk}


@contextlib.contextmanager
def session() -> Iterator[Bench]:
    """The private keyring, the throwaway keybox, the folders; all removed at the end."""
    if missing := [p for p in (TIME, "age", "age-keygen") if shutil.which(p) is None]:
        raise SystemExit(f"missing: {', '.join(missing)} (Debian packages `time` and `age`)")
    keyring = SecretService().start()  # SecretServiceError says what is missing
    try:
        RESULTS.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="bench-", dir=RESULTS) as work_name, \
                tempfile.TemporaryDirectory(prefix="vaultapp-bench-", dir="/dev/shm") as shm:
            work = Path(work_name)
            (work / "home").mkdir(mode=0o700)
            (work / "disk").mkdir()
            env = {k: v for k, v in os.environ.items() if not k.startswith("VAULTAPP_")}
            env.update(keyring.client_env, HOME=str(work / "home"), PYTHONPATH=str(ROOT),
                       XDG_CONFIG_HOME=str(work / "home/.config"),
                       VAULTAPP_HOME=str(work / "vaultapp"),
                       VAULTAPP_CONFIG_HOME=str(work / "pins"),
                       # compiled bytecode, as an installed copy has (this VM sets
                       # PYTHONDONTWRITEBYTECODE=1), kept out of the source tree
                       PYTHONPYCACHEPREFIX=str(RESULTS / "pycache"))
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            script = Path(sys.executable).parent / "vaultapp"
            bench = Bench([str(script)] if script.exists() else [sys.executable, "-m",
                          "vaultapp"], env, work, Path(shm), work / "disk")
            make_keybox(bench)
            yield bench
    finally:
        keyring.stop()


def make_keybox(b: Bench) -> None:
    checked(b.va("init", "--no-keyring", "--passphrase-stdin"), b.env, PASSPHRASE + "\n")
    checked(b.va("slot", "add-keyring"), {**b.env, "VAULTAPP_PASSPHRASE": PASSPHRASE})
    checked(b.va("profile", "create", PROFILE), b.env)  # unlocks through the keyring
    kinds = sorted(line.split("\t")[1] for line in
                   checked(b.va("slot", "list"), b.env).splitlines() if line.strip())
    if kinds != ["keyring", "passphrase"]:
        raise SystemExit(f"expected a keyring and a passphrase slot, got {kinds}")
    tiny = random_file(b.work / "warm-up", 4096)  # fills the bytecode cache: seal, open
    checked(b.va("seal", tiny, "-o", b.work / "warm-up.vault"), b.env)
    checked(b.va("open", b.work / "warm-up.vault", "-o", b.work / "warm-up.out"), b.env)
    if not filecmp.cmp(tiny, b.work / "warm-up.out", shallow=False):
        raise SystemExit("vaultapp open did not give back what vaultapp seal sealed")


def fits(folder: Path, need: int) -> bool:
    """Whether `folder` has room for `need` bytes (and, on tmpfs, memory as well)."""
    free = shutil.disk_usage(folder).free
    if str(folder).startswith("/dev/shm"):
        free = min(free, os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    return free > need + 512 * MIB
