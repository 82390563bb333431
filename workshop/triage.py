"""Responsible-AI triage: a short EU AI Act / GDPR screen per use case.

The questions and the rules live in `data/ai_act_rules.json`; this module only evaluates
them. A rule fires when all its questions are answered yes; the strictest tier wins.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select

from workshop import access, storage, validation
from workshop.config import SHIPPED_DATA_DIR
from workshop.errors import CrossWorkshopReference, NotFound, ValidationError
from workshop.models import Company, UseCase, UseCaseScreening, Workshop

RULES_FILE = SHIPPED_DATA_DIR / "ai_act_rules.json"
# Strictest first: the first tier any fired rule has, in this order, is the result.
TIERS = ("prohibited", "high", "limited", "minimal")
# The risk-and-regulation score (1–5, higher = riskier) each tier suggests.
SUGGESTED_RISK_SCORE = {"prohibited": 5, "high": 4, "limited": 3, "minimal": 1}
# Personal data raises a minimal use case's suggested risk by one step.
PERSONAL_DATA_SUGGESTION = 2
RISK_CRITERION = "risk_regulation"


class ProhibitedWithoutOverride(ValidationError):
    """A use case screened as prohibited practice was chosen without a recorded override."""

    message_key = "error.prohibited_without_override"


@dataclass(frozen=True)
class Rule:
    key: str
    when_all: tuple[str, ...]
    tier: str
    article: dict[str, str]
    flag: dict[str, str]


@dataclass(frozen=True)
class Question:
    key: str
    text: dict[str, str]


@dataclass(frozen=True)
class Triage:
    tier: str
    fired: tuple[Rule, ...]
    suggested_score: int

    @property
    def needs_legal_check(self) -> bool:
        return self.tier in ("prohibited", "high", "limited")


@dataclass(frozen=True)
class Screening:
    use_case_id: int
    answers: dict[str, bool]
    triage: Triage
    override_reason: str
    override_by: str
    override_at: dt.datetime | None


@cache
def rules_document() -> dict:
    document = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    keys = {q["key"] for q in document["questions"]}
    for rule in document["rules"]:
        if rule["tier"] not in TIERS or not rule["when_all"] or set(rule["when_all"]) - keys:
            raise ValueError(f"Rule {rule['key']!r} in {RULES_FILE} is malformed")
    return document


def questions() -> tuple[Question, ...]:
    return tuple(Question(key=q["key"], text=q["text"]) for q in rules_document()["questions"])


def rules() -> tuple[Rule, ...]:
    return tuple(
        Rule(key=r["key"], when_all=tuple(r["when_all"]), tier=r["tier"], article=r["article"], flag=r["flag"])
        for r in rules_document()["rules"]
    )


def evaluate(answers: dict[str, bool]) -> Triage:
    """The tier and the fired rules for a set of yes/no answers (missing = no)."""
    fired = tuple(rule for rule in rules() if all(answers.get(q) is True for q in rule.when_all))
    tier = next((tier for tier in TIERS if any(rule.tier == tier for rule in fired)), "minimal")
    suggestion = SUGGESTED_RISK_SCORE[tier]
    if tier == "minimal" and answers.get("personal_data"):
        suggestion = PERSONAL_DATA_SUGGESTION
    return Triage(tier=tier, fired=fired, suggested_score=suggestion)


def flag_lines(triage: Triage, language: str) -> list[str]:
    """Each fired rule as 'Flag text (article) – “the question answered yes”'."""
    texts = {q.key: q.text[language] for q in questions()}
    return [
        f"{rule.flag[language]} ({rule.article[language]}) – “{' / '.join(texts[q] for q in rule.when_all)}”"
        for rule in triage.fired
    ]


def _use_case(session, *, workshop_id: int, use_case_id: int) -> UseCase:  # noqa: ANN001
    use_case = session.get(UseCase, use_case_id)
    if use_case is None:
        raise NotFound(f"No use case with id {use_case_id}.", kind="use_case", id=use_case_id)
    if use_case.workshop_id != workshop_id:
        raise CrossWorkshopReference(f"Use case {use_case_id} belongs to another workshop.", field="use_case_id", id=use_case_id)
    return use_case


def _screening_row(session, use_case_id: int) -> UseCaseScreening:  # noqa: ANN001
    row = session.scalar(select(UseCaseScreening).where(UseCaseScreening.use_case_id == use_case_id).with_for_update())
    if row is None:
        row = UseCaseScreening(use_case_id=use_case_id, answers={})
        session.add(row)
    return row


@access.writes_workshop
def set_answer(*, workshop_id: int, use_case_id: int, question: str, answer: bool) -> None:
    """Record a yes/no answer of a use case's screen. Raises `UnknownChoice`, `NotFound` or
    `CrossWorkshopReference`."""
    validation.choice(question, [q.key for q in questions()], field="question")
    with storage.write() as session:
        _use_case(session, workshop_id=workshop_id, use_case_id=use_case_id)
        row = _screening_row(session, use_case_id)
        row.answers = {**(row.answers or {}), question: bool(answer)}


@access.writes_workshop
def set_override(*, workshop_id: int, use_case_id: int, reason: str, by: str) -> None:
    """Record why a prohibited use case may be chosen anyway (who, when, why); an empty
    reason removes the override. Raises `NotFound` or `CrossWorkshopReference`."""
    clean_reason = validation.text(reason, field="override_reason", max_length=2000)
    with storage.write() as session:
        _use_case(session, workshop_id=workshop_id, use_case_id=use_case_id)
        row = _screening_row(session, use_case_id)
        row.override_reason = clean_reason
        row.override_by = validation.text(by, field="override_by", max_length=200) if clean_reason else ""
        row.override_at = dt.datetime.now(dt.UTC) if clean_reason else None


@access.reads_workshop
def screenings(*, workshop_id: int) -> dict[int, Screening]:
    """Every use case of the workshop with its answers and triage (unscreened = all no)."""
    with storage.read() as session:
        rows = session.execute(
            select(UseCase.id, UseCaseScreening)
            .outerjoin(UseCaseScreening, UseCaseScreening.use_case_id == UseCase.id)
            .where(UseCase.workshop_id == workshop_id)
        ).all()
        return {
            use_case_id: Screening(
                use_case_id=use_case_id,
                answers=dict(row.answers) if row else {},
                triage=evaluate(dict(row.answers) if row else {}),
                override_reason=row.override_reason if row else "",
                override_by=row.override_by if row else "",
                override_at=row.override_at if row else None,
            )
            for use_case_id, row in rows
        }


def check_selectable(session, *, use_case_id: int) -> None:  # noqa: ANN001
    """Raise `ProhibitedWithoutOverride` unless the use case may be chosen for pursuit."""
    row = session.scalar(select(UseCaseScreening).where(UseCaseScreening.use_case_id == use_case_id))
    if row and evaluate(dict(row.answers or {})).tier == "prohibited" and not row.override_reason:
        raise ProhibitedWithoutOverride(
            "This use case was screened as a prohibited practice; record an override with a reason before choosing it.",
            field="selected",
        )


@access.reads_cohort
def tier_distribution(*, cohort_id: int) -> dict[str, int]:
    """How many use cases of the cohort's consenting companies fall in each tier."""
    with storage.read() as session:
        rows = session.execute(
            select(UseCase.id, UseCaseScreening.answers)
            .join(Workshop, Workshop.id == UseCase.workshop_id)
            .join(Company, Company.id == Workshop.company_id)
            .outerjoin(UseCaseScreening, UseCaseScreening.use_case_id == UseCase.id)
            .where(Company.cohort_id == cohort_id, Company.consent_reporting.is_(True))
        ).all()
    counts = Counter(evaluate(dict(answers or {})).tier for _id, answers in rows)
    return {tier: counts.get(tier, 0) for tier in TIERS}

