"""The worked example of docs/KEYBOX.md section 12, made with vaultapp's own functions.

Fixed inputs (no randomness): one keybox with one passphrase slot, one profile and one
profile key, one audit row. `example()` returns every derived value as hex; `write(path)`
also stores the rows in an SQLite file with the product's own schema (ORM tables), so the
independent recovery reader can be run on it. Run it to print section 12's table:

    .venv/bin/python -m tests.support.keybox_example
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from vaultapp.core.keybox import integrity, wrapping
from vaultapp.core.keybox.schema import (
    AuditRow,
    Base,
    KeyboxMeta,
    KeySecretRow,
    KeySlotRow,
    ProfileKeyRow,
    ProfileRow,
)
from vaultapp.core.keybox.service import key_context
from vaultapp.core.keybox.slots.base import SlotRecord, slot_context
from vaultapp.core.keybox.slots.passphrase import KdfParams, _kdf

KEYBOX_ID = "000102030405060708090a0b0c0d0e0f"
ROOT_KEY = bytes(range(0x20, 0x40))
PROFILE_ID = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
KEY_ID = "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
KEY_SECRET = bytes(range(0x60, 0x80))
PROFILE_KEY = bytes(range(0x00, 0x20))
SLOT_ID = "c0c1c2c3c4c5c6c7"
PASSPHRASE = "correct horse battery staple"
SALT = bytes(range(0xD0, 0xE0))
KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
PROFILE_NAME = "acme"
MADE = datetime(2026, 1, 2, 3, 4, 5, 60000, tzinfo=UTC)
GENERATION = 3
ACTOR = "ana@laptop"


def _rows() -> tuple[KeyboxMeta, KeySlotRow, ProfileRow, ProfileKeyRow, KeySecretRow, AuditRow,
                     dict[str, bytes]]:
    v: dict[str, bytes] = {}
    slot = SlotRecord(SLOT_ID, "passphrase", "recovery passphrase",
                      {"kdf": "argon2id", "memory_kib": KDF.memory_kib,
                       "iterations": KDF.iterations, "lanes": KDF.lanes,
                       "salt": base64.b64encode(SALT).decode()})
    slot_ctx = slot_context(KEYBOX_ID, slot)
    slot_key = _kdf(PASSPHRASE, SALT, KDF)
    slot.wrapped_root_key = wrapping.wrap(slot_key, ROOT_KEY, slot_ctx)
    v["root-key-slot context"] = slot_ctx
    v["slot key (Argon2id)"] = slot_key
    v["wrapped_root_key"] = slot.wrapped_root_key
    v["root_key_check"] = wrapping.root_key_check(ROOT_KEY, KEYBOX_ID)
    ctx = key_context(KEYBOX_ID, PROFILE_ID, KEY_ID)
    v["profile-key context"] = ctx
    v["profile-key wrapping key (derive)"] = wrapping._derive(ROOT_KEY + KEY_SECRET, ctx)
    wrapped = wrapping.wrap(ROOT_KEY + KEY_SECRET, PROFILE_KEY, ctx)
    v["wrapped_key"] = wrapped
    keys = integrity.IntegrityKeys.derive(ROOT_KEY, KEYBOX_ID)
    v["state MAC key"] = keys.state
    v["audit MAC key"] = keys.audit
    meta = KeyboxMeta(id=1, keybox_id=KEYBOX_ID, schema_version=2,
                      root_key_check=v["root_key_check"], created_at=MADE,
                      generation=GENERATION, audit_last_id=1, audit_chain_start=0)
    slot_row = KeySlotRow(slot_id=SLOT_ID, kind=slot.kind, label=slot.label,
                          params=slot.params_json, wrapped_root_key=slot.wrapped_root_key,
                          created_at=MADE)
    profile = ProfileRow(profile_id=PROFILE_ID, name=PROFILE_NAME, rotation_days=None,
                         created_at=MADE)
    key = ProfileKeyRow(key_id=KEY_ID, profile_id=PROFILE_ID, version=1, state="enabled",
                        is_primary=True, wrapped_key=wrapped, created_at=MADE,
                        state_changed_at=MADE)
    secret = KeySecretRow(key_id=KEY_ID, secret=KEY_SECRET)
    audit = AuditRow(id=1, at=MADE, actor=ACTOR, action="keybox.create", profile=None,
                     key_id=None, files=0, details=f"keybox {KEYBOX_ID}")
    audit.chain = integrity.chain_link(keys.audit, integrity.GENESIS, audit)
    v["audit row 1 chain"] = audit.chain
    meta.audit_head = audit.chain
    meta.audit_mac = integrity.audit_head_mac(keys.audit, KEYBOX_ID, 1, audit.chain)
    v["audit_mac"] = meta.audit_mac
    return meta, slot_row, profile, key, secret, audit, v


def write(path: Path | None = None) -> dict[str, str]:
    """Store the example in an SQLite file (in memory when `path` is None) and return every
    value as hex, the state MACs computed by the product from the stored rows."""
    meta, slot_row, profile, key, secret, audit, values = _rows()
    engine = create_engine(f"sqlite:///{path}" if path else "sqlite://")
    Base.metadata.create_all(engine)
    keys = integrity.IntegrityKeys.derive(ROOT_KEY, KEYBOX_ID)
    with Session(engine) as s, s.begin():
        s.add_all([profile, slot_row])
        s.flush()
        s.add(key)
        s.flush()
        s.add_all([secret, audit])
        s.flush()
        macs = integrity.state_macs(s, keys.state, KEYBOX_ID, GENERATION)
        meta.state_mac = macs.packed()
        s.add(meta)
    engine.dispose()
    values["profiles MAC"] = macs.profiles
    values["profile-keys MAC"] = macs.keys
    values["key-slots MAC"] = macs.slots
    values["whole-state MAC"] = macs.whole
    return {name: value.hex() for name, value in values.items()}


def example() -> dict[str, str]:
    return write(None)


if __name__ == "__main__":
    print("| value | hex |\n| --- | --- |")
    for name, value in example().items():
        print(f"| {name} | `{value}` |")
