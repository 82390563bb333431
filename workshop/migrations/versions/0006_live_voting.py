"""live voting: per-use-case voting state, join-code expiry, anonymous voting, attempts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 15:10:00

A use case's voting moves idle → open → closed → revealed; a re-vote starts a new round.
Failed code attempts are kept so repeated wrong codes can be slowed down across sessions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop") as batch_op:
        batch_op.add_column(sa.Column("anonymous_voting", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("join_code_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_workshop_join_code_hash", ["join_code_hash"], unique=True)
    with op.batch_alter_table("use_case") as batch_op:
        batch_op.add_column(sa.Column("voting_status", sa.String(length=10), nullable=False, server_default="idle"))
        batch_op.add_column(sa.Column("voting_round", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_check_constraint(
            "voting_status", "voting_status IN ('idle', 'open', 'closed', 'revealed')"
        )
    op.create_table(
        "failed_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=30), nullable=False),
        sa.Column("client_key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failed_attempt")),
    )
    op.create_index("ix_failed_attempt_scope_client_at", "failed_attempt", ["scope", "client_key", "at"])


def downgrade() -> None:
    op.drop_index("ix_failed_attempt_scope_client_at", table_name="failed_attempt")
    op.drop_table("failed_attempt")
    with op.batch_alter_table("use_case") as batch_op:
        batch_op.drop_constraint("voting_status", type_="check")
        batch_op.drop_column("voting_round")
        batch_op.drop_column("voting_status")
    with op.batch_alter_table("workshop") as batch_op:
        batch_op.drop_index("ix_workshop_join_code_hash")
        batch_op.drop_column("join_code_expires_at")
        batch_op.drop_column("anonymous_voting")
