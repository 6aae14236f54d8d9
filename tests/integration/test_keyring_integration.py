"""The real OS keyring: gnome-keyring's Secret Service on a private D-Bus session.

Every command runs as a real `python -m vaultapp` process with the `secret_service`
fixture's environment, stdin a pipe (never a terminal) and, unless a test says so, no
VAULTAPP_PASSPHRASE: the keyring slot must unlock the keybox silently.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

PASSPHRASE = "keyring test passphrase"
TIMEOUT = 60


def _env(base: dict[str, str], home: Path, **extra: str) -> dict[str, str]:
    env = {**base, "VAULTAPP_HOME": str(home), **extra}
    for name in ("VAULTAPP_KEYBOX", "VAULTAPP_PASSPHRASE"):
        if name not in extra:
            env.pop(name, None)
    return env


def _run(env: dict[str, str], *args: object, stdin: str = "",
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run vaultapp with stdin a pipe holding `stdin` (so never a TTY)."""
    return subprocess.run([sys.executable, "-m", "vaultapp", *map(str, args)], env=env,
                          input=stdin, capture_output=True, text=True, timeout=TIMEOUT,
                          cwd=cwd)


def _secret_tool(env: dict[str, str]) -> str:
    """Every Secret Service item of service 'vaultapp' (attributes go to stderr)."""
    r = subprocess.run(["secret-tool", "search", "--all", "service", "vaultapp"], env=env,
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    return r.stdout + r.stderr


def test_keyring_slot_unlocks_silently_until_removed(secret_service: Any,
                                                     tmp_path: Path) -> None:
    env = _env(secret_service.env, tmp_path / "home")
    r = _run(env, "init", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert r.returncode == 0, r.stderr
    assert "OS keyring" in r.stdout and "recovery passphrase" in r.stdout
    assert (tmp_path / "home" / "keybox.sqlite").exists()

    r = _run(env, "slot", "list", "--json")
    assert r.returncode == 0, r.stderr
    slots = json.loads(r.stdout)
    assert sorted(s["kind"] for s in slots) == ["keyring", "passphrase"]
    keyring_slot = next(s["slot_id"] for s in slots if s["kind"] == "keyring")

    # The root key really is in the Secret Service, under this keybox and slot.
    r = _run(env, "log", "--json")
    keybox_id = next(e["details"].split()[-1] for e in json.loads(r.stdout)
                     if e["action"] == "keybox.create")
    user = f"keybox-{keybox_id}/slot-{keyring_slot}"
    assert f"attribute.username = {user}" in _secret_tool(env)
    probe = textwrap.dedent(f"""
        import keyring
        print(keyring.get_password("vaultapp", {user!r}))
    """)
    stored = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, timeout=TIMEOUT, check=True).stdout.strip()
    assert len(base64.b64decode(stored, validate=True)) == 32  # a 256-bit root key

    # No passphrase anywhere, stdin not a terminal: the keyring unlocks, silently.
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("sealed through the Secret Service\n")
    timings = {}
    for args in (("profile", "create", "x"), ("seal", "notes.txt"),
                 ("open", "-o", "out", "notes.txt.vault")):
        if args[0] == "open":
            (work / "out").mkdir()
        start = time.monotonic()
        r = _run(env, *args, cwd=work)
        timings[args[0]] = round(time.monotonic() - start, 2)
        assert r.returncode == 0, (args, r.stderr)
        assert r.stderr == "", (args, r.stderr)  # no prompt, no warning
    print("unlocked through the keyring:", timings)
    assert (work / "out" / "notes.txt").read_text() == "sealed through the Secret Service\n"

    # Remove the keyring slot: its Secret Service item goes too, and only the
    # passphrase unlocks from now on.
    r = _run(env, "slot", "remove", keyring_slot)
    assert r.returncode == 0, r.stderr
    assert user not in _secret_tool(env)
    r = _run(env, "slot", "list", "--json")
    assert [s["kind"] for s in json.loads(r.stdout)] == ["passphrase"]

    r = _run(env, "open", "-o", "again", "notes.txt.vault", cwd=work)
    assert r.returncode == 5, r.stderr
    assert "locked" in r.stderr and "Traceback" not in r.stderr
    assert not (work / "again").exists()

    (work / "again").mkdir()
    r = _run({**env, "VAULTAPP_PASSPHRASE": PASSPHRASE}, "open", "-o", "again",
             "notes.txt.vault", cwd=work)
    assert r.returncode == 0, r.stderr
    assert (work / "again" / "notes.txt").read_text() == "sealed through the Secret Service\n"


# A stand-in for keyrings.alt's PlaintextKeyring (not installed here): same module path,
# so vaultapp's refusal is exercised as it would be on a machine that has keyrings.alt.
FAKE_PLAINTEXT = '''
import os
from keyring.backend import KeyringBackend

class PlaintextKeyring(KeyringBackend):
    priority = 0.5
    store = os.environ["FAKE_KEYRING_FILE"]

    def set_password(self, service, username, password):
        with open(self.store, "a") as f:
            f.write(f"{service} {username} {password}\\n")

    def get_password(self, service, username):
        return None

    def delete_password(self, service, username):
        pass
'''


@pytest.mark.parametrize("backend", ["keyring.backends.fail.Keyring",
                                     "keyrings.alt.file.PlaintextKeyring"])
def test_init_refuses_an_insecure_keyring(secret_service: Any, tmp_path: Path,
                                          backend: str) -> None:
    package = tmp_path / "site" / "keyrings" / "alt"
    package.mkdir(parents=True)
    (package / "file.py").write_text(FAKE_PLAINTEXT)
    store = tmp_path / "plaintext-keyring.txt"
    home = tmp_path / "home"
    env = _env(secret_service.env, home, PYTHON_KEYRING_BACKEND=backend,
               PYTHONPATH=str(tmp_path / "site"), FAKE_KEYRING_FILE=str(store))

    r = _run(env, "init", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert r.returncode == 1, r.stderr
    assert "--no-keyring" in r.stderr, r.stderr  # says what to do instead
    assert "no secure OS keyring" in r.stderr and backend in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert not (home / "keybox.sqlite").exists()
    assert not home.exists() or list(home.iterdir()) == []  # no keybox file left behind
    assert not store.exists()  # the root key never reached the plaintext store

    if backend.startswith("keyrings.alt"):
        # The suggested way out works with the same environment.
        r = _run(env, "init", "--no-keyring", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
        assert r.returncode == 0, r.stderr
        r = _run(env, "slot", "list", "--json")
        assert [s["kind"] for s in json.loads(r.stdout)] == ["passphrase"]
        assert not store.exists()


def test_unlock_asks_the_recorded_backend_without_probing_every_backend(
        secret_service: Any, tmp_path: Path) -> None:
    """keyring.get_keyring() probes every installed backend (~110 ms a command); the
    keyring slot records its backend and unlock asks that one directly. Here probing is
    made to fail: sealing must still unlock silently through the real Secret Service."""
    env = _env(secret_service.env, tmp_path / "home")
    assert _run(env, "init").returncode == 0
    assert _run(env, "profile", "create", "p").returncode == 0
    plain = tmp_path / "a.txt"
    plain.write_text("direct\n")
    code = textwrap.dedent(f"""
        import sys, keyring
        def probing(*a, **k):
            raise AssertionError("keyring.get_keyring was called")
        keyring.get_keyring = probing
        from vaultapp.cli import main
        sys.exit(main(["seal", {str(plain)!r}]))
    """)
    for backend_variable in (True, False):  # chosen by the variable, and by default
        run_env = dict(env)
        if not backend_variable:
            run_env.pop("PYTHON_KEYRING_BACKEND", None)
        (tmp_path / "a.txt.vault").unlink(missing_ok=True)
        r = subprocess.run([sys.executable, "-c", code], env=run_env, capture_output=True,
                           text=True, timeout=TIMEOUT)
        assert r.returncode == 0, r.stderr
        assert (tmp_path / "a.txt.vault").exists()


def test_unlock_through_the_secret_service_does_not_even_import_keyring(
        secret_service: Any, tmp_path: Path) -> None:
    """Importing keyring costs ~120 ms a command; a slot stored by its SecretService
    backend is read with secretstorage alone. With keyring configured to use another
    backend (PYTHON_KEYRING_BACKEND), keyring is asked as before."""
    env = _env(secret_service.env, tmp_path / "home")
    assert _run(env, "init").returncode == 0
    assert _run(env, "profile", "create", "p").returncode == 0
    plain = tmp_path / "b.txt"
    plain.write_text("no keyring import\n")
    code = textwrap.dedent(f"""
        import sys
        from vaultapp.cli import main
        rc = main(["seal", "--force", {str(plain)!r}])
        print("KEYRING", "keyring" in sys.modules)
        sys.exit(rc)
    """)
    expected = {"keyring.backends.SecretService.Keyring": "False", "": "False",
                "keyring.backends.fail.Keyring": "True"}
    for variable, imported in expected.items():
        run_env = dict(env)
        run_env.pop("PYTHON_KEYRING_BACKEND", None)
        if variable:
            run_env["PYTHON_KEYRING_BACKEND"] = variable
        r = subprocess.run([sys.executable, "-c", code], env=run_env,
                           capture_output=True, text=True, timeout=TIMEOUT)
        assert f"KEYRING {imported}" in r.stdout, (variable, r.stdout, r.stderr)
        if "fail" not in variable:
            assert r.returncode == 0, r.stderr
