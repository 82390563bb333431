"""What a workshop collects: participants, processes, use cases and action items."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop import access, audit, storage, triage, validation, value_estimate
from workshop.editing import TableChanges
from workshop.errors import (
    CrossWorkshopReference,
    DomainError,
    DuplicateName,
    NotFound,
    TableErrors,
    ValidationError,
)
from workshop.models import ActionItem, Participant, Process, UseCase, Workshop
from workshop.vocabulary import (
    AI_CAPABILITIES,
    BENEFIT_KINDS,
    COST_BANDS,
    DATA_AVAILABILITY,
    HORIZONS_DAYS,
    PROCESS_AREAS,
    STAGES,
)

# A week has 168 hours; anything above is a typing error, not a busy process.
MAX_HOURS_PER_WEEK = 168 * 1000


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    workshop_id: int
    name: str
    role: str


@dataclass(frozen=True)
class ProcessRow:
    id: int
    workshop_id: int
    position: int
    area: str
    name: str
    description: str
    pain_points: str
    frequency: str
    hours_per_week: float | None
    people_involved: int | None
    data_availability: str
    system: str


@dataclass(frozen=True)
class UseCaseRow:
    id: int
    workshop_id: int
    process_id: int | None
    position: int
    title: str
    description: str
    ai_capability: str
    benefit_kind: str
    data_needed: str
    stage: str
    cost_band: str
    selected: bool
    voting_status: str = "idle"


@dataclass(frozen=True)
class ActionItemRow:
    use_case_id: int
    next_step: str
    owner: str
    horizon_days: int | None
    cost_band: str
    needs_competence: str
    needs_data: str
    needs_partner: str
    stage: str


def as_row(row_type: type, record: object):  # noqa: ANN201
    """A plain row dataclass filled from the ORM record's attributes of the same names."""
    return row_type(**{f.name: getattr(record, f.name) for f in fields(row_type)})


def _workshop(session: Session, workshop_id: int) -> Workshop:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
    return workshop


def _next_position(session: Session, model: type, workshop_id: int) -> int:
    return (session.scalar(select(func.max(model.position)).where(model.workshop_id == workshop_id)) or 0) + 1


@access.writes_workshop
def add_participant(*, workshop_id: int, name: str = "", role: str = "") -> int:
    """Add a participant (name and role are optional) and return the id. Raises `NotFound`."""
    clean_name = validation.text(name, field="participant_name", max_length=200)
    clean_role = validation.text(role, field="participant_role", max_length=200)
    with storage.write() as session:
        _workshop(session, workshop_id)
        participant = Participant(workshop_id=workshop_id, name=clean_name, role=clean_role)
        session.add(participant)
        session.flush()
        return participant.id


@access.reads_workshop
def list_participants(*, workshop_id: int) -> list[ParticipantRow]:
    with storage.read() as session:
        rows = session.scalars(
            select(Participant).where(Participant.workshop_id == workshop_id).order_by(Participant.id)
        )
        return [as_row(ParticipantRow, p) for p in rows]


def process_values(fields: dict) -> dict:
    return {
        "area": validation.choice(fields.get("area"), PROCESS_AREAS, field="area"),
        "name": validation.name(fields.get("name"), field="process_name"),
        "description": validation.text(fields.get("description"), field="description"),
        "pain_points": validation.text(fields.get("pain_points"), field="pain_points"),
        "frequency": validation.text(fields.get("frequency"), field="frequency", max_length=200),
        "hours_per_week": validation.number(
            fields.get("hours_per_week"), field="hours_per_week", minimum=0, maximum=MAX_HOURS_PER_WEEK
        ),
        "people_involved": validation.number(
            fields.get("people_involved"), field="people_involved", minimum=0, maximum=100_000, whole=True
        ),
        "data_availability": validation.choice(
            fields.get("data_availability") or "none", DATA_AVAILABILITY, field="data_availability"
        ),
        "system": validation.text(fields.get("system"), field="system", max_length=200),
    }


