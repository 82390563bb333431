"""A synthetic cohort for scale work: N companies, each with one workshop of 25 use cases
scored on 11 criteria by 6 voters, with plans and follow-ups.

Rows are written in bulk with ids assigned here (COPY on PostgreSQL), company by company
in batches, so 5 000 companies (8 million votes) fit in memory and in minutes. The
scores are drawn around a latent quality per use case, with a bias per facilitator so
the calibration view has drift to find.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, insert, select, text

from workshop import access, scoring_models, storage, tally, validation
from workshop.validation import luhn_valid
from workshop.models import (
    ActionItem, Cohort, Company, FollowUp, Participant, Process, UseCase, Vote, Workshop,
)
from workshop.vocabulary import (
    AI_CAPABILITIES, BENEFIT_KINDS, COST_BANDS, FOLLOW_UP_STATUSES, PROCESS_AREAS, STAGES, SWEDISH_REGIONS,
    TURNOVER_BANDS, size_class_for,
)

USE_CASES = 25
VOTERS = 6
PROCESSES = 5
SELECTED = 3
MODEL_NAME = "synthetic-11"
# Two criteria beyond the default nine, so the model has the 11 a large programme might use.
EXTRA_CRITERIA = (("gender_equality", "value", "higher_is_better"), ("time_to_value", "feasibility", "lower_is_better"))
FACILITATORS = ("Anna Lindqvist", "Erik Holm", "Sara Nilsson", "Johan Berg", "Maria Ek", "Omar Haddad")
# Added to every score a facilitator's groups give: the drift calibration should reveal.
FACILITATOR_BIAS = (0.0, 0.5, -0.4, 0.2, 0.0, -0.8)
SECTIONS = ("C", "G", "J", "M", "F", "H", "Q", "A", "N", "I")
BATCH_COMPANIES = 200
PROGRESS_STATUSES = FOLLOW_UP_STATUSES[1:]  # not "not_started"


@dataclass(frozen=True)
class SyntheticResult:
    cohort_id: int
    companies: int
    use_cases: int
    votes: int


def organisation_number(number: int) -> str:
    """A checksum-valid organisation number (group 55, limited companies) from a serial."""
    base = f"559{number:06d}"
    for check in range(10):
        if luhn_valid(base + str(check)):
            return f"{base[:6]}-{base[6:]}{check}"
    raise AssertionError("a Luhn check digit always exists")


def synthetic_model() -> int:
    """The default model plus two criteria, installed once."""
    document = copy.deepcopy(scoring_models.load_model_document())
    document["name"] = MODEL_NAME
    template = document["criteria"][0]
    for key, axis, direction in EXTRA_CRITERIA:
        extra = copy.deepcopy(template)
        extra.update(key=key, axis=axis, direction=direction, name={"sv": key, "en": key})
        document["criteria"].append(extra)
    return scoring_models.install_model(document)


def _next_ids(session, *models) -> dict:  # noqa: ANN001
    return {model: (session.scalar(select(func.max(model.id))) or 0) + 1 for model in models}


@access.administers
def generate_cohort(
    *, companies: int, seed: int = 1, name: str | None = None, progress: Callable[[float], None] | None = None
) -> SyntheticResult:
    """Write a synthetic cohort of `companies` companies (at least one); returns its id and
    row counts. Raises `OutOfRange` for fewer than one company."""
    companies = validation.number(companies, field="companies", minimum=1, maximum=100_000, whole=True, optional=False)
    rng = np.random.default_rng(seed)
    model_id = synthetic_model()
    model = scoring_models.get_model(model_id)
    criterion_ids = np.array([c.id for c in model.criteria])
    lower_is_better = np.array([c.direction == "lower_is_better" for c in model.criteria])
    with storage.write() as session:
        cohort_name = name or f"Syntetisk kohort {companies} ({seed})"
        cohort_id = session.execute(insert(Cohort).values(name=cohort_name, region="Skåne län").returning(Cohort.id)).scalar_one()
    votes = 0
    for start in range(0, companies, BATCH_COMPANIES):
        count = min(BATCH_COMPANIES, companies - start)
        votes += _write_batch(rng, cohort_id=cohort_id, model_id=model_id, first=start, count=count,
                              criterion_ids=criterion_ids, lower_is_better=lower_is_better)
        if progress:
            progress((start + count) / companies)
    return SyntheticResult(cohort_id, companies, companies * USE_CASES, votes)


def _write_batch(rng, *, cohort_id: int, model_id: int, first: int, count: int, criterion_ids, lower_is_better) -> int:  # noqa: ANN001, PLR0913
    with storage.write() as session:
        ids = _next_ids(session, Company, Workshop, Participant, Process, UseCase, Vote, ActionItem, FollowUp)
        company_rows, workshop_rows, participant_rows, process_rows, use_case_rows = [], [], [], [], []
        action_rows, follow_up_rows = [], []
        employees = np.clip(rng.lognormal(3.0, 1.0, count).astype(int) + 1, 1, 240)
        facilitator_of = rng.integers(0, len(FACILITATORS), count)
        day_offsets = rng.integers(0, 540, count)
        for n in range(count):
            company_id = ids[Company] + n
            workshop_id = ids[Workshop] + n
            number = first + n + 1
            held_on = dt.date(2025, 3, 1) + dt.timedelta(days=int(day_offsets[n]))
            band = min(len(TURNOVER_BANDS) - 1, int(np.log10(employees[n] * 1.5 + 1) * 2))
            company_rows.append({
                "id": company_id, "cohort_id": cohort_id, "name": f"Syntetbolag {number:05d} AB",
                "org_number": organisation_number(number),
                "sni_section": SECTIONS[int(rng.integers(0, len(SECTIONS)))], "sni_division": "",
                "employees": int(employees[n]), "size_class": size_class_for(int(employees[n])),
                "turnover_band": TURNOVER_BANDS[band], "founded_year": int(rng.integers(1960, 2025)),
                "municipality": "", "region": "Skåne län" if rng.random() < 0.9 else SWEDISH_REGIONS[int(rng.integers(0, 21))],
                "consent_reporting": bool(rng.random() < 0.9),
            })
            completed = rng.random() < 0.85
            workshop_rows.append({
                "id": workshop_id, "company_id": company_id, "scoring_model_id": model_id,
                "facilitator_name": FACILITATORS[facilitator_of[n]], "held_on": held_on,
                "status": "completed" if completed else "in_progress", "language": "sv",
                "current_step": "wrap_up" if completed else "scoring", "maturity_answers": {},
                "completed_at": dt.datetime.combine(held_on, dt.time(16), tzinfo=dt.UTC) if completed else None,
            })
            first_participant = ids[Participant] + n * VOTERS
            participant_rows += [
                {"id": first_participant + v, "workshop_id": workshop_id, "name": "", "role": ""} for v in range(VOTERS)
            ]
            first_process = ids[Process] + n * PROCESSES
            areas = rng.choice(len(PROCESS_AREAS), PROCESSES, replace=False)
            process_rows += [
                {"id": first_process + p, "workshop_id": workshop_id, "position": p, "area": PROCESS_AREAS[areas[p]],
                 "name": f"Process {p + 1}", "hours_per_week": float(rng.integers(2, 40)), "people_involved": int(rng.integers(1, 8))}
                for p in range(PROCESSES)
            ]
            first_use_case = ids[UseCase] + n * USE_CASES
            chosen = set(rng.choice(USE_CASES, SELECTED, replace=False).tolist())
            for u in range(USE_CASES):
                use_case_id = first_use_case + u
                stage = STAGES[int(rng.integers(0, 3))]
                cost_band = COST_BANDS[int(rng.integers(0, len(COST_BANDS)))]
                use_case_rows.append({
                    "id": use_case_id, "workshop_id": workshop_id, "process_id": first_process + u % PROCESSES,
                    "position": u, "title": f"Användningsfall {u + 1}",
                    "ai_capability": AI_CAPABILITIES[int(rng.integers(0, len(AI_CAPABILITIES)))],
                    "benefit_kind": BENEFIT_KINDS[int(rng.integers(0, len(BENEFIT_KINDS)))],
                    "stage": stage, "cost_band": cost_band, "selected": u in chosen and completed,
                })
                if u in chosen and completed:
                    action_rows.append({
                        "id": ids[ActionItem] + len(action_rows), "use_case_id": use_case_id, "next_step": "Förstudie",
                        "owner": "VD", "horizon_days": int(rng.choice([30, 90, 180])), "cost_band": cost_band,
                        "stage": STAGES[min(3, STAGES.index(stage) + 1)],
                    })
                    reached = int(rng.integers(0, len(PROGRESS_STATUSES) + 1))
                    for months, steps in ((3, max(0, reached - 2)), (6, reached)):
                        if steps:
                            follow_up_rows.append({
                                "id": ids[FollowUp] + len(follow_up_rows), "company_id": company_id, "use_case_id": use_case_id,
                                "status": PROGRESS_STATUSES[steps - 1], "recorded_on": held_on + dt.timedelta(days=30 * months),
                                "check_in_months": months, "note": "", "recorded_by": "Rådgivare",
                            })
        session.execute(insert(Company), company_rows)
        session.execute(insert(Workshop), workshop_rows)
        session.execute(insert(Participant), participant_rows)
        session.execute(insert(Process), process_rows)
        session.execute(insert(UseCase), use_case_rows)
        session.execute(insert(ActionItem), action_rows)
        if follow_up_rows:
            session.execute(insert(FollowUp), follow_up_rows)

        # Votes, vectorised: latent quality per use case and criterion, voter noise, facilitator bias.
        use_cases = count * USE_CASES
        quality = rng.normal(3.0, 0.9, (use_cases, 1, len(criterion_ids)))
        noise = rng.normal(0.0, 0.7, (use_cases, VOTERS, len(criterion_ids)))
        bias = np.repeat(np.array(FACILITATOR_BIAS)[facilitator_of], USE_CASES)[:, None, None]
        scores = np.clip(np.rint(quality + noise + bias), 1, 5).astype(int)
        scores = np.where(lower_is_better[None, None, :], 6 - scores, scores)
        use_case_ids = np.arange(ids[UseCase], ids[UseCase] + use_cases)
        workshop_ids = np.repeat(np.arange(ids[Workshop], ids[Workshop] + count), USE_CASES)
        participant_ids = (ids[Participant] + (workshop_ids - ids[Workshop])[:, None] * VOTERS + np.arange(VOTERS)[None, :])
        total = use_cases * VOTERS * len(criterion_ids)
        columns = {
            "id": np.arange(ids[Vote], ids[Vote] + total),
            "workshop_id": np.broadcast_to(workshop_ids[:, None, None], scores.shape).ravel(),
            "participant_id": np.broadcast_to(participant_ids[:, :, None], scores.shape).ravel(),
            "use_case_id": np.broadcast_to(use_case_ids[:, None, None], scores.shape).ravel(),
            "criterion_id": np.broadcast_to(criterion_ids[None, None, :], scores.shape).ravel(),
            "score": scores.ravel(),
        }
        # Millions of votes: the tally triggers are set aside and the batch counted in one statement.
        connection = session.connection()
        tally.drop_triggers(connection)
        _bulk_votes(session, columns)
        tally.rebuild(connection, workshop_ids=list(range(ids[Workshop], ids[Workshop] + count)))
        tally.install_triggers(connection)
    return total


def _bulk_votes(session, columns: dict) -> None:  # noqa: ANN001
    names = list(columns)
    rows = np.column_stack([columns[name] for name in names]).tolist()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        with connection.connection.cursor() as cursor, cursor.copy(f"COPY vote ({', '.join(names)}) FROM STDIN") as copy_:
            for row in rows:
                copy_.write_row(row)
        for table in ("company", "workshop", "participant", "process", "use_case", "vote", "action_item", "follow_up"):
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    else:
        session.execute(insert(Vote), [dict(zip(names, row, strict=True)) for row in rows])
