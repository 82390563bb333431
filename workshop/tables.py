"""Tables as people read them: translated labels and column names, ready for a page or CSV."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workshop import access, cohorts, content, sni, votes
from workshop.i18n import choice_label, t

# Scores are shown to one decimal: the scale is 1–5 and more digits suggest false precision.
SCORE_DECIMALS = 1


@dataclass(frozen=True)
class CohortSummary:
    companies: int
    workshops: int
    workshops_completed: int
    use_cases: int


@access.reads_cohort
def cohort_summary(*, cohort_id: int) -> CohortSummary:
    workshops = cohorts.list_workshops(cohort_id=cohort_id)
    return CohortSummary(
        companies=len(cohorts.list_companies(cohort_id=cohort_id)),
        workshops=len(workshops),
        workshops_completed=sum(w.status == "completed" for w in workshops),
        use_cases=sum(w.use_cases for w in workshops),
    )


@access.reads_cohort
def workshops_frame(*, cohort_id: int, language: str) -> pd.DataFrame:
    """One row per workshop of the cohort; the workshop id is the index."""
    rows = cohorts.list_workshops(cohort_id=cohort_id)
    frame = pd.DataFrame(
        {
            t("column.company", language): [w.company_name for w in rows],
            t("column.held_on", language): [w.held_on for w in rows],
            t("column.facilitator", language): [w.facilitator_name for w in rows],
            t("column.status", language): [choice_label("workshop_status", w.status, language) for w in rows],
            t("column.current_step", language): [choice_label("workshop_step", w.current_step, language) for w in rows],
            t("column.language", language): [choice_label("language", w.language, language) for w in rows],
            t("column.participants", language): [w.participants for w in rows],
            t("column.use_cases", language): [w.use_cases for w in rows],
            t("column.selected", language): [w.selected_use_cases for w in rows],
        },
        index=pd.Index([w.id for w in rows], name="id"),
    )
    return frame


@access.reads_cohort
def companies_frame(*, cohort_id: int, language: str) -> pd.DataFrame:
    rows = cohorts.list_companies(cohort_id=cohort_id)
    return pd.DataFrame(
        {
            t("column.company", language): [c.name for c in rows],
            t("column.org_number", language): [c.org_number for c in rows],
            t("column.sector", language): [sni.label(c.sni_section, c.sni_division, language) for c in rows],
            t("column.employees", language): [c.employees for c in rows],
            t("column.size_class", language): [choice_label("size_class", c.size_class, language) for c in rows],
            t("column.turnover_band", language): [choice_label("turnover_band", c.turnover_band, language) for c in rows],
            t("column.municipality", language): [c.municipality for c in rows],
            t("column.consent", language): [c.consent_reporting for c in rows],
        },
        index=pd.Index([c.id for c in rows], name="id"),
    )


@access.reads_workshop
def ranking_frame(*, workshop_id: int, language: str) -> pd.DataFrame:
    """The workshop's use cases best first, with axis scores, quadrant and response count."""
    ranked = votes.workshop_result(workshop_id=workshop_id).ranked

    def rounded(score: float | None) -> float | None:
        return None if score is None else round(score, SCORE_DECIMALS)

    return pd.DataFrame(
        {
            t("column.rank", language): list(range(1, len(ranked) + 1)),
            t("column.use_case", language): [s.title for s in ranked],
            t("column.value", language): [rounded(s.value) for s in ranked],
            t("column.feasibility", language): [rounded(s.feasibility) for s in ranked],
            t("column.priority", language): [rounded(s.priority) for s in ranked],
            t("column.quadrant", language): [choice_label("quadrant", s.quadrant, language) for s in ranked],
            t("column.responses", language): [s.responses for s in ranked],
        },
        index=pd.Index([s.use_case_id for s in ranked], name="id"),
    )


# --- frames for the table editors: internal column names, the id carried along ----------


# Each editor's columns with their types; "string" and "Int64" keep empty cells editable.
PARTICIPANT_COLUMNS = {"id": "int64", "name": "string", "role": "string"}
PROCESS_COLUMNS = {
    "id": "int64", "area": "string", "name": "string", "description": "string", "pain_points": "string",
    "frequency": "string", "hours_per_week": "float64", "people_involved": "Int64",
    "data_availability": "string", "system": "string",
}
USE_CASE_COLUMNS = {
    "id": "int64", "title": "string", "process_id": "Int64", "ai_capability": "string", "benefit_kind": "string",
    "stage": "string", "cost_band": "string", "data_needed": "string", "description": "string",
}


def _editor_frame(rows: list, columns: dict[str, str]) -> pd.DataFrame:
    """The rows' fields named in `columns`, with those types."""
    records = [{name: getattr(row, name) for name in columns} for row in rows]
    return pd.DataFrame(records, columns=list(columns)).astype(columns)


@access.reads_workshop
def participants_frame(*, workshop_id: int) -> pd.DataFrame:
    return _editor_frame(content.list_participants(workshop_id=workshop_id), PARTICIPANT_COLUMNS)


@access.reads_workshop
def processes_frame(*, workshop_id: int) -> pd.DataFrame:
    return _editor_frame(content.list_processes(workshop_id=workshop_id), PROCESS_COLUMNS)


@access.reads_workshop
def use_cases_frame(*, workshop_id: int) -> pd.DataFrame:
    frame = _editor_frame(content.list_use_cases(workshop_id=workshop_id), USE_CASE_COLUMNS)
    # No cost band yet shows as an empty choice, not as an empty text.
    frame["cost_band"] = frame["cost_band"].replace("", pd.NA)
    return frame


@dataclass(frozen=True)
class WorkshopSummary:
    participants: int
    processes: int
    use_cases: int
    selected: int


@access.reads_workshop
def workshop_summary(*, workshop_id: int) -> WorkshopSummary:
    use_cases = content.list_use_cases(workshop_id=workshop_id)
    return WorkshopSummary(
        participants=len(content.list_participants(workshop_id=workshop_id)),
        processes=len(content.list_processes(workshop_id=workshop_id)),
        use_cases=len(use_cases),
        selected=sum(u.selected for u in use_cases),
    )


@access.reads_workshop
def action_plan_frame(*, workshop_id: int, language: str) -> pd.DataFrame:
    """The action plan of the chosen use cases, in rank order."""
    titles = {u.id: u.title for u in content.list_use_cases(workshop_id=workshop_id)}
    order = {s.use_case_id: n for n, s in enumerate(votes.workshop_result(workshop_id=workshop_id).ranked)}
    items = sorted(content.list_action_items(workshop_id=workshop_id), key=lambda a: order.get(a.use_case_id, 0))
    return pd.DataFrame(
        {
            t("column.use_case", language): [titles[a.use_case_id] for a in items],
            t("field.next_step", language): [a.next_step for a in items],
            t("field.owner", language): [a.owner for a in items],
            t("field.horizon_days", language): [choice_label("horizon_days", str(a.horizon_days) if a.horizon_days else "", language) for a in items],
            t("field.stage", language): [choice_label("stage", a.stage, language) for a in items],
            t("field.cost_band", language): [choice_label("cost_band", a.cost_band, language) for a in items],
            t("field.needs_competence", language): [a.needs_competence for a in items],
            t("field.needs_data", language): [a.needs_data for a in items],
            t("field.needs_partner", language): [a.needs_partner for a in items],
        }
    )
