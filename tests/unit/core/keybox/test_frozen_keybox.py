"""A keybox written by vaultapp 0.1.0 (schema 1) must keep opening with the current code.

tests/keyboxes/schema1-sample.* were made once by tests/keyboxes/make_sample.py and are
frozen: this test only ever reads them, works on a copy (so migrations run on the copy,
never on the sample) and checks first that the sample is byte-for-byte what was made.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from vaultapp.core import fileops
from vaultapp.core.errors import KeyboxLockedError
from vaultapp.core.keybox import Keybox
from vaultapp.core.keybox.schema import HEAD_REVISION
from vaultapp.core.keybox.store import current_revision

SAMPLES = ROOT / "tests" / "keyboxes"
EXPECT = json.loads((SAMPLES / "schema1-sample.json").read_text(encoding="utf-8"))
SAMPLE_DB = SAMPLES / "schema1-sample.sqlite"
SAMPLE_VAULT = SAMPLES / EXPECT["sealed_file"]["file"]


def sample_hashes() -> dict[str, str]:
    return {name: hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest()
            for name in EXPECT["sha256"]}


@pytest.fixture
def copies(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The sample keybox and sealed file, copied where they may be changed."""
    assert sample_hashes() == EXPECT["sha256"], "the frozen sample was changed"
    db = tmp_path / "copy" / "keybox.sqlite"
    db.parent.mkdir()
    shutil.copyfile(SAMPLE_DB, db)
    vault = tmp_path / "copy" / "sealed.vault"
    shutil.copyfile(SAMPLE_VAULT, vault)
    yield db, vault
    assert sample_hashes() == EXPECT["sha256"], "the test changed the frozen sample"
    # Nor did SQLite leave a journal, WAL or shared-memory file beside it.
    assert list(SAMPLES.glob(SAMPLE_DB.name + "-*")) == []


def test_sample_is_the_first_schema() -> None:
    # Read-only and immutable: SQLite writes nothing beside the sample.
    conn = sqlite3.connect(f"file:{SAMPLE_DB}?mode=ro&immutable=1", uri=True)
    try:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        (schema_version,) = conn.execute("SELECT schema_version FROM keybox_meta").fetchone()
    finally:
        conn.close()
    assert revision == EXPECT["schema_revision"] == "0001"
    assert schema_version == 1


def test_frozen_keybox_opens_with_current_code(copies: tuple[Path, Path], no_keyring,
                                               tmp_path: Path) -> None:
    db, vault = copies
    box = Keybox.open(f"sqlite:///{db}")  # migrates the copy to the current schema
    try:
        assert current_revision(box.store.engine) == HEAD_REVISION
        assert box.keybox_id == EXPECT["keybox_id"]
        assert [{"slot_id": s.slot_id, "kind": s.kind, "label": s.label}
                for s in box.slots()] == EXPECT["slots"]
        with pytest.raises(KeyboxLockedError, match="wrong passphrase"):
            box.unlock("not the frozen passphrase")
        assert box.unlock(EXPECT["passphrase"]) == "recovery passphrase"

        (profile,) = box.profiles()
        assert (profile.name, profile.profile_id, profile.primary_key_id) == (
            EXPECT["profile"]["name"], EXPECT["profile"]["profile_id"],
            EXPECT["profile"]["primary_key_id"])
        keys = [{"key_id": k.key_id, "version": k.version, "state": k.state,
                 "primary": k.primary} for k in box.keys(profile.name)]
        assert keys == EXPECT["keys"]
        assert [(k["version"], k["state"], k["primary"]) for k in keys] == [
            (1, "enabled", False), (2, "disabled", False), (3, "enabled", True)]

        sealed = EXPECT["sealed_file"]
        header = fileops.inspect_file(vault)
        assert [s.key_id.hex() for s in header.stanzas] == [sealed["key_id"]]
        out = tmp_path / "out"
        out.mkdir()
        result = fileops.open_file(vault, box, output=out)
        assert result.output == out / sealed["name"]
        assert result.output.read_text(encoding="utf-8") == sealed["content"]
        assert result.output.stat().st_size == sealed["size"]
        assert result.output.stat().st_mtime_ns == sealed["mtime_ns"]

        # The current code seals under the sample's primary key (v3).
        recipient = box.recipient(profile.name)
        assert recipient.key_id.hex() == EXPECT["profile"]["primary_key_id"]
    finally:
        box.close()


def test_frozen_keybox_through_the_command_line(copies: tuple[Path, Path], cli, no_keyring,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db, vault = copies
    monkeypatch.setenv("VAULTAPP_KEYBOX", str(db))
    keys = json.loads(cli("key", "list", "--json").out)
    assert [{k: key[k] for k in ("key_id", "version", "state", "primary")}
            for key in keys] == EXPECT["keys"]
    out = tmp_path / "out"
    out.mkdir()
    r = cli("open", "-o", str(out), str(vault))
    assert r.code == 5  # locked without the passphrase
    monkeypatch.setenv("VAULTAPP_PASSPHRASE", EXPECT["passphrase"])
    r = cli("open", "-o", str(out), str(vault))
    assert r.code == 0, r.err
    sealed = EXPECT["sealed_file"]
    assert (out / sealed["name"]).read_text(encoding="utf-8") == sealed["content"]
    # v2 is disabled: enabling it works on the migrated copy, and the log records it.
    v2 = EXPECT["keys"][1]["key_id"]
    assert cli("key", "enable", v2[:8]).code == 0
    log = json.loads(cli("log", "--json").out)
    assert (log[-1]["action"], log[-1]["key_id"]) == ("key.enable", v2)
    assert [e["action"] for e in log[:3]] == ["keybox.create", "slot.add", "profile.create"]
