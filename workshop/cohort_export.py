"""The advisor's cohort workbook: companies, use cases with their scores, plans and
follow-ups of the companies that consented to cohort reporting, optionally pseudonymised.

Pseudonymised, a company is "Företag 0001" (numbered in this export only), and everything
that can name a person or a company is left out: organisation number, municipality,
owners, free-text plans and notes, who recorded a follow-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from workshop import access, cohort_view, exports, funding, sni
from workshop.exports import Table
from workshop.i18n import choice_label, t
from workshop.vocabulary import (
    AI_CAPABILITIES, BENEFIT_KINDS, COST_BANDS, FOLLOW_UP_STATUSES, PROCESS_AREAS, SIZE_CLASSES, STAGES,
    TURNOVER_BANDS, WORKSHOP_STATUSES,
)

SHEET_KEYS = {
    "companies": "cohort_export.sheet_companies",
    "use_cases": "cohort_export.sheet_use_cases",
    "plans": "cohort_export.sheet_plans",
    "follow_ups": "cohort_export.sheet_follow_ups",
}
QUADRANTS = ("quick_win", "strategic_bet", "fill_in", "deprioritise")
SCORE_DECIMALS = 2


def _labels(list_name: str, values: tuple[str, ...], language: str) -> dict[str, str]:
    return {value: choice_label(list_name, value, language) for value in values}


def _label_column(series: pd.Series, list_name: str, values: tuple[str, ...], language: str) -> pd.Series:
    return series.map(_labels(list_name, values, language)).fillna("")


def cohort_tables(data: cohort_view.CohortData, *, language: str, pseudonymise: bool, today: dt.date) -> list[Table]:
    """The workbook's tables with translated headers, built with vectorised pandas."""
    x = lambda key: t(key, language)  # noqa: E731
    companies = data.companies.sort_values("id").reset_index(drop=True)
    if pseudonymise:
        names = pd.Series(
            [t("cohort_export.pseudonym", language, number=f"{n:04d}") for n in range(1, len(companies) + 1)],
            index=companies["id"],
        )
    else:
        names = pd.Series(companies["name"].to_numpy(), index=companies["id"])
    sections = {section: sni.label(section, "", language) for section in companies["sni_section"].dropna().unique()}
    workshops = data.workshops.sort_values(["company_id", "held_on", "id"]).drop_duplicates("company_id", keep="last")
    company_frame = pd.DataFrame({
        x("column.company"): names.to_numpy(),
        x("column.org_number"): companies["org_number"],
        x("overview.cohort"): companies["cohort"],
        x("field.region"): companies["region"],
        x("field.municipality"): companies["municipality"],
        x("column.sector"): companies["sni_section"].map(sections).fillna(""),
        x("column.size_class"): _label_column(companies["size_class"], "size_class", SIZE_CLASSES, language),
        x("field.employees"): companies["employees"],
        x("field.turnover_band"): _label_column(companies["turnover_band"], "turnover_band", TURNOVER_BANDS, language),
        x("field.founded_year"): companies["founded_year"],
    })
    latest = companies[["id"]].merge(workshops, left_on="id", right_on="company_id", how="left")
    company_frame[x("field.held_on")] = latest["held_on"].astype(str).replace({"None": "", "NaT": ""}).to_numpy()
    company_frame[x("column.facilitator")] = latest["facilitator"].fillna("").to_numpy()
    company_frame[x("column.status")] = _label_column(latest["status"], "workshop_status", WORKSHOP_STATUSES, language).to_numpy()
    if pseudonymise:
        company_frame = company_frame.drop(columns=[x("column.org_number"), x("field.municipality")])

    use_cases = data.use_cases.sort_values(["company_id", "workshop_id", "id"])
    medians = data.scores.assign(criterion=data.scores["criterion"].astype(str)).pivot_table(
        index="use_case_id", columns="criterion", values="score", aggfunc="first")
    medians = medians.rename(columns=cohort_view.criterion_names(data, language)).round(SCORE_DECIMALS)
    pointers = cohort_view.funding_pointers(data, funding.list_programmes(), today=today, top=1)
    first_pointer = pointers.set_index("use_case_id")[f"name_{language}"] if len(pointers) else pd.Series(dtype=str)
    use_case_frame = pd.DataFrame({
        x("column.company"): use_cases["company_id"].map(names).to_numpy(),
        x("column.use_case"): use_cases["title"].to_numpy(),
        x("field.area"): _label_column(use_cases["process_area"], "process_area", PROCESS_AREAS, language).to_numpy(),
        x("field.ai_capability"): _label_column(use_cases["ai_capability"], "ai_capability", AI_CAPABILITIES, language).to_numpy(),
        x("field.benefit_kind"): _label_column(use_cases["benefit_kind"], "benefit_kind", BENEFIT_KINDS, language).to_numpy(),
        x("field.stage"): _label_column(use_cases["stage"], "stage", STAGES, language).to_numpy(),
        x("field.cost_band"): _label_column(use_cases["cost_band"], "cost_band", COST_BANDS, language).to_numpy(),
        x("column.value"): use_cases["value"].round(SCORE_DECIMALS).to_numpy(),
        x("column.feasibility"): use_cases["feasibility"].round(SCORE_DECIMALS).to_numpy(),
        x("column.priority"): use_cases["priority"].round(SCORE_DECIMALS).to_numpy(),
        x("column.quadrant"): _label_column(use_cases["quadrant"], "quadrant", QUADRANTS, language).to_numpy(),
        x("column.responses"): use_cases["responses"].to_numpy(),
        x("column.selected"): use_cases["selected"].map({True: x("common.yes"), False: x("common.no")}).to_numpy(),
        x("cohort_export.first_pointer"): use_cases["id"].map(first_pointer).fillna("").to_numpy(),
    })
    use_case_frame = pd.concat(
        [use_case_frame, medians.reindex(use_cases["id"]).reset_index(drop=True)], axis=1
    )

    plans = data.plans.merge(use_cases[["id", "company_id", "title"]], left_on="use_case_id", right_on="id")
    plan_frame = pd.DataFrame({
        x("column.company"): plans["company_id"].map(names),
        x("column.use_case"): plans["title"],
        x("field.next_step"): plans["next_step"],
        x("field.owner"): plans["owner"],
        x("field.horizon_days"): plans["horizon_days"].map(lambda d: choice_label("horizon_days", str(int(d)), language) if pd.notna(d) else ""),
        x("field.cost_band"): _label_column(plans["cost_band"], "cost_band", COST_BANDS, language),
        x("field.stage"): _label_column(plans["stage"], "stage", STAGES, language),
        x("field.needs_competence"): plans["needs_competence"],
        x("field.needs_data"): plans["needs_data"],
        x("field.needs_partner"): plans["needs_partner"],
    })
    if pseudonymise:
        plan_frame = plan_frame.drop(columns=[x("field.next_step"), x("field.owner"), x("field.needs_competence"),
                                              x("field.needs_data"), x("field.needs_partner")])

    titles = use_cases.set_index("id")["title"]
    follow_ups = data.follow_ups.sort_values(["company_id", "recorded_on", "id"])
    follow_up_frame = pd.DataFrame({
        x("column.company"): follow_ups["company_id"].map(names),
        x("column.use_case"): follow_ups["use_case_id"].map(titles).fillna(""),
        x("column.status"): _label_column(follow_ups["status"], "follow_up_status", FOLLOW_UP_STATUSES, language),
        x("follow_up.recorded_on"): follow_ups["recorded_on"].astype(str),
        x("follow_up.check_in"): follow_ups["check_in_months"].map(
            lambda m: t("follow_up.months", language, months=int(m)) if pd.notna(m) else ""),
        x("follow_up.note"): follow_ups["note"],
        x("follow_up.recorded_by"): follow_ups["recorded_by"],
    })
    if pseudonymise:
        follow_up_frame = follow_up_frame.drop(columns=[x("follow_up.note"), x("follow_up.recorded_by")])
    score_columns = (x("column.value"), x("column.feasibility"), x("column.priority"), *medians.columns)
    return [
        Table("companies", x(SHEET_KEYS["companies"]), company_frame),
        Table("use_cases", x(SHEET_KEYS["use_cases"]), use_case_frame, score_columns=tuple(score_columns)),
        Table("plans", x(SHEET_KEYS["plans"]), plan_frame),
        Table("follow_ups", x(SHEET_KEYS["follow_ups"]), follow_up_frame),
    ]


@access.reads_cohort_filters
def cohort_workbook(
    filters: cohort_view.CohortFilters,
    *,
    language: str,
    pseudonymise: bool,
    today: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The cohort workbook (.xlsx) for the filters; `progress` hears the share done."""
    report = progress or (lambda _share: None)
    report(0.05)
    data = cohort_view.load(filters)
    report(0.3)
    tables = cohort_tables(data, language=language, pseudonymise=pseudonymise, today=today or dt.date.today())
    report(0.45)
    return exports.tables_workbook(
        tables, title=t("cohort_export.title", language), progress=lambda share: report(0.45 + 0.55 * share)
    )


def file_name(*, pseudonymise: bool, today: dt.date | None = None) -> str:
    kind = "pseudonymised" if pseudonymise else "cohort"
    return f"mojlighetskartan-{kind}-{(today or dt.date.today()).isoformat()}.xlsx"

