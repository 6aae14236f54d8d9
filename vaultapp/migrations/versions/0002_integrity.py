"""Keybox schema 2: the authenticated state, the audit chain and per-key secrets.

Revision ID: 0002
Revises: 0001

The MACs need the root key, which a migration never has: the first unlock after this
migration computes the state MAC (when this machine has no pin for the keybox yet) and
the chain starts after the rows already in the log (audit_chain_start).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("keybox_meta") as batch:
        batch.add_column(sa.Column("generation", sa.Integer, nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("state_mac", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("audit_last_id", sa.Integer, nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("audit_head", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("audit_mac", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("audit_chain_start", sa.Integer, nullable=False,
                                   server_default="0"))
    # ALTER TABLE ADD COLUMN does not touch the rows, so the append-only triggers stay.
    op.add_column("audit_log", sa.Column("chain", sa.LargeBinary, nullable=True))
    op.execute("UPDATE keybox_meta SET audit_chain_start = "
               "(SELECT COALESCE(MAX(id), 0) FROM audit_log)")
    op.create_table(
        "key_secrets",
        sa.Column("key_id", sa.String(32), sa.ForeignKey("profile_keys.key_id"),
                  primary_key=True),
        sa.Column("secret", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("key_secrets")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("chain")
    with op.batch_alter_table("keybox_meta") as batch:
        for name in ("audit_chain_start", "audit_mac", "audit_head", "audit_last_id",
                     "state_mac", "generation"):
            batch.drop_column(name)
