"""An independent recovery reader for vaultapp keyboxes, schema 2.

Written from ``docs/KEYBOX.md`` (the keybox) and ``docs/FORMAT.md`` (the sealed files,
through ``tests/support/independent_reader.py``, itself written from FORMAT.md alone),
with ``cryptography`` primitives and the standard library only; it deliberately imports
nothing from ``vaultapp``. Given a keybox — an SQLite file, or the plain-text output of
``pg_dump --no-owner`` of a PostgreSQL keybox — and the passphrase of one of its
passphrase slots, it recovers the root key (KEYBOX.md 4.1, 3.3), refuses a keybox whose
authenticated state or audit head was edited (5, 6.3), unwraps every profile key that was
not destroyed (3.4) and opens sealed files (FORMAT.md 7).

It has no pin (KEYBOX.md 7), so it cannot tell a keybox rolled back to an older copy of
itself; ``min_generation`` lets a caller who remembers a generation refuse older ones.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tests.support import independent_reader

__all__ = [
    "Damaged",
    "RecoveredKey",
    "RecoveredKeybox",
    "RecoveryError",
    "Tables",
    "Tampered",
    "WrongPassphrase",
    "load_pg_dump",
    "load_sqlite",
    "recover",
    "recover_pg_dump",
    "recover_sqlite",
]

# KEYBOX.md 3.1: the context prefix and purposes.
CONTEXT_PREFIX = b"vaultapp/v1/keybox"
ZERO_NONCE = bytes(12)
KEY_SIZE = 32
# KEYBOX.md 5.3 and 6: labels of the MAC inputs.
STATE_LABEL = "vaultapp/v1/keybox-state"
AUDIT_HEAD_LABEL = "vaultapp/v1/audit-head"
GENESIS = bytes(32)
# KEYBOX.md 4.1: bounds of the stored Argon2id parameters.
MAX_MEMORY_KIB = 1024 * 1024
MAX_ITERATIONS = 16
MAX_LANES = 16
MIN_SALT, MAX_SALT = 16, 64

# The columns this reader needs (KEYBOX.md 2.2), with their types, so that a pg_dump's text
# can be read into the same values sqlite3 returns: "text", "int", "bool", "bytes", "time".
COLUMNS: dict[str, dict[str, str]] = {
    "keybox_meta": {"id": "int", "keybox_id": "text", "schema_version": "int",
                    "root_key_check": "bytes", "generation": "int", "state_mac": "bytes",
                    "audit_last_id": "int", "audit_head": "bytes", "audit_mac": "bytes",
                    "audit_chain_start": "int"},
    "key_slots": {"slot_id": "text", "kind": "text", "label": "text", "params": "text",
                  "wrapped_root_key": "bytes", "created_at": "time"},
    "profiles": {"profile_id": "text", "name": "text", "rotation_days": "int"},
    "profile_keys": {"key_id": "text", "profile_id": "text", "version": "int", "state": "text",
                     "is_primary": "bool", "wrapped_key": "bytes", "created_at": "time",
                     "destroy_after": "time"},
    "key_secrets": {"key_id": "text", "secret": "bytes"},
    "identities": {"identity_id": "text", "name": "text", "kind": "text", "recipient": "text",
                   "wrapped_secret": "bytes", "created_at": "time"},
    "contacts": {"contact_id": "text", "name": "text", "kind": "text", "recipient": "text",
                 "created_at": "time"},
    "audit_log": {"id": "int", "at": "time", "actor": "text", "action": "text",
                  "profile": "text", "key_id": "text", "files": "int", "details": "text",
                  "chain": "bytes"},
}

OPTIONAL = {"identities", "contacts"}
"""Tables of schema 3 (KEYBOX.md 2.2): absent from older keyboxes, read as empty."""

Value = str | int | bytes | None
Row = dict[str, Value]
Tables = dict[str, list[Row]]


class RecoveryError(Exception):
    """Base class of this reader's errors."""


class WrongPassphrase(RecoveryError):
    """No passphrase slot unwraps with the passphrase given."""


class Tampered(RecoveryError):
    """The root-key check, the state MAC or the audit head does not verify."""


