"""The keybox's authenticated state and its hash-chained audit log.

Someone who can write the keybox's database but holds no key slot must not be able to
change what it means. Two MACs under keys derived from the root key make that so:

- the *state MAC* covers every row that decides what a key may do — profiles (id, name,
  rotation period), profile keys (id, profile, version, state, primary flag, creation time
  (rotation is due by it), scheduled destruction, wrapped material), key slots (id, kind,
  label, parameters, wrapped root key) — and the generation counter every change raises;
- each audit row carries `chain = HMAC(audit key, previous chain || the row's fields)`;
  the keybox's meta row holds the newest row's id and chain under the *audit MAC*.

Unlocking verifies the state MAC and the newest audit row (so it does not grow with the
log); `keybox check` walks the whole chain. docs/KEYBOX.md gives every byte.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Hint, KeyboxTamperedError
from .schema import (
    AuditRow,
    ContactRow,
    IdentityRow,
    KeyboxMeta,
    KeySlotRow,
    ProfileKeyRow,
    ProfileRow,
)
from .timeutil import utcnow
from .wrapping import context

GENESIS = bytes(32)
"""The `previous chain` of the first audit row."""


@dataclass(frozen=True)
class IntegrityKeys:
    """The MAC keys of one keybox, derived from its root key."""

    state: bytes
    audit: bytes

    @classmethod
    def derive(cls, root: bytes | bytearray, keybox_id: str) -> IntegrityKeys:
        def one(purpose: str) -> bytes:
            return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                        info=context(purpose, keybox_id)).derive(bytes(root))

        return cls(one("state-mac"), one("audit-mac"))


def field(value: str | int | bytes | None) -> bytes:
    """One field of a MAC's input: a type byte, a 4-byte big-endian length, the bytes.

    None is b"N" with no length; int is b"I" with its decimal digits; str is b"S" with
    its UTF-8; bytes are b"B".
    """
    if value is None:
        return b"N"
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        data, tag = str(value).encode(), b"I"
    elif isinstance(value, str):
        data, tag = value.encode("utf-8"), b"S"
    else:
        data, tag = bytes(value), b"B"
    return tag + len(data).to_bytes(4, "big") + data


def when(value: datetime | None) -> str | None:
    """A timestamp as the MACs see it: ISO 8601 UTC with microseconds."""
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


# --- the authenticated state ---------------------------------------------------------------

@dataclass(frozen=True)
class StateMacs:
    """The MAC of the whole state and of each of its sections (to say what changed)."""

    whole: bytes
    profiles: bytes
    keys: bytes
    slots: bytes
    people: bytes | None = None
    """Identities and contacts (schema 3): a section only once there is one, so that a
    keybox without any keeps the MAC it had. Emptying the tables, or filling them, still
    changes the whole MAC."""

    def packed(self) -> bytes:
        return self.whole + self.profiles + self.keys + self.slots + (self.people or b"")

    @classmethod
    def unpack(cls, data: bytes) -> StateMacs:
        return cls(data[:32], data[32:64], data[64:96], data[96:128],
                   data[128:160] if len(data) >= 160 else None)


def _section(key: bytes, name: str, rows: Iterable[Sequence[str | int | bytes | None]]) -> bytes:
    mac = hmac.new(key, field(name), hashlib.sha256)
    count = 0
    update, join = mac.update, b"".join
    for row in rows:  # one update per row: the same bytes as one per field, fewer calls
        count += 1
        update(join([field(value) for value in row]))
    mac.update(field(count))
    return mac.digest()


def state_macs(s: Session, key: bytes, keybox_id: str, generation: int) -> StateMacs:
    """The MACs of the state as the database holds it now (inside `s`'s transaction)."""
    profiles = s.execute(select(ProfileRow.profile_id, ProfileRow.name, ProfileRow.rotation_days)
                         .order_by(ProfileRow.profile_id))
    keys = ((k, p, v, st, bool(pr), when(made), when(after), w)
            for k, p, v, st, pr, made, after, w in s.execute(
                select(ProfileKeyRow.key_id, ProfileKeyRow.profile_id, ProfileKeyRow.version,
                       ProfileKeyRow.state, ProfileKeyRow.is_primary, ProfileKeyRow.created_at,
                       ProfileKeyRow.destroy_after, ProfileKeyRow.wrapped_key)
                .order_by(ProfileKeyRow.key_id)))
    slots = s.execute(select(KeySlotRow.slot_id, KeySlotRow.kind, KeySlotRow.label,
                             KeySlotRow.params, KeySlotRow.wrapped_root_key)
                      .order_by(KeySlotRow.slot_id))
    p_mac = _section(key, "profiles", profiles)
    k_mac = _section(key, "profile-keys", keys)
    s_mac = _section(key, "key-slots", slots)
    people: list[tuple[str, str, str, str, str, bytes | None, str | None]] = [
        ("identity", i, n, k, r, w, when(c)) for i, n, k, r, w, c in s.execute(
        select(IdentityRow.identity_id, IdentityRow.name, IdentityRow.kind,
               IdentityRow.recipient, IdentityRow.wrapped_secret, IdentityRow.created_at)
        .order_by(IdentityRow.identity_id))]
    people += [("contact", i, n, k, r, None, when(c)) for i, n, k, r, c in s.execute(
        select(ContactRow.contact_id, ContactRow.name, ContactRow.kind, ContactRow.recipient,
               ContactRow.created_at).order_by(ContactRow.contact_id))]
    h_mac = _section(key, "people", people) if people else None
    whole = hmac.new(key, b"".join(field(v) for v in (
        "vaultapp/v1/keybox-state", keybox_id, generation, p_mac, k_mac, s_mac,
        *((h_mac,) if h_mac is not None else ()))), hashlib.sha256).digest()
    return StateMacs(whole, p_mac, k_mac, s_mac, h_mac)


def what_changed(stored: StateMacs, now: StateMacs) -> str:
    """The sections whose rows differ from the authenticated state, for the message."""
    parts = [name for name, a, b in (("profiles", stored.profiles, now.profiles),
                                     ("profile keys", stored.keys, now.keys),
                                     ("key slots", stored.slots, now.slots),
                                     ("identities and contacts", stored.people or b"",
                                      now.people or b""))
             if not hmac.compare_digest(a, b)]
    if not parts:
        return "the generation counter or the state's MAC"
    return ", ".join(parts)


# --- the audit chain ---------------------------------------------------------------------

def audit_fields(row: AuditRow) -> bytes:
    return b"".join(field(v) for v in (when(row.at), row.actor, row.action, row.profile,
                                       row.key_id, row.files, row.details))


def chain_link(key: bytes, previous: bytes, row: AuditRow) -> bytes:
    return hmac.new(key, previous + audit_fields(row), hashlib.sha256).digest()


def audit_head_mac(key: bytes, keybox_id: str, last_id: int, head: bytes) -> bytes:
    return hmac.new(key, b"".join(field(v) for v in (
        "vaultapp/v1/audit-head", keybox_id, last_id, head)), hashlib.sha256).digest()


def verify_chain(s: Session, key: bytes, start: int,
                 batch: int = 5000) -> tuple[int, int | None]:
    """Walk the audit log after row `start` (rows up to it predate the chain): (rows
    checked, id of the first broken row or None)."""
    previous = GENESIS
    checked = 0
    last = start
    while True:
        rows = s.scalars(select(AuditRow).where(AuditRow.id > last).order_by(AuditRow.id)
                         .limit(batch)).all()
        if not rows:
            return checked, None
        for row in rows:
            if row.chain is None or not hmac.compare_digest(
                    chain_link(key, previous, row), row.chain):
                return checked, row.id
            previous, last = row.chain, row.id
            checked += 1
        s.expunge_all()


# --- writing and verifying ----------------------------------------------------------------

def log(s: Session, row: AuditRow) -> None:
    """Add an audit row; the transaction's end links it into the chain, in this order."""
    s.add(row)
    s.info.setdefault("audit", []).append(row)


def seal_changes(s: Session, meta: KeyboxMeta, keys: IntegrityKeys, *, state: bool) -> None:
    """At the end of a write transaction: chain its new audit rows (before they are
    inserted: the log is append-only), then renew the generation and the state MAC."""
    pending: list[AuditRow] = s.info.pop("audit", [])
    if pending:
        previous = meta.audit_head if meta.audit_last_id > meta.audit_chain_start and \
            meta.audit_head is not None else GENESIS
        with s.no_autoflush:
            for row in pending:
                # Stamped here, under the write lock, so the log's times follow its order
                # even when another process wrote between this one's start and commit.
                row.at = utcnow()
                row.chain = chain_link(keys.audit, previous, row)
                previous = row.chain
        s.flush()
        meta.audit_last_id, meta.audit_head = pending[-1].id, previous
        meta.audit_mac = audit_head_mac(keys.audit, meta.keybox_id, meta.audit_last_id,
                                        previous)
    if state:
        meta.generation += 1
        s.flush()
        meta.state_mac = state_macs(s, keys.state, meta.keybox_id, meta.generation).packed()
    s.flush()


def verify(s: Session, meta: KeyboxMeta, keys: IntegrityKeys,
           seen: tuple[int, int]) -> tuple[int, int]:
    """At unlock: the state MAC, the newest audit row, and that neither is older than
    what this machine `seen` (generation, newest audit row id). Returns the keybox's
    (generation, newest audit row id); KeyboxTamperedError says what does not hold."""
    if meta.state_mac is None:
        raise tampered("its authenticated state was removed")
    now = state_macs(s, keys.state, meta.keybox_id, meta.generation)
    stored = StateMacs.unpack(meta.state_mac)
    if not hmac.compare_digest(now.whole, stored.whole):
        raise tampered(f"the {what_changed(stored, now)} do not match its authenticated state")
    if meta.generation < seen[0]:
        raise tampered(f"it is older (generation {meta.generation}) than the newest this "
                       f"machine saw ({seen[0]}): rolled back or replaced by an old copy")
    verify_audit_head(s, meta, keys)
    if meta.audit_last_id < seen[1]:
        raise tampered("audit rows this machine saw are gone")
    return meta.generation, meta.audit_last_id


def verify_audit_head(s: Session, meta: KeyboxMeta, keys: IntegrityKeys) -> None:
    """The newest audit row and its link to the one before (not the whole log)."""
    newest = s.scalar(select(func.max(AuditRow.id))) or 0
    head = meta.audit_head or GENESIS
    mac = audit_head_mac(keys.audit, meta.keybox_id, meta.audit_last_id, head)
    if meta.audit_mac is None or not hmac.compare_digest(mac, meta.audit_mac) or \
            newest != meta.audit_last_id:
        raise tampered("its audit log's newest rows were added, removed or edited")
    if newest <= meta.audit_chain_start:
        return
    last = s.get(AuditRow, newest)
    before = s.execute(select(AuditRow.id, AuditRow.chain).where(AuditRow.id < newest)
                       .order_by(AuditRow.id.desc()).limit(1)).first()
    previous = GENESIS
    if before is not None and before[0] > meta.audit_chain_start:
        previous = before[1] or b""
    if last is None or last.chain is None or not hmac.compare_digest(
            chain_link(keys.audit, previous, last), last.chain):
        raise tampered("its audit log's newest row was edited")


def tampered(what: str) -> KeyboxTamperedError:
    return KeyboxTamperedError(f"the keybox was changed outside vaultapp: {what}; nothing was "
                               "sealed or opened", hint=Hint.TAMPERED)
