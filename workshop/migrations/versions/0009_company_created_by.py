"""company.created_by_id: a facilitator reaches a company they registered before its first
workshop exists

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 18:10:00

Otherwise a facilitator reaches a company only through a workshop they run or are assigned.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_company_created_by_id_staff_account"), "staff_account", ["created_by_id"], ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_company_created_by_id"), ["created_by_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_created_by_id"))
        batch_op.drop_constraint(batch_op.f("fk_company_created_by_id_staff_account"), type_="foreignkey")
        batch_op.drop_column("created_by_id")
