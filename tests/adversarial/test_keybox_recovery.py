"""docs/KEYBOX.md is complete: a reader written from it alone recovers the product's keys.

`tests/support/keybox_recovery_reader.py` imports nothing from vaultapp. Here vaultapp
makes a keybox (keyring and passphrase slots; rotated, disabled, pending and destroyed
keys; files sealed under each), and the reader, given only the keybox file and the
passphrase, recovers the very key material the product hands out (`Keybox.resolve`,
`Keybox.recipient`) and opens every sealed file byte for byte; it refuses a keybox edited
with sqlite3, and a destroyed key's files stay closed. The worked example of KEYBOX.md
section 12 is checked against the product and the reader alike. The PostgreSQL case is
tests/integration/test_keybox_recovery_pg.py.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, ROOT
from tests.support import independent_reader
from tests.support import keybox_example as example
from tests.support import keybox_recovery_reader as reader
from tests.support.keybox_scenario import Scenario, build

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def made(cli, isolated_home: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
         monkeypatch: pytest.MonkeyPatch) -> Scenario:
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", PASSPHRASE)
    assert cli("init").code == 0  # an OS keyring slot and a passphrase slot
    return build(cli, (), tmp_path / "files", PASSPHRASE)


def keybox_file(home: Path) -> Path:
    return home / "keybox.sqlite"


def check_recovered(box: reader.RecoveredKeybox, scenario: Scenario) -> None:
    """The reader's keys are the product's, state for state, and open every file that a
    surviving key sealed; a destroyed key's file does not open."""
    assert box.keybox_id == scenario.keybox_id
    assert {k: v.state for k, v in box.keys.items()} == scenario.states
    for key_id, state in scenario.states.items():
        if state == "destroyed":
            assert box.keys[key_id].material is None
        else:
            assert box.keys[key_id].material == scenario.material[key_id], key_id
    opened = lost = 0
    for path, (key_id, plain) in scenario.sealed.items():
        data = path.read_bytes()
        if scenario.states[key_id] == "destroyed":
            with pytest.raises(independent_reader.NoMatchingKey):
                box.open(data)
            lost += 1
            continue
        name, size, _mtime, got = box.open(data)
        assert got == plain, path
        assert (name, size) == (path.name.removesuffix(".vault"), len(plain))
        opened += 1
    assert (opened, lost) == (len(scenario.sealed) - 1, 1)


def test_the_reader_recovers_every_key_and_opens_every_file(made: Scenario,
                                                            isolated_home: Path) -> None:
    box = reader.recover_sqlite(keybox_file(isolated_home), PASSPHRASE)
    check_recovered(box, made)
    # the keys the product still opens with and the ones it refuses are both recovered
    assert {k.state for k in box.keys.values() if k.material} == {
        "enabled", "disabled", "pending_destruction"}


def test_a_wrong_passphrase_recovers_nothing(made: Scenario, isolated_home: Path) -> None:
    with pytest.raises(reader.WrongPassphrase):
        reader.recover_sqlite(keybox_file(isolated_home), PASSPHRASE + "!")


EDITS = {
    "re-enable a disabled key": "UPDATE profile_keys SET state = 'enabled' WHERE state = "
                                "'disabled'",
    "cancel a scheduled destruction": "UPDATE profile_keys SET state = 'disabled', "
                                      "destroy_after = NULL WHERE state = "
                                      "'pending_destruction'",
    "move the primary flag": "UPDATE profile_keys SET is_primary = 0 WHERE is_primary = 1 "
                             "AND version = 3; UPDATE profile_keys SET is_primary = 1 WHERE "
                             "version = 2 AND profile_id = (SELECT profile_id FROM profiles "
                             "WHERE name = 'acme')",
    "age a key to force a rotation": "UPDATE profile_keys SET created_at = "
                                     "'2001-01-01 00:00:00.000000' WHERE is_primary = 1",
    "rename a profile": "UPDATE profiles SET name = 'mallory' WHERE name = 'acme'",
    "switch rotation off": "UPDATE profiles SET rotation_days = NULL",
    "relabel a slot": "UPDATE key_slots SET label = 'trust me' WHERE kind = 'passphrase'",
    "drop a slot": "DELETE FROM key_slots WHERE kind = 'keyring'",
    "raise the generation": "UPDATE keybox_meta SET generation = generation + 1",
    "add an audit row": "INSERT INTO audit_log (at, actor, action, files, details) VALUES "
                        "('2030-01-01 00:00:00.000000', 'x@y', 'key.enable', 0, 'forged')",
}


