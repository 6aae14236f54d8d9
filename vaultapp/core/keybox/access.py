"""Unlocking a keybox and using its profile keys: the rules both keybox readers share.

Two classes read a keybox: the full service (`service.Keybox`, SQLAlchemy, every
command and the window) and the quick SQLite reader (`quick.QuickKeybox`, stdlib
sqlite3, for the file commands and key listing, which must start fast and stay small).
`KeyAccess` holds what they have in common, so each rule is written once: the order in
which key slots are tried, the root-key check, which key states may seal or open, the
unwrapping of profile keys and the cache of their rows. Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

import getpass
import os
import socket
import time
from collections.abc import Callable
from typing import Protocol

from ..envelope import Recipient
from ..errors import KeyboxLockedError, KeyUnusableError, UsageError, VaultError
from ..hygiene import disable_core_dumps
from .models import DESTROYED, DISABLED, ENABLED, PENDING_DESTRUCTION
from .slots import SlotFailure, SlotRecord, provider_for
from .wrapping import context, is_root_key, unwrap

AskPassphrase = Callable[[list[str]], str | None]
"""Asked for a passphrase with the reasons other slots failed; None means give up."""

RESOLVE_TTL_S = 2.0
"""How long a key's row read for opening files is trusted before it is read again."""

UNLOCK_ORDER = {"keyring": 0, "keyring-kms": 1, "aws-kms": 2, "passphrase": 3}


class KeyRow(Protocol):
    """The columns of a profile key that sealing and opening look at."""

    @property
    def key_id(self) -> str: ...
    @property
    def profile_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def wrapped_key(self) -> bytes | None: ...


def actor() -> str:
    """Who did it, for the audit log: OS user and host."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"{user}@{socket.gethostname()}"


def key_context(keybox_id: str, profile_id: str, key_id: str) -> bytes:
    """The associated data binding a wrapped profile key to its keybox, profile and id."""
    return context("profile-key", keybox_id, profile_id, key_id)


def state_error(row: KeyRow, doing: str) -> KeyUnusableError:
    """Why a key in this state cannot do something, and what would make it work."""
    words = {DISABLED: "disabled", PENDING_DESTRUCTION: "pending destruction",
             DESTROYED: "destroyed"}
    hint = {
        DISABLED: "enable it with 'vaultapp key enable'",
        PENDING_DESTRUCTION: "cancel the destruction with 'vaultapp key cancel-destroy', "
        "then enable it",
        DESTROYED: "its material is erased; files sealed only under it cannot be opened",
    }
    return KeyUnusableError(
        f"key {row.key_id[:8]} (version {row.version}) is {words[row.state]} and cannot "
        f"{doing}; {hint[row.state]}"
    )


def no_profile_error(name: str) -> UsageError:
    return UsageError(f"there is no profile named {name!r}; see 'vaultapp profile list'")


def sealed_details(files: int) -> str:
    """The audit log's words for a batch of sealed files."""
    return f"{files} file(s) sealed"


