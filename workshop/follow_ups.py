"""Follow-up after the workshop: an advisor records where each chosen use case stands,
at any time or as the 3- and 6-month check-ins, and compares them with the plan made at
the workshop. Records are appended, never changed, so the history stays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from workshop import access, storage, validation
from workshop.content import as_row
from workshop.errors import CrossWorkshopReference, NotFound, ValidationError
from workshop.i18n import choice_label, t
from workshop.models import ActionItem, Company, FollowUp, UseCase, Workshop
from workshop.vocabulary import FOLLOW_UP_STATUSES

CHECK_IN_MONTHS = (3, 6)


class FollowUpInFuture(ValidationError):
    message_key = "error.follow_up_in_future"


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    company_id: int
    use_case_id: int | None
    status: str
    recorded_on: dt.date
    check_in_months: int | None
    note: str
    recorded_by: str


@access.writes_follow_ups
def record_follow_up(
    *,
    company_id: int,
    use_case_id: int | None,
    status: str,
    recorded_on: dt.date | None = None,
    check_in_months: int | None = None,
    note: str = "",
    recorded_by: str = "",
    today: dt.date | None = None,
) -> int:
    """Append a follow-up for a chosen use case of the company (or the company as a whole
    when `use_case_id` is None); its id.

    Raises `UnknownChoice` for a status or check-in outside the lists, `FollowUpInFuture`
    for a date after today, `NotFound` for a missing company or use case and
    `CrossWorkshopReference` for a use case of another company; nothing is written then.
    """
    today = today or dt.date.today()
    status = validation.choice(status, FOLLOW_UP_STATUSES, field="follow_up_status")
    check_in_months = validation.choice(check_in_months, CHECK_IN_MONTHS, field="check_in_months", optional=True)
    recorded_on = recorded_on or today
    if recorded_on > today:
        raise FollowUpInFuture(f"A follow-up cannot be dated after today ({recorded_on}).", field="recorded_on", value=recorded_on)
    note = validation.text(note, field="note", max_length=5000)
    recorded_by = validation.text(recorded_by, field="recorded_by", max_length=200)
    with storage.write() as session:
        if session.get(Company, company_id) is None:
            raise NotFound(f"No company with id {company_id}.", kind="company", id=company_id)
        if use_case_id is not None:
            owner = session.scalar(
                select(Workshop.company_id).join(UseCase, UseCase.workshop_id == Workshop.id).where(UseCase.id == use_case_id)
            )
            if owner is None:
                raise NotFound(f"No use case with id {use_case_id}.", kind="use_case", id=use_case_id)
            if owner != company_id:
                raise CrossWorkshopReference(f"Use case {use_case_id} belongs to another company.", field="use_case_id")
        follow_up = FollowUp(
            company_id=company_id, use_case_id=use_case_id, status=status, recorded_on=recorded_on,
            check_in_months=check_in_months, note=note, recorded_by=recorded_by,
        )
        session.add(follow_up)
        session.flush()
        return follow_up.id


@access.reads_follow_ups
def list_follow_ups(*, company_id: int) -> list[FollowUpRow]:
    """The company's follow-ups, oldest first."""
    with storage.read() as session:
        rows = session.scalars(
            select(FollowUp).where(FollowUp.company_id == company_id).order_by(FollowUp.recorded_on, FollowUp.id)
        )
        return [as_row(FollowUpRow, row) for row in rows]


@dataclass(frozen=True)
class ChosenUseCase:
    use_case_id: int
    title: str
    stage: str
    horizon_days: int | None
    next_step: str


@access.reads_follow_ups
def chosen_use_cases(*, company_id: int) -> list[ChosenUseCase]:
    """The use cases chosen in the company's workshops, with the plan made for each."""
    with storage.read() as session:
        rows = session.execute(
            select(UseCase.id, UseCase.title, ActionItem.stage, ActionItem.horizon_days, ActionItem.next_step)
            .join(Workshop, Workshop.id == UseCase.workshop_id)
            .outerjoin(ActionItem, ActionItem.use_case_id == UseCase.id)
            .where(Workshop.company_id == company_id, UseCase.selected.is_(True))
            .order_by(Workshop.held_on, UseCase.position, UseCase.id)
        ).all()
    return [ChosenUseCase(row[0], row[1], row[2] or "", row[3], row[4] or "") for row in rows]


def _history(company_id: int) -> pd.DataFrame:
    rows = list_follow_ups(company_id=company_id)
    return pd.DataFrame([row.__dict__ for row in rows], columns=list(FollowUpRow.__dataclass_fields__))


@access.reads_follow_ups
def history_frame(*, company_id: int, language: str) -> pd.DataFrame:
    """The company's follow-ups as people read them, newest first."""
    history = _history(company_id).iloc[::-1]
    titles = {row.use_case_id: row.title for row in chosen_use_cases(company_id=company_id)}
    return pd.DataFrame({
        t("follow_up.recorded_on", language): history["recorded_on"].astype(str),
        t("column.use_case", language): history["use_case_id"].map(lambda u: titles.get(u, "") if pd.notna(u) else t("follow_up.whole_company", language)),
        t("column.status", language): history["status"].map(lambda s: choice_label("follow_up_status", s, language)),
        t("follow_up.check_in", language): history["check_in_months"].map(
            lambda m: t("follow_up.months", language, months=int(m)) if pd.notna(m) else ""),
        t("follow_up.note", language): history["note"],
        t("follow_up.recorded_by", language): history["recorded_by"],
    })


@access.reads_follow_ups
def check_in_comparison(*, company_id: int, language: str) -> pd.DataFrame:
    """One row per chosen use case of the company's workshops: the plan made at the
    workshop (stage, horizon, next step) beside the latest status at the 3- and 6-month
    check-ins and the latest status of all."""
    chosen = chosen_use_cases(company_id=company_id)
    history = _history(company_id)

    def latest(use_case_id: int, months: int | None) -> str:
        rows = history[history["use_case_id"] == use_case_id]
        if months is not None:
            rows = rows[rows["check_in_months"] == months]
        if rows.empty:
            return ""
        last = rows.iloc[-1]
        return f"{choice_label('follow_up_status', last['status'], language)} ({last['recorded_on'].isoformat()})"

    return pd.DataFrame({
        t("column.use_case", language): [row.title for row in chosen],
        t("follow_up.planned_stage", language): [choice_label("stage", row.stage, language) for row in chosen],
        t("field.horizon_days", language): [choice_label("horizon_days", str(row.horizon_days or ""), language) for row in chosen],
        t("field.next_step", language): [row.next_step for row in chosen],
        t("follow_up.at_3_months", language): [latest(row.use_case_id, 3) for row in chosen],
        t("follow_up.at_6_months", language): [latest(row.use_case_id, 6) for row in chosen],
        t("follow_up.latest", language): [latest(row.use_case_id, None) for row in chosen],
    })
