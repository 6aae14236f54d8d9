"""Keybox resilience: check, consistent backup and restore, damaged keyboxes."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from vaultapp.core.keybox import Keybox, pin


@pytest.fixture
def box_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'keybox.sqlite'}"
    box = Keybox.create(url, use_keyring=False, passphrase=PASSPHRASE)
    box.create_profile("acme")
    box.rotate("acme")
    box.close()
    monkeypatch.setenv("VAULTAPP_KEYBOX", url)
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    return url


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_passes_on_a_healthy_keybox(cli, box_url: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("keybox", "check")
    assert result.code == 0 and "keybox ok" in result.out
    assert "every profile key unwraps" in result.out


def test_check_finds_broken_invariants(cli, box_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = sqlite3.connect(tmp_path / "keybox.sqlite")
    db.execute("UPDATE profile_keys SET wrapped_key = zeroblob(48) WHERE version = 1")
    db.commit()
    db.close()
    result = cli("keybox", "check")
    # The edited row fails the authenticated state before any key is unwrapped.
    assert result.code == 6
    assert "changed outside vaultapp" in result.err and "profile keys" in result.err
    assert "restore" in result.err


def test_backup_restore_round_trip(cli, box_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "backup.sqlite"
    assert cli("keybox", "backup", str(out)).code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert cli("keybox", "backup", str(out)).code == 1  # never overwritten without --force
    assert cli("key", "rotate", "--profile", "acme").code == 0
    assert cli("profile", "create", "later").code == 0
    refused = cli("keybox", "restore", str(out))  # no terminal to ask: needs --yes
    assert refused.code == 2 and "--yes" in refused.err
    result = cli("keybox", "restore", "--yes", str(out))
    assert result.code == 0, result.err
    kept = list(tmp_path.glob("keybox.sqlite.before-restore-*"))
    assert len(kept) == 1
    listed = cli("profile", "list", "--json")
    assert [p["name"] for p in __import__("json").loads(listed.out)] == ["acme"]
    log = cli("log", "--json").out
    assert "keybox.restore" in log
    # the backup is still protected by its slots: the passphrase opens it, nothing else
    box = Keybox.open(f"sqlite:///{out}")
    with pytest.raises(Exception, match="locked"):
        box.unlock(None)
    box.unlock(PASSPHRASE)
    assert len(box.keys("acme")) == 2
    box.close()


def test_backup_is_consistent_while_another_process_writes(cli, box_url: str,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    script = (
        "import sys\nfrom vaultapp.core.keybox import Keybox\n"
        f"b = Keybox.open({box_url!r}); b.unlock({PASSPHRASE!r})\n"
        "for i in range(60): b.rotate('acme')\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script])
    try:
        for i in range(5):
            out = tmp_path / f"b{i}.sqlite"
            assert cli("keybox", "backup", str(out)).code == 0
            check = cli("--keybox", str(out), "keybox", "check")
            assert check.code == 0, check.err
            time.sleep(0.05)
    finally:
        assert writer.wait(timeout=120) == 0


@pytest.mark.parametrize("damage", ["truncate", "garbage", "zeroed_page"])
def test_damaged_keybox_gives_clear_error_and_is_never_repaired(  # type: ignore[no-untyped-def]
        cli, box_url: str, tmp_path: Path, damage: str) -> None:
    path = tmp_path / "keybox.sqlite"
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 3]
    elif damage == "garbage":
        data = bytearray(b"not a database at all" * 100)
    else:
        data[4096:8192] = bytes(4096)
    path.write_bytes(data)
    before = digest(path)
    for args in (["key", "list"], ["seal", str(path)], ["keybox", "check"]):
        result = cli(*args)
        assert result.code != 0
        assert "Traceback" not in result.err
        assert "restore" in result.err or "backup" in result.err, result.err
        assert digest(path) == before


def test_restore_refuses_a_file_that_is_not_a_backup(cli, box_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\x00" * 5000)
    before = digest(tmp_path / "keybox.sqlite")
    result = cli("keybox", "restore", str(junk))
    assert result.code == 1 and "not" in result.err
    assert digest(tmp_path / "keybox.sqlite") == before


def test_postgres_backup_points_to_pg_dump(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--keybox", "postgresql+psycopg://u@127.0.0.1:1/x", "keybox", "backup", "o")
    assert result.code == 2 and "pg_dump" in result.err



INFINITE_MEMORY = ('{"kdf": "argon2id", "memory_kib": Infinity, "iterations": 1, '
                   '"lanes": 1, "salt": "AAAAAAAAAAAAAAAAAAAAAA=="}')


@pytest.mark.parametrize("params", ["{", INFINITE_MEMORY, '{"memory_kib": ' + "9" * 5000 + "}",
                                    "[1, 2]"])
def test_damaged_slot_parameters_lock_cleanly(  # type: ignore[no-untyped-def]
        cli, box_url: str, tmp_path: Path, params: str) -> None:
    db = sqlite3.connect(tmp_path / "keybox.sqlite")
    db.execute("UPDATE key_slots SET params = ?", (params,))
    db.commit()
    db.close()
    # This machine verified the slot: the edited one is never used (exit 6).
    result = cli("key", "rotate", "--profile", "acme")
    assert result.code == 6 and "Traceback" not in result.err
    assert "differs from the one this machine verified" in result.err, result.err
    # A machine that never unlocked this keybox tries it, and it fails cleanly.
    pin.forget(box_url[len("sqlite:///"):])
    result = cli("key", "rotate", "--profile", "acme")
    assert result.code == 5 and "Traceback" not in result.err
    assert "damaged" in result.err or "out-of-bounds" in result.err, result.err
