"""staff sessions: a signed-in browser survives a reload, and ends on sign-out or idleness

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 16:20:00

The browser keeps a random token in a cookie; only its hash is stored here, with when the
session was last used, so an idle or signed-out session cannot be resumed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_account_id"], ["staff_account.id"], name=op.f("fk_staff_session_staff_account_id_staff_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_session")),
    )
    op.create_index("ix_staff_session_token_hash", "staff_session", ["token_hash"], unique=True)
    op.create_index("ix_staff_session_staff_account_id", "staff_session", ["staff_account_id"])


def downgrade() -> None:
    op.drop_index("ix_staff_session_staff_account_id", table_name="staff_session")
    op.drop_index("ix_staff_session_token_hash", table_name="staff_session")
    op.drop_table("staff_session")
