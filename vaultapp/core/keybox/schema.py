"""The keybox's tables, as typed SQLAlchemy 2 ORM models.

Ids are stored as 32 lowercase hex digits so that every SQL dialect (SQLite, PostgreSQL)
stores and indexes them alike and a person can read them in a database shell. Secret
material is stored only wrapped (AES-256-GCM under the root key or a slot's key).
Schema changes go through Alembic migrations in vaultapp/migrations.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .models import HEAD_REVISION, SCHEMA_VERSION
from .timeutil import UtcDateTime

__all__ = ["HEAD_REVISION", "SCHEMA_VERSION"]


class Base(DeclarativeBase):
    pass


class KeyboxMeta(Base):
    """One row: which keybox this is, and a check value that proves a root key is right."""

    __tablename__ = "keybox_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    keybox_id: Mapped[str] = mapped_column(String(32))
    schema_version: Mapped[int] = mapped_column(Integer)
    root_key_check: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_backup_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The authenticated state (integrity.py): raised by every change, and its MACs.
    generation: Mapped[int] = mapped_column(Integer, default=0)
    state_mac: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # The audit chain's newest row and its MAC; rows up to audit_chain_start predate it.
    audit_last_id: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    audit_mac: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    audit_chain_start: Mapped[int] = mapped_column(Integer, default=0)


class KeySlotRow(Base):
    """One way to recover the root key: keyring, passphrase or a KMS key."""

    __tablename__ = "key_slots"

    slot_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200))
    params: Mapped[str] = mapped_column(Text, default="{}")
    wrapped_root_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProfileRow(Base):
    __tablename__ = "profiles"

    profile_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    rotation_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProfileKeyRow(Base):
    """A versioned key of a profile. A destroyed key keeps its row as a tombstone."""

    __tablename__ = "profile_keys"
    # At most one primary key per profile is enforced by the database itself: the
    # partial unique index uq_one_primary_per_profile made by migration 0001. It is not
    # declared here because dialect-specific index options would load every dialect
    # module at import time (the schema is only ever created by migrations).
    __table_args__ = (UniqueConstraint("profile_id", "version", name="uq_profile_key_version"),)

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    profile_id: Mapped[str] = mapped_column(ForeignKey("profiles.profile_id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(32))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    state_changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    destroy_after: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    destroyed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AuditRow(Base):
    """Append-only record of every key, slot and profile change (and of sealing)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    profile: Mapped[str | None] = mapped_column(String(200), nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    files: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[str] = mapped_column(Text, default="")
    chain: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class KeySecretRow(Base):
    """A profile key's own secret, mixed into its wrapping; erased when the key is destroyed,
    so a copy of the key's old row brought back from a backup no longer unwraps."""

    __tablename__ = "key_secrets"

    key_id: Mapped[str] = mapped_column(ForeignKey("profile_keys.key_id"), primary_key=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary)


class IdentityRow(Base):
    """An age identity of this keybox's owner: its secret wrapped under the root key, its
    recipient (what others encrypt to) in the clear. Both are in the authenticated state."""

    __tablename__ = "identities"

    identity_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(Text)
    wrapped_secret: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ContactRow(Base):
    """Another person's age recipient, under a name chosen here."""

    __tablename__ = "contacts"

    contact_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