@access.writes_workshop
def add_process(*, workshop_id: int, **fields: object) -> int:
    """Add a process (area="production", name="Orderplanering", hours_per_week=12, …); its id.

    Raises `EmptyName`, `UnknownChoice`, `ValidationError` or `NotFound`; nothing is written then.
    """
    values = process_values(fields)
    with storage.write() as session:
        _workshop(session, workshop_id)
        names = session.scalars(select(Process.name).where(Process.workshop_id == workshop_id))
        if values["name"].casefold() in {name.casefold() for name in names}:
            raise DuplicateName(f"A process named {values['name']!r} exists already.", field="name", value=values["name"])
        process = Process(workshop_id=workshop_id, position=_next_position(session, Process, workshop_id), **values)
        session.add(process)
        session.flush()
        return process.id


@access.reads_workshop
def list_processes(*, workshop_id: int) -> list[ProcessRow]:
    with storage.read() as session:
        rows = session.scalars(
            select(Process).where(Process.workshop_id == workshop_id).order_by(Process.position, Process.id)
        )
        return [as_row(ProcessRow, p) for p in rows]


def _check_process_belongs(session: Session, *, process_id: int | None, workshop_id: int) -> None:
    if process_id is None:
        return
    process_workshop = session.scalar(select(Process.workshop_id).where(Process.id == process_id))
    if process_workshop is None:
        raise NotFound(f"No process with id {process_id}.", kind="process", id=process_id)
    if process_workshop != workshop_id:
        raise CrossWorkshopReference(
            f"Process {process_id} belongs to another workshop; a use case can only be tied to "
            "a process of its own workshop.",
            field="process_id",
            id=process_id,
        )


def use_case_values(fields: dict) -> dict:
    return {
        "title": validation.name(fields.get("title"), field="use_case_title"),
        "description": validation.text(fields.get("description"), field="description"),
        "ai_capability": validation.choice(
            fields.get("ai_capability") or "other", AI_CAPABILITIES, field="ai_capability"
        ),
        "benefit_kind": validation.choice(
            fields.get("benefit_kind") or "internal_efficiency", BENEFIT_KINDS, field="benefit_kind"
        ),
        "data_needed": validation.text(fields.get("data_needed"), field="data_needed"),
        "stage": validation.choice(fields.get("stage") or "idea", STAGES, field="stage"),
        "cost_band": validation.choice(fields.get("cost_band"), COST_BANDS, field="cost_band", optional=True),
    }


@access.writes_workshop
def add_use_case(*, workshop_id: int, process_id: int | None = None, **fields: object) -> int:
    """Add a use case (title="Prognos för materialbehov", ai_capability="forecasting", …).

    Raises `CrossWorkshopReference` when `process_id` belongs to another workshop, and
    `EmptyName`, `UnknownChoice` or `NotFound`; nothing is written then.
    """
    values = use_case_values(fields)
    selected = bool(fields.get("selected", False))
    library_key = validation.text(fields.get("library_key"), field="library_key", max_length=80) or None
    with storage.write() as session:
        _workshop(session, workshop_id)
        _check_process_belongs(session, process_id=process_id, workshop_id=workshop_id)
        use_case = UseCase(
            workshop_id=workshop_id,
            process_id=process_id,
            position=_next_position(session, UseCase, workshop_id),
            selected=selected,
            library_key=library_key,
            **values,
        )
        session.add(use_case)
        session.flush()
        return use_case.id


@access.reads_workshop
def list_use_cases(*, workshop_id: int) -> list[UseCaseRow]:
    with storage.read() as session:
        rows = session.scalars(
            select(UseCase).where(UseCase.workshop_id == workshop_id).order_by(UseCase.position, UseCase.id)
        )
        return [as_row(UseCaseRow, u) for u in rows]


def _use_case_of(session: Session, *, workshop_id: int, use_case_id: int) -> UseCase:
    use_case = session.get(UseCase, use_case_id)
    if use_case is None:
        raise NotFound(f"No use case with id {use_case_id}.", kind="use_case", id=use_case_id)
    if use_case.workshop_id != workshop_id:
        raise CrossWorkshopReference(
            f"Use case {use_case_id} belongs to another workshop.", field="use_case_id", id=use_case_id
        )
    return use_case


