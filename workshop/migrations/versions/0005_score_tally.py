"""score tallies kept by triggers, for cohort figures at scale

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:05:00

Per use case and criterion, the number of votes at each score; database triggers on the
vote table keep it (see workshop/tally.py), and this revision counts the existing votes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from workshop import tally

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_tally",
        sa.Column("use_case_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        *(sa.Column(f"c{level}", sa.Integer(), server_default="0", nullable=False) for level in tally.LEVELS),
        sa.ForeignKeyConstraint(["use_case_id"], ["use_case.id"], name=op.f("fk_score_tally_use_case_id_use_case"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["criterion_id"], ["criterion.id"], name=op.f("fk_score_tally_criterion_id_criterion")),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], name=op.f("fk_score_tally_workshop_id_workshop"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("use_case_id", "criterion_id", name=op.f("pk_score_tally")),
    )
    op.create_index(op.f("ix_score_tally_workshop_id"), "score_tally", ["workshop_id"])
    connection = op.get_bind()
    tally.install_triggers(connection)
    tally.rebuild(connection)


def downgrade() -> None:
    tally.drop_triggers(op.get_bind())
    op.drop_index(op.f("ix_score_tally_workshop_id"), table_name="score_tally")
    op.drop_table("score_tally")
