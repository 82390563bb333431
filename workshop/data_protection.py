"""Data-protection requests: everything about a company in one machine-readable file, a
complete deletion, and a retention period after which companies are due for deletion.

The export reuses the workshop bundle (what a workshop holds, in the import format) and adds
the company, its follow-ups and the audit events about its objects. Deletion relies on the
schema's cascades (company → workshops → participants, processes, use cases → votes,
tallies, consensus, plans, screens; company → follow-ups) and is logged without the
company's name, so the log keeps that it happened, not what was deleted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from workshop import access, audit, bundle, cohorts, follow_ups, storage
from workshop.errors import ConfirmationMismatch, NotFound, OutOfRange
from workshop.models import AuditEvent, Company, FollowUp, Participant, UseCase, Vote, Workshop, as_utc

FORMAT = "opportunity-map/company-record"
RETENTION_SETTING = "OPPORTUNITY_MAP_RETENTION_MONTHS"


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    if moment is None:
        return None
    return (as_utc(moment) if isinstance(moment, dt.datetime) else moment).isoformat()


@access.administers
def company_record(*, company_id: int) -> dict[str, Any]:
    """Everything stored about the company, JSON-ready. Raises `NotFound`."""
    company = cohorts.get_company(company_id=company_id)
    with storage.read() as session:
        workshop_ids = list(session.scalars(select(Workshop.id).where(Workshop.company_id == company_id).order_by(Workshop.id)))
        use_case_ids = list(session.scalars(select(UseCase.id).where(UseCase.workshop_id.in_(workshop_ids)))) if workshop_ids else []
        about = [(AuditEvent.object_type == "company") & (AuditEvent.object_id == str(company_id))]
        if workshop_ids:
            about.append((AuditEvent.object_type == "workshop") & AuditEvent.object_id.in_([str(i) for i in workshop_ids]))
        if use_case_ids:
            about.append((AuditEvent.object_type == "use_case") & AuditEvent.object_id.in_([str(i) for i in use_case_ids]))
        events = session.scalars(select(AuditEvent).where(or_(*about)).order_by(AuditEvent.id)).all()
        event_rows = [
            {"at": _iso(e.at), "actor": e.actor, "action": e.action, "object_type": e.object_type, "object_id": e.object_id, "detail": e.detail}
            for e in events
        ]
    return {
        "format": FORMAT,
        "generated_at": _iso(dt.datetime.now(dt.UTC)),
        "company": dataclasses.asdict(company),
        "workshops": [bundle.export_bundle(workshop_id=workshop_id) for workshop_id in workshop_ids],
        "follow_ups": [
            {key: _iso(value) if isinstance(value, dt.date | dt.datetime) else value for key, value in dataclasses.asdict(row).items()}
            for row in follow_ups.list_follow_ups(company_id=company_id)
        ],
        "audit_events": event_rows,
    }


@access.administers
def company_record_bytes(*, company_id: int, actor: str) -> bytes:
    """The company record as UTF-8 JSON; the export itself is logged."""
    data = json.dumps(company_record(company_id=company_id), ensure_ascii=False, indent=1, default=str).encode("utf-8")
    with storage.write() as session:
        audit.record(session, actor=actor, action="company.exported", object_type="company", object_id=company_id, size=len(data))
    return data


@dataclass(frozen=True)
class Deleted:
    company_id: int
    workshops: int
    participants: int
    use_cases: int
    votes: int
    follow_ups: int


@access.administers
def delete_company(*, company_id: int, confirm_name: str, actor: str) -> Deleted:
    """Delete the company and everything that belongs to it, in one transaction.

    `confirm_name` must be the company's name as typed by the person deleting (surrounding
    spaces ignored); otherwise `ConfirmationMismatch` and nothing is deleted."""
    with storage.write() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise NotFound(f"No company with id {company_id}.", kind="company", id=company_id)
        if str(confirm_name or "").strip() != company.name.strip():
            raise ConfirmationMismatch("The name typed does not match the company's name.", field="confirm_name")
        workshop_ids = select(Workshop.id).where(Workshop.company_id == company_id)
        counts = Deleted(
            company_id=company_id,
            workshops=session.scalar(select(func.count()).select_from(workshop_ids.subquery())),
            participants=session.scalar(select(func.count(Participant.id)).where(Participant.workshop_id.in_(workshop_ids))),
            use_cases=session.scalar(select(func.count(UseCase.id)).where(UseCase.workshop_id.in_(workshop_ids))),
            votes=session.scalar(select(func.count(Vote.id)).where(Vote.workshop_id.in_(workshop_ids))),
            follow_ups=session.scalar(select(func.count(FollowUp.id)).where(FollowUp.company_id == company_id)),
        )
        session.delete(company)
        session.flush()
        audit.record(
            session, actor=actor, action="company.deleted", object_type="company", object_id=company_id,
            **{k: v for k, v in dataclasses.asdict(counts).items() if k != "company_id"},
        )
    return counts


def retention_months(environ: dict[str, str] | None = None) -> int | None:
    """The retention period in months from `OPPORTUNITY_MAP_RETENTION_MONTHS`, or None
    (keep until deleted by hand). Raises `OutOfRange` for anything but 1–600."""
    raw = (environ if environ is not None else os.environ).get(RETENTION_SETTING, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 600:
        raise OutOfRange(f"{RETENTION_SETTING} must be a whole number of months from 1 to 600, not {raw!r}.",
                         field="retention_months", minimum=1, maximum=600)
    return int(raw)


@dataclass(frozen=True)
class DueCompany:
    company_id: int
    name: str
    cohort_id: int
    last_activity: dt.datetime


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    return moment.replace(year=year, month=month + 1, day=min(moment.day, 28))


@access.administers
def due_for_deletion(*, months: int, now: dt.datetime | None = None) -> list[DueCompany]:
    """Companies with no activity (company, workshop or follow-up change) in `months`."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = _months_before(now, months)
    with storage.read() as session:
        workshop_last = (
            select(Workshop.company_id, func.max(Workshop.updated_at).label("at")).group_by(Workshop.company_id).subquery()
        )
        follow_up_last = (
            select(FollowUp.company_id, func.max(FollowUp.created_at).label("at")).group_by(FollowUp.company_id).subquery()
        )
        rows = session.execute(
            select(Company.id, Company.name, Company.cohort_id, Company.updated_at, workshop_last.c.at, follow_up_last.c.at)
            .outerjoin(workshop_last, workshop_last.c.company_id == Company.id)
            .outerjoin(follow_up_last, follow_up_last.c.company_id == Company.id)
            .order_by(Company.id)
        ).all()
    due = []
    for company_id, name, cohort_id, *moments in rows:
        last = max(as_utc(m) for m in moments if m is not None)
        if last < cutoff:
            due.append(DueCompany(company_id, name, cohort_id, last))
    return due


@access.administers
def delete_due(*, months: int, actor: str, now: dt.datetime | None = None) -> list[Deleted]:
    """Delete every company past the retention period (each logged as a deletion)."""
    return [
        delete_company(company_id=company.company_id, confirm_name=company.name, actor=actor)
        for company in due_for_deletion(months=months, now=now)
    ]
