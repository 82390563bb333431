"""funding catalogue: the columns the matcher and the catalogue file need

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:20:00

Nothing wrote the first funding_programme table (the catalogue is installed from this
revision on), so it is replaced rather than altered column by column.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("funding_programme")
    op.create_table(
        "funding_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name_sv", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("provider", sa.String(length=300), nullable=False),
        sa.Column("description_sv", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("benefit_focus", sa.JSON(), nullable=False),
        sa.Column("benefit_also", sa.JSON(), nullable=False),
        sa.Column("startups_only", sa.Boolean(), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("amount_min_sek", sa.Float(), nullable=True),
        sa.Column("amount_max_sek", sa.Float(), nullable=True),
        sa.Column("amount_note_sv", sa.Text(), nullable=False),
        sa.Column("amount_note_en", sa.Text(), nullable=False),
        sa.Column("max_funded_percent", sa.Float(), nullable=True),
        sa.Column("cofinancing_sv", sa.Text(), nullable=False),
        sa.Column("cofinancing_en", sa.Text(), nullable=False),
        sa.Column("de_minimis", sa.Boolean(), nullable=False),
        sa.Column("window_sv", sa.Text(), nullable=False),
        sa.Column("window_en", sa.Text(), nullable=False),
        sa.Column("check_sv", sa.Text(), nullable=False),
        sa.Column("check_en", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.CheckConstraint("status IN ('current', 'uncertain', 'ended')", name=op.f("ck_funding_programme_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_programme")),
        sa.UniqueConstraint("key", name=op.f("uq_funding_programme_key")),
    )


def downgrade() -> None:
    op.drop_table("funding_programme")
    op.create_table(
        "funding_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name_sv", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("amount_min_sek", sa.Float(), nullable=True),
        sa.Column("amount_max_sek", sa.Float(), nullable=True),
        sa.Column("cofinancing_share", sa.Float(), nullable=True),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("benefit_kinds", sa.JSON(), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("description_sv", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.CheckConstraint("status IN ('current', 'uncertain', 'ended')", name=op.f("ck_funding_programme_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_programme")),
        sa.UniqueConstraint("key", name=op.f("uq_funding_programme_key")),
    )
