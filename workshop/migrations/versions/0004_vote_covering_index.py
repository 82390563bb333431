"""vote covering index for cohort figures

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:00:00

The cohort dashboard counts scores per (workshop, use case, criterion); with this index
the database reads them in that order from the index alone, without sorting or touching
the table.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_vote_workshop_use_case_criterion_score", "vote", ["workshop_id", "use_case_id", "criterion_id", "score"])


def downgrade() -> None:
    op.drop_index("ix_vote_workshop_use_case_criterion_score", table_name="vote")
