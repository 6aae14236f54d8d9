"""Someone who can write the keybox's database but holds no key slot changes nothing.

Each test is one attack from the security review, performed as the attacker would: the
`sqlite3` command-line tool on the keybox file, copies of the file, a second keybox at
the same path. The victim then runs vaultapp (in-process for speed; the real program as a
process where noted) and every attack ends in a refusal — exit 6, "changed outside
vaultapp" — with nothing sealed, opened or changed. Before the authenticated state, each
of these succeeded silently.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.service import key_context
from vaultapp.core.keybox.wrapping import unwrap

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def victim(cli, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A keybox (keyring + passphrase slots) with profile acme and one sealed file."""
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init").code == 0
    # A given passphrase is tried against passphrase slots only: without it, the keyring
    # slot (tried first) unlocks, as on a desktop.
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    assert cli("profile", "create", "acme").code == 0
    plain = tmp_path / "report.txt"
    plain.write_bytes(b"quarterly numbers")
    assert cli("seal", str(plain)).code == 0
    plain.unlink()
    return cli


def db_file(home: Path) -> Path:
    return home / "keybox.sqlite"


def sql(home: Path, statement: str) -> str:
    """The attacker's tool: the sqlite3 shell on the keybox file."""
    done = subprocess.run(["sqlite3", str(db_file(home)), statement], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def keys(cli) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return json.loads(cli("key", "list", "--json").out)  # type: ignore[no-any-return]


def assert_refused(result: object, *words: str) -> None:
    code, err = result.code, result.err  # type: ignore[attr-defined]
    assert code == 6, err
    assert "changed outside vaultapp" in err or "pinned" in err, err
    for word in words:
        assert word in err, err
    assert "Traceback" not in err


def nothing_opened(tmp_path: Path) -> None:
    assert not (tmp_path / "report.txt").exists()


def test_re_enabling_a_disabled_key_with_sql_is_refused(victim, isolated_home: Path,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    key = keys(victim)[0]["key_id"]
    assert victim("key", "disable", key).code == 0
    sql(isolated_home, f"UPDATE profile_keys SET state = 'enabled' WHERE key_id = '{key}'")
    assert_refused(victim("open", str(tmp_path / "report.txt.vault")), "profile keys")
    nothing_opened(tmp_path)
    assert_refused(victim("keybox", "check", "--unlock"))


def test_moving_the_primary_flag_back_to_a_retired_key_is_refused(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path, tmp_path: Path) -> None:
    old = keys(victim)[0]["key_id"]
    assert victim("key", "rotate", "--profile", "acme").code == 0
    new = keys(victim)[1]["key_id"]
    sql(isolated_home, f"UPDATE profile_keys SET is_primary = 0 WHERE key_id = '{new}';"
                       f"UPDATE profile_keys SET is_primary = 1 WHERE key_id = '{old}'")
    other = tmp_path / "new.txt"
    other.write_bytes(b"x")
    assert_refused(victim("seal", str(other)), "profile keys")
    assert not (tmp_path / "new.txt.vault").exists()


def test_cancelling_a_scheduled_destruction_with_sql_is_refused(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path) -> None:
    key = keys(victim)[0]["key_id"]
    assert victim("key", "destroy", key, "--after", "3").code == 0
    sql(isolated_home, "UPDATE profile_keys SET state = 'disabled', destroy_after = NULL "
                       f"WHERE key_id = '{key}'")
    assert_refused(victim("key", "rotate", "--profile", "acme"))
    assert keys(victim)[0]["state"] == "disabled"  # the edit is visible, never acted on
    assert len(keys(victim)) == 1  # and the rotation did not happen


def test_a_destroyed_key_copied_back_from_an_old_backup_is_refused_and_does_not_unwrap(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path, tmp_path: Path) -> None:
    old_copy = tmp_path / "old.sqlite"
    sql(isolated_home, f".backup '{old_copy}'")
    key = keys(victim)[0]["key_id"]
    assert victim("key", "rotate", "--profile", "acme").code == 0
    assert victim("key", "destroy", key, "--after", "0", "--yes").code == 0
    # The old row (same ids, so its associated data still matches) comes back.
    sql(isolated_home, f"ATTACH '{old_copy}' AS old; UPDATE profile_keys SET state = "
                       "'enabled', destroyed_at = NULL, wrapped_key = (SELECT wrapped_key FROM "
                       f"old.profile_keys WHERE key_id = '{key}') WHERE key_id = '{key}'")
    assert_refused(victim("open", str(tmp_path / "report.txt.vault")), "profile keys")
    nothing_opened(tmp_path)
    # And cryptographically: its per-key secret was erased, so even the root key cannot
    # unwrap the old bytes.
    box = Keybox.open(f"sqlite:///{old_copy}")
    box.unlock(PASSPHRASE)
    root = bytes(box.require_root())
    wrapped = sqlite3.connect(old_copy).execute(
        "SELECT wrapped_key, profile_id FROM profile_keys WHERE key_id = ?", (key,)).fetchone()
    box.close()
    assert sql(isolated_home, f"SELECT count(*) FROM key_secrets WHERE key_id = '{key}'") == "0"
    assert unwrap(root, wrapped[0], key_context(box.keybox_id, wrapped[1], key)) is None


def test_destroyed_key_bytes_are_in_neither_the_file_nor_its_wal(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path) -> None:
    key = keys(victim)[0]["key_id"]
    assert victim("key", "rotate", "--profile", "acme").code == 0
    wrapped = bytes.fromhex(sql(isolated_home, "SELECT hex(wrapped_key) FROM profile_keys "
                                               f"WHERE key_id = '{key}'"))
    secret = bytes.fromhex(sql(isolated_home, "SELECT hex(secret) FROM key_secrets "
                                              f"WHERE key_id = '{key}'"))
    # Another connection stays open meanwhile, as the window's does.
    holder = Keybox.open(f"sqlite:///{db_file(isolated_home)}")
    holder.profiles()
    try:
        assert victim("key", "destroy", key, "--after", "0", "--yes").code == 0
        for path in isolated_home.glob("keybox.sqlite*"):
            data = path.read_bytes()
            assert wrapped not in data and secret not in data, path
    finally:
        holder.close()


def test_copying_an_older_keybox_file_back_is_refused(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path, tmp_path: Path) -> None:
    """A sync client or backup tool restores an old copy: a removed slot (a leaked
    passphrase) would come back. Noticed at the next unlock: the copy is older than the
    newest generation this machine saw."""
    old_copy = tmp_path / "old.sqlite"
    assert victim("slot", "add-passphrase", "--passphrase-stdin",
                  stdin="leaked passphrase words\n").code == 0
    sql(isolated_home, f".backup '{old_copy}'")
    leaked = json.loads(victim("slot", "list", "--json").out)[-1]["slot_id"]
    assert victim("slot", "remove", leaked).code == 0
    for suffix in ("", "-wal", "-shm"):
        (isolated_home / f"keybox.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copyfile(old_copy, db_file(isolated_home))
    assert_refused(victim("key", "rotate", "--profile", "acme"), "rolled back")


def test_another_keybox_at_the_same_path_is_refused(  # type: ignore[no-untyped-def]
        victim, cli, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.sqlite"
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("--keybox", str(other), "init", "--no-keyring").code == 0
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")
    for suffix in ("", "-wal", "-shm"):
        (isolated_home / f"keybox.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copyfile(other, db_file(isolated_home))
    assert_refused(victim("key", "rotate", "--profile", "acme"), "not the keybox")


def test_an_edited_slot_is_never_used(victim, isolated_home: Path,  # type: ignore[no-untyped-def]
                                     memory_keyring: object) -> None:
    """The slot tried first (the keyring) is pointed elsewhere: refused before it is used,
    and the keyring is never asked."""
    sql(isolated_home, "UPDATE key_slots SET params = json_set(params, '$.backend', "
                       "'keyring.backends.chainer.ChainerBackend') WHERE kind = 'keyring'")
    asked: list[str] = []
    real_get = memory_keyring.get_password  # type: ignore[attr-defined]
    memory_keyring.get_password = lambda *a: asked.append("asked") or real_get(*a)  # type: ignore[attr-defined]
    assert_refused(victim("key", "rotate", "--profile", "acme"),
                   "differs from the one this machine verified")
    assert asked == []


def test_an_edited_kdf_in_a_slot_not_tried_first_fails_the_state(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path) -> None:
    """KDF parameters are authenticated too: raised (to make unlocks cost more) in the
    passphrase slot while the keyring unlocks, the state's slot section no longer matches."""
    sql(isolated_home, "UPDATE key_slots SET params = json_set(params, '$.iterations', 16) "
                       "WHERE kind = 'passphrase'")
    assert_refused(victim("key", "rotate", "--profile", "acme"), "key slots")


def test_a_forged_audit_row_is_found_at_unlock(victim, isolated_home: Path) -> None:  # type: ignore[no-untyped-def]
    sql(isolated_home, "INSERT INTO audit_log (at, actor, action, files, details) VALUES "
                       "('2026-01-01 00:00:00.000000', 'alice@host', 'key.enable', 0, 'forged')")
    assert_refused(victim("key", "rotate", "--profile", "acme"), "audit log")


def test_an_edited_middle_audit_row_breaks_the_chain_for_keybox_check(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path) -> None:
    """Unlocking checks only the newest row (it must not grow with the log); `keybox
    check` walks the whole chain and reports the broken link."""
    sql(isolated_home, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = "
                       "'mallory@host' WHERE action = 'profile.create'")
    result = victim("keybox", "check", "--unlock")
    assert result.code == 1
    assert "the audit log's chain breaks at row" in result.err


def test_a_substituted_root_key_check_is_refused_by_the_real_program(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path, tmp_path: Path) -> None:
    """The attacker replaces the root-key check with one for a root key of their own (the
    first step of a root-key substitution): the victim's own slot now yields a key that
    fails the check. Fail closed (exit 6), no next slot tried. As a real process."""
    sql(isolated_home, "UPDATE keybox_meta SET root_key_check = randomblob(32)")
    env = {k: v for k, v in __import__("os").environ.items()}
    env["VAULTAPP_PASSPHRASE"] = PASSPHRASE  # the real process has no keyring entry
    done = subprocess.run([sys.executable, "-m", "vaultapp", "open",
                           str(tmp_path / "report.txt.vault")], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 6, done.stderr
    assert "fails the root-key check" in done.stderr
    nothing_opened(tmp_path)


def test_a_slot_added_on_another_machine_is_used_only_after_a_known_slot_vouched(  # type: ignore[no-untyped-def]
        victim, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two machines share the keybox (their pins apart). Machine A adds a passphrase slot;
    on machine B that slot is not used until a slot B verified has unlocked the keybox
    and the authenticated state vouches for the new one; then it works there too."""
    machine_a = tmp_path / "machine-a-config"
    monkeypatch.setenv("VAULTAPP_CONFIG_HOME", str(machine_a))
    assert victim("key", "rotate", "--profile", "acme").code == 0  # A pins the keybox
    assert victim("slot", "add-passphrase", "--passphrase-stdin",
                  stdin="added on machine a\n").code == 0
    # Machine B is the one the victim fixture set up; it has not seen the new slot.
    monkeypatch.setenv("VAULTAPP_CONFIG_HOME", str(tmp_path.parent / f"{tmp_path.name}-config"))
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "added on machine a")
    import keyring

    real = keyring.get_keyring
    monkeypatch.setattr(keyring, "get_keyring", lambda: __import__(
        "keyring.backends.fail", fromlist=["Keyring"]).Keyring())  # B's keyring is away
    result = victim("key", "rotate", "--profile", "acme")
    assert result.code == 5, result.err
    assert "added since this machine last unlocked" in result.err
    monkeypatch.setattr(keyring, "get_keyring", real)  # a slot B knows unlocks once...
    monkeypatch.delenv("VAULTAPP_PASSPHRASE")  # (a given passphrase tries passphrase slots)
    assert victim("key", "list").code == 0 and victim("key", "rotate", "--profile",
                                                      "acme").code == 0
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", "added on machine a")
    monkeypatch.setattr(keyring, "get_keyring", lambda: __import__(
        "keyring.backends.fail", fromlist=["Keyring"]).Keyring())
    assert victim("key", "rotate", "--profile", "acme").code == 0  # ... now the new one
