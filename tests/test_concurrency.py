"""Several real processes on one SQLite keybox at once (DESIGN.md: commands on one keybox
from several processes wait for each other and never fail because the database is busy).

Children are separate Python processes: small scripts over the Keybox API (so they can
loop quickly) and real `python -m vaultapp` commands. The keybox is created in-process
with cheap Argon2id parameters, which are stored in the passphrase slot, so every child
unlocks fast.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from vaultapp.core import fileops
from vaultapp.core.atomic import TEMP_PREFIX
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.slots import KdfParams

pytestmark = pytest.mark.integration

PASSPHRASE = "concurrency passphrase"
FAST_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
TIMEOUT = 90  # seconds, for any one child process
BUSY_WORDS = ("database is locked", "stayed busy", "Traceback", "OperationalError")

# A child that unlocks, signals it is ready, waits for the go file, then rotates COUNT
# times with small random pauses so its transactions interleave with the others'.
ROTATE_CHILD = r"""
import os, random, sys, time
from pathlib import Path
from vaultapp.core.keybox import Keybox

url, profile, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ready, go = Path(sys.argv[5]), Path(sys.argv[6])
rng = random.Random(seed)
box = Keybox.open(url)
box.unlock(os.environ["VAULTAPP_PASSPHRASE"])
ready.touch()
deadline = time.monotonic() + 60
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("never got the go signal")
    time.sleep(0.002)
for _ in range(count):
    k = box.rotate(profile)
    print(k.key_id, k.version, flush=True)
    time.sleep(rng.uniform(0, 0.06))
box.close()
"""

# Disables and re-enables the given keys until the stop file appears; always leaves
# them enabled. Prints how many toggles it made.
TOGGLE_CHILD = r"""
import os, random, sys, time
from pathlib import Path
from vaultapp.core.keybox import Keybox

url, stop, keys = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
rng = random.Random(7)
box = Keybox.open(url)
box.unlock(os.environ["VAULTAPP_PASSPHRASE"])
print("ready", flush=True)
toggles = 0
deadline = time.monotonic() + 60
while not stop.exists() and time.monotonic() < deadline:
    for key in keys:
        box.disable(key)
        time.sleep(rng.uniform(0.005, 0.04))
        box.enable(key)
        toggles += 1
        time.sleep(rng.uniform(0.005, 0.04))
print("toggles", toggles, flush=True)
box.close()
"""

# Seals fresh files and opens them and older files, COUNT times; every operation ends
# "ok" or "unusable" (KeyUnusableError, exit code 4). Anything else is a traceback.
WORK_CHILD = r"""
import json, os, random, sys, time
from pathlib import Path
from vaultapp.core import fileops
from vaultapp.core.errors import KeyUnusableError
from vaultapp.core.keybox import Keybox

url, folder, count, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
old_files = [Path(p) for p in sys.argv[5:]]
rng = random.Random(seed)
box = Keybox.open(url)
box.unlock(os.environ["VAULTAPP_PASSPHRASE"])

def attempt(op, path, work):
    try:
        work()
        result = "ok"
    except KeyUnusableError:
        result = "unusable"
    print(json.dumps({"op": op, "path": str(path), "result": result}), flush=True)
    return result

for i in range(count):
    plain = folder / f"plain-{i}.bin"
    plain.write_bytes(os.urandom(rng.randrange(1, 200_000)))
    sealed = folder / f"plain-{i}.bin.vault"
    out = folder / f"opened-{i}"
    out.mkdir()
    if attempt("seal", sealed,
               lambda: fileops.seal_file(plain, [box.recipient("p")], output=sealed)) == "ok":
        attempt("open", sealed, lambda: fileops.open_file(sealed, box, output=out))
    old = rng.choice(old_files)
    attempt("open-old", old, lambda: fileops.open_file(old, box, output=out / "old.bin"))
    time.sleep(rng.uniform(0, 0.03))
