"""`kill -9` at random instants during seal, open, rewrap and key rotation.

docs/ARCHITECTURE.md: never leave a partial output under the final name; never touch the input on
failure. SIGKILL runs no handler at all. On Linux the output is written to an anonymous
O_TMPFILE file that gets a name only once complete, so a killed `seal` or `open` leaves
nothing behind, and these tests assert exactly that. (Where O_TMPFILE is missing, the
temporary file is owner-only (0600) and named `.vaultapp-<16 hex>.tmp`; `_leftovers`
accepts only such files.) The final name is either absent or complete and correct.
After every kill the keybox must still open and keep exactly one primary key per
profile, with contiguous versions and one audit entry per rotation.

Kill instants come from a seeded random generator; for seal and open most of them are
measured from the moment the temporary file appears, so they land while bytes are
being written rather than while Python is still importing.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from vaultapp.core import age_fileops, fileops
from vaultapp.core.atomic import TEMP_PREFIX
from vaultapp.core.envelope import Recipient, StaticResolver
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.slots import KdfParams

pytestmark = pytest.mark.integration

PASSPHRASE = "crash passphrase"
FAST_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
BIG = 64 << 20
KILLS = 8
TIMEOUT = 60
TEMP_NAME = re.compile(r"^\.vaultapp-[0-9a-f]{16}\.tmp$")

# Rewraps FILE back and forth between key ids A and B forever, printing a line per rewrap.
REWRAP_CHILD = r"""
import os, sys
from pathlib import Path
from vaultapp.core import fileops
from vaultapp.core.envelope import Recipient
from vaultapp.core.keybox import Keybox

url, path, a, b = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
box = Keybox.open(url)
box.unlock(os.environ["VAULTAPP_PASSPHRASE"])
pid = bytes.fromhex(box.profile("p").profile_id)
rec = {k: Recipient(pid, bytes.fromhex(k), box.resolve(pid, bytes.fromhex(k))) for k in (a, b)}
print("ready", flush=True)
while True:
    fileops.rewrap_file(path, box, lambda s: rec[b] if s.key_id.hex() == a else rec[a])
    print("r", flush=True)
"""

# Rotates profile p forever, printing a line per committed rotation.
ROTATE_CHILD = r"""
import os, sys
from vaultapp.core.keybox import Keybox

box = Keybox.open(sys.argv[1])
box.unlock(os.environ["VAULTAPP_PASSPHRASE"])
print("ready", flush=True)
while True:
    box.rotate("p")
    print("r", flush=True)
