"""The prioritisation step as data: matrix points and the ranked list with its selection."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workshop import access, content, triage, votes
from workshop.charts import MatrixPoint, MatrixTexts
from workshop.i18n import choice_label, t
from workshop.value_estimate import format_range
from workshop.vocabulary import COST_BANDS

# What the bubble size can show, and the catalogue key of its title.
SIZE_MEASURES = {
    "value_estimate": "prioritisation.size_value_estimate",
    "cost_band": "prioritisation.size_cost_band",
    "voters": "prioritisation.size_voters",
}
# One decimal on a 1–5 scale; more would suggest precision the scores do not have.
SCORE_DECIMALS = 1


@dataclass(frozen=True)
class Prioritisation:
    points: list[MatrixPoint]
    ranked: pd.DataFrame
    value_threshold: float
    feasibility_threshold: float


@access.reads_workshop
def prioritisation(*, workshop_id: int, size_measure: str, language: str) -> Prioritisation:
    """Matrix points (scored use cases only) and the ranked list, best first, for one workshop.

    `size_measure` picks what the bubble size shows: the annual value estimate, the cost
    band, or the number of voters. Raises `NotFound` for a missing workshop.
    """
    result = votes.workshop_result(workshop_id=workshop_id)
    use_cases = {u.id: u for u in content.list_use_cases(workshop_id=workshop_id)}
    estimates = content.value_estimates(workshop_id=workshop_id)
    screened = triage.screenings(workshop_id=workshop_id)

    def tier_label(use_case_id: int) -> str:
        tier = screened[use_case_id].triage.tier
        return "" if tier == "minimal" else choice_label("triage_tier", tier, language)

    points = []
    for rank, score in enumerate(result.ranked, start=1):
        use_case = use_cases[score.use_case_id]
        estimate = estimates.get(score.use_case_id)
        if size_measure == "cost_band":
            size = COST_BANDS.index(use_case.cost_band) + 1.0 if use_case.cost_band in COST_BANDS else None
            size_text = choice_label("cost_band", use_case.cost_band, language) or "–"
        elif size_measure == "voters":
            size, size_text = float(score.responses), str(score.responses)
        else:
            size = estimate.midpoint_sek if estimate else None
            size_text = format_range(estimate, language) or "–"
        if score.value is None or score.feasibility is None:
            continue
        points.append(
            MatrixPoint(
                use_case_id=score.use_case_id,
                rank=rank,
                title=score.title,
                value=score.value,
                feasibility=score.feasibility,
                quadrant=score.quadrant,
                size=size,
                size_text=size_text,
                responses=score.responses,
                selected=use_case.selected,
                marker=tier_label(score.use_case_id),
            )
        )
    ranked = pd.DataFrame(
        {
            "id": [s.use_case_id for s in result.ranked],
            "rank": list(range(1, len(result.ranked) + 1)),
            "title": [s.title for s in result.ranked],
            "value": [None if s.value is None else round(s.value, SCORE_DECIMALS) for s in result.ranked],
            "feasibility": [None if s.feasibility is None else round(s.feasibility, SCORE_DECIMALS) for s in result.ranked],
            "quadrant": [choice_label("quadrant", s.quadrant, language) for s in result.ranked],
            "estimate": [format_range(estimates.get(s.use_case_id), language) for s in result.ranked],
            "responses": [s.responses for s in result.ranked],
            "triage": [tier_label(s.use_case_id) for s in result.ranked],
            "selected": [use_cases[s.use_case_id].selected for s in result.ranked],
        }
    )
    return Prioritisation(
        points=points,
        ranked=ranked,
        value_threshold=result.value_threshold,
        feasibility_threshold=result.feasibility_threshold,
    )


def matrix_texts(*, language: str, size_measure: str) -> MatrixTexts:
    """The chart's texts in `language`."""
    return MatrixTexts(
        value_axis=t("column.value", language),
        feasibility_axis=t("column.feasibility", language),
        quadrant_labels={q: choice_label("quadrant", q, language) for q in ("quick_win", "strategic_bet", "fill_in", "deprioritise")},
        title=t("column.use_case", language),
        rank=t("column.rank", language),
        quadrant=t("column.quadrant", language),
        responses=t("column.responses", language),
        size=t(SIZE_MEASURES[size_measure], language),
        selected=t("column.selected", language),
        yes=t("common.yes", language),
        no=t("common.no", language),
        marker=t("column.triage", language),
    )
