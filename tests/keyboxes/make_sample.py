"""Make the frozen sample keybox of the first schema. Run once; keep the outputs in git.

    cd /work/main && .venv/bin/python tests/keyboxes/make_sample.py

It writes, beside this script:
  schema1-sample.sqlite  a keybox (schema revision 0001) with one passphrase slot
                         ("frozen sample", cheap Argon2id parameters stored in the slot) and
                         profile "frozen" with keys v1 (enabled, not primary), v2 (disabled)
                         and v3 (enabled, primary)
  schema1-sample.vault   a file sealed under v1 with known content
  schema1-sample.json    what tests/unit/core/keybox/test_frozen_keybox.py expects to find in them

The sample is frozen: it stands for keyboxes written by vaultapp 0.1.0 that every later
vaultapp must still open (migrating the schema as needed). Never regenerate it to make a
test pass; this script refuses to overwrite its outputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from vaultapp import __version__  # noqa: E402
from vaultapp.core import fileops  # noqa: E402
from vaultapp.core.keybox import Keybox  # noqa: E402
from vaultapp.core.keybox.slots import KdfParams  # noqa: E402
from vaultapp.core.keybox.store import current_revision  # noqa: E402

SQLITE = HERE / "schema1-sample.sqlite"
VAULT = HERE / "schema1-sample.vault"
EXPECT = HERE / "schema1-sample.json"

PASSPHRASE = "frozen sample"
KDF = KdfParams(8192, 1, 1)
PROFILE = "frozen"
NAME = "frozen-sample.txt"
CONTENT = "Sealed under key v1 of profile 'frozen' by vaultapp 0.1.0.\nÄrger über Öl? Nein.\n"
MTIME_NS = 1_700_000_000_000_000_000


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    existing = [p.name for p in (SQLITE, VAULT, EXPECT) if p.exists()]
    if existing:
        print(f"refusing to overwrite the frozen sample ({', '.join(existing)}); it must "
              "never be regenerated", file=sys.stderr)
        return 1
    from vaultapp.core.keybox.slots import passphrase as passphrase_slots

    passphrase_slots.DEFAULT_KDF = KDF  # below the product's floor, as tests/conftest.py does
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "keybox.sqlite"
        box = Keybox.create(f"sqlite:///{db}", use_keyring=False, passphrase=PASSPHRASE,
                            kdf=KDF)
        try:
            v1 = box.create_profile(PROFILE).primary_key_id
            assert v1 is not None
            plain = work / NAME
            plain.write_bytes(CONTENT.encode("utf-8"))
            os.utime(plain, ns=(MTIME_NS, MTIME_NS))
            recipient = box.recipient(PROFILE)
            fileops.seal_file(plain, [recipient], output=work / "sample.vault")
            box.record_sealed(recipient.key_id, 1, PROFILE)
            v2 = box.rotate(PROFILE).key_id
            v3 = box.rotate(PROFILE).key_id
            box.disable(v2)
            keys = box.keys(PROFILE)
            profile = box.profile(PROFILE)
            keybox_id = box.keybox_id
            revision = current_revision(box.store.engine)
            slots = box.slots()
        finally:
            box.close()
        assert [(k.key_id, k.state, k.primary) for k in keys] == [
            (v1, "enabled", False), (v2, "disabled", False), (v3, "enabled", True)]
        # One self-contained file: fold the write-ahead log in and leave WAL mode.
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
        conn.close()
        shutil.copyfile(db, SQLITE)
        shutil.copyfile(work / "sample.vault", VAULT)
    expect = {
        "about": "Frozen sample keybox of schema 1 made by tests/keyboxes/make_sample.py; "
                 "never regenerate it",
        "made_by_vaultapp": __version__,
        "schema_revision": revision,
        "keybox_id": keybox_id,
        "passphrase": PASSPHRASE,
        "kdf": {"memory_kib": KDF.memory_kib, "iterations": KDF.iterations,
                "lanes": KDF.lanes},
        "slots": [{"slot_id": s.slot_id, "kind": s.kind, "label": s.label} for s in slots],
        "profile": {"name": profile.name, "profile_id": profile.profile_id,
                    "primary_key_id": profile.primary_key_id},
        "keys": [{"key_id": k.key_id, "version": k.version, "state": k.state,
                  "primary": k.primary} for k in keys],
        "sealed_file": {"file": VAULT.name, "key_id": v1, "name": NAME, "content": CONTENT,
                        "size": len(CONTENT.encode("utf-8")), "mtime_ns": MTIME_NS},
        "sha256": {SQLITE.name: sha256(SQLITE), VAULT.name: sha256(VAULT)},
    }
    EXPECT.write_text(json.dumps(expect, indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    print(f"wrote {SQLITE.name}, {VAULT.name} and {EXPECT.name} in {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
