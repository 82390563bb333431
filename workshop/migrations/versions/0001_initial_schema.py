"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:23:17.975038
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=60), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)

    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort')),
    sa.UniqueConstraint('name', name=op.f('uq_cohort_name'))
    )
    op.create_table('funding_programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('name_sv', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('amount_min_sek', sa.Float(), nullable=True),
    sa.Column('amount_max_sek', sa.Float(), nullable=True),
    sa.Column('cofinancing_share', sa.Float(), nullable=True),
    sa.Column('stages', sa.JSON(), nullable=False),
    sa.Column('benefit_kinds', sa.JSON(), nullable=False),
    sa.Column('eligibility', sa.JSON(), nullable=False),
    sa.Column('description_sv', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.CheckConstraint("status IN ('current', 'uncertain', 'ended')", name=op.f('ck_funding_programme_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_programme')),
    sa.UniqueConstraint('key', name=op.f('uq_funding_programme_key'))
    )
    op.create_table('scoring_model',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title_sv', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('value_threshold', sa.Float(), nullable=False),
    sa.Column('feasibility_threshold', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scoring_model')),
    sa.UniqueConstraint('name', 'version', name='uq_scoring_model_name_version')
    )
    op.create_table('staff_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'facilitator', 'advisor')", name=op.f('ck_staff_account_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_account')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_account_email'))
    )
    op.create_table('company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('org_number', sa.String(length=11), nullable=False),
    sa.Column('sni_section', sa.String(length=1), nullable=False),
    sa.Column('sni_division', sa.String(length=2), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.Column('size_class', sa.String(length=10), nullable=False),
    sa.Column('turnover_band', sa.String(length=20), nullable=False),
    sa.Column('founded_year', sa.Integer(), nullable=True),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('consent_reporting', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('employees >= 0', name=op.f('ck_company_employees')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_company_cohort_id_cohort'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company')),
    sa.UniqueConstraint('cohort_id', 'org_number', name='uq_company_cohort_org_number')
    )
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scoring_model_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('axis', sa.String(length=20), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_sv', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('question_sv', sa.Text(), nullable=False),
    sa.Column('question_en', sa.Text(), nullable=False),
    sa.CheckConstraint("axis IN ('value', 'feasibility')", name=op.f('ck_criterion_axis')),
    sa.CheckConstraint("direction IN ('higher_is_better', 'lower_is_better')", name=op.f('ck_criterion_direction')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_criterion_weight_positive')),
    sa.ForeignKeyConstraint(['scoring_model_id'], ['scoring_model.id'], name=op.f('fk_criterion_scoring_model_id_scoring_model'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion')),
    sa.UniqueConstraint('scoring_model_id', 'key', name='uq_criterion_model_key')
    )
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_scoring_model_id'), ['scoring_model_id'], unique=False)

    op.create_table('criterion_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('description_sv', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_criterion_level_level_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_criterion_level_criterion_id_criterion'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_level')),
    sa.UniqueConstraint('criterion_id', 'level', name='uq_criterion_level_criterion_level')
    )
    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('scoring_model_id', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('facilitator_name', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('current_step', sa.String(length=30), nullable=False),
    sa.Column('value_threshold', sa.Float(), nullable=True),
    sa.Column('feasibility_threshold', sa.Float(), nullable=True),
    sa.Column('maturity_answers', sa.JSON(), nullable=False),
    sa.Column('presentation_mode', sa.Boolean(), nullable=False),
    sa.Column('voting_open', sa.Boolean(), nullable=False),
    sa.Column('join_code_hash', sa.String(length=200), nullable=True),
    sa.Column('access_code_hash', sa.String(length=200), nullable=True),
    sa.Column('access_code_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("language IN ('sv', 'en')", name=op.f('ck_workshop_language')),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'completed')", name=op.f('ck_workshop_status')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_workshop_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['facilitator_id'], ['staff_account.id'], name=op.f('fk_workshop_facilitator_id_staff_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scoring_model_id'], ['scoring_model.id'], name=op.f('fk_workshop_scoring_model_id_scoring_model')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop'))
    )
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_facilitator_id'), ['facilitator_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('device_token_hash', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_participant_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('device_token_hash', name=op.f('uq_participant_device_token_hash'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('process',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('pain_points', sa.Text(), nullable=False),
    sa.Column('frequency', sa.String(length=200), nullable=False),
    sa.Column('hours_per_week', sa.Float(), nullable=True),
    sa.Column('people_involved', sa.Integer(), nullable=True),
    sa.Column('data_availability', sa.String(length=30), nullable=False),
    sa.Column('system', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('hours_per_week IS NULL OR hours_per_week >= 0', name=op.f('ck_process_hours_per_week')),
    sa.CheckConstraint('people_involved IS NULL OR people_involved >= 0', name=op.f('ck_process_people_involved')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_process_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process'))
    )
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('use_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('ai_capability', sa.String(length=40), nullable=False),
    sa.Column('benefit_kind', sa.String(length=40), nullable=False),
    sa.Column('data_needed', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('cost_band', sa.String(length=20), nullable=False),
    sa.Column('selected', sa.Boolean(), nullable=False),
    sa.Column('library_key', sa.String(length=80), nullable=True),
    sa.Column('estimate_share_low', sa.Float(), nullable=True),
    sa.Column('estimate_share_high', sa.Float(), nullable=True),
    sa.Column('estimate_hourly_cost_sek', sa.Float(), nullable=True),
    sa.Column('estimate_weeks_per_year', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_use_case_process_id_process'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_use_case_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_use_case'))
    )
    with op.batch_alter_table('use_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_use_case_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_use_case_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('use_case_id', sa.Integer(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=True),
    sa.Column('cost_band', sa.String(length=20), nullable=False),
    sa.Column('needs_competence', sa.Text(), nullable=False),
    sa.Column('needs_data', sa.Text(), nullable=False),
    sa.Column('needs_partner', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('horizon_days IS NULL OR horizon_days IN (30, 90, 180)', name=op.f('ck_action_item_horizon_days')),
    sa.ForeignKeyConstraint(['use_case_id'], ['use_case.id'], name=op.f('fk_action_item_use_case_id_use_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item')),
    sa.UniqueConstraint('use_case_id', name=op.f('uq_action_item_use_case_id'))
    )
    op.create_table('consensus_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('use_case_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_consensus_score_score_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_consensus_score_criterion_id_criterion')),
    sa.ForeignKeyConstraint(['use_case_id'], ['use_case.id'], name=op.f('fk_consensus_score_use_case_id_use_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_score')),
    sa.UniqueConstraint('use_case_id', 'criterion_id', name='uq_consensus_score_use_case_criterion')
    )
    with op.batch_alter_table('consensus_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consensus_score_use_case_id'), ['use_case_id'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('use_case_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('check_in_months', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_follow_up_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['use_case_id'], ['use_case.id'], name=op.f('fk_follow_up_use_case_id_use_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_use_case_id'), ['use_case_id'], unique=False)

    op.create_table('vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('use_case_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('voted_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_vote_score_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_vote_criterion_id_criterion')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_vote_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['use_case_id'], ['use_case.id'], name=op.f('fk_vote_use_case_id_use_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_vote_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote')),
    sa.UniqueConstraint('participant_id', 'use_case_id', 'criterion_id', name='uq_vote_participant_use_case_criterion')
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_use_case_id'), ['use_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_workshop_id'), ['workshop_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_vote_use_case_id'))

    op.drop_table('vote')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_use_case_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_company_id'))

    op.drop_table('follow_up')
    with op.batch_alter_table('consensus_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consensus_score_use_case_id'))

    op.drop_table('consensus_score')
    op.drop_table('action_item')
    with op.batch_alter_table('use_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_use_case_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_use_case_process_id'))

    op.drop_table('use_case')
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_workshop_id'))

    op.drop_table('process')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_workshop_id'))

    op.drop_table('participant')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_facilitator_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_company_id'))

    op.drop_table('workshop')
    op.drop_table('criterion_level')
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_scoring_model_id'))

    op.drop_table('criterion')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_cohort_id'))

    op.drop_table('company')
    op.drop_table('staff_account')
    op.drop_table('scoring_model')
    op.drop_table('funding_programme')
    op.drop_table('cohort')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    