"""


@dataclass
class Setup:
    root: Path
    url: str
    env: dict[str, str]
    plain: Path
    plain_hash: str
    sealed: Path
    sealed_hash: str


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _identity(path: Path) -> tuple[int, int, int, int]:
    """Any write to the file, or its replacement, changes one of these (ctime included)."""
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    root = tmp_path_factory.mktemp("crash")
    path = root / "keybox.sqlite"
    url = f"sqlite:///{path}"
    box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE, kdf=FAST_KDF)
    box.create_profile("p")
    box.create_profile("other")
    inputs = root / "inputs"
    inputs.mkdir()
    plain = inputs / "big.bin"
    with open(plain, "wb") as f:
        for _ in range(BIG >> 22):
            f.write(os.urandom(4 << 20))
    sealed_dir = root / "sealed"
    sealed_dir.mkdir()
    sealed = fileops.seal_file(plain, [box.recipient("p")],
                               output=sealed_dir / "big.bin.vault").output
    assert sealed is not None
    box.close()
    env = {**os.environ, "VAULTAPP_HOME": str(root / "home"), "VAULTAPP_KEYBOX": str(path),
           "VAULTAPP_PASSPHRASE": PASSPHRASE}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return Setup(root, url, env, plain, _sha(plain), sealed, _sha(sealed))


def _cli(setup: Setup, *args: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "vaultapp", *map(str, args)], env=setup.env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _run_and_kill(setup: Setup, out: Path, where: str, delay: float, *args: object) -> bool:
    """Start `vaultapp ARGS`; SIGKILL it `delay` s after start, or after its temporary file
    appeared in `out` (where == "temp"). True if it was still running (a real crash)."""
    proc = _cli(setup, *args)
    if where == "temp":
        seen = _wait_for_temp(out, proc)
        if seen is not None:
            time.sleep(max(0.0, seen + delay - time.monotonic()))
    else:
        time.sleep(delay)
    return _kill(proc)


HELPERS_KILLED: list[int] = []
"""Helper processes (core/jobs/helper.py) that were running when their parent was killed."""


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc: Linux only, else none)."""
    found = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _ended(pid: int) -> bool:
    """Gone, or a zombie (killed, not yet reaped by its new parent)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _kill(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the process; True if it was still running (a real crash). A helper it had
    started must end with it (hygiene.die_with_parent): it is checked to, within 5 s."""
    running = proc.poll() is None
    helpers = _children(proc.pid) if running else []
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=TIMEOUT)
    deadline = time.monotonic() + 5
    while not all(_ended(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert all(_ended(pid) for pid in helpers), "a helper outlived its killed parent"
    HELPERS_KILLED.extend(helpers)
    if running:
        assert proc.returncode in (-signal.SIGKILL, 0)
    else:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    if proc.stderr is not None:
        proc.stderr.close()
    return running and proc.returncode == -signal.SIGKILL


def _writing(folder: Path, pid: int) -> bool:
    """Whether process `pid` has an output open in `folder`: a named temporary file, or
    an anonymous O_TMPFILE one (/proc shows it as '<folder>/#<inode> (deleted)')."""
    if any(name.startswith(TEMP_PREFIX) for name in os.listdir(folder)):
        return True
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith(f"{folder}/#"):
            return True
    return False


def _wait_for_temp(folder: Path, proc: subprocess.Popen[bytes]) -> float | None:
    """Poll until the process starts writing its output in `folder`; that monotonic time,
    or None."""
    deadline = time.monotonic() + TIMEOUT
    while proc.poll() is None and time.monotonic() < deadline:
        if _writing(folder, proc.pid):
            return time.monotonic()
        time.sleep(0.0005)
    return None


def _leftovers(folder: Path, allowed: set[str]) -> list[Path]:
    """Everything in `folder` besides `allowed` must be one of our temporary files."""
    temps = []
    for entry in folder.iterdir():
        if entry.name in allowed:
            continue
        assert TEMP_NAME.match(entry.name), f"unexpected file after a kill: {entry.name}"
        assert stat.S_IMODE(entry.lstat().st_mode) == 0o600
        temps.append(entry)
    return temps


def _check_keybox(setup: Setup) -> dict[str, int]:
    """The keybox opens and unlocks; one primary per profile; one audit entry per rotation."""
    box = Keybox.open(setup.url)
    try:
        box.unlock(PASSPHRASE)
        sizes = {}
        for p in box.profiles():
            keys = box.keys(p.name)
            assert [k.version for k in keys] == list(range(1, len(keys) + 1)), p.name
            assert [k.version for k in keys if k.primary] == [len(keys)], p.name
            assert all(k.state == "enabled" for k in keys)
            sizes[p.name] = len(keys)
        rotations = Counter(e.profile for e in box.audit_log() if e.action == "key.rotate")
        assert all(rotations[name] == n - 1 for name, n in sizes.items()), (rotations, sizes)
        box.recipient("p")  # still seals
        return sizes
    finally:
        box.close()


def _delays(rng: random.Random, span: float, early: float) -> list[tuple[str, float]]:
    """Two kills before writing starts (startup, unlock), six while writing (or just after)."""
    plan = [("start", rng.uniform(0.05, early)) for _ in range(2)]
    plan += [("temp", rng.uniform(0, span)) for _ in range(KILLS - 2)]
    return plan


def _timed_run(setup: Setup, folder: Path, *args: object) -> tuple[float, float]:
    """One uninterrupted run: (seconds until the temp file appeared, seconds writing)."""
    start = time.monotonic()
    proc = _cli(setup, *args)
    seen = _wait_for_temp(folder, proc)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    end = time.monotonic()
    assert seen is not None
    return seen - start, end - seen


def test_kill_during_seal(setup: Setup) -> None:
    out = setup.root / "seal-out"
    out.mkdir()
    final = out / "big.bin.vault"
    before = _identity(setup.plain)
    early, span = _timed_run(setup, out, "seal", "--profile", "p", "-o", out, setup.plain)
    final.unlink()
    rng = random.Random(20240601)
    stats: Counter[str] = Counter()
    check = setup.root / "seal-check"
    check.mkdir()
    for where, delay in _delays(rng, span, early):
        crashed = _run_and_kill(setup, out, where, delay,
                                "seal", "--profile", "p", "-o", out, setup.plain)
        temps = _leftovers(out, {final.name})
        stats["temp files left"] += len(temps)
        if final.exists():
            stats["complete output" + (" (killed after rename)" if crashed else "")] += 1
            opened = fileops.open_file(final, _unlocked(setup), output=check / "x").output
            assert opened is not None and _sha(opened) == setup.plain_hash
            opened.unlink()
            final.unlink()
        else:
            assert crashed
            stats["no output"] += 1
        assert _identity(setup.plain) == before  # the input is untouched
        for t in temps:
            t.unlink()
        _check_keybox(setup)
    assert _sha(setup.plain) == setup.plain_hash
    print(f"seal: {early:.2f} s to first byte, {span:.2f} s writing; {dict(stats)}")
    assert stats["no output"] >= 1  # at least one kill really interrupted the write
    if sys.platform.startswith("linux"):
        assert stats["temp files left"] == 0  # O_TMPFILE: a killed write leaves nothing


def test_kill_during_open(setup: Setup) -> None:
    out = setup.root / "open-out"
    out.mkdir()
    final = out / "big.bin"
    before = _identity(setup.sealed)
    early, span = _timed_run(setup, out, "open", "-o", out, setup.sealed)
    assert _sha(final) == setup.plain_hash
    final.unlink()
    rng = random.Random(20240602)
    stats: Counter[str] = Counter()
    for where, delay in _delays(rng, span, early):
        crashed = _run_and_kill(setup, out, where, delay, "open", "-o", out, setup.sealed)
        temps = _leftovers(out, {final.name})
        stats["temp files left"] += len(temps)
        if final.exists():
            stats["complete output"] += 1
            assert final.stat().st_size == BIG
            assert _sha(final) == setup.plain_hash
            final.unlink()
        else:
            assert crashed
            stats["no output"] += 1
        assert _identity(setup.sealed) == before
        for t in temps:
            t.unlink()
        _check_keybox(setup)
    assert _sha(setup.sealed) == setup.sealed_hash
    print(f"open: {early:.2f} s to first byte, {span:.2f} s writing; {dict(stats)}")
    assert stats["no output"] >= 1
    if sys.platform.startswith("linux"):
        assert stats["temp files left"] == 0


MANY = 1500  # small files sealed by one command: several groups, and a helper process


def test_kill_during_a_many_file_seal(setup: Setup) -> None:
    """One `vaultapp seal` of 1,500 small files, killed while its groups are being
    written, made durable and linked: every output under a final name is complete and
    opens to its input; nothing else is left (the group waiting for its sync was unnamed
    files, which vanish with the process); the inputs are untouched."""
    src = setup.root / "many"
    src.mkdir()
    rng = random.Random(20240605)
    for i in range(MANY):
        (src / f"f{i:04d}").write_bytes(os.urandom(rng.randrange(1, 3000)))
    inputs = {p.name: p.read_bytes() for p in src.iterdir()}
    before = {p.name: _identity(p) for p in src.iterdir()}
    first = setup.root / "many-out-0"
    first.mkdir()
    early, span = _timed_run(setup, first, "seal", "--profile", "p", "-o", first, src)
    assert len(os.listdir(first)) == MANY
    stats: Counter[str] = Counter()
    box = _unlocked(setup)
    for n, (where, delay) in enumerate(_delays(rng, span, early), 1):
        out = setup.root / f"many-out-{n}"  # a new folder each time: nothing is removed
        out.mkdir()
        crashed = _run_and_kill(setup, out, where, delay,
                                "seal", "--profile", "p", "-o", out, src)
        finals = {f"{name}.vault" for name in inputs}
        temps = _leftovers(out, finals)
        stats["temp files left"] += len(temps)
        named = sorted(p for p in out.iterdir() if p.name in finals)
        for output in named:  # complete: it authenticates and gives back its input
            opened = io.BytesIO()
            fileops.open_to_stream(output, box, opened)
            assert opened.getvalue() == inputs[output.name.removesuffix(".vault")]
        assert crashed or len(named) == MANY
        stats["all named" if len(named) == MANY else "some named" if named else "none named"] += 1
    assert {p.name: _identity(p) for p in src.iterdir()} == before  # inputs untouched
    print(f"many-file seal: {early:.2f} s to first byte, {span:.2f} s writing; {dict(stats)}")
    assert stats["some named"] >= 1  # a kill landed between groups or inside one
    if sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1:
        assert HELPERS_KILLED  # MANY files start a helper, and kills landed while it ran
    if sys.platform.startswith("linux"):
        assert stats["temp files left"] == 0  # O_TMPFILE: the unnamed group vanished


def test_kill_during_a_large_age_share_and_open(setup: Setup) -> None:
    """`seal --to` and `open` of a 64 MiB age file, which both cores do (core/age/spans.py:
    two threads take spans of the payload), killed at random: the output is complete and
    exact or absent, and nothing else is left."""
    box = _unlocked(setup)
    me = box.people.new_identity("crash-me", classic=True)
    identities = box.people.age_identities()
    stats: Counter[str] = Counter()
    rng = random.Random(20240607)
    shared = setup.root / "age-share"
    shared.mkdir()
    share = ("seal", "--to", me.recipient, "-o", shared, setup.plain)
    early, span = _timed_run(setup, shared, *share)
    sealed = shared / "big.bin.age"
    kept = setup.root / "big.bin.age"
    sealed.rename(kept)
    opened = setup.root / "age-open"
    opened.mkdir()
    for command, out, final in ((share, shared, sealed),
                                (("open", "-o", opened, kept), opened, opened / "big.bin")):
        if command[0] == "open":
            early, span = _timed_run(setup, out, *command)
            final.unlink()
        for where, delay in _delays(rng, span, early):
            crashed = _run_and_kill(setup, out, where, delay, *command)
            stats["temp files left"] += len(_leftovers(out, {final.name}))
            if final.exists():
                if command[0] == "open":
                    assert _sha(final) == setup.plain_hash
                else:
                    check = setup.root / "age-check"
                    age_fileops.open_age_file(final, identities, output=check)
                    assert _sha(check) == setup.plain_hash
                    check.unlink()
                final.unlink()
                stats[f"{command[0]}: complete"] += 1
            else:
                assert crashed
                stats[f"{command[0]}: no output"] += 1
    print(f"large age file: {dict(stats)}")
    assert stats["seal: no output"] >= 1 and stats["open: no output"] >= 1
    if sys.platform.startswith("linux"):
        assert stats["temp files left"] == 0


_BOXES: dict[str, Keybox] = {}


def _unlocked(setup: Setup) -> Keybox:
    """A fresh unlocked keybox each call (closes the previous one)."""
    old = _BOXES.pop(setup.url, None)
    if old is not None:
        old.close()
    box = Keybox.open(setup.url)
    box.unlock(PASSPHRASE)
    _BOXES[setup.url] = box
    return box


def _read_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        pytest.fail(f"child did not start: {line}{proc.communicate(timeout=TIMEOUT)[1]}")


def _loop_child(setup: Setup, script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], env=setup.env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _kill_loop(proc: subprocess.Popen[str]) -> int:
    """SIGKILL a looping child; return how many loop iterations it reported."""
    assert proc.poll() is None, proc.communicate()[1]
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, err
    assert "Traceback" not in err, err
    return out.count("r\n")


def test_kill_during_rewrap_loop(setup: Setup) -> None:
    folder = setup.root / "rewrap"
    folder.mkdir()
    box = _unlocked(setup)
    profile_id = bytes.fromhex(box.profile("p").profile_id)
    a = box.profile("p").primary_key_id
    assert a is not None
    plain = folder / "doc.bin"
    plain.write_bytes(os.urandom(3 << 20))
    target = fileops.seal_file(plain, [box.recipient("p")], output=folder / "doc.vault").output
    assert target is not None
    b = box.rotate("p").key_id
    recipients = {k: Recipient(profile_id, bytes.fromhex(k),
                               box.resolve(profile_id, bytes.fromhex(k)) or b"")
                  for k in (a, b)}
    header_size = fileops.inspect_file(target).size
    payload = target.read_bytes()[header_size:]
    expected = plain.read_bytes()
    current = a
    rng = random.Random(20240603)
    total = 0
    for _ in range(KILLS):
        proc = _loop_child(setup, REWRAP_CHILD, setup.url, target, a, b)
        _read_ready(proc)
        time.sleep(rng.uniform(0.01, 0.3))
        done = _kill_loop(proc)
        total += done
        other = b if current == a else a
        after_done = current if done % 2 == 0 else other
        after_one_more = other if after_done == current else current
        header = fileops.inspect_file(target)
        key = header.stanzas[0].key_id.hex()
        # Either the last reported rewrap's key, or one more that landed before the print.
        assert key in (after_done, after_one_more)
        current = key
        assert target.read_bytes()[header_size:] == payload  # payload never touched
        assert sorted(os.listdir(folder)) == ["doc.bin", "doc.vault"]
        # It opens with exactly the key its header names (and only with that one).
        out = folder / "opened.bin"
        fileops.open_file(target, StaticResolver([recipients[key]]), output=out)
        assert out.read_bytes() == expected
        out.unlink()
        _check_keybox(setup)
    print(f"rewrap: {total} rewraps over {KILLS} kills")
    assert total >= KILLS  # the kills landed inside a running loop


def test_kill_during_key_rotate(setup: Setup) -> None:
    rng = random.Random(20240604)
    versions = _check_keybox(setup)["p"]
    # A full command first, to know how long one takes.
    start = time.monotonic()
    proc = _cli(setup, "key", "rotate", "--profile", "p")
    assert proc.wait(timeout=TIMEOUT) == 0
    full = time.monotonic() - start
    if proc.stderr is not None:
        proc.stderr.close()
    versions += 1
    assert _check_keybox(setup)["p"] == versions
    committed = 0
    for _ in range(KILLS // 2):  # the real command, killed anywhere in its life
        proc = _cli(setup, "key", "rotate", "--profile", "p")
        time.sleep(rng.uniform(0.05, full * 1.1))
        crashed = _kill(proc)
        now = _check_keybox(setup)["p"]
        assert now in (versions, versions + 1)
        assert crashed or now == versions + 1
        committed += now - versions
        versions = now
    total = 0
    for n in range(KILLS - KILLS // 2):  # a tight loop, killed between or inside commits
        proc = _loop_child(setup, ROTATE_CHILD, setup.url)
        _read_ready(proc)
        first = 0
        if n == 0:  # one kill surely after a commit, however slow a loaded machine is
            assert proc.stdout is not None and proc.stdout.readline() == "r\n"
            first = 1
        time.sleep(rng.uniform(0.01, 0.25))
        done = first + _kill_loop(proc)
        total += done
        now = _check_keybox(setup)["p"]
        assert now in (versions + done, versions + done + 1)
        versions = now
    print(f"key rotate: full command {full:.2f} s; {committed} of {KILLS // 2} killed "
          f"commands committed; {total} rotations in killed loops")
    assert total >= 1


@pytest.fixture(autouse=True, scope="module")
def _close_boxes() -> object:
    yield None
    for box in _BOXES.values():
        box.close()
    _BOXES.clear()
