"""staff assignments: advisors to cohorts, extra facilitators to workshops

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 10:00:00

An advisor reads only the cohorts assigned to them; a workshop can have facilitators
besides the one who runs it. Both rows go when either side is removed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cohort_advisor",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("staff_account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohort.id"], name=op.f("fk_cohort_advisor_cohort_id_cohort"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_account_id"], ["staff_account.id"],
            name=op.f("fk_cohort_advisor_staff_account_id_staff_account"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cohort_id", "staff_account_id", name=op.f("pk_cohort_advisor")),
    )
    op.create_index(op.f("ix_cohort_advisor_staff_account_id"), "cohort_advisor", ["staff_account_id"])
    op.create_table(
        "workshop_facilitator",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("staff_account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshop.id"], name=op.f("fk_workshop_facilitator_workshop_id_workshop"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_account_id"], ["staff_account.id"],
            name=op.f("fk_workshop_facilitator_staff_account_id_staff_account"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workshop_id", "staff_account_id", name=op.f("pk_workshop_facilitator")),
    )
    op.create_index(op.f("ix_workshop_facilitator_staff_account_id"), "workshop_facilitator", ["staff_account_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_workshop_facilitator_staff_account_id"), table_name="workshop_facilitator")
    op.drop_table("workshop_facilitator")
    op.drop_index(op.f("ix_cohort_advisor_staff_account_id"), table_name="cohort_advisor")
    op.drop_table("cohort_advisor")
