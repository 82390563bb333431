"""use case screening

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:03:14.535642
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('use_case_screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('use_case_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('override_by', sa.String(length=200), nullable=False),
    sa.Column('override_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['use_case_id'], ['use_case.id'], name=op.f('fk_use_case_screening_use_case_id_use_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_use_case_screening')),
    sa.UniqueConstraint('use_case_id', name=op.f('uq_use_case_screening_use_case_id'))
    )
    


def downgrade() -> None:
    
    op.drop_table('use_case_screening')
    
