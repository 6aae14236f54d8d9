"""Load and soak: several processes sealing and opening on one keybox while another
rotates, disables and enables keys; and many seal/open cycles in one process with
memory flat.

Long run by hand:  .venv/bin/python tests/support/soak.py --seconds 300 --workers 8
                   .venv/bin/python tests/support/soak.py --cycles 10000
The test suite runs a short version (tests/integration/test_soak.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "soak test passphrase"


def make_keybox(folder: Path) -> str:
    from vaultapp.core.keybox import Keybox
    from vaultapp.core.keybox.slots import KdfParams
    from vaultapp.core.keybox.slots import passphrase as passphrase_slots

    # The cheap KDF of the tests, below the product's floor: lower it as tests/conftest.py does.
    passphrase_slots.DEFAULT_KDF = KdfParams(8192, 1, 1)
    url = f"sqlite:///{folder / 'keybox.sqlite'}"
    box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE,
                        kdf=KdfParams(8192, 1, 1))
    box.create_profile("soak")
    box.close()
    return url


def worker(url: str, folder: Path, seconds: float, seed: int) -> dict[str, int]:
    """Seal and open files until time is up; every result is checked."""
    from vaultapp.core import fileops
    from vaultapp.core.errors import KeyUnusableError
    from vaultapp.core.keybox import Keybox

    rng = random.Random(seed)
    box = Keybox.open(url)
    box.unlock(PASSPHRASE)
    counts = {"sealed": 0, "opened": 0, "refused": 0, "checked": 0}
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        data = rng.randbytes(rng.choice([0, 100, 65536, 200_000]))
        plain = folder / f"w{seed}-{n}.bin"
        plain.write_bytes(data)
        try:
            sealed = fileops.seal_file(plain, [box.recipient("soak")]).output
            counts["sealed"] += 1
        except KeyUnusableError:
            counts["refused"] += 1
            plain.unlink()
            continue
        plain.unlink()
        try:
            fileops.open_file(sealed, box)
            counts["opened"] += 1
            if hashlib.sha256(plain.read_bytes()).digest() != hashlib.sha256(data).digest():
                raise AssertionError(f"{plain} differs after a round trip")
            counts["checked"] += 1
            plain.unlink()
            sealed.unlink()
        except KeyUnusableError:
            counts["refused"] += 1
            sealed.rename(folder / f"later-{sealed.name}")  # opened again at the end
    box.close()
    return counts


def lifecycle(url: str, seconds: float, seed: int) -> dict[str, int]:
    """Rotate, disable and enable keys of the profile until time is up."""
    from vaultapp.core.keybox import Keybox

    rng = random.Random(seed)
    box = Keybox.open(url)
    box.unlock(PASSPHRASE)
    counts = {"rotate": 0, "disable": 0, "enable": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        keys = box.keys("soak")
        action = rng.choice(["rotate", "disable", "enable", "enable"])
        if action == "rotate":
            box.rotate("soak")
        else:
            candidates = [k for k in keys if k.state == ("enabled" if action == "disable"
                                                          else "disabled")]
            if not candidates:
                continue
            key = rng.choice(candidates)
            (box.disable if action == "disable" else box.enable)(key.key_id)
        counts[action] += 1
        time.sleep(rng.uniform(0.01, 0.1))
    for key in box.keys("soak"):  # leave every key usable for the final check
        if key.state == "disabled":
            box.enable(key.key_id)
    box.close()
    return counts


def run_load(seconds: float, workers: int) -> dict[str, object]:
    """Start `workers` sealing processes and one lifecycle process; check everything."""
    from vaultapp.core import fileops
    from vaultapp.core.keybox import Keybox

    folder = Path(tempfile.mkdtemp(prefix="vaultapp-soak-"))
    url = make_keybox(folder)
    me = str(Path(__file__).resolve())
    procs = [subprocess.Popen([sys.executable, me, "--role", "worker", "--url", url,
                               "--folder", str(folder), "--seconds", str(seconds),
                               "--seed", str(i)], stdout=subprocess.PIPE, text=True)
             for i in range(workers)]
    procs.append(subprocess.Popen([sys.executable, me, "--role", "lifecycle", "--url", url,
                                   "--seconds", str(seconds), "--seed", "99"],
                                  stdout=subprocess.PIPE, text=True))
    results = []
    for p in procs:
        out, _ = p.communicate(timeout=seconds + 120)
        if p.returncode != 0:
            raise AssertionError(f"a soak process failed with exit {p.returncode}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    box = Keybox.open(url)
    box.unlock(PASSPHRASE)
    later = sorted(folder.glob("later-*.vault"))
    for sealed in later:  # files refused while their key was disabled open now
        out = fileops.open_file(sealed, box, output=folder / f"{sealed.name}.out").output
        assert out is not None and out.exists()
    keys = box.keys("soak")
    primaries = [k for k in keys if k.primary]
    versions = sorted(k.version for k in keys)
    box.close()
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".vaultapp-")]
    summary: dict[str, object] = {
        "workers": results[:-1], "lifecycle": results[-1], "reopened_later": len(later),
        "primaries": len(primaries), "versions_ok": versions == list(range(1, len(keys) + 1)),
        "leftover_temp_files": leftovers,
    }
    return summary


def run_cycles(cycles: int) -> dict[str, object]:
    """`cycles` seal/open round trips in this process; RSS sampled along the way."""
    from vaultapp.core import fileops
    from vaultapp.core.keybox import Keybox

    folder = Path(tempfile.mkdtemp(prefix="vaultapp-cycles-"))
    url = make_keybox(folder)
    box = Keybox.open(url)
    box.unlock(PASSPHRASE)
    recipient = box.recipient("soak")
    plain = folder / "cycle.bin"
    data = os.urandom(100_000)
    samples = []
    for i in range(cycles):
        plain.write_bytes(data)
        sealed = fileops.seal_file(plain, [recipient], force=True).output
        plain.unlink()
        fileops.open_file(sealed, box)
        if plain.read_bytes() != data:
            raise AssertionError(f"cycle {i}: content differs")
        if i % max(1, cycles // 20) == 0:
            samples.append(_rss_kib())
    box.close()
    return {"cycles": cycles, "rss_kib_samples": samples,
            "rss_growth_kib": samples[-1] - samples[len(samples) // 4]}


def _rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", choices=["load", "worker", "lifecycle", "cycles"],
                        default=None)
    parser.add_argument("--url")
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cycles", type=int, default=0)
    args = parser.parse_args()
    if args.role == "worker":
        print(json.dumps(worker(args.url, args.folder, args.seconds, args.seed)))
    elif args.role == "lifecycle":
        print(json.dumps(lifecycle(args.url, args.seconds, args.seed)))
    elif args.cycles or args.role == "cycles":
        print(json.dumps(run_cycles(args.cycles or 10_000)))
    else:
        print(json.dumps(run_load(args.seconds, args.workers), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
