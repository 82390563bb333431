"""Tables as people read them: translated labels and column names, ready for a page or CSV."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workshop import cohorts, sni, votes
from workshop.i18n import choice_label, t

# Scores are shown to one decimal: the scale is 1–5 and more digits suggest false precision.
SCORE_DECIMALS = 1


@dataclass(frozen=True)
class CohortSummary:
    companies: int
    workshops: int
    workshops_completed: int
    use_cases: int


def cohort_summary(*, cohort_id: int) -> CohortSummary:
    workshops = cohorts.list_workshops(cohort_id=cohort_id)
    return CohortSummary(
        companies=len(cohorts.list_companies(cohort_id=cohort_id)),
        workshops=len(workshops),
        workshops_completed=sum(w.status == "completed" for w in workshops),
        use_cases=sum(w.use_cases for w in workshops),
    )


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