@access.writes_workshop
def set_selected(*, workshop_id: int, use_case_id: int, selected: bool) -> None:
    """Mark a use case as chosen for pursuit (or not). Raises `NotFound` or `CrossWorkshopReference`."""
    with storage.write() as session:
        _use_case_of(session, workshop_id=workshop_id, use_case_id=use_case_id).selected = bool(selected)


@access.writes_workshop
def set_action_item(*, workshop_id: int, use_case_id: int, **fields: object) -> None:
    """Create or replace the action plan of a use case (next_step, owner, horizon_days=90, …).

    Raises `UnknownChoice` for a horizon other than 30/90/180 days, a stage or cost band
    outside the lists, and `NotFound` or `CrossWorkshopReference`; nothing is written then.
    """
    values = action_item_values(fields)
    with storage.write() as session:
        use_case = _use_case_of(session, workshop_id=workshop_id, use_case_id=use_case_id)
        item = session.scalar(select(ActionItem).where(ActionItem.use_case_id == use_case.id).with_for_update())
        if item is None:
            session.add(ActionItem(use_case_id=use_case.id, **values))
        else:
            for key, value in values.items():
                setattr(item, key, value)


def action_item_values(fields: dict) -> dict:
    return {
        "next_step": validation.text(fields.get("next_step"), field="next_step"),
        "owner": validation.text(fields.get("owner"), field="owner", max_length=200),
        "horizon_days": validation.choice(fields.get("horizon_days"), HORIZONS_DAYS, field="horizon_days", optional=True),
        "cost_band": validation.choice(fields.get("cost_band"), COST_BANDS, field="cost_band", optional=True),
        "needs_competence": validation.text(fields.get("needs_competence"), field="needs_competence"),
        "needs_data": validation.text(fields.get("needs_data"), field="needs_data"),
        "needs_partner": validation.text(fields.get("needs_partner"), field="needs_partner"),
        "stage": validation.choice(fields.get("stage") or "idea", STAGES, field="stage"),
    }


@access.reads_workshop
def list_action_items(*, workshop_id: int) -> list[ActionItemRow]:
    with storage.read() as session:
        rows = session.scalars(
            select(ActionItem)
            .join(UseCase, UseCase.id == ActionItem.use_case_id)
            .where(UseCase.workshop_id == workshop_id)
            .order_by(UseCase.position, UseCase.id)
        )
        return [as_row(ActionItemRow, a) for a in rows]


# --- table edits (all or nothing) --------------------------------------------------------

PROCESS_FIELDS = (
    "area", "name", "description", "pain_points", "frequency", "hours_per_week",
    "people_involved", "data_availability", "system",
)
USE_CASE_FIELDS = (
    "process_id", "title", "description", "ai_capability", "benefit_kind", "data_needed",
    "stage", "cost_band",
)
PARTICIPANT_FIELDS = ("name", "role")
ACTION_FIELDS = (
    "next_step", "owner", "horizon_days", "cost_band", "needs_competence", "needs_data", "needs_partner", "stage",
)


def participant_values(fields: dict) -> dict:
    return {
        "name": validation.text(fields.get("name"), field="participant_name", max_length=200),
        "role": validation.text(fields.get("role"), field="participant_role", max_length=200),
    }


def _use_case_row_values(fields: dict) -> dict:
    values = use_case_values(fields)
    process_id = fields.get("process_id")
    values["process_id"] = None if process_id in (None, "") else int(process_id)
    return values