def test_an_edited_keybox_is_refused_by_the_readers_own_checks(
        made: Scenario, isolated_home: Path, tmp_path: Path) -> None:
    for n, (edit, statement) in enumerate(EDITS.items()):
        copy = tmp_path / f"edited-{n}.sqlite"
        shutil.copy(keybox_file(isolated_home), copy)
        conn = sqlite3.connect(copy)
        try:
            conn.executescript(statement)
            conn.commit()
        finally:
            conn.close()
        with pytest.raises(reader.Tampered):
            reader.recover_sqlite(copy, PASSPHRASE)
            pytest.fail(f"{edit}: not refused")
    # the untouched keybox still recovers
    assert reader.recover_sqlite(keybox_file(isolated_home), PASSPHRASE).keys


def test_a_destroyed_key_brought_back_from_an_old_copy_does_not_unwrap(
        made: Scenario, isolated_home: Path) -> None:
    """Its old wrapped bytes copied back from a copy made before the destruction: the
    state MAC refuses the keybox, and even past it the bytes no longer unwrap (the key's
    secret was erased), while the old copy itself, secret and all, still recovers it."""
    destroyed = next(k for k, s in made.states.items() if s == "destroyed")
    assert made.before_destroy is not None
    current = keybox_file(isolated_home)
    tables = reader.load_sqlite(current)
    assert destroyed not in {r["key_id"] for r in tables["key_secrets"]}
    row = next(r for r in tables["profile_keys"] if r["key_id"] == destroyed)
    assert row["wrapped_key"] is None
    old = reader.load_sqlite(made.before_destroy)
    old_row = next(r for r in old["profile_keys"] if r["key_id"] == destroyed)
    conn = sqlite3.connect(current)
    try:
        conn.execute("UPDATE profile_keys SET state = 'enabled', destroyed_at = NULL, "
                     "wrapped_key = ? WHERE key_id = ?", (old_row["wrapped_key"], destroyed))
        conn.commit()
    finally:
        conn.close()
    with pytest.raises(reader.Tampered):
        reader.recover_sqlite(current, PASSPHRASE)
    root = reader.recover_sqlite(made.before_destroy, PASSPHRASE).root_key
    ctx = reader.context("profile-key", made.keybox_id, str(row["profile_id"]), destroyed)
    assert isinstance(old_row["wrapped_key"], bytes)
    assert reader.unwrap(root, old_row["wrapped_key"], ctx) is None
    assert reader.recover_sqlite(made.before_destroy, PASSPHRASE).keys[destroyed].material \
        == made.material[destroyed]


# --- the worked example of KEYBOX.md section 12 ---------------------------------------------

def _doc_example() -> dict[str, str]:
    text = (ROOT / "docs" / "KEYBOX.md").read_text("utf-8")
    section = text[text.index("Outputs (hex):", text.index("## 12. Worked example")):]
    return dict(re.findall(r"^\| ([^|]+?) \| `([0-9a-f]+)` \|$", section, flags=re.M))


def test_the_worked_example_in_the_doc_is_what_the_product_computes() -> None:
    doc = _doc_example()
    assert len(doc) == 15
    assert doc == example.example()


