"""The keybox service: the one place that owns key lifecycle rules and the audit log.

A `Keybox` is opened locked. `unlock()` recovers the root key through any one key slot;
from then on it resolves profile keys for opening files (it is the envelope's
KeyResolver), hands out the primary key of a profile for sealing, and carries out
lifecycle changes, each in one database transaction that also writes the audit log.
Every read and write goes through the one store (store.py); which state may do what is
asked of states.py; slots are providers behind slots.SlotProvider.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.exc import IntegrityError as ConstraintViolation
from sqlalchemy.orm import Session

from ..envelope import Recipient
from ..errors import (
    Hint,
    KeyboxLockedError,
    KeyboxTamperedError,
    KeyUnusableError,
    LastPortableSlotError,
    ProfileHasKeysError,
    SlotReason,
    UsageError,
    VaultError,
)
from ..format import Stanza
from ..hygiene import disable_core_dumps, lock_in_memory, unlock_memory
from . import integrity, pin
from . import store as db
from .actor import actor
from .integrity import IntegrityKeys, log, seal_changes, tampered
from .models import AuditEntry, KeyInfo, ProfileInfo, SlotInfo
from .names import check_name, unique
from .schema import (
    SCHEMA_VERSION,
    AuditRow,
    KeyboxMeta,
    KeySecretRow,
    KeySlotRow,
    ProfileKeyRow,
    ProfileRow,
)
from .slots import SlotFailure, SlotRecord, SlotRequest, parse_params, provider_for
from .slots.base import needs_pin, proves_person
from .slots.os_keyring import KeyringRequest, NoSecureKeyring
from .slots.passphrase import KdfParams, PassphraseRequest
from .states import (
    DEFAULT_DESTROY_AFTER_DAYS,
    Change,
    KeyState,
    can_open,
    can_seal,
    has_material,
    transition,
    unusable,
)
from .timeutil import utcnow
from .wrapping import context, is_root_key, root_key_check, unwrap, wrap

if TYPE_CHECKING:
    from .people import People

__all__ = ["AskPassphrase", "AskPin", "Keybox", "actor"]

AskPassphrase = Callable[[list[str]], str | None]
"""Asked for a passphrase with the reasons other slots failed; None means give up."""

AskPin = Callable[[str, list[str]], str | None]
"""Asked for one slot's PIN (the slot's label and id, the reasons other slots failed);
None means skip that slot."""

RESOLVE_TTL_S = 2.0
"""How long a key's row read for opening files is trusted before it is read again."""


def key_context(keybox_id: str, profile_id: str, key_id: str) -> bytes:
    """The associated data binding a wrapped profile key to its keybox, profile and id."""
    return context("profile-key", keybox_id, profile_id, key_id)


