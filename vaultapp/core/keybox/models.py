"""Plain, immutable views of keybox rows handed to the command line and the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .states import KeyState, can_seal
from .timefmt import iso

SCHEMA_VERSION = 3
HEAD_REVISION = "0003"
"""The newest Alembic revision: a keybox at another one is migrated when it is opened."""


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    profile_id: str
    primary_key_id: str | None
    rotation_days: int | None
    created_at: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "profile_id": self.profile_id,
            "primary_key_id": self.primary_key_id,
            "rotation_days": self.rotation_days,
            "created_at": iso(self.created_at),
        }


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    profile: str
    profile_id: str
    version: int
    state: KeyState
    primary: bool
    created_at: datetime
    destroy_after: datetime | None
    destroyed_at: datetime | None
    rotation_days: int | None
    files_sealed: int

    @property
    def short_id(self) -> str:
        return self.key_id[:8]

    @property
    def next_rotation(self) -> datetime | None:
        if not can_seal(self.state, self.primary) or self.rotation_days is None:
            return None
        return self.created_at + timedelta(days=self.rotation_days)

    def to_json(self) -> dict[str, object]:
        return {
            "key_id": self.key_id,
            "profile": self.profile,
            "profile_id": self.profile_id,
            "version": self.version,
            "state": self.state.value,
            "primary": self.primary,
            "created_at": iso(self.created_at),
            "destroy_after": iso(self.destroy_after),
            "destroyed_at": iso(self.destroyed_at),
            "next_rotation": iso(self.next_rotation),
            "files_sealed": self.files_sealed,
        }


@dataclass(frozen=True)
class SlotInfo:
    slot_id: str
    kind: str
    label: str
    created_at: datetime
    secret: bool = False
    """Unlocking through it proves a person is here: it unlocks after a lock."""
    portable: bool = False
    """It survives the loss of this machine (not the OS keyring)."""

    def to_json(self) -> dict[str, object]:
        return {"slot_id": self.slot_id, "kind": self.kind, "label": self.label,
                "created_at": iso(self.created_at), "after_lock": self.secret,
                "portable": self.portable}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    profile: str | None
    key_id: str | None
    files: int
    details: str

    def to_json(self) -> dict[str, object]:
        return {"at": iso(self.at), "actor": self.actor, "action": self.action,
                "profile": self.profile, "key_id": self.key_id, "files": self.files,
                "details": self.details}


@dataclass(frozen=True)
class PersonKey:
    """An identity of this keybox (`secret`: it opens files) or a contact's recipient."""

    name: str
    recipient: str
    kind: str
    """"hybrid" (mlkem768x25519, post-quantum) or "x25519" (classic)."""
    created_at: datetime

    @property
    def post_quantum(self) -> bool:
        return self.kind == "hybrid"

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "recipient": self.recipient, "kind": self.kind,
                "created_at": iso(self.created_at)}