def _apply_table(
    session: Session,
    *,
    model: type,
    workshop_id: int,
    changes: TableChanges,
    fields: tuple[str, ...],
    values_of,  # noqa: ANN001
    unique_field: str | None = None,
) -> list[int]:
    """Apply `changes` or raise `TableErrors`; returns the ids of the added rows, in order."""
    problems: list[tuple[int, str, DomainError]] = []
    existing = {
        row.id: row for row in session.scalars(select(model).where(model.workshop_id == workshop_id).with_for_update())
    }
    final: list[tuple[int, dict, object]] = []  # (row number, values, target row or None)
    for row_id, (row_number, changed) in changes.updated.items():
        target = existing.get(row_id)
        if target is None:
            problems.append((row_number, "id", NotFound(f"Row {row_id} no longer exists.", kind=model.__tablename__, id=row_id)))
            continue
        merged = {name: getattr(target, name) for name in fields} | {k: v for k, v in changed.items() if k in fields}
        try:
            final.append((row_number, values_of(merged), target))
        except DomainError as error:
            problems.append((row_number, error.field or "", error))
    for row_number, added in changes.added:
        try:
            final.append((row_number, values_of(added), None))
        except DomainError as error:
            problems.append((row_number, error.field or "", error))
    for _row_number, values, _target in final:
        if "process_id" in values:
            try:
                _check_process_belongs(session, process_id=values["process_id"], workshop_id=workshop_id)
            except DomainError as error:
                problems.append((_row_number, "process_id", error))
    if unique_field:
        touched = {target.id for _n, _v, target in final if target is not None}
        seen = {
            getattr(row, unique_field).casefold(): row.id
            for row in existing.values()
            if row.id not in touched and row.id not in changes.deleted
        }
        for row_number, values, _target in sorted(final, key=lambda item: item[0]):
            name = values[unique_field].casefold()
            if name in seen:
                problems.append(
                    (row_number, unique_field, DuplicateName(f"{values[unique_field]!r} is already in the table.", field=unique_field, value=values[unique_field]))
                )
            seen[name] = row_number
    if problems:
        raise TableErrors(sorted(problems, key=lambda problem: problem[0]))
    removed = [row_id for row_id in changes.deleted if row_id in existing]
    for row_id in removed:
        session.delete(existing[row_id])
    if removed:
        audit.record(
            session, actor=access.actor(), action="rows.deleted", object_type="workshop", object_id=workshop_id,
            table=model.__tablename__, ids=removed,
        )
    position = max([getattr(row, "position", 0) for row in existing.values()] + [0])
    inserted = []
    for _row_number, values, target in final:
        if target is None:
            position += 1
            extra = {"position": position} if hasattr(model, "position") else {}
            inserted.append(model(workshop_id=workshop_id, **extra, **values))
            session.add(inserted[-1])
        else:
            for name, value in values.items():
                setattr(target, name, value)
    session.flush()
    return [row.id for row in inserted]


@access.writes_workshop
def apply_process_changes(*, workshop_id: int, changes: TableChanges) -> list[int]:
    """Apply a process table edit in one transaction: all rows or none. Returns the ids of
    the added rows, in order.

    Raises `TableErrors` listing every invalid row (empty or duplicate name, negative hours,
    text in a number field, unknown choice); nothing is written then. `NotFound` for a
    missing workshop.
    """
    with storage.write() as session:
        _workshop(session, workshop_id)
        return _apply_table(session, model=Process, workshop_id=workshop_id, changes=changes,
                     fields=PROCESS_FIELDS, values_of=process_values, unique_field="name")


@access.writes_workshop
def apply_use_case_changes(*, workshop_id: int, changes: TableChanges) -> list[int]:
    """Apply a use-case table edit in one transaction: all rows or none (ids of added rows back).

    Raises `TableErrors` (also for a process of another workshop); nothing is written then.
    """
    with storage.write() as session:
        _workshop(session, workshop_id)
        return _apply_table(session, model=UseCase, workshop_id=workshop_id, changes=changes,
                     fields=USE_CASE_FIELDS, values_of=_use_case_row_values)


@access.writes_workshop
def apply_participant_changes(*, workshop_id: int, changes: TableChanges) -> list[int]:
    """Apply a participant table edit in one transaction (names and roles are optional);
    returns the ids of the added rows, in order."""
    with storage.write() as session:
        _workshop(session, workshop_id)
        return _apply_table(session, model=Participant, workshop_id=workshop_id, changes=changes,
                     fields=PARTICIPANT_FIELDS, values_of=participant_values)


# --- value estimate ----------------------------------------------------------------------