box.close()
"""


def _make_keybox(tmp_path: Path, *profiles: str) -> tuple[str, dict[str, str]]:
    path = tmp_path / "keybox.sqlite"
    url = f"sqlite:///{path}"
    box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE, kdf=FAST_KDF)
    for name in profiles:
        box.create_profile(name)
    box.close()
    env = {**os.environ, "VAULTAPP_HOME": str(tmp_path / "home"), "VAULTAPP_KEYBOX": str(path),
           "VAULTAPP_PASSPHRASE": PASSPHRASE, "PYTHONUNBUFFERED": "1"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return url, env


def _child(script: str, *args: object, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _cli(*args: object, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "vaultapp", *map(str, args)], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"{proc.args} did not finish in {TIMEOUT} s:\n{err}")
    return proc.returncode, out, err


def _assert_not_busy(args: object, err: str) -> None:
    for word in BUSY_WORDS:
        assert word not in err, f"{args} failed with {word!r}:\n{err}"


def _wait_for(paths: list[Path], procs: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not all(p.exists() for p in paths):
        for proc in procs:
            if proc.poll() is not None and proc.returncode != 0:
                pytest.fail(f"a child died before it was ready:\n{proc.communicate()[1]}")
        assert time.monotonic() < deadline, "children never became ready"
        time.sleep(0.01)


def _one_primary_and_contiguous(box: Keybox) -> dict[str, list[str]]:
    """Check every profile; return each profile's key ids ordered by version."""
    by_profile: dict[str, list[str]] = {}
    for p in box.profiles():
        keys = box.keys(p.name)
        versions = [k.version for k in keys]
        assert sorted(versions) == list(range(1, len(keys) + 1)), (p.name, versions)
        assert len({k.key_id for k in keys}) == len(keys)
        primaries = [k for k in keys if k.primary]
        assert len(primaries) == 1, (p.name, [(k.version, k.primary) for k in keys])
        assert primaries[0].version == len(keys)  # the newest rotation won
        assert primaries[0].key_id == p.primary_key_id
        by_profile[p.name] = [k.key_id for k in sorted(keys, key=lambda k: k.version)]
    return by_profile


def test_concurrent_rotations_keep_one_primary_and_contiguous_versions(tmp_path: Path) -> None:
    url, env = _make_keybox(tmp_path, "alpha", "beta")
    children_n, rotations = 4, 20
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{i}" for i in range(children_n)]
    children = [_child(ROTATE_CHILD, url, "alpha", rotations, i, ready[i], go, env=env)
                for i in range(children_n)]
    _wait_for(ready, children)
    # The real command line joins in: two rotations of alpha and one of beta.
    commands = [_cli("key", "rotate", "--profile", name, env=env)
                for name in ("alpha", "beta", "alpha")]
    go.touch()
    started = time.monotonic()

    child_keys: list[str] = []
    for proc in children:
        code, out, err = _finish(proc)
        _assert_not_busy(proc.args, err)
        assert code == 0, err
        lines = [line.split() for line in out.splitlines()]
        assert len(lines) == rotations
        child_keys += [key_id for key_id, _ in lines]
    cli_keys: dict[str, list[str]] = {"alpha": [], "beta": []}
    for proc, name in zip(commands, ("alpha", "beta", "alpha"), strict=True):
        code, out, err = _finish(proc)
        _assert_not_busy(proc.args, err)
        assert code == 0, err
        m = re.search(rf"profile {name}: new primary key ([0-9a-f]{{32}}) \(version (\d+)\)", out)
        assert m, out
        cli_keys[name].append(m.group(1))
    print(f"{children_n * rotations + 3} rotations in {time.monotonic() - started:.2f} s")

    box = Keybox.open(url)
    try:
        keys = _one_primary_and_contiguous(box)
        assert len(keys["alpha"]) == 1 + children_n * rotations + 2
        assert len(keys["beta"]) == 2
        assert set(child_keys) | set(cli_keys["alpha"]) == set(keys["alpha"][1:])
        assert cli_keys["beta"] == keys["beta"][1:]
        log = box.audit_log()
    finally:
        box.close()
    rotated = Counter(e.profile for e in log if e.action == "key.rotate")
    assert rotated == {"alpha": children_n * rotations + 2, "beta": 1}
    logged_keys = {e.key_id for e in log if e.action == "key.rotate"}
    assert logged_keys == set(keys["alpha"][1:]) | set(keys["beta"][1:])


