"""The whole-workshop bundle: one JSON document that imports into another installation.

The bundle keeps every value exactly (no neutralisation: it is data, not a spreadsheet).
References inside it are local numbers, so importing creates new ids and never collides.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workshop import access, cohorts, content, scoring, scoring_models, storage, triage, validation
from workshop.errors import DomainError, NotFound, ValidationError
from workshop.models import (
    ActionItem,
    Cohort,
    Company,
    ConsensusScore,
    Criterion,
    Participant,
    Process,
    ScoringModel,
    UseCase,
    UseCaseScreening,
    Vote,
    Workshop,
)
from workshop.vocabulary import LANGUAGES, WORKSHOP_STATUSES, WORKSHOP_STEPS

FORMAT = "opportunity-map-workshop"
SCHEMA_VERSION = 1
# A bundle is a few hundred kB even for a large workshop; far more is not ours.
MAX_BUNDLE_BYTES = 20 * 1024 * 1024


class InvalidBundle(ValidationError):
    """`problem` is one of PROBLEMS, each with its own message."""

    message_key = "error.invalid_bundle"


PROBLEMS = ("too_large", "not_json", "not_bundle", "version", "model", "malformed", "reference", "duplicate", "criterion")


def _model_document(model_id: int) -> dict[str, Any]:
    model = scoring_models.get_model(model_id)
    return {
        "name": model.name,
        "version": model.version,
        "title": model.title,
        "quadrant_thresholds": {"value": model.value_threshold, "feasibility": model.feasibility_threshold},
        "criteria": [
            {
                "key": c.key,
                "axis": c.axis,
                "weight": c.weight,
                "direction": c.direction,
                "name": c.name,
                "question": c.question,
                "levels": [{"level": level, **texts} for level, texts in sorted(c.levels.items())],
            }
            for c in model.criteria
        ],
    }


def _time(value: dt.datetime | None) -> str | None:
    """UTC in ISO 8601 with its offset; SQLite hands back naive datetimes that are UTC."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()


@access.reads_workshop
def export_bundle(*, workshop_id: int) -> dict[str, Any]:
    """The workshop with its company, scoring model, participants, processes, use cases,
    votes, consensus scores and action plan, as a JSON-ready dict. Raises `NotFound`."""
    workshop = cohorts.get_workshop(workshop_id=workshop_id)
    company = cohorts.get_company(company_id=workshop.company_id)
    with storage.read() as session:
        participants = session.scalars(select(Participant).where(Participant.workshop_id == workshop_id).order_by(Participant.id)).all()
        processes = session.scalars(select(Process).where(Process.workshop_id == workshop_id).order_by(Process.position, Process.id)).all()
        use_cases = session.scalars(select(UseCase).where(UseCase.workshop_id == workshop_id).order_by(UseCase.position, UseCase.id)).all()
        criterion_keys = dict(session.execute(select(Criterion.id, Criterion.key).where(Criterion.scoring_model_id == workshop.scoring_model_id)).all())
        votes = session.scalars(select(Vote).where(Vote.workshop_id == workshop_id).order_by(Vote.use_case_id, Vote.participant_id, Vote.criterion_id)).all()
        use_case_ids = [u.id for u in use_cases]
        consensus = session.scalars(select(ConsensusScore).where(ConsensusScore.use_case_id.in_(use_case_ids)).order_by(ConsensusScore.use_case_id, ConsensusScore.criterion_id)).all()
        actions = session.scalars(select(ActionItem).where(ActionItem.use_case_id.in_(use_case_ids)).order_by(ActionItem.use_case_id)).all()
        screenings = session.scalars(
            select(UseCaseScreening).where(UseCaseScreening.use_case_id.in_(use_case_ids)).order_by(UseCaseScreening.use_case_id)
        ).all()
        participant_ref = {p.id: n for n, p in enumerate(participants, start=1)}
        process_ref = {p.id: n for n, p in enumerate(processes, start=1)}
        use_case_ref = {u.id: n for n, u in enumerate(use_cases, start=1)}
        return {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(),
            "company": {name: getattr(company, name) for name in cohorts.COMPANY_FIELDS},
            "workshop": {
                "held_on": workshop.held_on.isoformat() if workshop.held_on else None,
                "facilitator_name": workshop.facilitator_name,
                "status": workshop.status,
                "language": workshop.language,
                "current_step": workshop.current_step,
                "value_threshold": workshop.value_threshold,
                "feasibility_threshold": workshop.feasibility_threshold,
                "maturity_answers": workshop.maturity_answers,
                "presentation_mode": workshop.presentation_mode,
            },
            "scoring_model": _model_document(workshop.scoring_model_id),
            "participants": [{"ref": participant_ref[p.id], "name": p.name, "role": p.role} for p in participants],
            "processes": [
                {"ref": process_ref[p.id], **{name: getattr(p, name) for name in content.PROCESS_FIELDS}} for p in processes
            ],
            "use_cases": [
                {
                    "ref": use_case_ref[u.id],
                    "process_ref": process_ref.get(u.process_id),
                    **{name: getattr(u, name) for name in content.USE_CASE_FIELDS if name != "process_id"},
                    "selected": u.selected,
                    "library_key": u.library_key,
                    "estimate_share_low": u.estimate_share_low,
                    "estimate_share_high": u.estimate_share_high,
                    "estimate_hourly_cost_sek": u.estimate_hourly_cost_sek,
                    "estimate_weeks_per_year": u.estimate_weeks_per_year,
                }
                for u in use_cases
            ],
            "votes": [
                {
                    "participant_ref": participant_ref[v.participant_id],
                    "use_case_ref": use_case_ref[v.use_case_id],
                    "criterion": criterion_keys[v.criterion_id],
                    "score": v.score,
                    "voted_at": _time(v.voted_at),
                }
                for v in votes
            ],
            "consensus": [
                {
                    "use_case_ref": use_case_ref[c.use_case_id],
                    "criterion": criterion_keys[c.criterion_id],
                    "score": c.score,
                    "set_by": c.set_by,
                    "set_at": _time(c.set_at),
                }
                for c in consensus
            ],
            "action_items": [
                {"use_case_ref": use_case_ref[a.use_case_id], **{name: getattr(a, name) for name in content.ACTION_FIELDS}}
                for a in actions
            ],
            "screenings": [
                {
                    "use_case_ref": use_case_ref[s.use_case_id],
                    "answers": dict(s.answers or {}),
                    "override_reason": s.override_reason,
                    "override_by": s.override_by,
                    "override_at": _time(s.override_at),
                }
                for s in screenings
            ],
        }


