"""Several real processes on one SQLite keybox at once (docs/ARCHITECTURE.md: commands on one keybox
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
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.procs import finish, start_python, start_vaultapp
from vaultapp.core import fileops
from vaultapp.core.atomic import TEMP_PREFIX
from vaultapp.core.keybox import Keybox, service
from vaultapp.core.keybox.slots import KdfParams
from vaultapp.core.keybox.timeutil import utcnow

pytestmark = pytest.mark.integration

PASSPHRASE = "concurrency passphrase"
FAST_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
TIMEOUT = 90  # seconds, for any one child process
BUSY_WORDS = ("database is locked", "stayed busy", "Traceback", "OperationalError")

# A child that unlocks, signals it is ready, waits for the go file, then rotates with
# small random pauses (so its transactions interleave with the others') at least COUNT
# times and until the stop file appears (at most 300 times).
ROTATE_CHILD = r"""
import os, random, sys, time
from pathlib import Path
from vaultapp.core.keybox import Keybox

url, profile, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ready, go, stop = Path(sys.argv[5]), Path(sys.argv[6]), Path(sys.argv[7])
rng = random.Random(seed)
box = Keybox.open(url)
box.unlock(os.environ["VAULTAPP_PASSPHRASE"])
ready.touch()
deadline = time.monotonic() + 60
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("never got the go signal")
    time.sleep(0.002)
done = 0
while done < 300 and (done < count or not stop.exists()):
    k = box.rotate(profile)
    done += 1
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
        time.sleep(rng.uniform(0.05, 0.2))  # disabled long enough for the workers to meet
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

def attempt(op, path, output, work):
    try:
        work()
        result = "ok"
    except KeyUnusableError:
        result = "unusable"
    print(json.dumps({"op": op, "path": str(path), "output": str(output), "result": result}),
          flush=True)
    return result

for i in range(count):
    plain = folder / f"plain-{i}.bin"
    plain.write_bytes(os.urandom(rng.randrange(1, 200_000)))
    sealed = folder / f"plain-{i}.bin.vault"
    out = folder / f"opened-{i}"
    out.mkdir()
    if attempt("seal", plain, sealed,
               lambda: fileops.seal_file(plain, [box.recipient("p")], output=sealed)) == "ok":
        attempt("open", sealed, out / plain.name,
                lambda: fileops.open_file(sealed, box, output=out))
    old = rng.choice(old_files)
    attempt("open-old", old, out / "old.bin",
            lambda: fileops.open_file(old, box, output=out / "old.bin"))
    time.sleep(rng.uniform(0, 0.03))
box.close()
"""


# Opens the keybox, waits for the go file, then unlocks (which runs due work: overdue
# rotations and ended destruction waiting periods) and prints the resulting primary key.
UNLOCK_CHILD = r"""
import os, sys, time
from pathlib import Path
from vaultapp.core.keybox import Keybox

url, ready, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
box = Keybox.open(url)
ready.touch()
deadline = time.monotonic() + 60
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("never got the go signal")
    time.sleep(0.002)