class Damaged(RecoveryError):
    """The keybox lacks what KEYBOX.md says it holds (no meta row, no passphrase slot…)."""


# --- KEYBOX.md 5.2: timestamps as the MACs see them -----------------------------------------

_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?")


def mac_time(text: str) -> str:
    """`YYYY-MM-DD HH:MM:SS[.f{1,6}]` (SQLite text, pg_dump text) as the MAC text
    `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` (fraction padded on the right to six digits)."""
    found = _TIME.fullmatch(text.strip())
    if found is None:
        raise Damaged(f"not a keybox timestamp: {text[:40]!r}")
    day, clock, fraction = found.groups()
    return f"{day}T{clock}.{(fraction or '').ljust(6, '0')}+00:00"


# --- reading the tables ------------------------------------------------------------------------

def _typed(kind: str, value: object) -> Value:
    """A value read by sqlite3 as this reader uses it (timestamps become MAC text)."""
    if value is None:
        return None
    if kind == "bytes":
        if not isinstance(value, bytes):
            raise Damaged("a binary column holds no blob")
        return value
    if kind in ("int", "bool"):
        if not isinstance(value, int):
            raise Damaged("an integer column holds no integer")
        return int(value)
    if kind == "time":
        return mac_time(str(value))
    return str(value)


def load_sqlite(path: Path | str) -> Tables:
    """The tables of an SQLite keybox file, read on a read-only connection."""
    conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        tables: Tables = {}
        for table, columns in COLUMNS.items():
            names = list(columns)
            try:
                rows = conn.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
            except sqlite3.OperationalError:
                if table not in OPTIONAL:
                    raise
                rows = []
            tables[table] = [{n: _typed(columns[n], v) for n, v in zip(names, row, strict=True)}
                             for row in rows]
        return tables
    finally:
        conn.close()


_COPY = re.compile(r"COPY (?:\w+\.)?\"?(\w+)\"? \(([^)]*)\) FROM stdin;")
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def copy_field(text: str) -> str | None:
    """One field of a COPY text line: `\\N` is NULL; otherwise COPY's backslash escapes
    undone (KEYBOX.md 2.4)."""
    if text == "\\N":
        return None
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\" or i + 1 == len(text):
            out += ch.encode("utf-8")
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in _ESCAPES:
            out += _ESCAPES[nxt].encode()
            i += 2
        elif nxt in "01234567":
            digits = re.match(r"[0-7]{1,3}", text[i + 1:i + 4])
            assert digits is not None
            out.append(int(digits.group(), 8) & 0xFF)
            i += 1 + len(digits.group())
        elif nxt == "x" and re.match(r"[0-9a-fA-F]", text[i + 2:i + 3]):
            digits = re.match(r"[0-9a-fA-F]{1,2}", text[i + 2:i + 4])
            assert digits is not None
            out.append(int(digits.group(), 16))
            i += 2 + len(digits.group())
        else:
            out += nxt.encode("utf-8")
            i += 2
    return out.decode("utf-8")


def _bytea(text: str) -> bytes:
    """A bytea value's text: `\\x` and hex (bytea_output = hex), else the escape format."""
    if text.startswith("\\x"):
        return bytes.fromhex(text[2:])
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1:i + 2] == "\\":
            out.append(0x5C)
            i += 2
        elif text[i] == "\\" and re.fullmatch(r"[0-7]{3}", text[i + 1:i + 4]):
            out.append(int(text[i + 1:i + 4], 8))
            i += 4
        else:
            out += text[i].encode("utf-8")
            i += 1
    return bytes(out)


def _from_dump(kind: str, text: str | None) -> Value:
    if text is None:
        return None
    if kind == "bytes":
        return _bytea(text)
    if kind == "int":
        return int(text)
    if kind == "bool":
        if text not in ("t", "f"):
            raise Damaged(f"not a boolean: {text!r}")
        return 1 if text == "t" else 0
    if kind == "time":
        return mac_time(text)
    return text


