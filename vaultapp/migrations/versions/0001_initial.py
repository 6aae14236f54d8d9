"""Keybox schema 1: metadata, key slots, profiles, profile keys, audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "keybox_meta",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("keybox_id", sa.String(32), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("root_key_check", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_backup_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "key_slots",
        sa.Column("slot_id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("wrapped_root_key", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "profiles",
        sa.Column("profile_id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("rotation_days", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "profile_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("profile_id", sa.String(32), sa.ForeignKey("profiles.profile_id"),
                  nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("is_primary", sa.Boolean, nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("state_changed_at", sa.DateTime, nullable=False),
        sa.Column("destroy_after", sa.DateTime, nullable=True),
        sa.Column("destroyed_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("profile_id", "version", name="uq_profile_key_version"),
    )
    op.create_index("ix_profile_keys_profile_id", "profile_keys", ["profile_id"])
    op.create_index(
        "uq_one_primary_per_profile", "profile_keys", ["profile_id"], unique=True,
        sqlite_where=sa.text("is_primary = 1"), postgresql_where=sa.text("is_primary"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("profile", sa.String(200), nullable=True),
        sa.Column("key_id", sa.String(32), nullable=True),
        sa.Column("files", sa.Integer, nullable=False),
        sa.Column("details", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_key_id", "audit_log", ["key_id"])
    _append_only_audit_log()


def _append_only_audit_log() -> None:
    """The database itself refuses to change or delete audit rows."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION vaultapp_audit_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION vaultapp_audit_append_only()"
        )
        # Row triggers do not fire on TRUNCATE, which empties the table all the same.
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION vaultapp_audit_append_only()"
        )


def downgrade() -> None:
    for table in ("audit_log", "profile_keys", "profiles", "key_slots", "keybox_meta"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS vaultapp_audit_append_only()")