box.unlock(os.environ["VAULTAPP_PASSPHRASE"])
print(box.profile("auto").primary_key_id, flush=True)
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
    children_n, rotations = 4, 10
    go, stop = tmp_path / "go", tmp_path / "stop"
    ready = [tmp_path / f"ready-{i}" for i in range(children_n)]
    children = [start_python(ROTATE_CHILD, url, "alpha", rotations, i, ready[i], go, stop, env=env)
                for i in range(children_n)]
    _wait_for(ready, children)
    # The real command line joins in: two rotations of alpha and one of beta. The
    # children keep rotating until these have finished, so they really overlap.
    commands = [start_vaultapp("key", "rotate", "--profile", name, env=env)
                for name in ("alpha", "beta", "alpha")]
    go.touch()
    started = time.monotonic()

    cli_keys: dict[str, list[str]] = {"alpha": [], "beta": []}
    cli_versions = []
    try:
        for proc, name in zip(commands, ("alpha", "beta", "alpha"), strict=True):
            code, out, err = finish(proc)
            _assert_not_busy(proc.args, err)
            assert code == 0, err
            m = re.search(rf"profile {name}: new primary key ([0-9a-f]{{32}}) "
                          r"\(version (\d+)\)", out)
            assert m, out
            cli_keys[name].append(m.group(1))
            if name == "alpha":
                cli_versions.append(int(m.group(2)))
    finally:
        stop.touch()
    child_keys: list[str] = []
    child_versions: list[int] = []
    for proc in children:
        code, out, err = finish(proc)
        _assert_not_busy(proc.args, err)
        assert code == 0, err
        lines = [line.split() for line in out.splitlines()]
        assert len(lines) >= rotations
        child_keys += [key_id for key_id, _ in lines]
        child_versions += [int(v) for _, v in lines]
    print(f"{len(child_keys) + 3} rotations in {time.monotonic() - started:.2f} s; the command "
          f"line made alpha versions {cli_versions} of {len(child_keys) + 3}")

    box = Keybox.open(url)
    try:
        keys = _one_primary_and_contiguous(box)
        assert len(keys["alpha"]) == 1 + len(child_keys) + 2
        assert len(keys["beta"]) == 2
        assert set(child_keys) | set(cli_keys["alpha"]) == set(keys["alpha"][1:])
        assert sorted(child_versions + cli_versions) == list(range(2, len(keys["alpha"]) + 1))
        assert cli_keys["beta"] == keys["beta"][1:]
        log = box.audit_log()
    finally:
        box.close()
    rotated = Counter(e.profile for e in log if e.action == "key.rotate")
    assert rotated == {"alpha": len(child_keys) + 2, "beta": 1}
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
    toggler = start_python(TOGGLE_CHILD, url, stop, k1, k2, env=env)
    assert toggler.stdout is not None
    assert toggler.stdout.readline().strip() == "ready"

    workers = []
    for i in range(2):
        folder = work / f"worker-{i}"
        folder.mkdir()
        workers.append((folder, start_python(WORK_CHILD, url, folder, 10, i, *old_plain, env=env)))
    # Real commands at the same time: three seals and three opens.
    # (operation, output path, plaintext the output holds or seals, process)
    commands: list[tuple[str, Path, bytes, subprocess.Popen[str]]] = []
    for i in range(3):
        plain = work / f"cli-{i}.txt"
        plain.write_bytes(os.urandom(30_000))
        commands.append(("seal", plain.with_name(plain.name + ".vault"), plain.read_bytes(),
                         start_vaultapp("seal", plain, env=env)))
    for i, (sealed, content) in enumerate(old_plain.items()):
        out = work / f"cli-open-{i}"
        out.mkdir()
        commands.append(("open", out / sealed.name.removesuffix(".vault"), content,
                         start_vaultapp("open", "-o", out, sealed, env=env)))

    outcomes: Counter[str] = Counter()
    produced: dict[Path, bytes] = {}
    try:
        for _folder, proc in workers:
            code, out, err = finish(proc)
            _assert_not_busy(proc.args, err)
            assert code == 0, err
            for line in out.splitlines():
                event = json.loads(line)
                outcomes[event["result"]] += 1
                path, output = Path(event["path"]), Path(event["output"])
                # Refused before writing: nothing under the final name.
                assert output.exists() == (event["result"] == "ok"), event
                if event["op"] == "seal" and event["result"] == "ok":
                    produced[output] = path.read_bytes()
                elif event["op"] == "open" and event["result"] == "ok":
                    assert output.read_bytes() == produced[path]
        for op, output, content, proc in commands:
            code, out, err = finish(proc)
            _assert_not_busy(proc.args, err)
            assert code in (0, 4), (proc.args, code, err)
            if code == 4:
                assert "disabled" in err and not output.exists(), err
                outcomes[f"cli-{op}-unusable"] += 1
            else:
                assert output.exists()
                if op == "seal":
                    produced[output] = content
                else:
                    assert output.read_bytes() == content
                outcomes[f"cli-{op}-ok"] += 1
    finally:
        stop.touch()
    code, out, err = finish(toggler)
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


def test_due_work_on_concurrent_unlocks_happens_exactly_once(tmp_path: Path) -> None:
    """Four processes unlock at once while a rotation is overdue and a destruction is due:
    one automatic rotation and one destruction, whoever gets there first."""
    # Made five days ago (the service's clock moved back; editing the rows instead would
    # be tampering, which unlocking refuses), so both are due now.
    past = utcnow() - timedelta(days=5)
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(service, "utcnow", lambda: past)
        url, env = _make_keybox(tmp_path, "auto", "doomed")
        box = Keybox.open(url)
        box.unlock(PASSPHRASE)
        box.set_rotation("auto", 1)
        old_primary = box.profile("auto").primary_key_id
        doomed = box.profile("doomed").primary_key_id
        assert doomed is not None
        box.rotate("doomed")
        box.schedule_destroy(doomed, 3)
    box.close()

    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{i}" for i in range(4)]
    children = [start_python(UNLOCK_CHILD, url, ready[i], go, env=env) for i in range(4)]
    _wait_for(ready, children)
    go.touch()
    primaries = set()
    for proc in children:
        code, out, err = finish(proc)
        _assert_not_busy(proc.args, err)
        assert code == 0, err
        primaries.add(out.strip())

    box = Keybox.open(url)
    try:
        keys = _one_primary_and_contiguous(box)
        assert len(keys["auto"]) == 2
        assert primaries == {keys["auto"][1]} != {old_primary}
        assert box.key(doomed).state == "destroyed"
        log = box.audit_log()
    finally:
        box.close()
    automatic = [e for e in log if e.action == "key.rotate" and e.profile == "auto"]
    assert [(e.actor, e.key_id) for e in automatic] == [("vaultapp (automatic)", keys["auto"][1])]
    destroyed = [e for e in log if e.action == "key.destroy"]
    assert [e.key_id for e in destroyed] == [doomed]