class Keybox:
    """One keybox (SQLite file or PostgreSQL database) and, once unlocked, its root key."""

    def __init__(self, store: db.Store) -> None:
        self._store = store
        self.url = store.url
        self._root: bytearray | None = None
        self._keys: IntegrityKeys | None = None
        self._profile_keys: dict[str, bytearray] = {}
        self._resolved: dict[bytes, tuple[float, ProfileKeyRow | None]] = {}
        with self._store.session() as s:
            meta = s.get(KeyboxMeta, 1)
        if meta is None:
            raise VaultError(f"{self.location} is not an initialised keybox",
                             hint=Hint.NOT_A_KEYBOX)
        self.keybox_id: str = meta.keybox_id
        self._check: bytes = meta.root_key_check

    # --- opening, creating, closing ------------------------------------------------------

    @property
    def location(self) -> str:
        return db.describe_location(self.url)

    @property
    def store(self) -> db.Store:
        return self._store

    @property
    def people(self) -> People:
        """This keybox's age identities and contacts (people.py)."""
        from .people import People

        return People(self)

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
            raise VaultError(f"there is no keybox at {path}", hint=Hint.NO_KEYBOX, path=path)
        store = db.Store.connect(url)
        try:
            return cls(store)
        except BaseException:
            store.close()
            raise

    @classmethod
    def create(cls, url: str, *, use_keyring: bool = True, passphrase: str | None = None,
               kdf: KdfParams | None = None) -> Keybox:
        """Create a keybox with a fresh root key; it is returned unlocked."""
        if not use_keyring and not passphrase:
            raise UsageError("a keybox without the OS keyring needs a passphrase slot")
        path = db.sqlite_path(url)
        if cls.exists(url):
            raise VaultError(f"a keybox already exists at {db.describe_location(url)}")
        keybox_id = secrets.token_hex(16)
        root = bytearray(os.urandom(32))
        requests: list[SlotRequest] = []
        if use_keyring:
            requests.append(KeyringRequest())
        if passphrase:
            requests.append(PassphraseRequest(passphrase, kdf))
        slots: list[SlotRecord] = []
        build_url, temp = url, None
        engine = None
        try:
            for request in requests:
                slots.append(_create_slot(request, keybox_id, root, slots))
            if path is not None:
                # Build the SQLite keybox in a temporary file and link it into place only
                # when complete: a crash mid-init never leaves a half-made keybox.
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                temp = path.with_name(f".vaultapp-{secrets.token_hex(8)}.tmp")
                db.prepare_sqlite_file(temp)
                build_url = f"sqlite:///{temp}"
            engine = db.make_engine(build_url)
            db.migrate(engine)
            now = utcnow()
            keys = IntegrityKeys.derive(root, keybox_id)
            with Session(db.for_writing(engine)) as s, s.begin():
                meta = KeyboxMeta(id=1, keybox_id=keybox_id, schema_version=SCHEMA_VERSION,
                                  root_key_check=root_key_check(root, keybox_id),
                                  created_at=now, generation=0, audit_last_id=0,
                                  audit_chain_start=0)
                s.add(meta)
                for slot in slots:
                    s.add(_slot_row(slot, now))
                log(s, _audit(now, "keybox.create", details=f"keybox {keybox_id}"))
                for slot in slots:
                    log(s, _audit(now, "slot.add", details=f"{slot.kind} slot {slot.slot_id}"))
                seal_changes(s, meta, keys, state=True)
                generation, last_id = meta.generation, meta.audit_last_id
            if path is not None and temp is not None:
                engine.dispose()  # the last connection checkpoints and removes the WAL
                db.publish_sqlite_file(temp, path)
                engine = db.make_engine(url)
        except BaseException:
            if engine is not None:
                engine.dispose()
            for slot in slots:
                _forget_slot(keybox_id, slot)
            if temp is not None:
                for leftover in (temp, temp.with_name(temp.name + "-wal"),
                                 temp.with_name(temp.name + "-shm")):
                    leftover.unlink(missing_ok=True)
            raise
        box = cls(db.Store(url, engine))
        disable_core_dumps()
        box._root, box._keys = root, keys
        lock_in_memory(root)
        box._pin(generation, last_id, slots)
        return box

    def close(self) -> None:
        self.lock()
        self._store.close()

    def sqlite_file(self) -> Path | None:
        return db.sqlite_path(self.url)

    # --- locking and unlocking -------------------------------------------------------------

    @property
    def is_unlocked(self) -> bool:
        return self._root is not None

    def lock(self) -> None:
        """Drop the root key and every unwrapped profile key from memory (zeroed first)."""
        for buf in [self._root, *self._profile_keys.values()]:
            if buf is not None:
                buf[:] = bytes(len(buf))
                unlock_memory(buf)
        self._root = None
        self._keys = None
        self._profile_keys.clear()
        self._resolved.clear()

    def unlock(self, passphrase: str | None = None, ask_passphrase: AskPassphrase | None = None,
               kinds: tuple[str, ...] | None = None, *, secrets_only: bool = False,
               slot_id: str | None = None, ask_pin: AskPin | None = None) -> str:
        """Recover the root key through the first slot that works; return its label.

        Slots that need nothing typed come first, in their providers' order (OS keyring,
        TPM without a PIN, cloud KMS); then those that ask: a slot's own PIN (`ask_pin`,
        once for that slot), then the slots that take a typed secret (recovery code,
        passphrase: the given one, else asked for once with the reasons the others
        failed, and that one answer tried against each of them).
        A given `passphrase` is tried against the slots that take a typed secret only:
        a wrong one is refused even when the keyring could unlock (docs/ARCHITECTURE.md,
        "Locking"), so a person learns now, not when the keyring is gone, that it is wrong.
        `secrets_only` (after a lock) tries only slots that prove a person is here;
        `slot_id` (an id or a unique prefix) tries that one slot only. When every slot
        fails, raise KeyboxLockedError listing each slot and why.
        """
        if self._root is not None:
            return "already unlocked"
        records = self._slot_records()
        tried = records if slot_id is None else [_one_slot(records, slot_id)]
        pinned = self._load_pin()
        if pinned is not None and pinned.keybox_id != self.keybox_id:
            raise tampered(f"{self.location} holds keybox {self.keybox_id}, not the keybox "
                           f"{pinned.keybox_id} this machine pinned there")
        candidates = [(r, provider_for(r.kind)) for r in tried
                      if kinds is None or r.kind in kinds]
        if passphrase is not None and slot_id is None:
            candidates = [c for c in candidates if c[1] is not None and c[1].needs_secret]
        if secrets_only:
            candidates = [c for c in candidates
                          if c[1] is not None and proves_person(c[1], c[0])]
        candidates.sort(key=lambda c: (True, 99) if c[1] is None else (
            c[1].needs_secret or needs_pin(c[1], c[0]), c[1].unlock_order))
        reasons: list[SlotReason] = []

        def failed(name: str, text: str, code: str = "",
                   values: dict[str, str | int | float] | None = None) -> None:
            reasons.append(SlotReason(name, code, text, tuple((values or {}).items())))

        def so_far() -> list[str]:
            return [str(r) for r in reasons]

        asked: str | None = None
        declined = False
        for record, provider in candidates:
            name = f"{record.label} ({record.slot_id})"
            if pinned is not None:
                known = pinned.slots.get(record.slot_id)
                if known is None:
                    failed(name, "added since this machine last unlocked; it is used once "
                           "another slot has unlocked the keybox here", "added-since")
                    continue
                if not hmac.compare_digest(known, pin.slot_digest(record)):
                    raise tampered(f"key slot {name} differs from the one this machine "
                                   "verified (its parameters or wrapped key were edited); it "
                                   "was not used")
            if provider is None:
                failed(name, "unknown slot kind", "unknown-kind")
                continue
            secret = None
            if provider.needs_secret:
                secret = passphrase if passphrase is not None else asked
                if secret is None and ask_passphrase is not None and not declined:
                    secret = asked = ask_passphrase(so_far())
                    declined = secret is None
                if secret is None and ask_passphrase is not None:
                    failed(name, "no passphrase given", "no-passphrase")
                    continue
            elif needs_pin(provider, record):
                secret = ask_pin(name, so_far()) if ask_pin is not None else None
                if not secret:
                    failed(name, "no PIN given", "no-pin")
                    continue
            try:
                root = provider.unlock(self.keybox_id, record, secret)
            except SlotFailure as exc:
                failed(name, str(exc), exc.code, exc.values)
                continue
            # Fail closed: a slot that yields a key of another keybox is evidence of
            # tampering (a substituted slot or root-key check), never a reason to go on.
            if not is_root_key(root, self.keybox_id, self._check):
                raise tampered(f"key slot {name} yields a key that fails the root-key check")
            check = root_key_check(root, self.keybox_id).hex()
            if pinned is not None and not hmac.compare_digest(check, pinned.fingerprint):
                raise tampered("its root key is not the one this machine pinned")
            disable_core_dumps()
            keys = IntegrityKeys.derive(root, self.keybox_id)
            generation, last_id = self._verify(keys, pinned)
            self._root, self._keys = bytearray(root), keys
            lock_in_memory(self._root)  # best effort: kept out of swap where permitted
            self._pin(generation, last_id, records)
            self._run_due_work()
            return record.label
        listing = "\n  ".join(so_far()) or (
            "no key slot that takes a passphrase" if passphrase is not None else
            "no key slot that proves a person is here (a passphrase)" if secrets_only else
            "this keybox has no key slot")
        raise KeyboxLockedError(
            f"the keybox at {self.location} is locked; no key slot could unlock it:\n  {listing}",
            reasons=tuple(reasons))

    # --- the authenticated state and the pin ----------------------------------------------

    def _load_pin(self) -> pin.Pin | None:
        try:
            return pin.load(self.location)
        except (ValueError, KeyError, TypeError, OSError):
            raise KeyboxTamperedError(
                f"this machine's pin of the keybox at {self.location} is damaged; nothing was "
                "unlocked", hint=Hint.TAMPERED) from None

    def _verify(self, keys: IntegrityKeys, pinned: pin.Pin | None) -> tuple[int, int]:
        """Check the authenticated state, the newest audit row and the pin's counters;
        return (generation, newest audit row id). A keybox from before schema 2 has no
        state MAC yet: it gets one now, unless this machine already saw one."""
        with self._store.session() as s:
            meta = s.get(KeyboxMeta, 1)
            assert meta is not None
            if meta.state_mac is None and (pinned is None or pinned.generation == 0):
                return self._adopt_legacy_state(keys)
            seen = (pinned.generation, pinned.audit_last_id) if pinned else (0, 0)
            return integrity.verify(s, meta, keys, seen)

    def _adopt_legacy_state(self, keys: IntegrityKeys) -> tuple[int, int]:
        """Schema 1 had no MACs: authenticate the state as it is (first use here)."""
        with self._store.transaction() as s:
            meta = s.get(KeyboxMeta, 1, with_for_update=True)
            assert meta is not None
            if meta.state_mac is None:
                log(s, _audit(utcnow(), "keybox.authenticate",
                             details="schema 2: the state and the audit chain are "
                             "authenticated from here on"))
                seal_changes(s, meta, keys, state=True)
            return meta.generation, meta.audit_last_id

    def _pin(self, generation: int, audit_last_id: int, records: list[SlotRecord]) -> None:
        """Remember this keybox here: id, root-key fingerprint, counters, verified slots."""
        assert self._root is not None
        previous = self._load_pin()
        record = pin.Pin(self.location, self.keybox_id,
                         root_key_check(self._root, self.keybox_id).hex(),
                         max(generation, previous.generation if previous else 0),
                         max(audit_last_id, previous.audit_last_id if previous else 0),
                         {r.slot_id: pin.slot_digest(r) for r in records})
        if record == previous:
            return  # nothing new to remember: no write (and no fsync) on the hot path
        try:
            pin.save(record)
        except OSError as exc:
            raise VaultError(f"cannot record this machine's pin of the keybox "
                             f"({exc.strerror or exc})") from None

    @contextmanager
    def _writing(self, *, state: bool = True) -> Iterator[Session]:
        """A write transaction that also authenticates what it changed: new audit rows join
        the chain, and (when `state`) the state MAC and generation are renewed."""
        keys = self._keys
        if keys is None:
            raise KeyboxLockedError("the keybox is locked; unlock it first")
        with self._store.transaction() as s:
            meta = s.get(KeyboxMeta, 1, with_for_update=True)
            assert meta is not None
            yield s
            seal_changes(s, meta, keys, state=state)
            generation, last_id = meta.generation, meta.audit_last_id
        if state:  # audit-only writes (a seal's count) leave the pin to the next unlock
            self._pin(generation, last_id, self._slot_records())

    def verify_all(self) -> tuple[int, int | None]:
        """`keybox check`: the state (as unlock does) and every audit row's link. Returns
        (audit rows checked, id of the first broken row or None)."""
        keys = self._keys
        if keys is None:
            raise KeyboxLockedError("the keybox is locked; unlock it first")
        self._verify(keys, self._load_pin())
        with self._store.session() as s:
            meta = s.get(KeyboxMeta, 1)
            assert meta is not None
            return integrity.verify_chain(s, keys.audit, meta.audit_chain_start)

    def require_root(self) -> bytearray:
        """The root key; raises KeyboxLockedError while locked."""
        if self._root is None:
            raise KeyboxLockedError("the keybox is locked; unlock it first")
        return self._root

    # --- profiles ------------------------------------------------------------------------

    def create_profile(self, name: str, rotation_days: int | None = None) -> ProfileInfo:
        name = check_name(name, "a profile name")
        _check_rotation(rotation_days)
        root = self.require_root()
        now = utcnow()
        profile_id = secrets.token_hex(16)
        try:
            with self._writing() as s:
                _refuse_taken_name(s, name)
                s.add(ProfileRow(profile_id=profile_id, name=name, rotation_days=rotation_days,
                                 created_at=now))
                s.flush()
                key = self._new_key(s, root, profile_id, 1, now)
                log(s, _audit(now, "profile.create", name, key.key_id,
                             details="first key version 1"))
        except ConstraintViolation:
            raise _name_taken(name) from None
        return self.profile(name)

    def rename_profile(self, old: str, new: str) -> ProfileInfo:
        new = check_name(new, "a profile name")
        try:
            with self._writing() as s:
                row = _profile_row(s, old, lock=True)
                _refuse_taken_name(s, new)
                row.name = new
                log(s, _audit(utcnow(), "profile.rename", new, details=f"renamed from {old!r}"))
        except ConstraintViolation:
            raise _name_taken(new) from None
        return self.profile(new)

    def set_rotation(self, name: str, days: int | None) -> ProfileInfo:
        _check_rotation(days)
        with self._writing() as s:
            row = _profile_row(s, name, lock=True)
            row.rotation_days = days
            log(s, _audit(utcnow(), "profile.rotation", name,
                         details=f"every {days} days" if days else "automatic rotation off"))
        return self.profile(name)

    def profile_key_counts(self, name: str) -> dict[KeyState, int]:
        """How many keys of the profile are in each state."""
        with self._store.session() as s:
            row = _profile_row(s, name)
            states = s.scalars(select(ProfileKeyRow.state)
                               .where(ProfileKeyRow.profile_id == row.profile_id)).all()
        counts: dict[KeyState, int] = {}
        for state in states:
            counts[KeyState(state)] = counts.get(KeyState(state), 0) + 1
        return counts

    def delete_profile(self, name: str, *, allow_key_loss: bool = False) -> None:
        """Erase a profile and its keys (the audit log keeps its history). Refused, unless
        `allow_key_loss`, while any of its keys still has material: files sealed under
        such a key could be opened again by re-enabling it, and would be lost for good."""
        with self._writing() as s:
            row = _profile_row(s, name, lock=True)
            keys = s.scalars(select(ProfileKeyRow).where(
                ProfileKeyRow.profile_id == row.profile_id).with_for_update()).all()
            kept = [k for k in keys if has_material(KeyState(k.state))]
            if kept and not allow_key_loss:
                raise ProfileHasKeysError(
                    f"profile {name!r} still has {len(kept)} key(s) that can open files "
                    "(enabled, disabled or pending destruction); deleting it would make "
                    "every file sealed under them unrecoverable. Nothing was deleted",
                    hint=Hint.PROFILE_HAS_KEYS)
            ids = [k.key_id for k in keys]
            if ids:
                s.execute(delete(KeySecretRow).where(KeySecretRow.key_id.in_(ids)))
                s.execute(delete(ProfileKeyRow).where(ProfileKeyRow.key_id.in_(ids)))
            s.delete(row)
            log(s, _audit(utcnow(), "profile.delete", name,
                          details=f"deleted with {len(ids)} key(s), {len(kept)} of them "
                                  "with material"))
        for key_id in ids:
            self._forget(key_id)
        if kept:
            self._store.scrub()

    def profiles(self) -> list[ProfileInfo]:
        with self._store.session() as s:
            rows = s.scalars(select(ProfileRow).order_by(ProfileRow.name)).all()
            primaries = dict(s.execute(select(ProfileKeyRow.profile_id, ProfileKeyRow.key_id)
                                       .where(ProfileKeyRow.is_primary)).all())
        return [ProfileInfo(r.name, r.profile_id, primaries.get(r.profile_id), r.rotation_days,
                            r.created_at) for r in rows]

    def profile(self, name: str) -> ProfileInfo:
        for p in self.profiles():
            if p.name == name:
                return p
        raise _no_profile(name)

    def default_profile(self, name: str | None) -> str:
        """The profile asked for, or the only profile when there is exactly one."""
        if name is not None:
            return name
        with self._store.session() as s:
            names = list(s.scalars(select(ProfileRow.name).order_by(ProfileRow.name).limit(2)))
        if len(names) == 1:
            return names[0]
        if not names:
            raise UsageError("there is no profile yet", hint=Hint.NO_PROFILE_YET)
        count = self._count(ProfileRow)
        raise UsageError(f"there are {count} profiles and none was chosen",
                         hint=Hint.CHOOSE_PROFILE)

    def _count(self, table: type[ProfileRow] | type[ProfileKeyRow]) -> int:
        with self._store.session() as s:
            return int(s.scalar(select(func.count()).select_from(table)) or 0)

    # --- keys ----------------------------------------------------------------------------

    def _new_key(self, s: Session, root: bytearray, profile_id: str, version: int,
                 now: datetime) -> ProfileKeyRow:
        key_id = secrets.token_hex(16)
        secret = os.urandom(32)
        row = ProfileKeyRow(
            key_id=key_id, profile_id=profile_id, version=version,
            state=KeyState.ENABLED.value, is_primary=True,
            wrapped_key=wrap(bytes(root) + secret, os.urandom(32),
                             key_context(self.keybox_id, profile_id, key_id)),
            created_at=now, state_changed_at=now,
        )
        s.add(row)
        s.flush()
        s.add(KeySecretRow(key_id=key_id, secret=secret))
        s.flush()
        return row

    def keys(self, profile: str | None = None) -> list[KeyInfo]:
        with self._store.session() as s:
            query = (select(ProfileKeyRow, ProfileRow)
                     .join(ProfileRow, ProfileRow.profile_id == ProfileKeyRow.profile_id))
            if profile is not None:
                query = query.where(ProfileRow.name == _profile_row(s, profile).name)
            rows = s.execute(query.order_by(ProfileRow.name, ProfileKeyRow.version)).all()
            counts = _sealed_counts(s, [k.key_id for k, _ in rows] if profile else None)
        return [_key_info(k, p, counts.get(k.key_id, 0)) for k, p in rows]

    def key(self, key_id_or_prefix: str) -> KeyInfo:
        with self._store.session() as s:
            row = _key_row(s, key_id_or_prefix)
            profile = s.get(ProfileRow, row.profile_id)
            assert profile is not None
            counts = _sealed_counts(s, [row.key_id])
        return _key_info(row, profile, counts.get(row.key_id, 0))

    def rotate(self, profile: str, by: str | None = None) -> KeyInfo:
        """Create a new primary key; the old one stays enabled for opening."""
        root = self.require_root()
        now = utcnow()
        with self._writing() as s:
            prow = _profile_row(s, profile, lock=True)
            version = (s.scalar(select(func.max(ProfileKeyRow.version))
                                .where(ProfileKeyRow.profile_id == prow.profile_id)) or 0) + 1
            s.execute(update(ProfileKeyRow)
                      .where(ProfileKeyRow.profile_id == prow.profile_id, ProfileKeyRow.is_primary)
                      .values(is_primary=False))
            row = self._new_key(s, root, prow.profile_id, version, now)
            log(s, _audit(now, "key.rotate", prow.name, row.key_id,
                         details=f"version {version} is primary" + (f" ({by})" if by else ""),
                         who=by))
            key_id = row.key_id
        return self.key(key_id)

    def _change_state(self, prefix: str, change: Change, details: Callable[[ProfileKeyRow], str],
                      destroy_after: datetime | None = None) -> KeyInfo:
        """Apply one lifecycle change from the transition table, with its audit row."""
        now = utcnow()
        with self._writing() as s:
            row = _key_row(s, prefix, lock=True)
            new = transition(row.key_id, row.version, KeyState(row.state), change)
            if new is KeyState.DESTROYED:
                row.wrapped_key, row.destroyed_at = None, now
                s.execute(delete(KeySecretRow).where(KeySecretRow.key_id == row.key_id))
            row.destroy_after = destroy_after if new is KeyState.PENDING_DESTRUCTION else None
            if new.value != row.state or new is KeyState.DESTROYED:
                row.state_changed_at = now
            row.state = new.value
            prow = s.get(ProfileRow, row.profile_id)
            action = "key.destroy" if change is Change.DESTROY else f"key.{change.value}"
            log(s, _audit(now, action, prow.name if prow else None, row.key_id,
                         details=details(row)))
            key_id = row.key_id
            destroyed = new is KeyState.DESTROYED
        self._forget(key_id)
        if destroyed:
            self._store.scrub()
        return self.key(key_id)

    def enable(self, prefix: str) -> KeyInfo:
        return self._change_state(prefix, Change.ENABLE, lambda row: "enabled")

    def disable(self, prefix: str) -> KeyInfo:
        return self._change_state(prefix, Change.DISABLE, lambda row: "disabled" + (
            " (primary: the profile cannot seal until it is enabled or rotated)"
            if row.is_primary else ""))

    def schedule_destroy(self, prefix: str, days: int = DEFAULT_DESTROY_AFTER_DAYS) -> KeyInfo:
        """Destroy after `days` (0 = at once). Until then the key is unusable but cancellable."""
        if days < 0:
            raise UsageError("the waiting period must be 0 or more days")
        if days == 0:
            return self._change_state(prefix, Change.DESTROY,
                                      lambda row: "destroyed: key material erased")
        return self._change_state(prefix, Change.SCHEDULE_DESTROY,
                                  lambda row: f"destruction scheduled after {days} days",
                                  destroy_after=utcnow() + timedelta(days=days))

    def cancel_destroy(self, prefix: str) -> KeyInfo:
        return self._change_state(prefix, Change.CANCEL_DESTROY,
                                  lambda row: "destruction cancelled; the key is disabled")

    def _run_due_work(self) -> None:
        """On unlock: destroy keys whose waiting period ended, rotate overdue primaries."""
        now = utcnow()
        with self._store.session() as s:
            due = s.scalars(select(ProfileKeyRow.key_id).where(
                ProfileKeyRow.state == KeyState.PENDING_DESTRUCTION.value,
                ProfileKeyRow.destroy_after <= now)).all()
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
        with self._writing() as s:
            row = _key_row(s, key_id, lock=True)
            if row.state != KeyState.PENDING_DESTRUCTION.value or row.destroy_after is None \
                    or row.destroy_after > now:
                return  # another process got there first, or it was cancelled
            row.state = transition(row.key_id, row.version, KeyState(row.state),
                                   Change.DESTROY).value
            row.wrapped_key, row.destroyed_at, row.state_changed_at = None, now, now
            s.execute(delete(KeySecretRow).where(KeySecretRow.key_id == row.key_id))
            prow = s.get(ProfileRow, row.profile_id)
            log(s, _audit(now, "key.destroy", prow.name if prow else None, row.key_id,
                         details="waiting period ended: key material erased"))
        self._store.scrub()

    def _rotate_if_still_overdue(self, name: str) -> None:
        root = self.require_root()
        now = utcnow()
        with self._writing() as s:
            prow = _profile_row(s, name, lock=True)
            primary = s.scalar(select(ProfileKeyRow).where(
                ProfileKeyRow.profile_id == prow.profile_id, ProfileKeyRow.is_primary))
            if prow.rotation_days is None or primary is None or \
                    primary.created_at + timedelta(days=prow.rotation_days) > now:
                return  # rotated meanwhile by another process
            primary.is_primary = False
            s.flush()
            row = self._new_key(s, root, prow.profile_id, primary.version + 1, now)
            log(s, _audit(now, "key.rotate", name, row.key_id, who="vaultapp (automatic)",
                         details=f"automatic rotation every {prow.rotation_days} days"))

    # --- key material: sealing and opening -------------------------------------------------

    def _material(self, row: ProfileKeyRow) -> bytearray:
        cached = self._profile_keys.get(row.key_id)
        if cached is not None:
            return cached
        root = self.require_root()
        assert row.wrapped_key is not None
        with self._store.session() as s:
            secret = s.scalar(select(KeySecretRow.secret)
                              .where(KeySecretRow.key_id == row.key_id))
        # A key made before schema 2 has no secret of its own: wrapped under the root key.
        plain = unwrap(bytes(root) + (secret or b""), row.wrapped_key,
                       key_context(self.keybox_id, row.profile_id, row.key_id))
        if plain is None:
            raise VaultError(f"key {row.key_id[:8]} does not unwrap: the keybox was tampered "
                             "with or damaged", hint=Hint.RESTORE_BACKUP, key_id=row.key_id)
        buf = bytearray(plain)
        lock_in_memory(buf)
        self._profile_keys[row.key_id] = buf
        return buf

    def _forget(self, key_id: str) -> None:
        self._resolved.pop(bytes.fromhex(key_id), None)
        buf = self._profile_keys.pop(key_id, None)
        if buf is not None:
            buf[:] = bytes(len(buf))
            unlock_memory(buf)

    def material_check(self, key_id: str) -> None:
        """Raise VaultError unless the key's material unwraps under the root key."""
        with self._store.session() as s:
            # A full id is looked up by its primary key: `keybox check` asks this of every
            # key, and a prefix search scans the table each time (quadratic in keys).
            row = s.get(ProfileKeyRow, key_id) if len(key_id) == 32 else None
            if row is None:
                row = _key_row(s, key_id)
        if row.wrapped_key is not None:
            self._material(row)

    def recipient(self, profile: str) -> Recipient:
        """The profile's primary key, for sealing (an immutable copy of its material).
        Raises KeyUnusableError when it can't seal."""
        self.require_root()
        with self._store.session() as s:
            prow = _profile_row(s, profile)
            row = s.scalar(select(ProfileKeyRow).where(
                ProfileKeyRow.profile_id == prow.profile_id, ProfileKeyRow.is_primary))
        if row is None:
            raise KeyUnusableError(f"profile {profile!r} has no primary key",
                                   hint=Hint.ROTATE_PROFILE)
        if not can_seal(KeyState(row.state), row.is_primary):
            raise unusable(row.key_id, row.version, KeyState(row.state),
                           f"seal for profile {profile!r}")
        material = bytes(self._material(row))
        return Recipient(bytes.fromhex(row.profile_id), bytes.fromhex(row.key_id), material)

    def resolve(self, profile_id: bytes, key_id: bytes) -> bytes | None:
        """KeyResolver for the envelope: None if not ours, KeyUnusableError if not usable.

        A key's row is re-read from the database at most every RESOLVE_TTL_S seconds,
        so opening thousands of files costs one query per key, and a key disabled by
        another process stops opening files within that time.
        """
        self.require_root()
        now = time.monotonic()
        cached = self._resolved.get(key_id)
        if cached is None or now - cached[0] > RESOLVE_TTL_S:
            with self._store.session() as s:
                row = s.get(ProfileKeyRow, key_id.hex())
                if row is not None:
                    s.expunge(row)
            cached = (now, row)
            self._resolved[key_id] = cached
        found = cached[1]
        if found is None or found.profile_id != profile_id.hex():
            return None
        if not can_open(KeyState(found.state)):
            raise unusable(found.key_id, found.version, KeyState(found.state), "open files")
        return bytes(self._material(found))

    def profile_name_of(self, profile_id: bytes) -> str | None:
        with self._store.session() as s:
            row = s.get(ProfileRow, profile_id.hex())
            return None if row is None else row.name

    def record_sealed(self, key_id: bytes, files: int, profile: str | None = None) -> None:
        """Count sealed files in the audit log (the window shows files per key)."""
        if files <= 0:
            return
        with self._writing(state=False) as s:
            log(s, _audit(utcnow(), "seal", profile, key_id.hex(), files=files,
                         details=f"{files} file(s) sealed"))

    def record_event(self, action: str, details: str, *, backup: bool = False) -> None:
        """An audit row for a keybox-wide event (backup, restore); `backup` also sets the
        last-backup time the window reminds of."""
        with self._writing(state=False) as s:
            if backup:
                meta = s.get(KeyboxMeta, 1)
                assert meta is not None
                meta.last_backup_at = utcnow()
            log(s, _audit(utcnow(), action, details=details))

    def record_rewrapped(self, old_key: bytes, new_key: bytes, profile_id: bytes) -> None:
        """The audit row of one rewrapped file (counted as sealed under the new key)."""
        profile = self.profile_name_of(profile_id)
        with self._writing(state=False) as s:
            log(s, _audit(utcnow(), "rewrap", profile, new_key.hex(), files=1,
                         details=f"rewrapped from key {old_key.hex()[:8]}"))

    def rewrap_target(self, stanza: Stanza) -> Recipient | None:
        """The rule of rewrap: a stanza of this keybox moves to its profile's current
        primary key; another keybox's stanza, or one already there, stays (None)."""
        name = self.profile_name_of(stanza.profile_id)
        if name is None:
            return None
        target = self.recipient(name)
        return None if target.key_id == stanza.key_id else target

    def last_backup_at(self) -> datetime | None:
        with self._store.session() as s:
            meta = s.get(KeyboxMeta, 1)
            return None if meta is None else meta.last_backup_at

    def change_marker(self) -> tuple[int, int]:
        """Changes whenever any process changes the keybox (for the window's refresh)."""
        with self._store.session() as s:
            last = s.scalar(select(func.max(AuditRow.id))) or 0
            keys = s.scalar(select(func.count()).select_from(ProfileKeyRow)) or 0
        return int(last), int(keys)

    # --- slots ---------------------------------------------------------------------------

    def _slot_records(self) -> list[SlotRecord]:
        with self._store.session() as s:
            rows = s.scalars(select(KeySlotRow).order_by(KeySlotRow.created_at)).all()
        return [_slot_record(r) for r in rows]

    def slots(self) -> list[SlotInfo]:
        with self._store.session() as s:
            rows = s.scalars(select(KeySlotRow).order_by(KeySlotRow.created_at)).all()
        return [_slot_info(_slot_record(r), r.created_at) for r in rows]

    def add_slot(self, request: SlotRequest, label: str | None = None) -> SlotInfo:
        """Make a new slot of any kind from its request and store it (with an audit row).
        `label`: the person's name for it; by default the kind's, made unique ("recovery
        passphrase 2")."""
        record = _create_slot(request, self.keybox_id, self.require_root(),
                              self._slot_records())
        now = utcnow()
        try:
            with self._writing() as s:
                taken = set(s.scalars(select(KeySlotRow.label)).all())
                record.label = check_name(label, "a slot label", 100) if label \
                    else unique(record.label, taken)
                s.add(_slot_row(record, now))
                log(s, _audit(now, "slot.add", details=f"{record.kind} slot {record.slot_id}: "
                                                      f"{record.label}"))
        except BaseException:
            _forget_slot(self.keybox_id, record)
            raise
        return _slot_info(record, now)

    def add_passphrase_slot(self, passphrase: str, kdf: KdfParams | None = None,
                            label: str | None = None) -> SlotInfo:
        return self.add_slot(PassphraseRequest(passphrase, kdf), label)

    def rename_slot(self, slot_id: str, label: str) -> SlotInfo:
        """Give a slot the person's own name (the label is in the authenticated state,
        not in the pin: a renamed slot is still the same slot)."""
        label = check_name(label, "a slot label", 100)
        with self._writing() as s:
            row = _one_slot(s.scalars(select(KeySlotRow).with_for_update()).all(), slot_id)
            old, row.label = row.label, label
            log(s, _audit(utcnow(), "slot.rename",
                          details=f"{row.kind} slot {row.slot_id}: {old!r} -> {label!r}"))
            return _slot_info(_slot_record(row), row.created_at)

    def test_slot(self, slot_id: str, secret: str | None = None) -> SlotInfo:
        """Whether one slot opens this (unlocked) keybox: unwrap the root key through it
        and compare. Changes nothing; KeyboxLockedError (with the reason in `failures`)
        when it does not open it. The way to check an emergency kit's passphrase."""
        root = self.require_root()
        record = _one_slot(self._slot_records(), slot_id)
        provider = provider_for(record.kind)
        name = f"{record.label} ({record.slot_id})"
        try:
            if provider is None:
                raise SlotFailure("unknown slot kind")
            if provider.needs_secret and not secret:
                raise SlotFailure("no passphrase was given", "no-passphrase")
            if needs_pin(provider, record) and not secret:
                raise SlotFailure("no PIN was given", "no-pin")
            found = provider.unlock(self.keybox_id, record, secret)
        except SlotFailure as exc:
            raise KeyboxLockedError(f"key slot {name} does not open this keybox: {exc}",
                                    reasons=(SlotReason(name, exc.code, str(exc),
                                                        tuple(exc.values.items())),)) from None
        if not hmac.compare_digest(found, bytes(root)):
            raise tampered(f"key slot {name} yields a key that is not this keybox's root key")
        return _slot_info(record, utcnow())

    def removal_consequence(self, slot_id: str) -> str | None:
        """What removing the slot would cost, when that is more than one way in: removing
        the last slot that survives the loss of this machine (passphrase, KMS) leaves only
        slots that live here. None when nothing beyond the slot itself is lost."""
        records = self._slot_records()
        target = _one_slot(records, slot_id)
        if not _portable(target.kind):
            return None
        if any(_portable(r.kind) for r in records if r.slot_id != target.slot_id):
            return None
        return (f"{target.label} is the last key slot that does not depend on this machine; "
                "without it, losing this machine or its keyring locks the keybox for good "
                "(every sealed file with it)")

    def add_keyring_slot(self) -> SlotInfo:
        return self.add_slot(KeyringRequest())

    def add_kms_slot(self, key_arn: str, *, region: str | None = None,
                     endpoint_url: str | None = None, keyring: bool = False) -> SlotInfo:
        """An AWS KMS slot (or an OS keyring slot whose entry KMS wraps)."""
        from .slots.aws_kms import AwsKmsRequest

        return self.add_slot(AwsKmsRequest(key_arn, region, endpoint_url, keyring))

    def remove_slot(self, slot_id: str, *, allow_last_portable: bool = False) -> None:
        """Remove a slot. Never the last one; the last portable one (see
        removal_consequence) only with `allow_last_portable`."""
        with self._writing() as s:
            rows = s.scalars(select(KeySlotRow).with_for_update()).all()
            row = _one_slot(rows, slot_id)
            if len(rows) == 1:
                raise VaultError("this is the last key slot: removing it would lock the keybox "
                                 "for good; add another slot first")
            if not allow_last_portable and _portable(row.kind) and \
                    not any(_portable(r.kind) for r in rows if r is not row):
                raise LastPortableSlotError(
                    f"{row.label} ({row.slot_id}) is the last key slot that does not depend on "
                    "this machine; without it, losing this machine or its keyring locks the "
                    "keybox for good. It was not removed")
            record = _slot_record(row)
            s.delete(row)
            log(s, _audit(utcnow(), "slot.remove", details=f"{row.kind} slot {row.slot_id}"))
        _forget_slot(self.keybox_id, record)

    # --- audit log -----------------------------------------------------------------------

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]:
        with self._store.session() as s:
            rows = s.scalars(select(AuditRow).order_by(AuditRow.id)).all()
        entries = [AuditEntry(r.at, r.actor, r.action, r.profile, r.key_id, r.files, r.details)
                   for r in rows]
        return entries[-limit:] if limit else entries

    def audit_page(self, offset: int, limit: int, profile: str | None = None,
                   key_id: str | None = None, action: str | None = None) -> list[AuditEntry]:
        """One page of the audit log, newest first: rows `offset` to `offset + limit` of
        those naming `profile`, a key id starting with `key_id` and the `action` (None: any).
        The window's log viewer reads it page by page, so a long log never loads whole."""
        query = select(AuditRow).order_by(AuditRow.id.desc())
        if profile is not None:
            query = query.where(AuditRow.profile == profile)
        if key_id:
            query = query.where(AuditRow.key_id.startswith(key_id.strip().lower(),
                                                           autoescape=True))
        if action is not None:
            query = query.where(AuditRow.action == action)
        with self._store.session() as s:
            rows = s.scalars(query.offset(max(0, offset)).limit(max(0, limit))).all()
            return [AuditEntry(r.at, r.actor, r.action, r.profile, r.key_id, r.files, r.details)
                    for r in rows]