def test_the_reader_derives_the_worked_example_from_the_doc(tmp_path: Path) -> None:
    doc = {k: bytes.fromhex(v) for k, v in _doc_example().items()}
    kb, slot = example.KEYBOX_ID, example.SLOT_ID
    params = ('{"iterations": 1, "kdf": "argon2id", "lanes": 1, "memory_kib": 8192, '
              '"salt": "0NHS09TV1tfY2drb3N3e3w=="}')
    slot_ctx = reader.context("root-key-slot", kb, slot, "passphrase")
    assert slot_ctx == doc["root-key-slot context"]
    slot_key = reader.passphrase_slot_key(params, example.PASSPHRASE)
    assert slot_key == doc["slot key (Argon2id)"]
    root = reader.unwrap(slot_key, doc["wrapped_root_key"], slot_ctx)
    assert root == bytes(range(0x20, 0x40))
    assert reader.root_key_check(root, kb) == doc["root_key_check"]
    ctx = reader.context("profile-key", kb, example.PROFILE_ID, example.KEY_ID)
    assert ctx == doc["profile-key context"]
    ikm = root + bytes(range(0x60, 0x80))
    assert reader.derive(ikm, ctx) == doc["profile-key wrapping key (derive)"]
    assert reader.unwrap(ikm, doc["wrapped_key"], ctx) == bytes(range(32))
    state_key = reader.derive(root, reader.context("state-mac", kb))
    audit_key = reader.derive(root, reader.context("audit-mac", kb))
    assert (state_key, audit_key) == (doc["state MAC key"], doc["audit MAC key"])
    made = reader.mac_time("2026-01-02 03:04:05.06")  # as pg_dump prints it
    assert made == "2026-01-02T03:04:05.060000+00:00"
    tables: reader.Tables = {
        "profiles": [{"profile_id": example.PROFILE_ID, "name": "acme", "rotation_days": None}],
        "profile_keys": [{"key_id": example.KEY_ID, "profile_id": example.PROFILE_ID,
                          "version": 1, "state": "enabled", "is_primary": 1,
                          "created_at": made, "destroy_after": None,
                          "wrapped_key": doc["wrapped_key"]}],
        "key_slots": [{"slot_id": slot, "kind": "passphrase", "label": "recovery passphrase",
                       "params": params, "wrapped_root_key": doc["wrapped_root_key"]}],
    }
    macs = reader.state_macs(tables, state_key, kb, 3)
    assert macs == b"".join(doc[k] for k in ("whole-state MAC", "profiles MAC",
                                              "profile-keys MAC", "key-slots MAC"))
    row = {"at": made, "actor": "ana@laptop", "action": "keybox.create", "profile": None,
           "key_id": None, "files": 0, "details": f"keybox {kb}"}
    chain = reader.chain_link(audit_key, reader.GENESIS, row)
    assert chain == doc["audit row 1 chain"]
    assert reader.audit_head_mac(audit_key, kb, 1, chain) == doc["audit_mac"]
    # and the example's SQLite file, as the product's schema stores it, recovers whole
    example.write(tmp_path / "example.sqlite")
    box = reader.recover_sqlite(tmp_path / "example.sqlite", example.PASSPHRASE)
    assert box.keys[example.KEY_ID].material == bytes(range(32))


@pytest.mark.parametrize(("text", "normalised"), [
    ("2026-12-01 09:54:34.926972", "2026-12-01T09:54:34.926972+00:00"),
    ("2026-12-01 09:54:34.5", "2026-12-01T09:54:34.500000+00:00"),
    ("2026-12-01 09:54:34.1234", "2026-12-01T09:54:34.123400+00:00"),
    ("2026-12-01 09:54:34", "2026-12-01T09:54:34.000000+00:00"),
])
def test_timestamps_are_normalised_as_the_doc_says(text: str, normalised: str) -> None:
    assert reader.mac_time(text) == normalised


def test_copy_fields_are_unescaped_as_the_doc_says() -> None:
    assert reader.copy_field("\\N") is None
    assert reader.copy_field("a\\tb\\nc\\\\d") == "a\tb\nc\\d"
    assert reader.copy_field("\\101\\x42") == "AB"
    assert reader.copy_field("\\\\x00ff") == "\\x00ff"


def test_the_reader_imports_nothing_from_vaultapp() -> None:
    source = (ROOT / "tests" / "support" / "keybox_recovery_reader.py").read_text("utf-8")
    assert not re.search(r"^\s*(from|import)\s+vaultapp", source, flags=re.M)
    assert "tests.support.keybox" not in source
