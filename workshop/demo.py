"""The demo cohort: fictional Skåne companies with complete workshops, loaded in one go."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from workshop import access, cohorts, content, scoring, scoring_models, storage, triage, validation
from workshop.config import SHIPPED_DATA_DIR
from workshop.errors import UnknownCriterion, ValidationError
from workshop.models import (
    ActionItem,
    Cohort,
    Company,
    Participant,
    Process,
    UseCase,
    UseCaseScreening,
    Vote,
    Workshop,
)
from workshop.vocabulary import LANGUAGES, WORKSHOP_STATUSES, WORKSHOP_STEPS

DEMO_FILE = SHIPPED_DATA_DIR / "demo_cohort.json"


@dataclass(frozen=True)
class DemoLoadResult:
    loaded: bool
    cohort_id: int | None
    companies: int
    workshops: int
    use_cases: int
    votes: int


def has_cohorts() -> bool:
    with storage.read() as session:
        return (session.scalar(select(func.count(Cohort.id))) or 0) > 0


@access.administers
def load_demo(*, path: Path = DEMO_FILE, if_empty: bool = False) -> DemoLoadResult:
    """Load the demo cohort in one transaction: all of it, or nothing on any error.

    Skips (loaded=False) when a cohort of the same name exists, or when `if_empty` is set
    and the database holds any cohort. Raises `ValidationError` (or a subclass) naming the
    company and field for a bad document.
    """
    document = json.loads(path.read_text(encoding="utf-8"))
    model_id = scoring_models.default_model_id()
    model = scoring_models.get_model(model_id)
    criterion_ids = {criterion.key: criterion.id for criterion in model.criteria}
    cohort_name = validation.name(document["cohort"]["name"], field="cohort_name")
    with storage.write() as session:
        if if_empty and session.scalar(select(func.count(Cohort.id))):
            return DemoLoadResult(False, None, 0, 0, 0, 0)
        existing = session.scalar(select(Cohort.id).where(Cohort.name == cohort_name))
        if existing is not None:
            return DemoLoadResult(False, existing, 0, 0, 0, 0)
        cohort = Cohort(
            name=cohort_name,
            region=document["cohort"].get("region", ""),
            description=document["cohort"].get("description", ""),
        )
        session.add(cohort)
        counts = {"companies": 0, "workshops": 0, "use_cases": 0, "votes": 0}
        for entry in document["companies"]:
            try:
                _add_company(session, cohort, entry, model_id=model_id, criterion_ids=criterion_ids, counts=counts)
            except ValidationError as exc:
                raise type(exc)(f"Demo company {entry.get('name')!r}: {exc}", field=exc.field, **exc.params) from exc
        session.flush()
        return DemoLoadResult(True, cohort.id, **counts)


def _add_company(session, cohort: Cohort, entry: dict, *, model_id: int, criterion_ids: dict, counts: dict) -> None:  # noqa: ANN001
    company_fields = {key: entry.get(key) for key in (
        "name", "org_number", "sni_section", "sni_division", "employees", "turnover_band",
        "founded_year", "municipality", "region", "consent_reporting",
    )}
    company = Company(**cohorts.company_values(**company_fields))
    cohort.companies.append(company)
    counts["companies"] += 1
    spec = entry["workshop"]
    workshop = Workshop(
        scoring_model_id=model_id,
        held_on=dt.date.fromisoformat(spec["held_on"]),
        facilitator_name=validation.text(spec.get("facilitator"), field="facilitator_name"),
        status=validation.choice(spec.get("status", "completed"), WORKSHOP_STATUSES, field="status"),
        language=validation.choice(spec.get("language", "sv"), LANGUAGES, field="language"),
        current_step=validation.choice(spec.get("current_step", "wrap_up"), WORKSHOP_STEPS, field="current_step"),
    )
    if workshop.status == "completed":
        workshop.completed_at = dt.datetime.combine(workshop.held_on, dt.time(16, 0), tzinfo=dt.UTC)
    company.workshops.append(workshop)
    counts["workshops"] += 1
    participants = [
        Participant(
            name=validation.text(p.get("name"), field="participant_name"),
            role=validation.text(p.get("role"), field="participant_role"),
        )
        for p in spec.get("participants", [])
    ]
    workshop.participants.extend(participants)
    processes = {}
    for position, item in enumerate(spec.get("processes", []), start=1):
        process = Process(position=position, **content.process_values(item))
        workshop.processes.append(process)
        processes[item["key"]] = process
    session.flush()
    for position, item in enumerate(spec.get("use_cases", []), start=1):
        process_key = item.get("process")
        if process_key is not None and process_key not in processes:
            raise ValidationError(f"Use case {item.get('title')!r} names an unknown process {process_key!r}.", field="process")
        use_case = UseCase(
            position=position,
            process=processes.get(process_key) if process_key else None,
            selected=bool(item.get("selected", False)),
            **content.use_case_values(item),
        )
        workshop.use_cases.append(use_case)
        counts["use_cases"] += 1
        if item.get("action"):
            use_case.action_item = ActionItem(**content.action_item_values(item["action"]))
        session.flush()
        if item.get("screening"):
            questions = [q.key for q in triage.questions()]
            answers = {validation.choice(k, questions, field="question"): bool(v) for k, v in item["screening"].items()}
            session.add(UseCaseScreening(use_case_id=use_case.id, answers=answers))
        for key, scores in (item.get("votes") or {}).items():
            if key not in criterion_ids:
                raise UnknownCriterion(f"Unknown criterion {key!r}.", field="criterion", keys=key)
            if len(scores) > len(participants):
                raise ValidationError(f"More votes than participants on {key!r}.", field="votes")
            for participant, score in zip(participants, scores, strict=False):
                session.add(
                    Vote(
                        workshop_id=workshop.id,
                        participant_id=participant.id,
                        use_case_id=use_case.id,
                        criterion_id=criterion_ids[key],
                        score=scoring.check_score(score, criterion=key),
                    )
                )
                counts["votes"] += 1
