"""What a workshop collects: participants, processes, use cases and action items."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop import storage, validation
from workshop.errors import CrossWorkshopReference, NotFound
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


def _workshop(session: Session, workshop_id: int) -> Workshop:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
    return workshop


def _next_position(session: Session, model: type, workshop_id: int) -> int:
    return (session.scalar(select(func.max(model.position)).where(model.workshop_id == workshop_id)) or 0) + 1


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


def list_participants(*, workshop_id: int) -> list[ParticipantRow]:
    with storage.read() as session:
        rows = session.scalars(
            select(Participant).where(Participant.workshop_id == workshop_id).order_by(Participant.id)
        )
        return [ParticipantRow(id=p.id, workshop_id=p.workshop_id, name=p.name, role=p.role) for p in rows]


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


def add_process(*, workshop_id: int, **fields: object) -> int:
    """Add a process (area="production", name="Orderplanering", hours_per_week=12, …); its id.

    Raises `EmptyName`, `UnknownChoice`, `ValidationError` or `NotFound`; nothing is written then.
    """
    values = process_values(fields)
    with storage.write() as session:
        _workshop(session, workshop_id)
        process = Process(workshop_id=workshop_id, position=_next_position(session, Process, workshop_id), **values)
        session.add(process)
        session.flush()
        return process.id


def list_processes(*, workshop_id: int) -> list[ProcessRow]:
    with storage.read() as session:
        rows = session.scalars(
            select(Process).where(Process.workshop_id == workshop_id).order_by(Process.position, Process.id)
        )
        return [
            ProcessRow(
                id=p.id,
                workshop_id=p.workshop_id,
                position=p.position,
                area=p.area,
                name=p.name,
                description=p.description,
                pain_points=p.pain_points,
                frequency=p.frequency,
                hours_per_week=p.hours_per_week,
                people_involved=p.people_involved,
                data_availability=p.data_availability,
                system=p.system,
            )
            for p in rows
        ]


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


def add_use_case(*, workshop_id: int, process_id: int | None = None, **fields: object) -> int:
    """Add a use case (title="Prognos för materialbehov", ai_capability="forecasting", …).

    Raises `CrossWorkshopReference` when `process_id` belongs to another workshop, and
    `EmptyName`, `UnknownChoice` or `NotFound`; nothing is written then.
    """
    values = use_case_values(fields)
    selected = bool(fields.get("selected", False))
    with storage.write() as session:
        _workshop(session, workshop_id)
        _check_process_belongs(session, process_id=process_id, workshop_id=workshop_id)
        use_case = UseCase(
            workshop_id=workshop_id,
            process_id=process_id,
            position=_next_position(session, UseCase, workshop_id),
            selected=selected,
            **values,
        )
        session.add(use_case)
        session.flush()
        return use_case.id


def list_use_cases(*, workshop_id: int) -> list[UseCaseRow]:
    with storage.read() as session:
        rows = session.scalars(
            select(UseCase).where(UseCase.workshop_id == workshop_id).order_by(UseCase.position, UseCase.id)
        )
        return [
            UseCaseRow(
                id=u.id,
                workshop_id=u.workshop_id,
                process_id=u.process_id,
                position=u.position,
                title=u.title,
                description=u.description,
                ai_capability=u.ai_capability,
                benefit_kind=u.benefit_kind,
                data_needed=u.data_needed,
                stage=u.stage,
                cost_band=u.cost_band,
                selected=u.selected,
            )
            for u in rows
        ]


def _use_case_of(session: Session, *, workshop_id: int, use_case_id: int) -> UseCase:
    use_case = session.get(UseCase, use_case_id)
    if use_case is None:
        raise NotFound(f"No use case with id {use_case_id}.", kind="use_case", id=use_case_id)
    if use_case.workshop_id != workshop_id:
        raise CrossWorkshopReference(
            f"Use case {use_case_id} belongs to another workshop.", field="use_case_id", id=use_case_id
        )
    return use_case


def set_selected(*, workshop_id: int, use_case_id: int, selected: bool) -> None:
    """Mark a use case as chosen for pursuit (or not). Raises `NotFound` or `CrossWorkshopReference`."""
    with storage.write() as session:
        _use_case_of(session, workshop_id=workshop_id, use_case_id=use_case_id).selected = bool(selected)


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


def list_action_items(*, workshop_id: int) -> list[ActionItemRow]:
    with storage.read() as session:
        rows = session.scalars(
            select(ActionItem)
            .join(UseCase, UseCase.id == ActionItem.use_case_id)
            .where(UseCase.workshop_id == workshop_id)
            .order_by(UseCase.position, UseCase.id)
        )
        return [
            ActionItemRow(
                use_case_id=a.use_case_id,
                next_step=a.next_step,
                owner=a.owner,
                horizon_days=a.horizon_days,
                cost_band=a.cost_band,
                needs_competence=a.needs_competence,
                needs_data=a.needs_data,
                needs_partner=a.needs_partner,
                stage=a.stage,
            )
            for a in rows
        ]