class KeyAccess:
    """The root key of one keybox once unlocked, and the profile keys unwrapped under it.

    Subclasses read the database: `_slot_records`, `_profile_names`, `_fetch_key`,
    `_primary_key` and `_run_due_work`.
    """

    keybox_id: str
    _check: bytes

    def __init__(self) -> None:
        self._root: bytearray | None = None
        self._profile_keys: dict[str, bytearray] = {}
        self._resolved: dict[bytes, tuple[float, KeyRow | None]] = {}

    # --- what a subclass reads from its database -----------------------------------------

    @property
    def location(self) -> str:
        raise NotImplementedError

    def _slot_records(self) -> list[SlotRecord]:
        raise NotImplementedError

    def _profile_names(self) -> list[str]:
        raise NotImplementedError

    def _fetch_key(self, key_id: str) -> KeyRow | None:
        """The row of a key by its full id (detached: it outlives the transaction)."""
        raise NotImplementedError

    def _primary_key(self, profile: str) -> KeyRow | None:
        """The primary key's row of a profile; UsageError if there is no such profile."""
        raise NotImplementedError

    def _run_due_work(self) -> None:
        """On unlock: carry out scheduled destructions and rotations."""
        raise NotImplementedError

    # --- locking and unlocking -----------------------------------------------------------

    @property
    def is_unlocked(self) -> bool:
        return self._root is not None

    def lock(self) -> None:
        """Drop the root key and every unwrapped profile key from memory."""
        for buf in [self._root, *self._profile_keys.values()]:
            if buf is not None:
                buf[:] = bytes(len(buf))
        self._root = None
        self._profile_keys.clear()
        self._resolved.clear()

    def unlock(
        self,
        passphrase: str | None = None,
        ask_passphrase: AskPassphrase | None = None,
        kinds: tuple[str, ...] | None = None,
    ) -> str:
        """Recover the root key through the first slot that works; return its label.

        Order: OS keyring, then cloud KMS, then passphrase (the given one, else asked
        for with the reasons the others failed). When every slot fails, raise
        KeyboxLockedError listing each slot and why.
        """
        if self._root is not None:
            return "already unlocked"
        records = sorted(self._slot_records(), key=lambda r: UNLOCK_ORDER.get(r.kind, 9))
        failures: list[str] = []
        for record in records:
            if kinds is not None and record.kind not in kinds:
                continue
            provider = provider_for(record.kind)
            if provider is None:
                failures.append(f"{record.label} ({record.slot_id}): unknown slot kind")
                continue
            secret = None
            if record.kind == "passphrase":
                secret = passphrase
                if secret is None and ask_passphrase is not None:
                    secret = ask_passphrase(list(failures))
                    if secret is None:
                        failures.append(f"{record.label} ({record.slot_id}): no passphrase given")
                        continue
            try:
                root = provider.unlock(self.keybox_id, record, secret)
            except SlotFailure as exc:
                failures.append(f"{record.label} ({record.slot_id}): {exc}")
                continue
            if not is_root_key(root, self.keybox_id, self._check):
                failures.append(f"{record.label} ({record.slot_id}): holds a key of another keybox")
                continue
            disable_core_dumps()
            self._root = bytearray(root)
            self._run_due_work()
            return record.label
        listing = "\n  ".join(failures) or "this keybox has no key slot"
        raise KeyboxLockedError(
            f"the keybox at {self.location} is locked; no key slot could unlock it:\n  {listing}"
        )

    def require_root(self) -> bytearray:
        """The root key; raises KeyboxLockedError while locked."""
        if self._root is None:
            raise KeyboxLockedError("the keybox is locked; unlock it first")
        return self._root

    # --- sealing and opening --------------------------------------------------------------

    def default_profile(self, name: str | None) -> str:
        """--profile, or the only profile when there is exactly one."""
        if name is not None:
            return name
        names = self._profile_names()
        if len(names) == 1:
            return names[0]
        if not names:
            raise UsageError("there is no profile yet; create one with 'vaultapp profile create'")
        raise UsageError(f"there are {len(names)} profiles; choose one with --profile")

    def _material(self, row: KeyRow) -> bytearray:
        cached = self._profile_keys.get(row.key_id)
        if cached is not None:
            return cached
        root = self.require_root()
        assert row.wrapped_key is not None
        plain = unwrap(root, row.wrapped_key,
                       key_context(self.keybox_id, row.profile_id, row.key_id))
        if plain is None:
            raise VaultError(
                f"key {row.key_id[:8]} does not unwrap: the keybox was tampered with or damaged; "
                "restore it from a backup"
            )
        buf = bytearray(plain)
        self._profile_keys[row.key_id] = buf
        return buf

    def _forget(self, key_id: str) -> None:
        self._resolved.pop(bytes.fromhex(key_id), None)
        buf = self._profile_keys.pop(key_id, None)
        if buf is not None:
            buf[:] = bytes(len(buf))

    def recipient(self, profile: str) -> Recipient:
        """The profile's primary key, for sealing. Raises KeyUnusableError when it can't seal."""
        self.require_root()
        row = self._primary_key(profile)
        if row is None:
            raise KeyUnusableError(f"profile {profile!r} has no primary key; rotate it")
        if row.state != ENABLED:
            raise state_error(row, f"seal for profile {profile!r}")
        material = self._material(row)
        return Recipient(bytes.fromhex(row.profile_id), bytes.fromhex(row.key_id), bytes(material))

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
            cached = (now, self._fetch_key(key_id.hex()))
            self._resolved[key_id] = cached
        row = cached[1]
        if row is None or row.profile_id != profile_id.hex():
            return None
        if row.state != ENABLED:
            raise state_error(row, "open files")
        return bytes(self._material(row))
