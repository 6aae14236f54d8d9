"""The key lifecycle through the command line (docs/ARCHITECTURE.md, "Key lifecycle").

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
KEY_FIELDS = {"key_id", "profile", "version", "state", "primary", "created_at"}


pytestmark = pytest.mark.usefixtures("no_disk_flush", "cached_argparse_messages")


# --- helpers --------------------------------------------------------------------------

def key_list(cli, profile: str | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    args = ["key", "list", "--json"] + (["--profile", profile] if profile else [])
    r = cli(*args)
    assert r.code == 0, r.err
    keys = json.loads(r.out)
    for k in keys:
        assert set(k) >= KEY_FIELDS, k
        assert k["state"] in STATES and k["created_at"].endswith("Z")
    return keys


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
        assert set(e) >= LOG_FIELDS, e
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
    monkeypatch.setattr(service, "utcnow", lambda current=current: current() + delta)


@dataclass
class Scene:
    """Profile `profile`, whose key `key_id` is in `state`, with a file sealed under it."""

    profile: str
    key_id: str
    state: str
    primary: bool
    folder: Path

    @property
    def sealed(self) -> Path:
        return self.folder / "numbers.txt.vault"

    @property
    def out(self) -> Path:
        return self.folder / "out"


def arrange(cli, tmp_path: Path, state: str, primary: bool) -> Scene:  # type: ignore[no-untyped-def]
    """Profile 'acme' with its first key in `state`, through the command line."""
    folder = tmp_path / "scene"
    (folder / "out").mkdir(parents=True)
    (folder / "numbers.txt").write_bytes(CONTENT)
    key_id = primary_of(cli)["key_id"]
    r = cli("seal", str(folder / "numbers.txt"))
    assert r.code == 0, r.err
    scene = Scene("acme", key_id, state, primary, folder)
    assert sealed_key_id(cli, scene.sealed) == key_id
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
    return scene


CASES = [(state, primary) for state in STATES for primary in (True, False)]


def case_name(state: str, primary: bool) -> str:
    return f"{state}-{'primary' if primary else 'older'}"


def arrange_all(cli, tmp_path: Path) -> list[Scene]:  # type: ignore[no-untyped-def]
    """One profile per case, each with a key in that state and a file sealed under it.

    Built through the keybox service for speed (the command line is what the tests
    exercise afterwards); `key list --json` then confirms every state.
    """
    from vaultapp.core import fileops
    from vaultapp.core.keybox import Keybox
    from vaultapp.core.keybox.store import resolve_url

    scenes = []
    box = Keybox.open(resolve_url(None))
    try:
        box.unlock()
        for state, primary in CASES:
            name = case_name(state, primary)
            folder = tmp_path / name
            (folder / "out").mkdir(parents=True)
            (folder / "numbers.txt").write_bytes(CONTENT)
            key_id = box.create_profile(name).primary_key_id
            assert key_id is not None
            sealed = fileops.seal_file(folder / "numbers.txt", [box.recipient(name)])
            assert sealed.key_id is not None and sealed.key_id.hex() == key_id
            if not primary:
                box.rotate(name)
            if state == DISABLED:
                box.disable(key_id)
            elif state == PENDING:
                box.schedule_destroy(key_id, 7)
            elif state == DESTROYED:
                box.schedule_destroy(key_id, 0)
            scenes.append(Scene(name, key_id, state, primary, folder))
    finally:
        box.close()
    rows = {k["key_id"]: k for k in key_list(cli)}
    for sc in scenes:
        assert (rows[sc.key_id]["state"], rows[sc.key_id]["primary"]) == (sc.state, sc.primary)
    return scenes


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


# --- the table: each test runs one operation on a key in every state ------------------

@pytest.mark.parametrize("operation", list(TABLE))
def test_state_change_operations(keybox_cli, tmp_path: Path, operation: str) -> None:
    cli = keybox_cli
    scenes = arrange_all(cli, tmp_path)
    log_before = audit(cli)
    words = COMMANDS[operation]
    results = {sc.profile: cli(*words[:2], sc.key_id, *words[2:]) for sc in scenes}
    rows = {k["key_id"]: k for k in key_list(cli)}
    actual = {sc.profile: (results[sc.profile].code, rows[sc.key_id]["state"])
              for sc in scenes}
    expected = {sc.profile: TABLE[operation][sc.state] for sc in scenes}
    assert actual == expected
    for sc in scenes:
        r = results[sc.profile]
        row = rows[sc.key_id]
        assert row["primary"] == sc.primary  # no state change moves the primary
        assert len([k for k in rows.values() if k["profile"] == sc.profile]) == (
            1 if sc.primary else 2)  # no key appears or goes away
        if r.code == 0:
            assert sc.key_id[:8] in r.out
        else:
            assert_names_key_and_state(r.err, sc.key_id, sc.state)
        if row["state"] == PENDING:
            after = datetime.fromisoformat(row["destroy_after"])
            assert timedelta(days=6, hours=23) < after - datetime.now(UTC) <= timedelta(days=7)
        if row["state"] == DESTROYED:
            assert row["destroyed_at"] is not None
    # Each change is logged once; a refused change leaves no trace.
    new = [(e["action"], e["key_id"], e["profile"]) for e in audit(cli)[len(log_before):]]
    assert new == [(LOGGED_ACTION[operation], sc.key_id, sc.profile)
                   for sc in scenes if results[sc.profile].code == 0]


def test_seal_via_profile(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    scenes = arrange_all(cli, tmp_path)
    fresh = tmp_path / "fresh.txt"
    fresh.write_bytes(b"new data")
    results = {sc.profile: cli("seal", "--profile", sc.profile, "-o",
                               str(sc.folder / "fresh.vault"), str(fresh))
               for sc in scenes}
    assert {p: r.code for p, r in results.items()} == {
        sc.profile: 4 if sc.primary and sc.state != ENABLED else 0 for sc in scenes}
    primaries = {k["profile"]: k["key_id"] for k in key_list(cli) if k["primary"]}
    for sc in scenes:
        r, sealed = results[sc.profile], sc.folder / "fresh.vault"
        if r.code == 4:
            assert_names_key_and_state(r.err, sc.key_id, sc.state)
            assert sc.profile in r.err
            assert not sealed.exists()
        else:
            # Sealing always uses the primary: this key when it is one, else the newer key.
            assert sealed_key_id(cli, sealed) == primaries[sc.profile]
            assert (primaries[sc.profile] == sc.key_id) == sc.primary
    assert fresh.read_bytes() == b"new data"


def test_open_file_sealed_under_key(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    scenes = arrange_all(cli, tmp_path)
    results = {sc.profile: cli("open", "-o", str(sc.out), str(sc.sealed)) for sc in scenes}
    verified = {sc.profile: cli("verify", str(sc.sealed)).code for sc in scenes}
    expected = {sc.profile: 0 if sc.state == ENABLED else 4 for sc in scenes}
    assert {p: r.code for p, r in results.items()} == expected
    assert verified == expected
    for sc in scenes:
        if sc.state == ENABLED:
            assert (sc.out / "numbers.txt").read_bytes() == CONTENT
        else:
            assert_names_key_and_state(results[sc.profile].err, sc.key_id, sc.state)
            assert list(sc.out.iterdir()) == []
    rows = {k["key_id"]: k["state"] for k in key_list(cli)}
    assert all(rows[sc.key_id] == sc.state for sc in scenes)  # opening changes nothing


def test_rotate(keybox_cli, tmp_path: Path) -> None:
    cli = keybox_cli
    scenes = arrange_all(cli, tmp_path)
    before = key_list(cli)
    log_before = audit(cli)
    results = {sc.profile: cli("key", "rotate", "--profile", sc.profile) for sc in scenes}
    assert {p: r.code for p, r in results.items()} == {sc.profile: 0 for sc in scenes}
    after = key_list(cli)
    assert len(after) == len(before) + len(scenes)
    new_keys = {}
    for sc in scenes:
        old_keys = [k for k in before if k["profile"] == sc.profile]
        keys = [k for k in after if k["profile"] == sc.profile]
        new = [k for k in keys if k["primary"]]
        assert len(new) == 1
        new_keys[sc.profile] = new[0]["key_id"]
        assert new[0]["key_id"] not in {k["key_id"] for k in old_keys}
        assert new[0]["key_id"] in results[sc.profile].out
        assert new[0]["state"] == ENABLED
        assert new[0]["version"] == max(k["version"] for k in old_keys) + 1
        old = next(k for k in keys if k["key_id"] == sc.key_id)
        assert (old["state"], old["primary"]) == (sc.state, False)  # the state is kept
    new_log = [(e["action"], e["profile"], e["key_id"]) for e in audit(cli)[len(log_before):]]
    assert new_log == [("key.rotate", sc.profile, new_keys[sc.profile]) for sc in scenes]
    # The old file opens exactly when its key is enabled.
    opened = {sc.profile: cli("open", "-o", str(sc.out), str(sc.sealed)).code for sc in scenes}
    assert opened == {sc.profile: 0 if sc.state == ENABLED else 4 for sc in scenes}
    # Rotating a primary that cannot seal (disabled, pending, destroyed) lets the profile
    # seal again, under the new key.
    fresh = tmp_path / "fresh.txt"
    fresh.write_bytes(b"after rotation")
    for sc in scenes:
        if sc.primary:
            target = sc.folder / "fresh.vault"
            r = cli("seal", "--profile", sc.profile, "-o", str(target), str(fresh))
            assert r.code == 0, r.err
            assert sealed_key_id(cli, target) == new_keys[sc.profile]


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
    assert row["state"] == DESTROYED
    assert datetime.fromisoformat(row["destroyed_at"]) > destroy_after
    last = audit(cli)[-1]
    assert (last["action"], last["key_id"], last["profile"]) == (
        "key.destroy", scene.key_id, "acme")
    assert "waiting period" in last["details"]
    assert cli("key", "cancel-destroy", scene.key_id).code == 4  # too late


def test_moving_a_scheduled_destruction_in_the_database_is_refused(
        keybox_cli, tmp_path: Path, isolated_home: Path) -> None:
    """An attacker who edits destroy_after in the SQLite file (to hurry a destruction or
    cancel one) changes nothing: the next unlock finds the edit (exit 6) and neither
    destroys nor rotates anything; the key stays pending destruction."""
    cli = keybox_cli
    scene = arrange(cli, tmp_path, PENDING, primary=True)
    before = audit(cli)
    db = sqlite3.connect(keybox_file(isolated_home))
    with db:
        db.execute("UPDATE profile_keys SET destroy_after = ? WHERE key_id = ?",
                   ("2001-01-01 00:00:00.000000", scene.key_id))
    db.close()
    r = cli("key", "rotate", "--profile", "acme")  # any command that unlocks
    assert r.code == 6, r.err
    assert "changed outside vaultapp" in r.err and "profile keys" in r.err
    old = key_row(cli, scene.key_id)
    assert old["state"] == PENDING and old["primary"]
    assert audit(cli) == before


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


def test_rotation_period_must_be_at_least_a_day(keybox_cli) -> None:
    """A period below one day is a usage error (a negative one used to rotate the
    profile at every single unlock)."""
    cli = keybox_cli
    for days in ("0", "-5"):
        r = cli("profile", "create", "ops", "--rotate-every", days)
        assert r.code == 2, (days, r.err)
        assert "at least one day" in r.err
    assert [p["name"] for p in json.loads(cli("profile", "list", "--json").out)] == ["acme"]
    assert cli("profile", "create", "ops", "--rotate-every", "1").code == 0
    assert cli("profile", "set-rotation", "ops", "-1").code == 2
    for _ in range(2):  # unlocking (here: rotating acme) leaves ops alone
        assert cli("key", "rotate", "--profile", "acme").code == 0
    assert len(key_list(cli, "ops")) == 1


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