def load_pg_dump(dump: str) -> Tables:
    """The tables of a `pg_dump --no-owner` plain-text dump (its COPY blocks)."""
    tables: Tables = {t: [] for t in COLUMNS}
    seen: set[str] = set()
    lines = iter(dump.split("\n"))
    for line in lines:
        found = _COPY.fullmatch(line.strip())
        if found is None:
            continue
        table = found.group(1)
        names = [n.strip().strip('"') for n in found.group(2).split(",")]
        wanted = COLUMNS.get(table)
        for row_line in lines:
            if row_line == "\\.":
                break
            if wanted is None:
                continue
            values = row_line.split("\t")
            if len(values) != len(names):
                raise Damaged(f"a row of {table} has {len(values)} fields, not {len(names)}")
            raw = dict(zip(names, (copy_field(v) for v in values), strict=True))
            tables[table].append({n: _from_dump(k, raw.get(n)) for n, k in wanted.items()})
        else:
            raise Damaged(f"the COPY block of {table} does not end")
        seen.add(table)
    missing = set(COLUMNS) - seen - OPTIONAL
    if missing:
        raise Damaged(f"the dump has no rows block for {', '.join(sorted(missing))}")
    return tables


# --- KEYBOX.md 3: contexts, derive, unwrap ------------------------------------------------------

def context(purpose: str, *parts: str) -> bytes:
    out = bytearray(CONTEXT_PREFIX)
    for part in (purpose, *parts):
        data = part.encode("utf-8")
        out += len(data).to_bytes(2, "big") + data
    return bytes(out)


def derive(key: bytes, ctx: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=None, info=ctx).derive(key)


def unwrap(key: bytes, wrapped: bytes, ctx: bytes) -> bytes | None:
    try:
        return AESGCM(derive(key, ctx)).decrypt(ZERO_NONCE, wrapped, ctx)
    except InvalidTag:
        return None


def root_key_check(root: bytes, keybox_id: str) -> bytes:
    return derive(root, context("root-key-check", keybox_id))


def passphrase_slot_key(params_text: str, passphrase: str) -> bytes:
    """KEYBOX.md 4.1: the slot key, after checking the stored parameters."""
    try:
        params = json.loads(params_text)
        if not isinstance(params, dict) or params.get("kdf") != "argon2id":
            raise ValueError
        # KEYBOX.md 4.1: each read as an integer the way Python's int() reads a JSON
        # number or a decimal string (a float is truncated; null reads as 0)
        memory, iterations, lanes = (int(params[k] or 0)
                                     for k in ("memory_kib", "iterations", "lanes"))
        salt = base64.b64decode(str(params["salt"]), validate=True)
    except (ValueError, KeyError, TypeError, OverflowError):
        raise Damaged("a passphrase slot's parameters are damaged") from None
    if not (MIN_SALT <= len(salt) <= MAX_SALT and 8 * lanes <= memory <= MAX_MEMORY_KIB
            and 1 <= iterations <= MAX_ITERATIONS and 1 <= lanes <= MAX_LANES):
        raise Damaged("a passphrase slot asks for out-of-bounds parameters")
    return Argon2id(salt=salt, length=KEY_SIZE, iterations=iterations, lanes=lanes,
                    memory_cost=memory).derive(passphrase.encode("utf-8"))


# --- KEYBOX.md 5 and 6: fields, section MACs, the audit head ---------------------------------

def mac_field(value: Value | bool) -> bytes:
    if value is None:
        return b"N"
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        tag, data = b"I", str(value).encode("ascii")
    elif isinstance(value, str):
        tag, data = b"S", value.encode("utf-8")
    else:
        tag, data = b"B", bytes(value)
    return tag + len(data).to_bytes(4, "big") + data


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def section_mac(key: bytes, name: str, rows: Iterable[Sequence[Value]]) -> bytes:
    mac = hmac.new(key, mac_field(name), hashlib.sha256)
    count = 0
    for row in rows:
        count += 1
        for value in row:
            mac.update(mac_field(value))
    mac.update(mac_field(count))
    return mac.digest()


def _by(rows: list[Row], column: str) -> list[Row]:
    return sorted(rows, key=lambda r: str(r[column]).encode("utf-8"))