def test_seal_and_open_while_keys_are_disabled_and_enabled(tmp_path: Path) -> None:
    url, env = _make_keybox(tmp_path, "p")
    work = tmp_path / "work"
    work.mkdir()

    # Three files sealed under version 1, then version 2 becomes the primary.
    box = Keybox.open(url)
    box.unlock(PASSPHRASE)
    old_plain: dict[Path, bytes] = {}
    for i in range(3):
        plain = work / f"old-{i}.bin"
        plain.write_bytes(os.urandom(50_000 + i))
        sealed = fileops.seal_file(plain, [box.recipient("p")]).output
        assert sealed is not None
        old_plain[sealed] = plain.read_bytes()
    k1 = box.profile("p").primary_key_id
    k2 = box.rotate("p").key_id
    box.close()
    assert k1 is not None

    stop = tmp_path / "stop"
    toggler = _child(TOGGLE_CHILD, url, stop, k1, k2, env=env)
    assert toggler.stdout is not None
    assert toggler.stdout.readline().strip() == "ready"

    workers = []
    for i in range(2):
        folder = work / f"worker-{i}"
        folder.mkdir()
        workers.append((folder, _child(WORK_CHILD, url, folder, 12, i, *old_plain, env=env)))
    # Real commands at the same time: three seals and three opens.
    cli_plain: dict[Path, bytes] = {}
    commands: list[tuple[str, Path, subprocess.Popen[str]]] = []
    for i in range(3):
        plain = work / f"cli-{i}.txt"
        plain.write_bytes(os.urandom(30_000))
        cli_plain[plain] = plain.read_bytes()
        commands.append(("seal", plain.with_name(plain.name + ".vault"),
                         _cli("seal", plain, env=env)))
    for i, sealed in enumerate(old_plain):
        out = work / f"cli-open-{i}"
        out.mkdir()
        commands.append(("open", out / sealed.name.removesuffix(".vault"),
                         _cli("open", "-o", out, sealed, env=env)))

    outcomes: Counter[str] = Counter()
    produced: dict[Path, bytes] = {}
    for folder, proc in workers:
        code, out, err = _finish(proc)
        _assert_not_busy(proc.args, err)
        assert code == 0, err
        for line in out.splitlines():
            event = json.loads(line)
            outcomes[event["result"]] += 1
            path = Path(event["path"])
            if event["op"] == "seal":
                if event["result"] == "ok":
                    produced[path] = (folder / path.name.removesuffix(".vault")).read_bytes()
                else:  # refused before writing: nothing under the final name
                    assert not path.exists()
    for op, output, proc in commands:
        code, out, err = _finish(proc)
        _assert_not_busy(proc.args, err)
        assert code in (0, 4), (proc.args, code, err)
        if code == 4:
            assert "disabled" in err and not output.exists(), err
            outcomes[f"cli-{op}-unusable"] += 1
        else:
            assert output.exists()
            if op == "seal":
                produced[output] = cli_plain[output.with_suffix("")]
            else:
                assert output.read_bytes() in old_plain.values()
            outcomes[f"cli-{op}-ok"] += 1

    stop.touch()
    code, out, err = _finish(toggler)
    _assert_not_busy(toggler.args, err)
    assert code == 0, err
    print("outcomes:", dict(outcomes), out.strip())
    # Both branches really happened: some operations met a disabled key, some did not.
    assert outcomes["ok"] > 0 and outcomes["unusable"] > 0, outcomes

    # Every sealed file that was produced opens, with the right content.
    box = Keybox.open(url)
    box.unlock(PASSPHRASE)
    try:
        assert [k.state for k in box.keys("p")] == ["enabled", "enabled"]
        _one_primary_and_contiguous(box)
        check = tmp_path / "check"
        check.mkdir()
        assert produced
        for i, (sealed, content) in enumerate(produced.items()):
            target = check / f"{i}.bin"
            fileops.open_file(sealed, box, output=target)
            assert target.read_bytes() == content
    finally:
        box.close()
    leftovers = [p for p in tmp_path.rglob(f"{TEMP_PREFIX}*")]
    assert leftovers == []