@access.reads_workshop
def bundle_bytes(*, workshop_id: int) -> bytes:
    return json.dumps(export_bundle(workshop_id=workshop_id), ensure_ascii=False, indent=1).encode("utf-8")


def _parse(data: bytes | dict) -> dict:
    if isinstance(data, dict):
        return data
    if len(data) > MAX_BUNDLE_BYTES:
        raise InvalidBundle("The bundle is larger than any workshop bundle can be.", field="upload", problem="too_large")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidBundle(f"The file is not a workshop bundle: {exc}", field="upload", problem="not_json") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidBundle("The file is not an Opportunity Map workshop bundle.", field="upload", problem="not_bundle")
    if document.get("schema_version") != SCHEMA_VERSION:
        raise InvalidBundle(
            f"Bundle schema version {document.get('schema_version')!r} is not supported (this version reads {SCHEMA_VERSION}).",
            field="upload",
            problem="version",
        )
    return document


def _when(raw: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None


def _model_id(session, document: dict) -> int:  # noqa: ANN001
    """Inside the import's transaction: the installed model of the bundle's name and version,
    added when missing; `InvalidBundle` when an installed one of that version differs."""
    found = session.scalar(
        select(ScoringModel).where(ScoringModel.name == document.get("name"), ScoringModel.version == document.get("version"))
    )
    if found is not None and {c.key for c in found.criteria} != {c["key"] for c in document.get("criteria", [])}:
        raise InvalidBundle("The bundle's scoring model differs from the installed model of the same version.", field="upload", problem="model")
    return scoring_models.add_model(session, document)


@access.writes_cohort
def import_bundle(data: bytes | dict, *, cohort_id: int) -> int:
    """Create the bundle's workshop (and its company, unless the cohort has that organisation
    number already) in one transaction; returns the new workshop id.

    Raises `InvalidBundle` or the field errors of each record (naming the part); nothing is
    written then. `NotFound` for a missing cohort.
    """
    document = _parse(data)
    try:
        model_document = document["scoring_model"]
        scoring_models.validate_model_document(model_document)
        company_values = cohorts.company_values(**{name: document["company"].get(name) for name in cohorts.COMPANY_FIELDS})
        spec = document["workshop"]
        workshop_values = {
            "held_on": dt.date.fromisoformat(spec["held_on"]) if spec.get("held_on") else None,
            "facilitator_name": validation.text(spec.get("facilitator_name"), field="facilitator_name", max_length=200),
            "status": validation.choice(spec.get("status"), WORKSHOP_STATUSES, field="status"),
            "language": validation.choice(spec.get("language"), LANGUAGES, field="language"),
            "current_step": validation.choice(spec.get("current_step"), WORKSHOP_STEPS, field="current_step"),
            "value_threshold": validation.number(spec.get("value_threshold"), field="value_threshold", minimum=1, maximum=5),
            "feasibility_threshold": validation.number(spec.get("feasibility_threshold"), field="feasibility_threshold", minimum=1, maximum=5),
            "maturity_answers": dict(spec.get("maturity_answers") or {}),
            "presentation_mode": bool(spec.get("presentation_mode")),
        }
        participants = [(p["ref"], content.participant_values(p)) for p in document.get("participants", [])]
        processes = [(p["ref"], content.process_values(p)) for p in document.get("processes", [])]
        use_cases = [(u["ref"], u.get("process_ref"), u, content.use_case_values(u)) for u in document.get("use_cases", [])]
        actions = [(a["use_case_ref"], content.action_item_values(a)) for a in document.get("action_items", [])]
        question_keys = [q.key for q in triage.questions()]
        screenings = [
            (
                item["use_case_ref"],
                {validation.choice(k, question_keys, field="question"): bool(v) for k, v in dict(item.get("answers") or {}).items()},
                validation.text(item.get("override_reason"), field="override_reason", max_length=2000),
                validation.text(item.get("override_by"), field="override_by", max_length=200),
                _when(item.get("override_at")),
            )
            for item in document.get("screenings", [])
        ]
        criterion_keys = {c["key"] for c in model_document["criteria"]}
        for vote in document.get("votes", []) + document.get("consensus", []):
            if vote.get("criterion") not in criterion_keys:
                raise InvalidBundle(f"A score names an unknown criterion {vote.get('criterion')!r}.", field="criterion", problem="criterion")
            scoring.check_score(vote.get("score"), criterion=vote.get("criterion", ""))
    except DomainError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidBundle(f"The bundle is incomplete or malformed: {exc!r}", field="upload", problem="malformed") from exc

    with storage.write() as session:
        if session.get(Cohort, cohort_id) is None:
            raise NotFound(f"No cohort with id {cohort_id}.", kind="cohort", id=cohort_id)
        model_id = _model_id(session, model_document)
        company = session.scalar(
            select(Company).where(Company.cohort_id == cohort_id, Company.org_number == company_values["org_number"])
        )
        if company is None:
            company = Company(cohort_id=cohort_id, created_by_id=access.current().account_id, **company_values)
            session.add(company)
            session.flush()
        else:  # a workshop joins a company already here only for those who may change it
            access.check_company(company.id, write=True)
        workshop = Workshop(
            company_id=company.id, scoring_model_id=model_id, facilitator_id=access.facilitator_scope(), **workshop_values
        )
        if workshop.status == "completed":
            workshop.completed_at = dt.datetime.now(dt.UTC)
        session.add(workshop)
        session.flush()
        criterion_ids = dict(session.execute(select(Criterion.key, Criterion.id).where(Criterion.scoring_model_id == model_id)).all())
        participant_ids, process_ids, use_case_ids = {}, {}, {}
        for ref, values in participants:
            participant = Participant(workshop_id=workshop.id, **values)
            session.add(participant)
            session.flush()
            participant_ids[ref] = participant.id
        for position, (ref, values) in enumerate(processes, start=1):
            process = Process(workshop_id=workshop.id, position=position, **values)
            session.add(process)
            session.flush()
            process_ids[ref] = process.id
        for position, (ref, process_ref, raw, values) in enumerate(use_cases, start=1):
            if process_ref is not None and process_ref not in process_ids:
                raise InvalidBundle(f"Use case {values['title']!r} names a process that is not in the bundle.", field="process_id", problem="reference")
            use_case = UseCase(
                workshop_id=workshop.id,
                process_id=process_ids.get(process_ref),
                position=position,
                selected=bool(raw.get("selected")),
                library_key=raw.get("library_key"),
                estimate_share_low=raw.get("estimate_share_low"),
                estimate_share_high=raw.get("estimate_share_high"),
                estimate_hourly_cost_sek=raw.get("estimate_hourly_cost_sek"),
                estimate_weeks_per_year=raw.get("estimate_weeks_per_year"),
                **values,
            )
            session.add(use_case)
            session.flush()
            use_case_ids[ref] = use_case.id
        try:
            for vote in document.get("votes", []):
                session.add(
                    Vote(
                        workshop_id=workshop.id,
                        participant_id=participant_ids[vote["participant_ref"]],
                        use_case_id=use_case_ids[vote["use_case_ref"]],
                        criterion_id=criterion_ids[vote["criterion"]],
                        score=vote["score"],
                        voted_at=_when(vote.get("voted_at")) or dt.datetime.now(dt.UTC),
                    )
                )
            for agreed in document.get("consensus", []):
                session.add(
                    ConsensusScore(
                        use_case_id=use_case_ids[agreed["use_case_ref"]],
                        criterion_id=criterion_ids[agreed["criterion"]],
                        score=agreed["score"],
                        set_by=str(agreed.get("set_by") or ""),
                        set_at=_when(agreed.get("set_at")) or dt.datetime.now(dt.UTC),
                    )
                )
            for use_case_ref, values in actions:
                session.add(ActionItem(use_case_id=use_case_ids[use_case_ref], **values))
            for use_case_ref, answers, reason, by, at in screenings:
                session.add(
                    UseCaseScreening(
                        use_case_id=use_case_ids[use_case_ref], answers=answers, override_reason=reason, override_by=by, override_at=at
                    )
                )
            session.flush()
        except KeyError as exc:
            raise InvalidBundle(f"A score or plan refers to something not in the bundle: {exc}", field="upload", problem="reference") from exc
        except IntegrityError as exc:
            raise InvalidBundle("The bundle holds the same score or plan twice.", field="upload", problem="duplicate") from exc
        return workshop.id