def state_macs(tables: Tables, key: bytes, keybox_id: str, generation: int) -> bytes:
    """`whole || profiles || profile-keys || key-slots` (128 bytes), then `|| people` when
    the keybox has identities or contacts (KEYBOX.md 5.3)."""
    profiles = section_mac(key, "profiles", (
        (r["profile_id"], r["name"], r["rotation_days"])
        for r in _by(tables["profiles"], "profile_id")))
    keys = section_mac(key, "profile-keys", (
        (r["key_id"], r["profile_id"], r["version"], r["state"], 1 if r["is_primary"] else 0,
         r["created_at"], r["destroy_after"], r["wrapped_key"])
        for r in _by(tables["profile_keys"], "key_id")))
    slots = section_mac(key, "key-slots", (
        (r["slot_id"], r["kind"], r["label"], r["params"], r["wrapped_root_key"])
        for r in _by(tables["key_slots"], "slot_id")))
    people_rows = [("identity", r["identity_id"], r["name"], r["kind"], r["recipient"],
                    r["wrapped_secret"], r["created_at"])
                   for r in _by(tables.get("identities", []), "identity_id")]
    people_rows += [("contact", r["contact_id"], r["name"], r["kind"], r["recipient"], None,
                     r["created_at"]) for r in _by(tables.get("contacts", []), "contact_id")]
    people = section_mac(key, "people", people_rows) if people_rows else b""
    whole = _hmac(key, b"".join(mac_field(v) for v in (
        STATE_LABEL, keybox_id, generation, profiles, keys, slots,
        *((people,) if people else ()))))
    return whole + profiles + keys + slots + people


def chain_link(key: bytes, previous: bytes, row: Row) -> bytes:
    return _hmac(key, previous + b"".join(mac_field(row[c]) for c in (
        "at", "actor", "action", "profile", "key_id", "files", "details")))


def audit_head_mac(key: bytes, keybox_id: str, last_id: int, head: bytes) -> bytes:
    return _hmac(key, b"".join(mac_field(v) for v in (AUDIT_HEAD_LABEL, keybox_id, last_id,
                                                       head)))


def verify_audit_head(tables: Tables, key: bytes, meta: Row) -> None:
    """KEYBOX.md 6.3: the head MAC, the newest id, the newest row's link."""
    keybox_id, last_id = str(meta["keybox_id"]), int(meta["audit_last_id"] or 0)
    start = int(meta["audit_chain_start"] or 0)
    head = meta["audit_head"] if isinstance(meta["audit_head"], bytes) else GENESIS
    stored = meta["audit_mac"]
    rows = sorted(tables["audit_log"], key=lambda r: int(r["id"] or 0))
    newest = int(rows[-1]["id"] or 0) if rows else 0
    if not isinstance(stored, bytes) or newest != last_id or not hmac.compare_digest(
            audit_head_mac(key, keybox_id, last_id, head), stored):
        raise Tampered("the audit log's newest rows were added, removed or edited")
    if newest <= start:
        return
    previous = GENESIS
    if len(rows) > 1 and int(rows[-2]["id"] or 0) > start:
        chain = rows[-2]["chain"]
        previous = chain if isinstance(chain, bytes) else b""
    chain = rows[-1]["chain"]
    if not isinstance(chain, bytes) or not hmac.compare_digest(
            chain_link(key, previous, rows[-1]), chain):
        raise Tampered("the audit log's newest row was edited")


# --- recovery (KEYBOX.md 11) ---------------------------------------------------------------------

@dataclass(frozen=True)
class RecoveredKey:
    key_id: str
    profile_id: str
    profile: str
    version: int
    state: str
    primary: bool
    material: bytes | None  # None: destroyed

    @property
    def ids(self) -> tuple[bytes, bytes]:
        return bytes.fromhex(self.profile_id), bytes.fromhex(self.key_id)


