"""The data model: SQLAlchemy 2 typed mappings, thin on purpose.

Rules live in the domain modules; the database keeps only what it must guarantee itself
(keys, uniqueness, ranges), with named constraints so migrations work on SQLite too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Index,
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Alembic batch mode on SQLite can only drop or alter constraints that have names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored moment as an aware UTC datetime: SQLite hands back naive ones."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utc_now, onupdate=utc_now, server_default=func.now()
    )


class StaffAccount(Timestamped, Base):
    __tablename__ = "staff_account"
    __table_args__ = (CheckConstraint("role IN ('admin', 'facilitator', 'advisor')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[dt.datetime | None]


class StaffSession(Base):
    """A signed-in browser; the cookie holds the token, only its hash is stored."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    staff_account_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    ended_at: Mapped[dt.datetime | None]


class CohortAdvisor(Base):
    """An advisor reads the cohorts they are assigned (see `workshop.accounts`)."""

    __tablename__ = "cohort_advisor"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    # Indexed on its own too: the login gate asks "which cohorts may this account read?".
    staff_account_id: Mapped[int] = mapped_column(
        ForeignKey("staff_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class WorkshopFacilitator(Base):
    """A facilitator assigned to a workshop besides the one who runs it (`Workshop.facilitator_id`)."""

    __tablename__ = "workshop_facilitator"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    staff_account_id: Mapped[int] = mapped_column(
        ForeignKey("staff_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Cohort(Timestamped, Base):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(String(100), default="")

    companies: Mapped[list[Company]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True
    )


class Company(Timestamped, Base):
    __tablename__ = "company"
    __table_args__ = (
        UniqueConstraint("cohort_id", "org_number", name="uq_company_cohort_org_number"),
        CheckConstraint("employees >= 0", name="employees"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    org_number: Mapped[str] = mapped_column(String(11))
    sni_section: Mapped[str] = mapped_column(String(1), default="")
    sni_division: Mapped[str] = mapped_column(String(2), default="")
    employees: Mapped[int] = mapped_column(Integer, default=0)
    size_class: Mapped[str] = mapped_column(String(10), default="micro")
    turnover_band: Mapped[str] = mapped_column(String(20), default="")
    founded_year: Mapped[int | None]
    municipality: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    consent_reporting: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who registered it: a facilitator reaches it before its first workshop exists.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_account.id", ondelete="SET NULL"), index=True)

    cohort: Mapped[Cohort] = relationship(back_populates="companies")
    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )


class ScoringModel(Base):
    """A versioned set of criteria; a workshop keeps the version it was scored with."""

    __tablename__ = "scoring_model"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_scoring_model_name_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    title_sv: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    value_threshold: Mapped[float] = mapped_column(Float, default=3.0)
    feasibility_threshold: Mapped[float] = mapped_column(Float, default=3.0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now, server_default=func.now())

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="scoring_model",
        cascade="all, delete-orphan",
        order_by="Criterion.position",
    )


class Criterion(Base):
    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("scoring_model_id", "key", name="uq_criterion_model_key"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("axis IN ('value', 'feasibility')", name="axis"),
        CheckConstraint("direction IN ('higher_is_better', 'lower_is_better')", name="direction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scoring_model_id: Mapped[int] = mapped_column(
        ForeignKey("scoring_model.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(50))
    axis: Mapped[str] = mapped_column(String(20))
    weight: Mapped[float] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    name_sv: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    question_sv: Mapped[str] = mapped_column(Text, default="")
    question_en: Mapped[str] = mapped_column(Text, default="")

    scoring_model: Mapped[ScoringModel] = relationship(back_populates="criteria")
    levels: Mapped[list[CriterionLevel]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan", order_by="CriterionLevel.level"
    )


class CriterionLevel(Base):
    """The anchored description of one step of a criterion's 1–5 scale."""

    __tablename__ = "criterion_level"
    __table_args__ = (
        UniqueConstraint("criterion_id", "level", name="uq_criterion_level_criterion_level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    description_sv: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)

    criterion: Mapped[Criterion] = relationship(back_populates="levels")


class Workshop(Timestamped, Base):
    __tablename__ = "workshop"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'completed')", name="status"),
        CheckConstraint("language IN ('sv', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    scoring_model_id: Mapped[int] = mapped_column(ForeignKey("scoring_model.id"))
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL"), index=True
    )
    facilitator_name: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    language: Mapped[str] = mapped_column(String(2), default="sv")
    current_step: Mapped[str] = mapped_column(String(30), default="profile")
    value_threshold: Mapped[float | None] = mapped_column(Float)
    feasibility_threshold: Mapped[float | None] = mapped_column(Float)
    maturity_answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    presentation_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    voting_open: Mapped[bool] = mapped_column(Boolean, default=False)
    # Participants give no name when set; chosen per workshop before voting opens.
    anonymous_voting: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    join_code_hash: Mapped[str | None] = mapped_column(String(200), index=True, unique=True)
    join_code_expires_at: Mapped[dt.datetime | None]
    access_code_hash: Mapped[str | None] = mapped_column(String(200))
    access_code_expires_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]

    company: Mapped[Company] = relationship(back_populates="workshops")
    scoring_model: Mapped[ScoringModel] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", passive_deletes=True
    )
    processes: Mapped[list[Process]] = relationship(
        back_populates="workshop",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Process.position",
    )
    use_cases: Mapped[list[UseCase]] = relationship(
        back_populates="workshop",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="UseCase.position",
    )


class Participant(Base):
    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    # Identifies a phone across reloads; stored hashed like every other code.
    device_token_hash: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now, server_default=func.now())

    workshop: Mapped[Workshop] = relationship(back_populates="participants")


class Process(Timestamped, Base):
    __tablename__ = "process"
    __table_args__ = (
        CheckConstraint("hours_per_week IS NULL OR hours_per_week >= 0", name="hours_per_week"),
        CheckConstraint("people_involved IS NULL OR people_involved >= 0", name="people_involved"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    area: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    pain_points: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(200), default="")
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    people_involved: Mapped[int | None] = mapped_column(Integer)
    data_availability: Mapped[str] = mapped_column(String(30), default="none")
    system: Mapped[str] = mapped_column(String(200), default="")

    workshop: Mapped[Workshop] = relationship(back_populates="processes")


class UseCase(Timestamped, Base):
    __tablename__ = "use_case"
    __table_args__ = (
        CheckConstraint("voting_status IN ('idle', 'open', 'closed', 'revealed')", name="voting_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int | None] = mapped_column(
        ForeignKey("process.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    ai_capability: Mapped[str] = mapped_column(String(40), default="other")
    benefit_kind: Mapped[str] = mapped_column(String(40), default="internal_efficiency")
    data_needed: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(20), default="idea")
    cost_band: Mapped[str] = mapped_column(String(20), default="")
    selected: Mapped[bool] = mapped_column(Boolean, default=False)
    library_key: Mapped[str | None] = mapped_column(String(80))
    # Value-estimate assumptions; None means "use the default" (workshop.value_estimate).
    estimate_share_low: Mapped[float | None] = mapped_column(Float)
    estimate_share_high: Mapped[float | None] = mapped_column(Float)
    estimate_hourly_cost_sek: Mapped[float | None] = mapped_column(Float)
    estimate_weeks_per_year: Mapped[float | None] = mapped_column(Float)
    # Phone voting: idle → open → closed → revealed; a re-vote clears the votes and counts up.
    voting_status: Mapped[str] = mapped_column(String(10), default="idle", server_default="idle")
    voting_round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    workshop: Mapped[Workshop] = relationship(back_populates="use_cases")
    process: Mapped[Process | None] = relationship()
    action_item: Mapped[ActionItem | None] = relationship(
        back_populates="use_case", cascade="all, delete-orphan", passive_deletes=True
    )


class Vote(Base):
    """One participant's score of one use case on one criterion: one row, replaced on change."""

    __tablename__ = "vote"
    __table_args__ = (
        UniqueConstraint(
            "participant_id", "use_case_id", "criterion_id", name="uq_vote_participant_use_case_criterion"
        ),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        # Cohort figures count scores in this order from the index alone (migration 0004).
        Index("ix_vote_workshop_use_case_criterion_score", "workshop_id", "use_case_id", "criterion_id", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_case.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"))
    score: Mapped[int] = mapped_column(Integer)
    voted_at: Mapped[dt.datetime] = mapped_column(default=utc_now, server_default=func.now())


class ScoreTally(Base):
    """How many votes gave each score, per use case and criterion. Written only by the
    database's triggers on `vote` (workshop/tally.py); read by the cohort figures."""

    __tablename__ = "score_tally"

    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_case.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    c1: Mapped[int] = mapped_column(Integer, server_default="0")
    c2: Mapped[int] = mapped_column(Integer, server_default="0")
    c3: Mapped[int] = mapped_column(Integer, server_default="0")
    c4: Mapped[int] = mapped_column(Integer, server_default="0")
    c5: Mapped[int] = mapped_column(Integer, server_default="0")


class ConsensusScore(Base):
    """The score the group agreed on; it overrides the votes' median for that criterion."""

    __tablename__ = "consensus_score"
    __table_args__ = (
        UniqueConstraint("use_case_id", "criterion_id", name="uq_consensus_score_use_case_criterion"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_case.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"))
    score: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(200), default="")
    set_at: Mapped[dt.datetime] = mapped_column(default=utc_now, server_default=func.now())


class ActionItem(Timestamped, Base):
    __tablename__ = "action_item"
    __table_args__ = (
        CheckConstraint("horizon_days IS NULL OR horizon_days IN (30, 90, 180)", name="horizon_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    use_case_id: Mapped[int] = mapped_column(
        ForeignKey("use_case.id", ondelete="CASCADE"), unique=True
    )
    next_step: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    horizon_days: Mapped[int | None] = mapped_column(Integer)
    cost_band: Mapped[str] = mapped_column(String(20), default="")
    needs_competence: Mapped[str] = mapped_column(Text, default="")
    needs_data: Mapped[str] = mapped_column(Text, default="")
    needs_partner: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(20), default="idea")

    use_case: Mapped[UseCase] = relationship(back_populates="action_item")


class FundingProgramme(Base):
    """One programme of the funding catalogue (see `workshop.funding` for what each field means)."""

    __tablename__ = "funding_programme"
    __table_args__ = (
        CheckConstraint("status IN ('current', 'uncertain', 'ended')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="current")
    scope: Mapped[str] = mapped_column(String(20), default="national")
    kind: Mapped[str] = mapped_column(String(30))
    name_sv: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(300))
    description_sv: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    stages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    benefit_focus: Mapped[list[Any]] = mapped_column(JSON, default=list)
    benefit_also: Mapped[list[Any]] = mapped_column(JSON, default=list)
    startups_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # regions, min/max employees, min/max turnover (MSEK), min/max age (years).
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    amount_min_sek: Mapped[float | None] = mapped_column(Float)
    amount_max_sek: Mapped[float | None] = mapped_column(Float)
    amount_note_sv: Mapped[str] = mapped_column(Text, default="")
    amount_note_en: Mapped[str] = mapped_column(Text, default="")
    max_funded_percent: Mapped[float | None] = mapped_column(Float)
    cofinancing_sv: Mapped[str] = mapped_column(Text, default="")
    cofinancing_en: Mapped[str] = mapped_column(Text, default="")
    de_minimis: Mapped[bool] = mapped_column(Boolean, default=False)
    window_sv: Mapped[str] = mapped_column(Text, default="")
    window_en: Mapped[str] = mapped_column(Text, default="")
    check_sv: Mapped[str] = mapped_column(Text, default="")
    check_en: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    checked_on: Mapped[dt.date | None] = mapped_column(Date)


class FollowUp(Base):
    """An advisor's record of where a company or one of its use cases stands; append-only."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    use_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("use_case.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(30))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    check_in_months: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now, server_default=func.now())


class AuditEvent(Base):
    """Append-only record of security-relevant actions, in UTC."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utc_now, server_default=func.now(), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(60), default="")
    object_id: Mapped[str] = mapped_column(String(60), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FailedAttempt(Base):
    """A wrong code or password from one client; recent ones slow that client down."""

    __tablename__ = "failed_attempt"
    __table_args__ = (Index("ix_failed_attempt_scope_client_at", "scope", "client_key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(30))
    client_key: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class UseCaseScreening(Base):
    """The responsible-AI screen of one use case: the answers given, and any recorded
    override that lets a prohibited use case be chosen anyway."""

    __tablename__ = "use_case_screening"

    id: Mapped[int] = mapped_column(primary_key=True)
    use_case_id: Mapped[int] = mapped_column(ForeignKey("use_case.id", ondelete="CASCADE"), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_by: Mapped[str] = mapped_column(String(200), default="")
    override_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now, server_default=func.now())
