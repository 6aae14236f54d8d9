"""The installed program, end to end, once per suite: the console script next to the
interpreter, real processes, real default Argon2id parameters, documented exit codes.

Start-up times of `--version` and `inspect` (which load neither Qt nor SQLAlchemy) are
measured and printed; the bound is 1.0 s wall each so a noisy VM does not make it flaky.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from vaultapp import __version__

PROGRAM = Path(sys.executable).parent / "vaultapp"
PASSPHRASE = "end to end passphrase"
HEX32 = r"[0-9a-f]{32}"
STARTUP_BOUND_S = 1.0


def _run(env: dict[str, str], cwd: Path, *args: str,
         stdin: str = "") -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    r = subprocess.run([str(PROGRAM), *args], env=env, cwd=cwd, input=stdin,
                       capture_output=True, text=True, timeout=60)
    return r, time.perf_counter() - start


def _ok(env: dict[str, str], cwd: Path, *args: str, stdin: str = "") -> str:
    r, _ = _run(env, cwd, *args, stdin=stdin)
    assert r.returncode == 0, (args, r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    return r.stdout


def test_installed_program_end_to_end(tmp_path: Path) -> None:
    assert PROGRAM.is_file() and os.access(PROGRAM, os.X_OK), PROGRAM
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "VAULTAPP_HOME": str(tmp_path / "home"),
           # --no-keyring keybox: the user's real keyring must never be touched.
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for name in ("VAULTAPP_KEYBOX", "VAULTAPP_PASSPHRASE"):
        env.pop(name, None)
    timings: dict[str, float] = {}

    r, timings["--version"] = _run(env, work, "--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"vaultapp {__version__}"

    out = _ok(env, work, "init", "--no-keyring", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert re.match(rf"created keybox {HEX32} at .*keybox\.sqlite "
                    r"\(key slots: recovery passphrase\)$", out.strip()), out
    assert (tmp_path / "home" / "keybox.sqlite").is_file()
    env["VAULTAPP_PASSPHRASE"] = PASSPHRASE

    out = _ok(env, work, "profile", "create", "acme")
    m = re.fullmatch(rf"created profile acme with primary key ({HEX32})", out.strip())
    assert m, out
    key_id = m.group(1)

    plain = work / "report.txt"
    content = ("quarterly numbers, all of them\n" * 5000).encode()
    plain.write_bytes(content)
    os.utime(plain, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    out = _ok(env, work, "seal", "report.txt")
    assert out.strip() == "sealed report.txt -> report.txt.vault"
    sealed = work / "report.txt.vault"
    assert plain.read_bytes() == content  # the input is untouched
    assert content[:64] not in sealed.read_bytes()

    r, timings["inspect"] = _run(env, work, "inspect", "--json", "report.txt.vault")
    assert r.returncode == 0, r.stderr
    facts = json.loads(r.stdout)
    assert facts["format_version"] == 1
    assert facts["file_size"] == sealed.stat().st_size
    assert [s["key_id"] for s in facts["stanzas"]] == [key_id]

    keys = json.loads(_ok(env, work, "key", "list", "--json"))
    assert [(k["key_id"], k["profile"], k["version"], k["state"], k["primary"])
            for k in keys] == [(key_id, "acme", 1, "enabled", True)]
    profiles = json.loads(_ok(env, work, "profile", "list", "--json"))
    assert [(p["name"], p["primary_key_id"]) for p in profiles] == [("acme", key_id)]
    assert facts["stanzas"][0]["profile_id"] == profiles[0]["profile_id"]

    plain.unlink()
    out = _ok(env, work, "open", "report.txt.vault")
    assert out.strip() == "opened report.txt.vault -> report.txt"
    assert plain.read_bytes() == content
    assert plain.stat().st_mtime_ns == 1_700_000_000_000_000_000  # restored

    out = _ok(env, work, "verify", "report.txt.vault")
    assert out.startswith(f"ok report.txt.vault ({len(content)} bytes, key {key_id[:8]})")

    tampered = work / "tampered.vault"
    data = bytearray(sealed.read_bytes())
    data[-20] ^= 1
    tampered.write_bytes(bytes(data))
    r, _ = _run(env, work, "verify", "tampered.vault")
    assert r.returncode == 3, r.stderr  # integrity failure
    assert "tampered" in r.stderr and "Traceback" not in r.stderr

    entries = json.loads(_ok(env, work, "log", "--json"))
    for e in entries:
        assert {"at", "actor", "action", "profile", "key_id", "details"} <= set(e), e
        assert e["at"].endswith("Z")
        datetime.fromisoformat(e["at"])  # ISO 8601
    actions = [e["action"] for e in entries]
    assert actions[:3] == ["keybox.create", "slot.add", "profile.create"]
    assert "seal" in actions
    seal = next(e for e in entries if e["action"] == "seal")
    assert (seal["profile"], seal["key_id"]) == ("acme", key_id)

    print("wall times: " + ", ".join(f"{k} {v:.3f} s" for k, v in timings.items()))
    for name, seconds in timings.items():
        assert seconds < STARTUP_BOUND_S, f"{name} took {seconds:.2f} s"