# --- rows and records ------------------------------------------------------------------------

def _create_slot(request: SlotRequest, keybox_id: str, root: bytearray,
                 existing: Sequence[SlotRecord]) -> SlotRecord:
    try:
        return request.create(keybox_id, bytes(root), existing)
    except NoSecureKeyring as exc:
        raise VaultError(str(exc), hint=Hint.NO_SECURE_KEYRING) from None
    except SlotFailure as exc:
        raise VaultError(f"cannot add the {request.noun} slot: {exc}") from None


def _forget_slot(keybox_id: str, record: SlotRecord) -> None:
    provider = provider_for(record.kind)
    if provider is not None:
        provider.forget(keybox_id, record)


def _slot_info(record: SlotRecord, created_at: datetime) -> SlotInfo:
    provider = provider_for(record.kind)
    return SlotInfo(record.slot_id, record.kind, record.label, created_at,
                    secret=provider is not None and proves_person(provider, record),
                    portable=provider is not None and provider.portable)


def _portable(kind: str) -> bool:
    provider = provider_for(kind)
    return provider is not None and provider.portable


class _HasSlotId(Protocol):
    slot_id: str


_Slot = TypeVar("_Slot", bound=_HasSlotId)


def _one_slot(slots: Sequence[_Slot], slot_id: str) -> _Slot:
    """The one slot whose id starts with `slot_id` (as `slot list` prints it)."""
    prefix = slot_id.strip().lower()
    matches = [r for r in slots if prefix and r.slot_id.startswith(prefix)]
    if len(matches) != 1:
        raise UsageError(f"no single key slot has an id starting with {slot_id!r}",
                         hint=Hint.NO_SUCH_SLOT)
    return matches[0]


