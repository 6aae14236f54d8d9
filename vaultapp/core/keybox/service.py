"""The keybox service: the one place that owns key lifecycle rules and the audit log.

A `Keybox` is opened locked. `unlock()` recovers the root key through any one key slot;
from then on it resolves profile keys for opening files (it is the envelope's
KeyResolver), hands out the primary key of a profile for sealing, and carries out
lifecycle changes, each in one database transaction that also writes the audit log.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..envelope import Recipient
from ..errors import KeyUnusableError, UsageError, VaultError
from ..format import Stanza
from ..hygiene import disable_core_dumps
from . import db
from .access import (
    AskPassphrase,
    KeyAccess,
    actor,
    key_context,
    no_profile_error,
    sealed_details,
    state_error,
)
from .models import (
    DEFAULT_DESTROY_AFTER_DAYS,
    DESTROYED,
    DISABLED,
    ENABLED,
    PENDING_DESTRUCTION,
    AuditEntry,
    KeyInfo,
    ProfileInfo,
    SlotInfo,
)
from .schema import SCHEMA_VERSION, AuditRow, KeyboxMeta, KeySlotRow, ProfileKeyRow, ProfileRow
from .slots import KdfParams, KeyringSlot, PassphraseSlot, SlotFailure, SlotRecord, parse_params
from .timeutil import utcnow
from .wrapping import root_key_check, wrap

__all__ = ["AskPassphrase", "Keybox", "actor"]


class Keybox(KeyAccess):
    """One keybox (SQLite file or PostgreSQL database) and, once unlocked, its root key."""

    def __init__(self, url: str, engine: Engine) -> None:
        super().__init__()
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(db.for_writing(engine), expire_on_commit=False)
        with self._session() as s:
            meta = s.get(KeyboxMeta, 1)
        if meta is None:
            raise VaultError(f"{self.location} is not an initialised keybox; run 'vaultapp init'")
        self.keybox_id = meta.keybox_id
        self._check = meta.root_key_check

    # --- opening, creating, locking ----------------------------------------------------

    @property
    def location(self) -> str:
        return db.describe_location(self.url)

    @classmethod
    def exists(cls, url: str) -> bool:
        path = db.sqlite_path(url)
        if path is not None:
            return path.exists() and path.stat().st_size > 0
        engine = db.make_engine(url)
        try:
            if db.current_revision(engine) is None:
                return False
            # A schema with no rows at all (an init that failed after its migration was
            # committed) is not a keybox yet: 'init' may complete it instead of refusing.
            with engine.connect() as conn:
                return any(conn.execute(select(t).limit(1)).first() is not None for t in
                           (KeyboxMeta.__table__, KeySlotRow.__table__, ProfileRow.__table__,
                            AuditRow.__table__))
        except DatabaseError as exc:
            raise db.database_error(exc, url) from None
        finally:
            engine.dispose()

    @classmethod
    def open(cls, url: str) -> Keybox:
        """Open an existing keybox (migrating its schema if it is older); it starts locked."""
        path = db.sqlite_path(url)
        if path is not None and not path.exists():
            raise VaultError(
                f"there is no keybox at {path}; create one with 'vaultapp init' "
                "(or point --keybox / VAULTAPP_KEYBOX at an existing one)"
            )
        engine = db.make_engine(url)
        try:
            db.migrate(engine)
            return cls(url, engine)
        except DatabaseError as exc:
            engine.dispose()
            raise db.database_error(exc, url) from None

    @classmethod
    def create(
        cls,
        url: str,
        *,
        use_keyring: bool = True,
        passphrase: str | None = None,
        kdf: KdfParams | None = None,
    ) -> Keybox:
        """Create a keybox with a fresh root key; it is returned unlocked."""
        if not use_keyring and not passphrase:
            raise UsageError("a keybox without the OS keyring needs a passphrase slot")
        path = db.sqlite_path(url)
        if cls.exists(url):
            raise VaultError(f"a keybox already exists at {db.describe_location(url)}")
        keybox_id = secrets.token_hex(16)
        root = bytearray(os.urandom(32))
        slots: list[SlotRecord] = []
        if use_keyring:
            try:
                slots.append(KeyringSlot.create(keybox_id, root))
            except SlotFailure as exc:
                raise VaultError(str(exc)) from None
        if passphrase:
            slots.append(PassphraseSlot.create(keybox_id, root, passphrase, kdf))
        build_url, temp = url, None
        if path is not None:
            # Build the SQLite keybox in a temporary file and link it into place only when
            # complete: a crash mid-init never leaves a half-made keybox under the name.
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temp = path.with_name(f".vaultapp-{secrets.token_hex(8)}.tmp")
            db.prepare_sqlite_file(temp)
            build_url = f"sqlite:///{temp}"
        engine = db.make_engine(build_url)
        try:
            db.migrate(engine)
            now = utcnow()
            with Session(db.for_writing(engine)) as s, s.begin():
                s.add(KeyboxMeta(id=1, keybox_id=keybox_id, schema_version=SCHEMA_VERSION,
                                 root_key_check=root_key_check(root, keybox_id),
                                 created_at=now))
                for slot in slots:
                    s.add(_slot_row(slot, now))
                s.add(_audit(now, "keybox.create", details=f"keybox {keybox_id}"))
                for slot in slots:
                    s.add(_audit(now, "slot.add", details=f"{slot.kind} slot {slot.slot_id}"))
            if path is not None and temp is not None:
                engine.dispose()  # the last connection checkpoints and removes the WAL
                db.publish_sqlite_file(temp, path)
                engine = db.make_engine(url)
        except BaseException:
            engine.dispose()
            for slot in slots:
                if slot.kind == "keyring":
                    KeyringSlot.forget(keybox_id, slot)
            if temp is not None:
                for leftover in (temp, temp.with_name(temp.name + "-wal"),
                                 temp.with_name(temp.name + "-shm")):
                    leftover.unlink(missing_ok=True)
            raise
        box = cls(url, engine)
        disable_core_dumps()
        box._root = root
        return box

    def close(self) -> None:
        self.lock()
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with self._sessions() as s:
                yield s
        except DatabaseError as exc:
            raise db.database_error(exc, self.url) from None

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE on SQLite: writers queue, never deadlock)."""
        try:
            with self._write_sessions() as s, s.begin():
                yield s
        except DatabaseError as exc:
            raise db.database_error(exc, self.url) from None

    # --- profiles ---------------------------------------------------------------------

    def create_profile(self, name: str, rotation_days: int | None = None) -> ProfileInfo:
        name = _check_name(name)
        if rotation_days is not None and rotation_days < 1:
            raise UsageError("the rotation period must be at least one day")
        root = self.require_root()
        now = utcnow()
        profile_id = secrets.token_hex(16)
        try:
            with self._transaction() as s:
                if s.scalar(select(ProfileRow).where(ProfileRow.name == name)) is not None:
                    raise VaultError(f"a profile named {name!r} already exists")
                s.add(ProfileRow(profile_id=profile_id, name=name, rotation_days=rotation_days,
                                 created_at=now))
                s.flush()
                key = self._new_key(s, root, profile_id, 1, now)
                s.add(_audit(now, "profile.create", name, key.key_id,
                             details="first key version 1"))
        except IntegrityError:
            raise VaultError(f"a profile named {name!r} already exists") from None
        return self.profile(name)

    def rename_profile(self, old: str, new: str) -> ProfileInfo:
        new = _check_name(new)
        try:
            with self._transaction() as s:
                row = self._profile_row(s, old, lock=True)
                if s.scalar(select(ProfileRow).where(ProfileRow.name == new)) is not None:
                    raise VaultError(f"a profile named {new!r} already exists")
                row.name = new
                s.add(_audit(utcnow(), "profile.rename", new, details=f"renamed from {old!r}"))
        except IntegrityError:
            raise VaultError(f"a profile named {new!r} already exists") from None
        return self.profile(new)

    def set_rotation(self, name: str, days: int | None) -> ProfileInfo:
        if days is not None and days < 1:
            raise UsageError("the rotation period must be at least one day")
        with self._transaction() as s:
            row = self._profile_row(s, name, lock=True)
            row.rotation_days = days
            s.add(_audit(utcnow(), "profile.rotation", name,
                         details=f"every {days} days" if days else "automatic rotation off"))
        return self.profile(name)

    def profiles(self) -> list[ProfileInfo]:
        with self._session() as s:
            rows = s.scalars(select(ProfileRow).order_by(ProfileRow.name)).all()
            primaries = dict(
                s.execute(select(ProfileKeyRow.profile_id, ProfileKeyRow.key_id)
                          .where(ProfileKeyRow.is_primary)).all()
            )
        return [ProfileInfo(r.name, r.profile_id, primaries.get(r.profile_id), r.rotation_days,
                            r.created_at) for r in rows]

    def profile(self, name: str) -> ProfileInfo:
        for p in self.profiles():
            if p.name == name:
                return p
        raise no_profile_error(name)

    def _profile_names(self) -> list[str]:
        return [p.name for p in self.profiles()]

    def _profile_row(self, s: Session, name: str, lock: bool = False) -> ProfileRow:
        query = select(ProfileRow).where(ProfileRow.name == name)
        if lock:
            query = query.with_for_update()
        row = s.scalar(query)
        if row is None:
            raise no_profile_error(name)
        return row

    # --- keys ---------------------------------------------------------------------------

    def _new_key(self, s: Session, root: bytearray, profile_id: str, version: int,
                 now: datetime) -> ProfileKeyRow:
        key_id = secrets.token_hex(16)
        material = os.urandom(32)
        row = ProfileKeyRow(
            key_id=key_id, profile_id=profile_id, version=version, state=ENABLED,
            is_primary=True,
            wrapped_key=wrap(root, material, key_context(self.keybox_id, profile_id, key_id)),
            created_at=now, state_changed_at=now,
        )
        s.add(row)
        s.flush()
        return row

    def keys(self, profile: str | None = None) -> list[KeyInfo]:
        with self._session() as s:
            query = (select(ProfileKeyRow, ProfileRow)
                     .join(ProfileRow, ProfileRow.profile_id == ProfileKeyRow.profile_id))
            if profile is not None:
                query = query.where(ProfileRow.name == self._profile_row(s, profile).name)
            rows = s.execute(query.order_by(ProfileRow.name, ProfileKeyRow.version)).all()
            counts = self._sealed_counts(s, [k.key_id for k, _ in rows] if profile else None)
        return [_key_info(k, p, counts.get(k.key_id, 0)) for k, p in rows]

    def _sealed_counts(self, s: Session, key_ids: list[str] | None) -> dict[str, int]:
        query = (select(AuditRow.key_id, func.sum(AuditRow.files))
                 .where(AuditRow.action.in_(("seal", "rewrap"))).group_by(AuditRow.key_id))
        if key_ids is not None:
            query = query.where(AuditRow.key_id.in_(key_ids))
        return {k: int(n or 0) for k, n in s.execute(query).all() if k}

    def key(self, key_id_or_prefix: str) -> KeyInfo:
        with self._session() as s:
            row = self._key_row(s, key_id_or_prefix)
            profile = s.get(ProfileRow, row.profile_id)
            assert profile is not None
            counts = self._sealed_counts(s, [row.key_id])
        return _key_info(row, profile, counts.get(row.key_id, 0))

    def _key_row(self, s: Session, prefix: str, lock: bool = False) -> ProfileKeyRow:
        prefix = prefix.strip().lower()
        if not prefix or any(c not in "0123456789abcdef" for c in prefix):
            raise UsageError(f"{prefix!r} is not a key id (lowercase hex, as 'key list' prints)")
        query = select(ProfileKeyRow).where(ProfileKeyRow.key_id.startswith(prefix)).limit(2)
        if lock:
            query = query.with_for_update()
        rows = s.scalars(query).all()
        if not rows:
            raise KeyUnusableError(f"no key in this keybox has an id starting with {prefix!r}")
        if len(rows) > 1:
            raise UsageError(f"more than one key id starts with {prefix!r}; give more digits")
        return rows[0]

    def rotate(self, profile: str, by: str | None = None) -> KeyInfo:
        """Create a new primary key; the old one stays enabled for opening."""
        root = self.require_root()
        now = utcnow()
        with self._transaction() as s:
            prow = self._profile_row(s, profile, lock=True)
            version = (s.scalar(select(func.max(ProfileKeyRow.version))
                                .where(ProfileKeyRow.profile_id == prow.profile_id)) or 0) + 1
            s.execute(update(ProfileKeyRow)
                      .where(ProfileKeyRow.profile_id == prow.profile_id, ProfileKeyRow.is_primary)
                      .values(is_primary=False))
            row = self._new_key(s, root, prow.profile_id, version, now)
            s.add(_audit(now, "key.rotate", prow.name, row.key_id,
                         details=f"version {version} is primary" + (f" ({by})" if by else ""),
                         who=by))
            key_id = row.key_id
        return self.key(key_id)

    def _change_state(self, prefix: str, action: str,
                      change: Callable[[ProfileKeyRow, datetime], str]) -> KeyInfo:
        now = utcnow()
        with self._transaction() as s:
            row = self._key_row(s, prefix, lock=True)
            before = row.state
            details = change(row, now)
            if row.state != before or action == "key.destroy":
                row.state_changed_at = now
            prow = s.get(ProfileRow, row.profile_id)
            assert prow is not None
            s.add(_audit(now, action, prow.name, row.key_id, details=details))
            key_id = row.key_id
        self._forget(key_id)
        return self.key(key_id)

    def enable(self, prefix: str) -> KeyInfo:
        def change(row: ProfileKeyRow, now: datetime) -> str:
            if row.state in (DESTROYED, PENDING_DESTRUCTION):
                raise state_error(row, "be enabled")
            row.state = ENABLED
            return "enabled"
        return self._change_state(prefix, "key.enable", change)

    def disable(self, prefix: str) -> KeyInfo:
        def change(row: ProfileKeyRow, now: datetime) -> str:
            if row.state in (DESTROYED, PENDING_DESTRUCTION):
                raise state_error(row, "be disabled")
            row.state = DISABLED
            return "disabled" + (" (primary: the profile cannot seal until it is enabled or "
                                 "rotated)" if row.is_primary else "")
        return self._change_state(prefix, "key.disable", change)

    def schedule_destroy(self, prefix: str, days: int = DEFAULT_DESTROY_AFTER_DAYS) -> KeyInfo:
        """Destroy after `days` (0 = at once). Until then the key is unusable but cancellable."""
        if days < 0:
            raise UsageError("--after must be 0 or more days")

        def change(row: ProfileKeyRow, now: datetime) -> str:
            if row.state == DESTROYED:
                raise state_error(row, "be destroyed again")
            if days == 0:
                row.state = DESTROYED
                row.wrapped_key = None
                row.destroyed_at = now
                row.destroy_after = None
                return "destroyed: key material erased"
            if row.state == PENDING_DESTRUCTION:
                raise VaultError(
                    f"key {row.key_id[:8]} (version {row.version}) is already pending "
                    f"destruction (after {row.destroy_after:%Y-%m-%d %H:%M}Z); cancel it with "
                    "'vaultapp key cancel-destroy', or destroy it at once with --after 0"
                )
            row.state = PENDING_DESTRUCTION
            row.destroy_after = now + timedelta(days=days)
            return f"destruction scheduled after {days} days"

        return self._change_state(prefix, "key.destroy" if days == 0 else "key.schedule_destroy",
                                  change)

    def cancel_destroy(self, prefix: str) -> KeyInfo:
        def change(row: ProfileKeyRow, now: datetime) -> str:
            if row.state != PENDING_DESTRUCTION:
                if row.state == DESTROYED:
                    raise state_error(row, "be brought back")
                raise VaultError(
                    f"key {row.key_id[:8]} (version {row.version}) is {row.state}, not "
                    "pending destruction: there is no destruction to cancel"
                )
            row.state = DISABLED
            row.destroy_after = None
            return "destruction cancelled; the key is disabled"
        return self._change_state(prefix, "key.cancel_destroy", change)

    def _run_due_work(self) -> None:
        """On unlock: destroy keys whose waiting period ended, rotate overdue primaries."""
        now = utcnow()
        with self._session() as s:
            due = s.scalars(select(ProfileKeyRow.key_id).where(
                ProfileKeyRow.state == PENDING_DESTRUCTION, ProfileKeyRow.destroy_after <= now
            )).all()
            overdue = [
                p.name for k, p in s.execute(
                    select(ProfileKeyRow, ProfileRow)
                    .join(ProfileRow, ProfileRow.profile_id == ProfileKeyRow.profile_id)
                    .where(ProfileKeyRow.is_primary, ProfileRow.rotation_days.is_not(None))
                ).all()
                if p.rotation_days and k.created_at + timedelta(days=p.rotation_days) <= now
            ]
        for key_id in due:
            self._destroy_if_still_due(key_id)
        for name in overdue:
            self._rotate_if_still_overdue(name)

    def _destroy_if_still_due(self, key_id: str) -> None:
        now = utcnow()
        with self._transaction() as s:
            row = self._key_row(s, key_id, lock=True)
            if row.state != PENDING_DESTRUCTION or row.destroy_after is None or \
                    row.destroy_after > now:
                return  # another process got there first, or it was cancelled
            row.state, row.wrapped_key, row.destroyed_at = DESTROYED, None, now
            row.state_changed_at = now
            prow = s.get(ProfileRow, row.profile_id)
            s.add(_audit(now, "key.destroy", prow.name if prow else None, row.key_id,
                         details="waiting period ended: key material erased"))

    def _rotate_if_still_overdue(self, name: str) -> None:
        root = self.require_root()
        now = utcnow()
        with self._transaction() as s:
            prow = self._profile_row(s, name, lock=True)
            primary = s.scalar(select(ProfileKeyRow).where(
                ProfileKeyRow.profile_id == prow.profile_id, ProfileKeyRow.is_primary))
            if prow.rotation_days is None or primary is None or \
                    primary.created_at + timedelta(days=prow.rotation_days) > now:
                return  # rotated meanwhile by another process
            primary.is_primary = False
            s.flush()
            row = self._new_key(s, root, prow.profile_id, primary.version + 1, now)
            s.add(_audit(now, "key.rotate", name, row.key_id, who="vaultapp (automatic)",
                         details=f"automatic rotation every {prow.rotation_days} days"))

    # --- sealing and opening --------------------------------------------------------------

    def material_check(self, key_id: str) -> None:
        """Raise VaultError unless the key's material unwraps under the root key."""
        with self._session() as s:
            row = self._key_row(s, key_id)
            if row.wrapped_key is not None:
                self._material(row)

    def last_backup_at(self) -> datetime | None:
        with self._session() as s:
            meta = s.get(KeyboxMeta, 1)
            return None if meta is None else meta.last_backup_at

    def _primary_key(self, profile: str) -> ProfileKeyRow | None:
        with self._session() as s:
            prow = self._profile_row(s, profile)
            return s.scalar(select(ProfileKeyRow).where(
                ProfileKeyRow.profile_id == prow.profile_id, ProfileKeyRow.is_primary))

    def _fetch_key(self, key_id: str) -> ProfileKeyRow | None:
        with self._session() as s:
            row = s.get(ProfileKeyRow, key_id)
            if row is not None:
                s.expunge(row)
            return row

    def profile_name_of(self, profile_id: bytes) -> str | None:
        with self._session() as s:
            row = s.get(ProfileRow, profile_id.hex())
            return None if row is None else row.name

    def record_sealed(self, key_id: bytes, files: int, profile: str | None = None) -> None:
        """Count sealed files in the audit log (the window shows files per key)."""
        if files <= 0:
            return
        with self._transaction() as s:
            s.add(_audit(utcnow(), "seal", profile, key_id.hex(), files=files,
                         details=sealed_details(files)))

    def record_rewrapped(self, old_key: bytes, new_key: bytes, profile: str | None) -> None:
        with self._transaction() as s:
            s.add(_audit(utcnow(), "rewrap", profile, new_key.hex(), files=1,
                         details=f"rewrapped from key {old_key.hex()[:8]}"))

    def rewrap_file(self, path: Path) -> tuple[bytes, bytes] | None:
        """Rewrap a sealed file in place to its profile's current primary key.

        Returns (old key id, new key id), or None when it already uses the primary key.
        """
        from .. import fileops

        targets: dict[bytes, Recipient] = {}

        def replacement(stanza: Stanza) -> Recipient | None:
            name = self.profile_name_of(stanza.profile_id)
            if name is None:
                return None  # another keybox's stanza: left as it is
            target = targets.get(stanza.profile_id) or self.recipient(name)
            targets[stanza.profile_id] = target
            return None if target.key_id == stanza.key_id else target

        old, new = fileops.rewrap_file(path, self, replacement)
        for before, after in zip(old.stanzas, new.stanzas, strict=True):
            if before.key_id != after.key_id:
                self.record_rewrapped(before.key_id, after.key_id,
                                      self.profile_name_of(after.profile_id))
                return before.key_id, after.key_id
        return None

    def change_marker(self) -> tuple[int, int]:
        """Changes whenever any process changes the keybox (for the window's refresh)."""
        with self._session() as s:
            last = s.scalar(select(func.max(AuditRow.id))) or 0
            keys = s.scalar(select(func.count()).select_from(ProfileKeyRow)) or 0
        return int(last), int(keys)

    # --- slots ---------------------------------------------------------------------------

    def _slot_records(self) -> list[SlotRecord]:
        with self._session() as s:
            rows = s.scalars(select(KeySlotRow).order_by(KeySlotRow.created_at)).all()
        return [SlotRecord(r.slot_id, r.kind, r.label, parse_params(r.params), r.wrapped_root_key)
                for r in rows]

    def slots(self) -> list[SlotInfo]:
        with self._session() as s:
            rows = s.scalars(select(KeySlotRow).order_by(KeySlotRow.created_at)).all()
        return [SlotInfo(r.slot_id, r.kind, r.label, r.created_at) for r in rows]

    def add_slot(self, record: SlotRecord) -> SlotInfo:
        now = utcnow()
        with self._transaction() as s:
            s.add(_slot_row(record, now))
            s.add(_audit(now, "slot.add", details=f"{record.kind} slot {record.slot_id}: "
                                                  f"{record.label}"))
        return SlotInfo(record.slot_id, record.kind, record.label, now)

    def add_passphrase_slot(self, passphrase: str, kdf: KdfParams | None = None) -> SlotInfo:
        return self.add_slot(PassphraseSlot.create(self.keybox_id, self.require_root(),
                                                   passphrase, kdf))

    def add_keyring_slot(self) -> SlotInfo:
        try:
            record = KeyringSlot.create(self.keybox_id, self.require_root())
        except SlotFailure as exc:
            raise VaultError(str(exc)) from None
        return self.add_slot(record)

    def remove_slot(self, slot_id: str) -> None:
        with self._transaction() as s:
            rows = s.scalars(select(KeySlotRow).with_for_update()).all()
            matches = [r for r in rows if r.slot_id.startswith(slot_id.lower())]
            if len(matches) != 1:
                raise UsageError(f"no single key slot has an id starting with {slot_id!r}; "
                                 "see 'vaultapp slot list'")
            if len(rows) == 1:
                raise VaultError("this is the last key slot: removing it would lock the keybox "
                                 "for good; add another slot first")
            row = matches[0]
            record = SlotRecord(row.slot_id, row.kind, row.label, parse_params(row.params),
                                row.wrapped_root_key)
            s.delete(row)
            s.add(_audit(utcnow(), "slot.remove", details=f"{row.kind} slot {row.slot_id}"))
        if record.kind in ("keyring", "keyring-kms"):
            KeyringSlot.forget(self.keybox_id, record)

    # --- audit log ---------------------------------------------------------------------

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]:
        with self._session() as s:
            query = select(AuditRow).order_by(AuditRow.id)
            rows = s.scalars(query).all()
        entries = [AuditEntry(r.at, r.actor, r.action, r.profile, r.key_id, r.files, r.details)
                   for r in rows]
        return entries[-limit:] if limit else entries

    def sqlite_file(self) -> Path | None:
        return db.sqlite_path(self.url)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise UsageError("a profile name must be 1 to 200 printable characters")
    return name


def _slot_row(slot: SlotRecord, now: datetime) -> KeySlotRow:
    return KeySlotRow(slot_id=slot.slot_id, kind=slot.kind, label=slot.label,
                      params=slot.params_json, wrapped_root_key=slot.wrapped_root_key,
                      created_at=now)


def _audit(at: datetime, action: str, profile: str | None = None, key_id: str | None = None,
           *, details: str = "", files: int = 0, who: str | None = None) -> AuditRow:
    return AuditRow(at=at, actor=who or actor(), action=action, profile=profile, key_id=key_id,
                    files=files, details=details)


def _key_info(k: ProfileKeyRow, p: ProfileRow, files: int) -> KeyInfo:
    return KeyInfo(k.key_id, p.name, p.profile_id, k.version, k.state, k.is_primary,
                   k.created_at, k.destroy_after, k.destroyed_at, p.rotation_days, files)