# The stored assumptions, by the name used in `value_estimate.check_assumptions`.
ESTIMATE_COLUMNS = {
    "weeks_per_year": "estimate_weeks_per_year",
    "hourly_cost_sek": "estimate_hourly_cost_sek",
    "share_low": "estimate_share_low",
    "share_high": "estimate_share_high",
}


@access.writes_workshop
def set_estimate_assumptions(*, workshop_id: int, use_case_id: int, **changes: object) -> None:
    """Change some value-estimate assumptions of a use case (e.g. hourly_cost_sek=600; None
    restores a default); the others stay. The whole set is checked together in one
    transaction (low share not above high).

    Raises `ValidationError` naming the field, `NotFound` or `CrossWorkshopReference`.
    """
    unknown = sorted(set(changes) - set(ESTIMATE_COLUMNS))
    if unknown:
        raise ValidationError(f"Unknown assumptions: {', '.join(unknown)}.", field=unknown[0])
    with storage.write() as session:
        use_case = _use_case_of(session, workshop_id=workshop_id, use_case_id=use_case_id)
        current = {name: getattr(use_case, column) for name, column in ESTIMATE_COLUMNS.items()}
        values = value_estimate.check_assumptions(**(current | changes))
        for name, column in ESTIMATE_COLUMNS.items():
            setattr(use_case, column, values[name])


def _assumptions(use_case: UseCase, hours_per_week: float | None) -> value_estimate.Assumptions:
    return value_estimate.Assumptions(
        hours_per_week=hours_per_week,
        weeks_per_year=_or_default(use_case.estimate_weeks_per_year, value_estimate.DEFAULT_WEEKS_PER_YEAR),
        hourly_cost_sek=_or_default(use_case.estimate_hourly_cost_sek, value_estimate.DEFAULT_HOURLY_COST_SEK),
        share_low=_or_default(use_case.estimate_share_low, value_estimate.DEFAULT_SHARE_LOW),
        share_high=_or_default(use_case.estimate_share_high, value_estimate.DEFAULT_SHARE_HIGH),
    )


def _use_cases_with_hours(session: Session, workshop_id: int, use_case_id: int | None = None) -> list:
    query = (
        select(UseCase, Process.hours_per_week)
        .outerjoin(Process, Process.id == UseCase.process_id)
        .where(UseCase.workshop_id == workshop_id)
    )
    if use_case_id is not None:
        query = query.where(UseCase.id == use_case_id)
    return session.execute(query).all()


@access.reads_workshop
def estimate_assumptions(*, workshop_id: int, use_case_id: int) -> value_estimate.Assumptions:
    """The assumptions behind a use case's value estimate, defaults filled in.

    Raises `NotFound` when the use case is not in the workshop.
    """
    with storage.read() as session:
        rows = _use_cases_with_hours(session, workshop_id, use_case_id)
        if not rows:
            raise NotFound(f"No use case with id {use_case_id} in this workshop.", kind="use_case", id=use_case_id)
        use_case, hours = rows[0]
        return _assumptions(use_case, hours)


@access.reads_workshop
def value_estimates(*, workshop_id: int) -> dict[int, value_estimate.ValueEstimate | None]:
    """Use case id → its annual value estimate (None when not tied to a process with hours)."""
    with storage.read() as session:
        return {
            use_case.id: value_estimate.estimate(_assumptions(use_case, hours))
            for use_case, hours in _use_cases_with_hours(session, workshop_id)
        }


def _or_default(value: float | None, default: float) -> float:
    return default if value is None else value


@access.writes_workshop
def set_selection(*, workshop_id: int, selected: dict[int, bool]) -> None:
    """Mark several use cases as chosen (or not) in one transaction.

    Raises `NotFound` or `CrossWorkshopReference` for a use case outside the workshop, and
    `ProhibitedWithoutOverride` for a prohibited practice without a recorded override;
    nothing is written then.
    """
    with storage.write() as session:
        for use_case_id, value in selected.items():
            use_case = _use_case_of(session, workshop_id=workshop_id, use_case_id=use_case_id)
            if value:
                triage.check_selectable(session, use_case_id=use_case_id)
            use_case.selected = bool(value)