def _slot_record(r: KeySlotRow) -> SlotRecord:
    return SlotRecord(r.slot_id, r.kind, r.label, parse_params(r.params), r.wrapped_root_key)


def _slot_row(slot: SlotRecord, now: datetime) -> KeySlotRow:
    return KeySlotRow(slot_id=slot.slot_id, kind=slot.kind, label=slot.label,
                      params=slot.params_json, wrapped_root_key=slot.wrapped_root_key,
                      created_at=now)


def _audit(at: datetime, action: str, profile: str | None = None, key_id: str | None = None,
           *, details: str = "", files: int = 0, who: str | None = None) -> AuditRow:
    return AuditRow(at=at, actor=who or actor(), action=action, profile=profile, key_id=key_id,
                    files=files, details=details)


def _key_info(k: ProfileKeyRow, p: ProfileRow, files: int) -> KeyInfo:
    return KeyInfo(k.key_id, p.name, p.profile_id, k.version, KeyState(k.state), k.is_primary,
                   k.created_at, k.destroy_after, k.destroyed_at, p.rotation_days, files)


def _profile_row(s: Session, name: str, lock: bool = False) -> ProfileRow:
    query = select(ProfileRow).where(ProfileRow.name == name)
    if lock:
        query = query.with_for_update()
    row = s.scalar(query)
    if row is None:
        raise _no_profile(name)
    return row


