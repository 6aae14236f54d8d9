"""The key lifecycle through the command line (DESIGN.md, "Key lifecycle").

Every key state (enabled, disabled, pending_destruction, destroyed), as the primary key
of its profile and as an older key, meets every operation: seal via the profile, open a
file sealed under the key, enable, disable, destroy --after 7, destroy --after 0 --yes,
cancel-destroy and rotate. Each case checks the exit code (0 ok, 1 conflict, 4 key not
usable), the state `key list --json` shows afterwards, and that a refusal names the key
and its state. Then the rules the table cannot show: tombstones, scheduled destruction
and automatic rotation carried out at unlock, the audit log, and key id prefixes.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vaultapp.core.keybox import service

ENABLED = "enabled"
DISABLED = "disabled"
PENDING = "pending_destruction"
DESTROYED = "destroyed"
STATES = (ENABLED, DISABLED, PENDING, DESTROYED)

CONTENT = b"quarterly numbers, sealed before anything happened to the key\n"
LOG_FIELDS = {"at", "actor", "action", "profile", "key_id", "details"}


# --- helpers --------------------------------------------------------------------------

def key_list(cli, profile: str | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    args = ["key", "list", "--json"] + (["--profile", profile] if profile else [])
    r = cli(*args)
    assert r.code == 0, r.err
    return json.loads(r.out)


def key_row(cli, key_id: str) -> dict:  # type: ignore[no-untyped-def]
    rows = [k for k in key_list(cli) if k["key_id"] == key_id]
    assert len(rows) == 1, f"key {key_id} has {len(rows)} rows in 'key list'"
    return rows[0]


def primary_of(cli, profile: str = "acme") -> dict:  # type: ignore[no-untyped-def]
    rows = [k for k in key_list(cli, profile) if k["primary"]]
    assert len(rows) == 1, rows
    return rows[0]


def audit(cli) -> list[dict]:  # type: ignore[no-untyped-def]
    r = cli("log", "--json")
    assert r.code == 0, r.err
    entries = json.loads(r.out)
    for e in entries:
        assert LOG_FIELDS <= set(e), e
    return entries


def sealed_key_id(cli, path: Path) -> str:  # type: ignore[no-untyped-def]
    r = cli("inspect", str(path), "--json")
    assert r.code == 0, r.err
    stanzas = json.loads(r.out)["stanzas"]
    assert len(stanzas) == 1
    return str(stanzas[0]["key_id"])


def state_words(state: str) -> str:
    """How a message spells a state: 'pending_destruction' reads 'pending destruction'."""
    return state.replace("_", " ")


def assert_names_key_and_state(err: str, key_id: str, state: str) -> None:
    assert key_id[:8] in err, err
    assert state_words(state) in err, err


def keybox_file(home: Path) -> Path:
    return home / "keybox.sqlite"


def move_clock(monkeypatch: pytest.MonkeyPatch, delta: timedelta) -> None:
    """The keybox service sees `delta` later than now (later calls add up)."""
    current = service.utcnow
    monkeypatch.setattr(service, "utcnow", lambda: current() + delta)


@dataclass
class Scene:
    """A profile 'acme' whose key `key_id` is in `state`, with a file sealed under it."""

    key_id: str
    state: str
    primary: bool
    plain: Path
    sealed: Path
    out: Path


def arrange(cli, tmp_path: Path, state: str, primary: bool) -> Scene:  # type: ignore[no-untyped-def]
    plain = tmp_path / "numbers.txt"
    plain.write_bytes(CONTENT)
    key_id = primary_of(cli)["key_id"]
    r = cli("seal", str(plain))
    assert r.code == 0, r.err
    sealed = tmp_path / "numbers.txt.vault"
    assert sealed_key_id(cli, sealed) == key_id
    if not primary:
        assert cli("key", "rotate", "--profile", "acme").code == 0
    if state == DISABLED:
        assert cli("key", "disable", key_id).code == 0
    elif state == PENDING:
        assert cli("key", "destroy", key_id, "--after", "7").code == 0
    elif state == DESTROYED:
        assert cli("key", "destroy", key_id, "--after", "0", "--yes").code == 0
    row = key_row(cli, key_id)
    assert (row["state"], row["primary"]) == (state, primary)
    out = tmp_path / "out"
    out.mkdir()
    return Scene(key_id, state, primary, plain, sealed, out)


CASES = [pytest.param(state, primary, id=f"{state}-{'primary' if primary else 'older'}")
         for state in STATES for primary in (True, False)]

# operation -> {state before: (exit code, state after)}; the same for primary and older keys.
TABLE: dict[str, dict[str, tuple[int, str]]] = {
    "enable": {ENABLED: (0, ENABLED), DISABLED: (0, ENABLED),
               PENDING: (4, PENDING), DESTROYED: (4, DESTROYED)},
    "disable": {ENABLED: (0, DISABLED), DISABLED: (0, DISABLED),
                PENDING: (4, PENDING), DESTROYED: (4, DESTROYED)},
    "destroy-after-7": {ENABLED: (0, PENDING), DISABLED: (0, PENDING),
                        PENDING: (1, PENDING), DESTROYED: (4, DESTROYED)},
    "destroy-after-0": {ENABLED: (0, DESTROYED), DISABLED: (0, DESTROYED),
                        PENDING: (0, DESTROYED), DESTROYED: (4, DESTROYED)},
    "cancel-destroy": {ENABLED: (1, ENABLED), DISABLED: (1, DISABLED),
                       PENDING: (0, DISABLED), DESTROYED: (4, DESTROYED)},
}
COMMANDS = {
    "enable": ["key", "enable"],
    "disable": ["key", "disable"],
    "destroy-after-7": ["key", "destroy", "--after", "7"],
    "destroy-after-0": ["key", "destroy", "--after", "0", "--yes"],
    "cancel-destroy": ["key", "cancel-destroy"],
}
LOGGED_ACTION = {
    "enable": "key.enable",
    "disable": "key.disable",
    "destroy-after-7": "key.schedule_destroy",
    "destroy-after-0": "key.destroy",
    "cancel-destroy": "key.cancel_destroy",
}


# --- the table ----------------------------------------------------------------------------

@pytest.mark.parametrize("operation", list(TABLE))
@pytest.mark.parametrize(("state", "primary"), CASES)
def test_state_change_operations(keybox_cli, tmp_path: Path, state: str, primary: bool,
                                 operation: str) -> None:
    cli = keybox_cli
    scene = arrange(cli, tmp_path, state, primary)
    expected_code, expected_state = TABLE[operation][state]
    log_before = audit(cli)
    words = COMMANDS[operation]
    r = cli(*words[:2], scene.key_id, *words[2:])
    assert r.code == expected_code, (r.out, r.err)
    row = key_row(cli, scene.key_id)
    assert row["state"] == expected_state
    assert row["primary"] == primary  # no state change moves the primary
    assert len(key_list(cli)) == (1 if primary else 2)  # no key appears or goes away
    log_after = audit(cli)
    if expected_code == 0:
        assert scene.key_id[:8] in r.out
        new = log_after[len(log_before):]
        assert [(e["action"], e["key_id"], e["profile"]) for e in new] == [
            (LOGGED_ACTION[operation], scene.key_id, "acme")]
    else:
        assert_names_key_and_state(r.err, scene.key_id, state)
        assert log_after == log_before  # a refused change leaves no trace
    if expected_state == PENDING:
        after = datetime.fromisoformat(row["destroy_after"])
        assert timedelta(days=6, hours=23) < after - datetime.now(UTC) <= timedelta(days=7)
    if expected_state == DESTROYED:
        assert row["destroyed_at"] is not None


@pytest.mark.parametrize(("state", "primary"), CASES)
def test_seal_via_profile(keybox_cli, tmp_path: Path, state: str, primary: bool) -> None:
    cli = keybox_cli
    scene = arrange(cli, tmp_path, state, primary)
    fresh = tmp_path / "fresh.txt"
    fresh.write_bytes(b"new data")
    r = cli("seal", "--profile", "acme", str(fresh))
    sealed = tmp_path / "fresh.txt.vault"
    if primary and state != ENABLED:
        assert r.code == 4, (r.out, r.err)
        assert_names_key_and_state(r.err, scene.key_id, state)
        assert "acme" in r.err
        assert not sealed.exists()
        assert fresh.read_bytes() == b"new data"
    else:
        assert r.code == 0, r.err
        expected = scene.key_id if primary else primary_of(cli)["key_id"]
        assert sealed_key_id(cli, sealed) == expected
        if not primary:
            assert expected != scene.key_id


@pytest.mark.parametrize(("state", "primary"), CASES)
def test_open_file_sealed_under_key(keybox_cli, tmp_path: Path, state: str,
                                    primary: bool) -> None:
    cli = keybox_cli
    scene = arrange(cli, tmp_path, state, primary)
    r = cli("open", "-o", str(scene.out), str(scene.sealed))
    if state == ENABLED:
        assert r.code == 0, r.err
        assert (scene.out / "numbers.txt").read_bytes() == CONTENT
    else:
        assert r.code == 4, (r.out, r.err)
        assert_names_key_and_state(r.err, scene.key_id, state)
        assert list(scene.out.iterdir()) == []
    v = cli("verify", str(scene.sealed))
    assert v.code == (0 if state == ENABLED else 4)
    assert key_row(cli, scene.key_id)["state"] == state  # opening changes nothing


@pytest.mark.parametrize(("state", "primary"), CASES)
def test_rotate(keybox_cli, tmp_path: Path, state: str, primary: bool) -> None:
    cli = keybox_cli
    scene = arrange(cli, tmp_path, state, primary)
    versions_before = {k["key_id"]: k["version"] for k in key_list(cli)}
    r = cli("key", "rotate", "--profile", "acme")
    assert r.code == 0, r.err
    keys = key_list(cli)
    assert len(keys) == len(versions_before) + 1
    new = primary_of(cli)
    assert new["key_id"] not in versions_before
    assert new["key_id"] in r.out
    assert new["state"] == ENABLED
    assert new["version"] == max(versions_before.values()) + 1
    old = key_row(cli, scene.key_id)
    assert (old["state"], old["primary"]) == (state, False)  # the state is kept
    entries = audit(cli)
    assert (entries[-1]["action"], entries[-1]["key_id"]) == ("key.rotate", new["key_id"])
    # The old file opens exactly when its key is enabled; a new seal uses the new key.
    opened = cli("open", "-o", str(scene.out), str(scene.sealed))
    assert opened.code == (0 if state == ENABLED else 4)
    fresh = tmp_path / "fresh.txt"
    fresh.write_bytes(b"after rotation")
    assert cli("seal", str(fresh)).code == 0
    assert sealed_key_id(cli, tmp_path / "fresh.txt.vault") == new["key_id"]


# --- rules the table cannot show ------------------------------------------------------------

def test_rotation_makes_new_primary_and_old_key_still_opens_old_files(keybox_cli,
                                                                      tmp_path: Path) -> None:
    cli = keybox_cli
    plain = tmp_path / "a.txt"
    plain.write_bytes(CONTENT)
    v1 = primary_of(cli)
    assert cli("seal", str(plain)).code == 0
    assert cli("key", "rotate", "--profile", "acme").code == 0
    assert cli("key", "rotate", "--profile", "acme").code == 0
    keys = key_list(cli, "acme")
    assert [(k["version"], k["state"], k["primary"]) for k in keys] == [
        (1, ENABLED, False), (2, ENABLED, False), (3, ENABLED, True)]
    assert keys[0]["key_id"] == v1["key_id"]
    profiles = json.loads(cli("profile", "list", "--json").out)
    assert profiles[0]["primary_key_id"] == keys[2]["key_id"]
    out = tmp_path / "out"
    out.mkdir()
    r = cli("open", "-o", str(out), str(tmp_path / "a.txt.vault"))
    assert r.code == 0, r.err
    assert (out / "a.txt").read_bytes() == CONTENT


def test_disabled_primary_blocks_sealing_until_enabled(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    plain = tmp_path / "a.txt"
    plain.write_bytes(CONTENT)
    primary = primary_of(cli)["key_id"]
    r = cli("key", "disable", primary[:10])
    assert r.code == 0, r.err
    for _ in range(2):  # stays refused, not just once
        r = cli("seal", str(plain))
        assert r.code == 4
        assert_names_key_and_state(r.err, primary, DISABLED)
        assert "enable" in r.err  # says what to do
    assert not (tmp_path / "a.txt.vault").exists()
    assert primary_of(cli)["key_id"] == primary  # still the primary, just disabled
    assert cli("key", "enable", primary).code == 0
    assert cli("seal", str(plain)).code == 0
    assert sealed_key_id(cli, tmp_path / "a.txt.vault") == primary


def test_disabled_primary_blocks_sealing_until_rotated(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    plain = tmp_path / "a.txt"
    plain.write_bytes(CONTENT)
    old = primary_of(cli)["key_id"]
    assert cli("key", "disable", old).code == 0
    assert cli("seal", str(plain)).code == 4
    assert cli("key", "rotate", "--profile", "acme").code == 0
    assert cli("seal", str(plain)).code == 0
    new = primary_of(cli)["key_id"]
    assert new != old
    assert sealed_key_id(cli, tmp_path / "a.txt.vault") == new
    assert key_row(cli, old)["state"] == DISABLED


def test_cancel_destroy_leaves_key_disabled(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    scene = arrange(cli, tmp_path, PENDING, primary=False)
    r = cli("key", "cancel-destroy", scene.key_id)
    assert r.code == 0, r.err
    assert "disabled" in r.out
    row = key_row(cli, scene.key_id)
    assert (row["state"], row["destroy_after"]) == (DISABLED, None)
    assert cli("open", "-o", str(scene.out), str(scene.sealed)).code == 4  # not usable yet
    assert cli("key", "enable", scene.key_id).code == 0
    r = cli("open", "-o", str(scene.out), str(scene.sealed))
    assert r.code == 0, r.err
    assert (scene.out / "numbers.txt").read_bytes() == CONTENT


def test_destroyed_key_keeps_tombstone_and_material_is_gone(keybox_cli, tmp_path: Path,
                                                            isolated_home: Path) -> None:
    cli = keybox_cli
    scene = arrange(cli, tmp_path, ENABLED, primary=False)
    r = cli("key", "destroy", scene.key_id, "--after", "0", "--yes")
    assert r.code == 0, r.err
    assert "destroyed" in r.out
    row = key_row(cli, scene.key_id)
    assert row["state"] == DESTROYED and row["version"] == 1 and row["profile"] == "acme"
    assert datetime.fromisoformat(row["destroyed_at"]) <= datetime.now(UTC)
    with sqlite3.connect(keybox_file(isolated_home)) as db:
        wrapped, state = db.execute("SELECT wrapped_key, state FROM profile_keys "
                                    "WHERE key_id = ?", (scene.key_id,)).fetchone()
    db.close()
    assert (wrapped, state) == (None, DESTROYED)
    for command in ("open", "verify"):
        args = [command, str(scene.sealed)]
        if command == "open":
            args[1:1] = ["-o", str(scene.out)]
        r = cli(*args)
        assert r.code == 4, (command, r.err)
        assert_names_key_and_state(r.err, scene.key_id, DESTROYED)
    assert list(scene.out.iterdir()) == []
    # The tombstone outlives later rotations, and the key cannot come back.
    assert cli("key", "rotate", "--profile", "acme").code == 0
    assert key_row(cli, scene.key_id)["state"] == DESTROYED
    assert cli("key", "enable", scene.key_id).code == 4
    assert cli("key", "cancel-destroy", scene.key_id).code == 4


def test_destroy_at_once_without_terminal_needs_yes(keybox_cli) -> None:
    cli = keybox_cli
    key_id = primary_of(cli)["key_id"]
    r = cli("key", "destroy", key_id, "--after", "0", stdin="y\n")
    assert r.code == 2
    assert "--yes" in r.err
    assert key_row(cli, key_id)["state"] == ENABLED


def test_scheduled_destruction_happens_at_next_unlock(keybox_cli, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cli = keybox_cli
    scene = arrange(cli, tmp_path, PENDING, primary=False)
    destroy_after = datetime.fromisoformat(key_row(cli, scene.key_id)["destroy_after"])

    move_clock(monkeypatch, timedelta(days=6))  # not yet due: an unlock changes nothing
    assert cli("open", "-o", str(scene.out), str(scene.sealed)).code == 4
    assert key_row(cli, scene.key_id)["state"] == PENDING
    assert cli("key", "cancel-destroy", scene.key_id).code == 0  # still cancellable
    assert cli("key", "destroy", scene.key_id, "--after", "1").code == 0

    move_clock(monkeypatch, timedelta(days=1, minutes=1))  # now past the waiting period
    assert key_row(cli, scene.key_id)["state"] == PENDING  # 'key list' does not unlock
    r = cli("open", "-o", str(scene.out), str(scene.sealed))  # unlocks, then opens
    assert r.code == 4
    assert_names_key_and_state(r.err, scene.key_id, DESTROYED)
    row = key_row(cli, scene.key_id)
    assert row["state"] == DESTROYED and row["destroy_after"] is None
    assert datetime.fromisoformat(row["destroyed_at"]) > destroy_after
    last = audit(cli)[-1]
    assert (last["action"], last["key_id"], last["profile"]) == (
        "key.destroy", scene.key_id, "acme")
    assert "waiting period" in last["details"]
    assert cli("key", "cancel-destroy", scene.key_id).code == 4  # too late


def test_scheduled_destruction_due_in_the_database(keybox_cli, tmp_path: Path,
                                                  isolated_home: Path) -> None:
    """Same rule, with time moved by editing destroy_after in the SQLite file."""
    cli = keybox_cli
    scene = arrange(cli, tmp_path, PENDING, primary=True)
    db = sqlite3.connect(keybox_file(isolated_home))
    with db:
        db.execute("UPDATE profile_keys SET destroy_after = ? WHERE key_id = ?",
                   ("2001-01-01 00:00:00.000000", scene.key_id))
    db.close()
    r = cli("key", "rotate", "--profile", "acme")  # any command that unlocks
    assert r.code == 0, r.err
    old = key_row(cli, scene.key_id)
    assert (old["state"], old["primary"]) == (DESTROYED, False)
    actions = [(e["action"], e["key_id"]) for e in audit(cli)[-2:]]
    assert actions[0] == ("key.destroy", scene.key_id)
    assert actions[1][0] == "key.rotate"


def test_overdue_primary_rotates_automatically_at_unlock(keybox_cli, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    cli = keybox_cli
    r = cli("profile", "create", "ops", "--rotate-every", "1")
    assert r.code == 0, r.err
    first = primary_of(cli, "ops")
    assert first["next_rotation"] is not None
    plain = tmp_path / "a.txt"
    plain.write_bytes(CONTENT)

    move_clock(monkeypatch, timedelta(hours=23))  # not overdue yet
    assert cli("seal", "--profile", "ops", str(plain)).code == 0
    assert [k["key_id"] for k in key_list(cli, "ops")] == [first["key_id"]]
    assert sealed_key_id(cli, tmp_path / "a.txt.vault") == first["key_id"]

    move_clock(monkeypatch, timedelta(hours=2))  # 25 h after creation: overdue
    assert [k["version"] for k in key_list(cli, "ops")] == [1]  # listing does not unlock
    assert cli("seal", "--profile", "ops", "-o", str(tmp_path / "b.vault"), str(plain)).code == 0
    keys = key_list(cli, "ops")
    assert [(k["version"], k["state"], k["primary"]) for k in keys] == [
        (1, ENABLED, False), (2, ENABLED, True)]
    second = keys[1]["key_id"]
    assert sealed_key_id(cli, tmp_path / "b.vault") == second  # rotated before sealing
    rotations = [e for e in audit(cli) if e["action"] == "key.rotate"]
    assert [(e["profile"], e["key_id"]) for e in rotations] == [("ops", second)]
    assert "automatic" in rotations[0]["actor"] + rotations[0]["details"]
    # The other profile has no period and is left alone; a second unlock rotates nothing.
    assert len(key_list(cli, "acme")) == 1
    assert cli("seal", "--profile", "ops", "-o", str(tmp_path / "c.vault"), str(plain)).code == 0
    assert len(key_list(cli, "ops")) == 2
    out = tmp_path / "out"
    out.mkdir()
    r = cli("open", "-o", str(out), str(tmp_path / "a.txt.vault"))  # old key still opens
    assert r.code == 0, r.err


def test_every_change_is_in_the_audit_log(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    v1 = primary_of(cli)["key_id"]
    plain = tmp_path / "a.txt"
    plain.write_bytes(CONTENT)
    steps = [
        (["seal", str(plain)], "seal", v1),
        (["key", "rotate", "--profile", "acme"], "key.rotate", None),
        (["key", "disable", v1], "key.disable", v1),
        (["key", "enable", v1], "key.enable", v1),
        (["key", "destroy", v1, "--after", "3"], "key.schedule_destroy", v1),
        (["key", "cancel-destroy", v1], "key.cancel_destroy", v1),
        (["key", "destroy", v1, "--after", "0", "--yes"], "key.destroy", v1),
        (["profile", "rename", "acme", "acme-corp"], "profile.rename", None),
        (["slot", "add-passphrase", "--passphrase-stdin"], "slot.add", None),
    ]
    start = datetime.now(UTC).replace(microsecond=0)
    for args, action, key_id in steps:
        before = len(audit(cli))
        r = cli(*args, stdin="another passphrase\n")
        assert r.code == 0, (args, r.err)
        new = audit(cli)[before:]
        assert [e["action"] for e in new] == [action], args
        entry = new[0]
        if key_id is not None:
            assert entry["key_id"] == key_id
        if action == "key.rotate":
            assert entry["key_id"] == primary_of(cli)["key_id"] != v1
        if action.startswith(("key.", "seal", "profile.")):
            assert entry["profile"] == ("acme-corp" if action == "profile.rename" else "acme")
        assert entry["actor"] and "@" in entry["actor"]
        assert entry["details"]
        assert entry["at"].endswith("Z")
        at = datetime.fromisoformat(entry["at"])
        assert at.utcoffset() == timedelta(0)
        assert start <= at <= datetime.now(UTC)
    entries = audit(cli)
    assert [e["action"] for e in entries[:4]] == [
        "keybox.create", "slot.add", "slot.add", "profile.create"]
    assert entries[3]["key_id"] == v1 and entries[3]["profile"] == "acme"
    # The text form shows the same entries.
    text = cli("log")
    assert text.code == 0
    assert len(text.out.strip().splitlines()) == len(entries)
    assert "key.cancel_destroy" in text.out


# --- key ids and prefixes -------------------------------------------------------------------

def test_key_id_accepted_in_full_or_as_unique_prefix(keybox_cli) -> None:
    cli = keybox_cli
    key_id = primary_of(cli)["key_id"]
    assert len(key_id) == 32 and key_id == key_id.lower()
    assert cli("key", "disable", key_id).code == 0
    assert cli("key", "enable", key_id[:4]).code == 0
    assert cli("key", "destroy", key_id[:8], "--after", "7").code == 0
    assert cli("key", "cancel-destroy", key_id[:1]).code == 0  # one key: one digit is unique
    assert key_row(cli, key_id)["state"] == DISABLED


def test_ambiguous_prefix_is_a_usage_error(keybox_cli) -> None:
    cli = keybox_cli
    # Sixteen hex digits: after at most 17 keys two share their first digit.
    while True:
        ids = [k["key_id"] for k in key_list(cli)]
        firsts = [i[0] for i in ids]
        shared = {c for c in firsts if firsts.count(c) > 1}
        if shared:
            break
        assert cli("key", "rotate", "--profile", "acme").code == 0
    digit = shared.pop()
    states = {k["key_id"]: k["state"] for k in key_list(cli)}
    for words in (["disable"], ["enable"], ["destroy", "--after", "0", "--yes"],
                  ["cancel-destroy"]):
        r = cli("key", words[0], digit, *words[1:])
        assert r.code == 2, (words, r.err)
        assert digit in r.err and "more than one" in r.err
    assert {k["key_id"]: k["state"] for k in key_list(cli)} == states


def test_unknown_key_id_is_key_not_usable(keybox_cli) -> None:
    cli = keybox_cli
    ids = [k["key_id"] for k in key_list(cli)]
    unknown = next(c for c in "0123456789abcdef" if not any(i.startswith(c) for i in ids)) * 32
    for words in (["disable"], ["enable"], ["destroy"], ["cancel-destroy"]):
        r = cli("key", words[0], unknown)
        assert r.code == 4, (words, r.err)
        assert unknown in r.err
    r = cli("key", "disable", "not-hex!")
    assert r.code == 2