@dataclass
class RecoveredKeybox:
    keybox_id: str
    generation: int
    root_key: bytes
    keys: dict[str, RecoveredKey] = field(default_factory=dict)

    def triples(self) -> list[tuple[bytes, bytes, bytes]]:
        """(profile_id, key_id, key) of every key with material (FORMAT.md's reader)."""
        return [(*k.ids, k.material) for k in self.keys.values() if k.material is not None]

    def open(self, sealed: bytes) -> tuple[str, int, int, bytes]:
        """Open a sealed file under any recovered key, whatever its state: (name, size,
        mtime_ns, plaintext). Raises independent_reader.NoMatchingKey for a file whose
        keys were all destroyed (or belong to another keybox)."""
        return independent_reader.open_sealed(sealed, self.triples())


def recover(tables: Tables, passphrase: str, *, min_generation: int = 0) -> RecoveredKeybox:
    metas = tables["keybox_meta"]
    if len(metas) != 1:
        raise Damaged(f"keybox_meta has {len(metas)} rows, not 1")
    meta = metas[0]
    keybox_id = str(meta["keybox_id"])
    check = meta["root_key_check"]
    if not isinstance(check, bytes):
        raise Damaged("no root-key check value")
    slots = [s for s in sorted(tables["key_slots"], key=lambda s: str(s["created_at"]))
             if s["kind"] == "passphrase"]
    if not slots:
        raise Damaged("the keybox has no passphrase slot")
    root = None
    damaged = 0
    for slot in slots:  # KEYBOX.md 4.1: a damaged slot fails, the next one is tried
        wrapped = slot["wrapped_root_key"]
        try:
            if not isinstance(wrapped, bytes):
                raise Damaged("a passphrase slot has no wrapped root key")
            slot_key = passphrase_slot_key(str(slot["params"]), passphrase)
        except Damaged:
            damaged += 1
            continue
        root = unwrap(slot_key, wrapped, context("root-key-slot", keybox_id,
                                                 str(slot["slot_id"]), "passphrase"))
        if root is not None:
            break
    if root is None:
        if damaged == len(slots):
            raise Damaged("every passphrase slot is damaged")
        raise WrongPassphrase("no passphrase slot unwraps with this passphrase")
    if not hmac.compare_digest(root_key_check(root, keybox_id), check):
        raise Tampered("the slot yields a key that fails the root-key check")
    state_key = derive(root, context("state-mac", keybox_id))
    audit_key = derive(root, context("audit-mac", keybox_id))
    generation = int(meta["generation"] or 0)
    stored = meta["state_mac"]
    now = state_macs(tables, state_key, keybox_id, generation)
    if not isinstance(stored, bytes) or not hmac.compare_digest(now[:32], stored[:32]):
        raise Tampered("the keybox's rows do not match its authenticated state")
    if generation < min_generation:
        raise Tampered(f"generation {generation} is older than {min_generation}")
    verify_audit_head(tables, audit_key, meta)
    names = {str(p["profile_id"]): str(p["name"]) for p in tables["profiles"]}
    secrets = {str(s["key_id"]): s["secret"] for s in tables["key_secrets"]}
    box = RecoveredKeybox(keybox_id, generation, root)
    for row in tables["profile_keys"]:
        key_id, profile_id = str(row["key_id"]), str(row["profile_id"])
        material = None
        wrapped = row["wrapped_key"]
        if row["state"] != "destroyed" and isinstance(wrapped, bytes):
            secret = secrets.get(key_id)
            ikm = root + (secret if isinstance(secret, bytes) else b"")
            material = unwrap(ikm, wrapped, context("profile-key", keybox_id, profile_id,
                                                    key_id))
            if material is None:
                raise Tampered(f"key {key_id[:8]} does not unwrap")
        box.keys[key_id] = RecoveredKey(key_id, profile_id, names.get(profile_id, ""),
                                        int(row["version"] or 0), str(row["state"]),
                                        bool(row["is_primary"]), material)
    return box


def recover_sqlite(path: Path | str, passphrase: str, **kw: int) -> RecoveredKeybox:
    return recover(load_sqlite(path), passphrase, **kw)


def recover_pg_dump(dump: str, passphrase: str, **kw: int) -> RecoveredKeybox:
    return recover(load_pg_dump(dump), passphrase, **kw)