def _key_row(s: Session, prefix: str, lock: bool = False) -> ProfileKeyRow:
    prefix = prefix.strip().lower()
    if not prefix or any(c not in "0123456789abcdef" for c in prefix):
        raise UsageError(f"{prefix!r} is not a key id (lowercase hex)", hint=Hint.KEY_ID_FORMAT)
    query = select(ProfileKeyRow).where(ProfileKeyRow.key_id.startswith(prefix)).limit(2)
    if lock:
        query = query.with_for_update()
    rows = s.scalars(query).all()
    if not rows:
        raise KeyUnusableError(f"no key in this keybox has an id starting with {prefix!r}")
    if len(rows) > 1:
        raise UsageError(f"more than one key id starts with {prefix!r}",
                         hint=Hint.AMBIGUOUS_KEY_ID)
    return rows[0]


def _sealed_counts(s: Session, key_ids: list[str] | None) -> dict[str, int]:
    query = (select(AuditRow.key_id, func.sum(AuditRow.files))
             .where(AuditRow.action.in_(("seal", "rewrap"))).group_by(AuditRow.key_id))
    if key_ids is not None:
        query = query.where(AuditRow.key_id.in_(key_ids))
    return {k: int(n or 0) for k, n in s.execute(query).all() if k}


def _refuse_taken_name(s: Session, name: str) -> None:
    if s.scalar(select(ProfileRow).where(ProfileRow.name == name)) is not None:
        raise _name_taken(name)


def _name_taken(name: str) -> VaultError:
    return VaultError(f"a profile named {name!r} already exists")


def _no_profile(name: str) -> UsageError:
    return UsageError(f"there is no profile named {name!r}", hint=Hint.NO_SUCH_PROFILE)


def _check_rotation(days: int | None) -> None:
    if days is not None and days < 1:
        raise UsageError("the rotation period must be at least one day")
