"""Cohorts, companies and workshops: creating them and listing them as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select, true
from sqlalchemy.exc import IntegrityError

from workshop import access, maturity, scoring, scoring_models, storage, validation
from workshop.content import as_row
from workshop.errors import NotFound, ValidationError
from workshop.models import Cohort, Company, Participant, UseCase, Workshop
from workshop.sni import check_sni
from workshop.vocabulary import (
    LANGUAGES,
    SWEDISH_REGIONS,
    TURNOVER_BANDS,
    WORKSHOP_STATUSES,
    WORKSHOP_STEPS,
    size_class_for,
)

# Companies founded before this are almost certainly a typing error.
EARLIEST_FOUNDING_YEAR = 1800


@dataclass(frozen=True)
class CohortRow:
    id: int
    name: str
    region: str
    description: str
    companies: int
    workshops_completed: int


@dataclass(frozen=True)
class CompanyRow:
    id: int
    cohort_id: int
    name: str
    org_number: str
    sni_section: str
    sni_division: str
    employees: int
    size_class: str
    turnover_band: str
    founded_year: int | None
    municipality: str
    region: str
    consent_reporting: bool


@dataclass(frozen=True)
class WorkshopRow:
    id: int
    company_id: int
    company_name: str
    held_on: dt.date | None
    facilitator_name: str
    status: str
    language: str
    current_step: str
    participants: int
    use_cases: int
    selected_use_cases: int


@access.administers
def create_cohort(*, name: str, region: str = "", description: str = "") -> int:
    """Create a cohort (e.g. name="Kickstart AI Skåne hösten 2026") and return its id.

    Raises `EmptyName`, or `ValidationError` when the name is taken.
    """
    clean_name = validation.name(name, field="cohort_name")
    try:
        with storage.write() as session:
            cohort = Cohort(
                name=clean_name,
                region=validation.text(region, field="region", max_length=100),
                description=validation.text(description, field="description"),
            )
            session.add(cohort)
            session.flush()
            return cohort.id
    except IntegrityError as exc:
        raise ValidationError(
            f"A cohort named {clean_name!r} exists already.", field="cohort_name", value=clean_name
        ) from exc


def list_cohorts() -> list[CohortRow]:
    """Every cohort the caller sees (`access.listed_cohorts`) with its company count and
    completed workshops, by name."""
    listed = access.listed_cohorts()
    companies = (
        select(Company.cohort_id, func.count(Company.id).label("n"))
        .group_by(Company.cohort_id)
        .subquery()
    )
    completed = (
        select(Company.cohort_id, func.count(Workshop.id).label("n"))
        .join(Workshop, Workshop.company_id == Company.id)
        .where(Workshop.status == "completed")
        .group_by(Company.cohort_id)
        .subquery()
    )
    query = (
        select(Cohort, func.coalesce(companies.c.n, 0), func.coalesce(completed.c.n, 0))
        .outerjoin(companies, companies.c.cohort_id == Cohort.id)
        .outerjoin(completed, completed.c.cohort_id == Cohort.id)
        .where(Cohort.id.in_(listed) if listed is not None else true())
        .order_by(Cohort.name, Cohort.id)
    )
    with storage.read() as session:
        return [
            CohortRow(
                id=cohort.id,
                name=cohort.name,
                region=cohort.region,
                description=cohort.description,
                companies=company_count,
                workshops_completed=completed_count,
            )
            for cohort, company_count, completed_count in session.execute(query)
        ]


def company_values(
    *,
    name: str,
    org_number: str,
    sni_section: str,
    sni_division: str,
    employees: int,
    turnover_band: str,
    founded_year: int | None,
    municipality: str,
    region: str,
    consent_reporting: bool,
) -> dict:
    section, division = check_sni(sni_section, sni_division)
    clean_employees = validation.number(employees, field="employees", minimum=0, maximum=10_000_000, whole=True, optional=False)
    this_year = dt.date.today().year
    return {
        "name": validation.name(name, field="company_name"),
        "org_number": validation.organisation_number(org_number),
        "sni_section": section,
        "sni_division": division,
        "employees": clean_employees,
        "size_class": size_class_for(clean_employees),
        "turnover_band": validation.choice(turnover_band, TURNOVER_BANDS, field="turnover_band", optional=True),
        "founded_year": validation.number(
            founded_year, field="founded_year", minimum=EARLIEST_FOUNDING_YEAR, maximum=this_year, whole=True
        ),
        "municipality": validation.text(municipality, field="municipality", max_length=100),
        "region": validation.choice(region, SWEDISH_REGIONS, field="region", optional=True),
        "consent_reporting": bool(consent_reporting),
    }


@access.writes_cohort
def create_company(
    *,
    cohort_id: int,
    name: str,
    org_number: str,
    sni_section: str = "",
    sni_division: str = "",
    employees: int = 0,
    turnover_band: str = "",
    founded_year: int | None = None,
    municipality: str = "",
    region: str = "",
    consent_reporting: bool = False,
) -> int:
    """Create a company in a cohort (org_number="556677-8899", region="Skåne län"); its id.

    Raises `InvalidOrganisationNumber`, `EmptyName`, `UnknownChoice`, `ValidationError`
    (also when the organisation number is already in the cohort) or `NotFound`.
    """
    values = company_values(
        name=name,
        org_number=org_number,
        sni_section=sni_section,
        sni_division=sni_division,
        employees=employees,
        turnover_band=turnover_band,
        founded_year=founded_year,
        municipality=municipality,
        region=region,
        consent_reporting=consent_reporting,
    )
    try:
        with storage.write() as session:
            if session.get(Cohort, cohort_id) is None:
                raise NotFound(f"No cohort with id {cohort_id}.", kind="cohort", id=cohort_id)
            company = Company(cohort_id=cohort_id, created_by_id=access.current().account_id, **values)
            session.add(company)
            session.flush()
            return company.id
    except IntegrityError as exc:
        raise ValidationError(
            f"A company with organisation number {values['org_number']} is already in this cohort.",
            field="org_number",
            value=values["org_number"],
        ) from exc


@access.lists_cohort
def list_companies(*, cohort_id: int) -> list[CompanyRow]:
    """The companies of one cohort, by name (a facilitator's: those they reach)."""
    facilitator = access.facilitator_scope()
    reach = Company.id.in_(access.facilitator_companies(facilitator)) if facilitator is not None else true()
    with storage.read() as session:
        companies = session.scalars(
            select(Company).where(Company.cohort_id == cohort_id, reach).order_by(Company.name, Company.id)
        )
        return [_company_row(company) for company in companies]


@access.reads_company
def get_company(*, company_id: int) -> CompanyRow:
    with storage.read() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise NotFound(f"No company with id {company_id}.", kind="company", id=company_id)
        return _company_row(company)


def _company_row(company: Company) -> CompanyRow:
    return as_row(CompanyRow, company)


@access.writes_company
def create_workshop(
    *,
    company_id: int,
    held_on: dt.date | None = None,
    facilitator_name: str = "",
    language: str = "sv",
    scoring_model_id: int | None = None,
    facilitator_id: int | None = None,
) -> int:
    """Create a planned workshop for a company, scored with the given (or default) model;
    `facilitator_id` is the staff account that runs it (it may then open it); a facilitator
    who creates a workshop runs it.

    Raises `UnknownChoice` for an unsupported language and `NotFound` for a missing company
    or scoring model.
    """
    validation.choice(language, LANGUAGES, field="language")
    facilitator = validation.text(facilitator_name, field="facilitator_name", max_length=200)
    if facilitator_id is None:
        facilitator_id = access.facilitator_scope()
    model_id = scoring_model_id if scoring_model_id is not None else scoring_models.default_model_id()
    scoring_models.get_model(model_id)
    with storage.write() as session:
        if session.get(Company, company_id) is None:
            raise NotFound(f"No company with id {company_id}.", kind="company", id=company_id)
        workshop = Workshop(
            company_id=company_id,
            scoring_model_id=model_id,
            held_on=held_on,
            facilitator_name=facilitator,
            facilitator_id=facilitator_id,
            language=language,
            status="planned",
            current_step=WORKSHOP_STEPS[0],
        )
        session.add(workshop)
        session.flush()
        return workshop.id


@access.writes_workshop
def set_workshop_progress(*, workshop_id: int, status: str | None = None, current_step: str | None = None) -> None:
    """Record where the workshop stands; completing it stamps the time.

    Raises `UnknownChoice` or `NotFound`.
    """
    if status is not None:
        validation.choice(status, WORKSHOP_STATUSES, field="status")
    if current_step is not None:
        validation.choice(current_step, WORKSHOP_STEPS, field="current_step")
    with storage.write() as session:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        if status is not None:
            workshop.status = status
            workshop.completed_at = dt.datetime.now(dt.UTC) if status == "completed" else None
        if current_step is not None:
            workshop.current_step = current_step


@access.lists_cohort
def list_workshops(*, cohort_id: int) -> list[WorkshopRow]:
    """Every workshop of a cohort (a facilitator's: those they run or are assigned) with its
    company and counts, by company name then date."""
    facilitator = access.facilitator_scope()
    reach = Workshop.id.in_(access.facilitator_workshops(facilitator)) if facilitator is not None else true()
    participants = (
        select(Participant.workshop_id, func.count(Participant.id).label("n"))
        .group_by(Participant.workshop_id)
        .subquery()
    )
    use_cases = (
        select(
            UseCase.workshop_id,
            func.count(UseCase.id).label("n"),
            func.sum(cast(UseCase.selected, Integer)).label("selected"),
        )
        .group_by(UseCase.workshop_id)
        .subquery()
    )
    query = (
        select(
            Workshop,
            Company.name,
            func.coalesce(participants.c.n, 0),
            func.coalesce(use_cases.c.n, 0),
            func.coalesce(use_cases.c.selected, 0),
        )
        .join(Company, Company.id == Workshop.company_id)
        .outerjoin(participants, participants.c.workshop_id == Workshop.id)
        .outerjoin(use_cases, use_cases.c.workshop_id == Workshop.id)
        .where(Company.cohort_id == cohort_id, reach)
        .order_by(Company.name, Workshop.held_on, Workshop.id)
    )
    with storage.read() as session:
        return [
            WorkshopRow(
                id=workshop.id,
                company_id=workshop.company_id,
                company_name=company_name,
                held_on=workshop.held_on,
                facilitator_name=workshop.facilitator_name,
                status=workshop.status,
                language=workshop.language,
                current_step=workshop.current_step,
                participants=participant_count,
                use_cases=use_case_count,
                selected_use_cases=int(selected_count),
            )
            for workshop, company_name, participant_count, use_case_count, selected_count in session.execute(query)
        ]



COMPANY_FIELDS = (
    "name", "org_number", "sni_section", "sni_division", "employees", "turnover_band",
    "founded_year", "municipality", "region", "consent_reporting",
)


@access.writes_company
def update_company(*, company_id: int, **changes: object) -> CompanyRow:
    """Change some fields of a company (e.g. employees=25), validating the whole record.

    Raises the same errors as `create_company`; nothing is written then.
    """
    unknown = set(changes) - set(COMPANY_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown company fields: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    try:
        with storage.write() as session:
            company = session.get(Company, company_id)
            if company is None:
                raise NotFound(f"No company with id {company_id}.", kind="company", id=company_id)
            merged = {name: getattr(company, name) for name in COMPANY_FIELDS} | changes
            for name, value in company_values(**merged).items():
                setattr(company, name, value)
            session.flush()
            return _company_row(company)
    except IntegrityError as exc:
        raise ValidationError(
            "A company with this organisation number is already in this cohort.", field="org_number"
        ) from exc


@dataclass(frozen=True)
class WorkshopInfo:
    id: int
    company_id: int
    company_name: str
    cohort_id: int
    cohort_name: str
    scoring_model_id: int
    held_on: dt.date | None
    facilitator_name: str
    status: str
    language: str
    current_step: str
    presentation_mode: bool
    value_threshold: float | None
    feasibility_threshold: float | None
    maturity_answers: dict


@access.reads_workshop
def get_workshop(*, workshop_id: int) -> WorkshopInfo:
    """The workshop with its company and cohort names; `NotFound` if it does not exist."""
    with storage.read() as session:
        row = session.execute(
            select(Workshop, Company.name, Company.cohort_id, Cohort.name)
            .join(Company, Company.id == Workshop.company_id)
            .join(Cohort, Cohort.id == Company.cohort_id)
            .where(Workshop.id == workshop_id)
        ).first()
        if row is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        workshop, company_name, cohort_id, cohort_name = row
        return WorkshopInfo(
            id=workshop.id,
            company_id=workshop.company_id,
            company_name=company_name,
            cohort_id=cohort_id,
            cohort_name=cohort_name,
            scoring_model_id=workshop.scoring_model_id,
            held_on=workshop.held_on,
            facilitator_name=workshop.facilitator_name,
            status=workshop.status,
            language=workshop.language,
            current_step=workshop.current_step,
            presentation_mode=workshop.presentation_mode,
            value_threshold=workshop.value_threshold,
            feasibility_threshold=workshop.feasibility_threshold,
            maturity_answers=dict(workshop.maturity_answers or {}),
        )


@access.writes_workshop
def update_workshop(
    *,
    workshop_id: int,
    held_on: dt.date | None | object = ...,
    facilitator_name: str | object = ...,
    language: str | object = ...,
    presentation_mode: bool | object = ...,
    value_threshold: float | None | object = ...,
    feasibility_threshold: float | None | object = ...,
) -> None:
    """Change the given settings of a workshop; omitted ones stay. Thresholds are on 1–5.

    Raises `UnknownChoice`, `ValidationError` or `NotFound`; nothing is written then.
    """
    values: dict[str, object] = {}
    if held_on is not ...:
        values["held_on"] = held_on
    if facilitator_name is not ...:
        values["facilitator_name"] = validation.text(facilitator_name, field="facilitator_name", max_length=200)
    if language is not ...:
        values["language"] = validation.choice(language, LANGUAGES, field="language")
    if presentation_mode is not ...:
        values["presentation_mode"] = bool(presentation_mode)
    for name, raw in (("value_threshold", value_threshold), ("feasibility_threshold", feasibility_threshold)):
        if raw is not ...:
            values[name] = validation.number(raw, field=name, minimum=1, maximum=5)
    with storage.write() as session:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        for name, value in values.items():
            setattr(workshop, name, value)


@access.writes_workshop
def set_maturity_answer(*, workshop_id: int, question_key: str, level: int | None) -> None:
    """Store one answer (1–5, None clears it) of the AI-maturity self-assessment.

    Raises `UnknownChoice` for a question not in the questionnaire, `ScoreOutOfRange`, or `NotFound`.
    """
    validation.choice(question_key, maturity.question_keys(), field="question")
    clean = None if level is None else scoring.check_score(level, criterion=question_key)
    with storage.write() as session:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        answers = dict(workshop.maturity_answers or {})
        if clean is None:
            answers.pop(question_key, None)
        else:
            answers[question_key] = clean
        workshop.maturity_answers = answers
