"""The advisor's view of one or more cohorts: what is in scope, and every figure of the
dashboard, computed in SQL and vectorised pandas (no loop over rows in Python).

Companies without consent to cohort reporting are never loaded into the figures; they are
only counted. Every share carries the count it is a share of (`responses`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import case, func, select, true

from workshop import access, funding, storage
from workshop.models import (
    ActionItem, Cohort, Company, ConsensusScore, Criterion, FollowUp, Participant, Process, ScoreTally, ScoringModel,
    UseCase, Workshop,
)
from workshop.scoring import SCALE_MAX, SCALE_MIN
from workshop.vocabulary import BENEFIT_KINDS, SIZE_CLASS_UPPER_BOUNDS, STAGES, SWEDISH_REGIONS

# The feasibility criteria that read as blockers when a chosen use case scores low on them.
BLOCKER_CRITERIA = ("data_availability", "competence_ownership", "cost_time_to_result")
# "Low": at most this on the axis (after inverting lower-is-better criteria).
LOW_SCORE = 2.0
# How many of a use case's best pointers count as demand for a programme.
DEMAND_POINTERS = 3
# The funnel's steps in order; "dropped" is counted beside them.
FUNNEL = ("not_started", "contacted", "applied_for_funding", "funding_granted", "pilot_started", "in_production")
SCORE_LEVELS = tuple(range(SCALE_MIN, SCALE_MAX + 1))


@dataclass(frozen=True)
class CohortFilters:
    cohort_ids: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()
    sni_sections: tuple[str, ...] = ()
    size_classes: tuple[str, ...] = ()
    facilitators: tuple[str, ...] = ()
    held_from: dt.date | None = None
    held_to: dt.date | None = None


@dataclass(frozen=True)
class CohortData:
    companies: pd.DataFrame
    workshops: pd.DataFrame
    use_cases: pd.DataFrame
    scores: pd.DataFrame
    plans: pd.DataFrame
    follow_ups: pd.DataFrame
    # Every criterion (id, key, axis, weight, direction, names); the scores name them by id and key.
    criteria: pd.DataFrame
    # Companies that match the filters but have not consented to cohort reporting.
    excluded_companies: int
    filters: CohortFilters = field(default_factory=CohortFilters)


def _size_class_expression():  # noqa: ANN202
    """The EU size class of a company's head count, in SQL (as `size_class_for`)."""
    whens = [(Company.employees <= upper, name) for name, upper in SIZE_CLASS_UPPER_BOUNDS]
    return case(*whens, else_="large")


def _company_conditions(filters: CohortFilters) -> list:
    conditions = []
    if filters.cohort_ids:
        conditions.append(Company.cohort_id.in_(filters.cohort_ids))
    if filters.regions:
        conditions.append(Company.region.in_(filters.regions))
    if filters.sni_sections:
        conditions.append(Company.sni_section.in_(filters.sni_sections))
    if filters.size_classes:
        conditions.append(_size_class_expression().in_(filters.size_classes))
    return conditions


def _workshop_conditions(filters: CohortFilters) -> list:
    conditions = []
    if filters.facilitators:
        conditions.append(Workshop.facilitator_name.in_(filters.facilitators))
    if filters.held_from:
        conditions.append(Workshop.held_on >= filters.held_from)
    if filters.held_to:
        conditions.append(Workshop.held_on <= filters.held_to)
    return conditions


def _scoped_workshops(filters: CohortFilters, *, consent: bool = True):  # noqa: ANN202
    """The ids of the workshops in scope, as a subquery: filtered, of consenting companies."""
    return (
        select(Workshop.id)
        .join(Company, Company.id == Workshop.company_id)
        .where(Company.consent_reporting.is_(consent), *_company_conditions(filters), *_workshop_conditions(filters))
    )


@access.reads_cohort_filters
def load(filters: CohortFilters) -> CohortData:
    """Everything the dashboard reads for the filters, consenting companies only."""
    scope = _scoped_workshops(filters)
    with storage.read() as session:
        connection = session.connection()
        workshop_filter_active = bool(_workshop_conditions(filters))
        company_scope = select(Company.id).where(Company.consent_reporting.is_(True), *_company_conditions(filters))
        if workshop_filter_active:
            company_scope = company_scope.where(Company.id.in_(select(Workshop.company_id).where(Workshop.id.in_(scope))))
        companies = pd.read_sql(
            select(
                Company.id, Company.cohort_id, Cohort.name.label("cohort"), Company.name, Company.org_number,
                Company.region, Company.municipality, Company.sni_section, Company.employees,
                _size_class_expression().label("size_class"), Company.turnover_band, Company.founded_year,
                Company.sni_division,
            ).join(Cohort, Cohort.id == Company.cohort_id).where(Company.id.in_(company_scope)),
            connection,
        )
        excluded = select(func.count()).select_from(Company).where(
            Company.consent_reporting.is_(False), *_company_conditions(filters)
        )
        if workshop_filter_active:
            excluded = excluded.where(
                Company.id.in_(select(Workshop.company_id).where(Workshop.id.in_(_scoped_workshops(filters, consent=False))))
            )
        excluded_companies = session.scalar(excluded) or 0
        participants = (
            select(Participant.workshop_id, func.count().label("participants"))
            .group_by(Participant.workshop_id).subquery()
        )
        workshops = pd.read_sql(
            select(
                Workshop.id, Workshop.company_id, Workshop.held_on, Workshop.facilitator_name.label("facilitator"),
                Workshop.status, Workshop.scoring_model_id,
                func.coalesce(Workshop.value_threshold, ScoringModel.value_threshold).label("value_threshold"),
                func.coalesce(Workshop.feasibility_threshold, ScoringModel.feasibility_threshold).label("feasibility_threshold"),
                func.coalesce(participants.c.participants, 0).label("participants"),
            )
            .join(ScoringModel, ScoringModel.id == Workshop.scoring_model_id)
            .outerjoin(participants, participants.c.workshop_id == Workshop.id)
            .where(Workshop.id.in_(scope)),
            connection,
        )
        use_cases = pd.read_sql(
            select(
                UseCase.id, UseCase.workshop_id, UseCase.title, UseCase.ai_capability, UseCase.benefit_kind,
                UseCase.stage.label("use_case_stage"), UseCase.cost_band.label("use_case_cost_band"), UseCase.selected,
                Process.area.label("process_area"),
            )
            .outerjoin(Process, Process.id == UseCase.process_id)
            .where(UseCase.workshop_id.in_(scope)),
            connection,
        )
        plans = pd.read_sql(
            select(
                ActionItem.use_case_id, ActionItem.next_step, ActionItem.owner, ActionItem.horizon_days,
                ActionItem.cost_band, ActionItem.stage, ActionItem.needs_competence, ActionItem.needs_data,
                ActionItem.needs_partner,
            )
            .join(UseCase, UseCase.id == ActionItem.use_case_id)
            .where(UseCase.workshop_id.in_(scope)),
            connection,
        )
        counts = _score_counts(connection, scope)
        consensus = pd.read_sql(
            select(ConsensusScore.use_case_id, ConsensusScore.criterion_id, ConsensusScore.score.label("consensus"))
            .join(UseCase, UseCase.id == ConsensusScore.use_case_id)
            .where(UseCase.workshop_id.in_(scope)),
            connection,
        )
        criteria = pd.read_sql(
            select(Criterion.id.label("criterion_id"), Criterion.key.label("criterion"), Criterion.axis,
                   Criterion.weight, Criterion.direction, Criterion.name_sv, Criterion.name_en),
            connection,
        )
        follow_ups = pd.read_sql(
            select(FollowUp.id, FollowUp.company_id, FollowUp.use_case_id, FollowUp.status, FollowUp.recorded_on,
                   FollowUp.check_in_months, FollowUp.note, FollowUp.recorded_by)
            .where(FollowUp.company_id.in_(companies["id"].tolist()) if len(companies) else False),
            connection,
        )
    scores = _criterion_scores(counts, consensus, criteria)
    use_cases = _with_axes(use_cases, scores, workshops, plans)
    workshops = workshops.merge(companies[["id", "cohort", "region", "sni_section", "size_class"]].rename(columns={"id": "company_id"}),
                                on="company_id", how="left")
    return CohortData(companies, workshops, use_cases, scores, plans, follow_ups, criteria, int(excluded_companies), filters)


def _score_counts(connection, scope) -> pd.DataFrame:  # noqa: ANN001
    """Votes per use case, criterion and score level for the workshops in `scope`, from the
    tallies the database keeps (workshop/tally.py); rows come straight off the driver's
    cursor into one array."""
    levels = [getattr(ScoreTally, f"c{level}") for level in SCORE_LEVELS]
    statement = select(ScoreTally.use_case_id, ScoreTally.criterion_id, *levels).where(ScoreTally.workshop_id.in_(scope))
    rows = connection.execute(statement).cursor.fetchall()
    array = np.array(rows, dtype=np.int64).reshape(-1, 2 + len(levels))
    frame = pd.DataFrame({"use_case_id": array[:, 0], "criterion_id": array[:, 1]})
    frame[[f"c{level}" for level in SCORE_LEVELS]] = array[:, 2:]
    return frame


def _criterion_scores(counts: pd.DataFrame, consensus: pd.DataFrame, criteria: pd.DataFrame) -> pd.DataFrame:
    """Median, min, max and responses per use case and criterion from the score counts;
    the consensus, where set, is the score that counts (as `scoring.CriterionAggregate`)."""
    if consensus.empty:
        frame = counts.assign(consensus=np.nan)
    else:
        frame = counts.merge(consensus, on=["use_case_id", "criterion_id"], how="outer")
    level_counts = frame[[f"c{level}" for level in SCORE_LEVELS]].fillna(0).to_numpy(dtype=int)
    responses = level_counts.sum(axis=1)
    cumulative = level_counts.cumsum(axis=1)
    levels = np.array(SCORE_LEVELS, dtype=float)
    # The middle one or two scores of each sorted list: the first level whose running count passes them.
    lower = levels[np.argmax(cumulative > ((responses - 1) // 2)[:, None], axis=1)]
    upper = levels[np.argmax(cumulative > (responses // 2)[:, None], axis=1)]
    has_votes = responses > 0
    frame["responses"] = responses
    frame["median"] = np.where(has_votes, (lower + upper) / 2, np.nan)
    frame["minimum"] = np.where(has_votes, levels[np.argmax(level_counts > 0, axis=1)], np.nan)
    frame["maximum"] = np.where(has_votes, levels[len(levels) - 1 - np.argmax(level_counts[:, ::-1] > 0, axis=1)], np.nan)
    frame["consensus"] = pd.to_numeric(frame["consensus"], errors="coerce")
    frame["score"] = frame["consensus"].where(frame["consensus"].notna(), frame["median"]).astype(float)
    # The criterion's key, axis and weight by lookup (a merge would copy its texts into every row).
    position = pd.Index(criteria["criterion_id"]).get_indexer(frame["criterion_id"])
    for column in ("criterion", "axis"):
        categories, codes = np.unique(criteria[column].to_numpy(dtype=object), return_inverse=True)
        frame[column] = pd.Categorical.from_codes(codes[position], categories=categories)
    frame["weight"] = criteria["weight"].to_numpy(dtype=float)[position]
    lower_is_better = (criteria["direction"] == "lower_is_better").to_numpy()[position]
    frame["effective"] = np.where(lower_is_better, SCALE_MIN + SCALE_MAX - frame["score"], frame["score"]).astype(float)
    frame[[f"c{level}" for level in SCORE_LEVELS]] = level_counts
    return frame


def _with_axes(use_cases: pd.DataFrame, scores: pd.DataFrame, workshops: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """Value, feasibility (weighted means of the counting scores), quadrant and priority per
    use case, as `scoring.score_use_case` gives them; the plan's stage and cost band where set."""
    scored = scores[scores["score"].notna()].assign(weighted=lambda f: f["weight"] * f["effective"])
    axes = scored.groupby(["use_case_id", "axis"], observed=True)[["weighted", "weight"]].sum()
    means = (axes["weighted"] / axes["weight"]).clip(SCALE_MIN, SCALE_MAX).unstack("axis")
    means = means.reindex(columns=["value", "feasibility"]).astype(float)
    voters = scores.groupby("use_case_id")["responses"].max().rename("responses")
    frame = use_cases.merge(means, left_on="id", right_index=True, how="left").merge(voters, left_on="id", right_index=True, how="left")
    frame["responses"] = frame["responses"].fillna(0).astype(int)
    frame = frame.merge(workshops[["id", "company_id", "value_threshold", "feasibility_threshold", "facilitator", "status"]]
                        .rename(columns={"id": "workshop_id", "status": "workshop_status"}), on="workshop_id", how="left")
    high_value = frame["value"] >= frame["value_threshold"]
    high_feasibility = frame["feasibility"] >= frame["feasibility_threshold"]
    frame["quadrant"] = np.select(
        [high_value & high_feasibility, high_value, high_feasibility],
        ["quick_win", "strategic_bet", "fill_in"], default="deprioritise",
    )
    frame.loc[frame["value"].isna() | frame["feasibility"].isna(), "quadrant"] = None
    frame["priority"] = np.sqrt(frame["value"] * frame["feasibility"])
    plan = plans[["use_case_id", "stage", "cost_band"]].rename(columns={"use_case_id": "id", "stage": "plan_stage", "cost_band": "plan_cost_band"})
    frame = frame.merge(plan, on="id", how="left")
    frame["stage"] = frame["plan_stage"].where(frame["plan_stage"].fillna("") != "", frame["use_case_stage"])
    frame["cost_band"] = frame["plan_cost_band"].where(frame["plan_cost_band"].fillna("") != "", frame["use_case_cost_band"])
    return frame.drop(columns=["plan_stage", "plan_cost_band"])


# --- the figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortCounts:
    companies: int
    workshops: int
    workshops_completed: int
    use_cases: int
    selected_use_cases: int
    participants: int
    excluded_companies: int


def counts(data: CohortData) -> CohortCounts:
    return CohortCounts(
        companies=len(data.companies),
        workshops=len(data.workshops),
        workshops_completed=int((data.workshops["status"] == "completed").sum()),
        use_cases=len(data.use_cases),
        selected_use_cases=int(data.use_cases["selected"].sum()),
        participants=int(data.workshops["participants"].sum()),
        excluded_companies=data.excluded_companies,
    )


# What a distribution can be of, and what it can be broken down by.
DISTRIBUTION_COLUMNS = ("ai_capability", "process_area", "quadrant", "stage", "cost_band")
BREAKDOWNS = ("sni_section", "size_class")


def distribution(data: CohortData, *, of: str, by: str | None = None, selected_only: bool = False) -> pd.DataFrame:
    """Use cases per category of `of` (per group of `by`): count, share of the group, and
    the group's total as `responses`. Use cases without a value for `of` are left out."""
    frame = data.use_cases
    if selected_only:
        frame = frame[frame["selected"]]
    if by:
        frame = frame.merge(data.companies[["id", by]].rename(columns={"id": "company_id"}), on="company_id", how="left")
    frame = frame[frame[of].notna() & (frame[of] != "")]
    keys = [by, of] if by else [of]
    result = frame.groupby(keys, dropna=False).size().rename("count").reset_index()
    totals = result.groupby(by)["count"].transform("sum") if by else pd.Series(result["count"].sum(), index=result.index)
    result["responses"] = totals.astype(int)
    result["share"] = result["count"] / result["responses"]
    return result.sort_values(keys).reset_index(drop=True)


def blockers(data: CohortData) -> pd.DataFrame:
    """Per blocker criterion: how many chosen use cases score low on it (at most 2 as it
    counts on the feasibility axis), out of the chosen ones with a score on it."""
    selected = data.use_cases.loc[data.use_cases["selected"], "id"]
    scores = data.scores[data.scores["use_case_id"].isin(selected) & data.scores["criterion"].isin(BLOCKER_CRITERIA)]
    scores = scores[scores["effective"].notna()]
    grouped = scores.assign(low=scores["effective"] <= LOW_SCORE, criterion=scores["criterion"].astype(str)).groupby("criterion")["low"].agg(["sum", "count"])
    grouped = grouped.reindex(list(BLOCKER_CRITERIA), fill_value=0)
    # `count`: the chosen use cases scoring low; `responses`: those with a score on it.
    result = grouped.rename(columns={"sum": "count", "count": "responses"}).reset_index()
    result["count"] = result["count"].astype(int)
    result["responses"] = result["responses"].astype(int)
    result["share"] = np.where(result["responses"] > 0, result["count"] / result["responses"].clip(lower=1), np.nan)
    return result


def latest_follow_ups(data: CohortData) -> pd.DataFrame:
    """Each chosen use case with its latest follow-up status ("not_started" without one)."""
    selected = data.use_cases.loc[data.use_cases["selected"], ["id", "company_id", "title"]].rename(columns={"id": "use_case_id"})
    latest = (
        data.follow_ups[data.follow_ups["use_case_id"].notna()]
        .sort_values(["recorded_on", "id"])
        .drop_duplicates("use_case_id", keep="last")[["use_case_id", "status", "recorded_on"]]
    )
    latest["use_case_id"] = latest["use_case_id"].astype(int)
    merged = selected.merge(latest, on="use_case_id", how="left")
    merged["status"] = merged["status"].fillna("not_started")
    return merged


def funnel(data: CohortData) -> pd.DataFrame:
    """How many chosen use cases have reached each step (their latest status or a later
    one), and how many were dropped; out of all chosen use cases."""
    latest = latest_follow_ups(data)
    order = {status: n for n, status in enumerate(FUNNEL)}
    reached = latest["status"].map(order)
    total = len(latest)
    rows = [{"status": status, "count": int((reached >= step).sum()), "responses": total} for status, step in order.items()]
    rows.append({"status": "dropped", "count": int((latest["status"] == "dropped").sum()), "responses": total})
    result = pd.DataFrame(rows)
    result["share"] = np.where(total > 0, result["count"] / max(total, 1), np.nan)
    return result


def _votes_by_facilitator(data: CohortData) -> pd.DataFrame:
    """Votes per facilitator, criterion and score level, summed from the loaded counts."""
    levels = [f"c{level}" for level in SCORE_LEVELS]
    frame = data.scores[["use_case_id", "criterion", *levels]].merge(
        data.use_cases[["id", "facilitator"]].rename(columns={"id": "use_case_id"}), on="use_case_id"
    )
    summed = frame.groupby(["facilitator", "criterion"], observed=True)[levels].sum()
    long = summed.stack().rename("votes").reset_index().rename(columns={"level_2": "level"})
    long["score"] = long["level"].str[1:].astype(int)
    return long.drop(columns="level")


def calibration(data: CohortData) -> pd.DataFrame:
    """Per facilitator and criterion: the mean raw score of the votes in their workshops,
    the cohort's mean for the criterion, the difference, and the number of votes each."""
    columns = ["facilitator", "criterion", "mean", "votes", "cohort_mean", "cohort_votes", "difference"]
    frame = _votes_by_facilitator(data)
    frame = frame[frame["votes"] > 0]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.assign(total=frame["score"] * frame["votes"])
    per = frame.groupby(["facilitator", "criterion"])[["total", "votes"]].sum()
    per["mean"] = per["total"] / per["votes"]
    cohort = frame.groupby("criterion")[["total", "votes"]].sum()
    cohort["cohort_mean"] = cohort["total"] / cohort["votes"]
    result = per.reset_index().merge(
        cohort[["cohort_mean", "votes"]].rename(columns={"votes": "cohort_votes"}).reset_index(), on="criterion"
    )
    result["difference"] = result["mean"] - result["cohort_mean"]
    result["votes"] = result["votes"].astype(int)
    result["cohort_votes"] = result["cohort_votes"].astype(int)
    return result[columns]


def criterion_names(data: CohortData, language: str) -> dict[str, str]:
    """The name of each criterion key the scores use, in `language`."""
    used = set(data.scores["criterion"].astype(str))
    named = data.criteria[data.criteria["criterion"].isin(used)].drop_duplicates("criterion")
    return dict(zip(named["criterion"], named[f"name_{language}"], strict=True))


def score_distribution(data: CohortData, *, criterion: str) -> pd.DataFrame:
    """For one criterion: the share of votes at each level, per facilitator and for the
    cohort ("" as facilitator), with the number of votes."""
    frame = _votes_by_facilitator(data)
    frame = frame[frame["criterion"] == criterion][["facilitator", "score", "votes"]]
    cohort = frame.groupby("score", as_index=False)["votes"].sum().assign(facilitator="")
    frame = pd.concat([frame, cohort], ignore_index=True)
    frame["votes"] = frame["votes"].astype(int)
    frame["responses"] = frame.groupby("facilitator")["votes"].transform("sum").astype(int)
    frame["share"] = np.where(frame["responses"] > 0, frame["votes"] / frame["responses"].clip(lower=1), np.nan)
    return frame.sort_values(["facilitator", "score"]).reset_index(drop=True)


# --- funding demand ----------------------------------------------------------------------


def _programme_frame(programmes: list[funding.Programme]) -> pd.DataFrame:
    """The live programmes, one row each, with a true/false column per stage, kind of
    benefit and region, so matching is array lookups."""
    live = [p for p in programmes if p.status != "ended"]
    frame = pd.DataFrame({
        "key": [p.key for p in live],
        "name_sv": [p.name["sv"] for p in live],
        "name_en": [p.name["en"] for p in live],
        "name_key": [p.name["sv"].casefold() for p in live],
        "scope_order": [funding.SCOPE_ORDER[p.scope] for p in live],
        "status_order": [funding.STATUS_ORDER[p.status] for p in live],
        "kind_order": [funding.KIND_ORDER[p.kind] for p in live],
        "any_region": [not p.regions for p in live],
        "min_employees": [p.min_employees for p in live], "max_employees": [p.max_employees for p in live],
        "min_turnover": [p.min_turnover_msek for p in live], "max_turnover": [p.max_turnover_msek for p in live],
        "min_age": [p.min_age_years for p in live],
        "max_age": [min(p.max_age_years or funding.STARTUP_MAX_AGE_YEARS, funding.STARTUP_MAX_AGE_YEARS) if p.startups_only
                    else p.max_age_years for p in live],
        "amount_min": [p.amount_min_sek for p in live],
    }).astype({"min_employees": float, "max_employees": float, "min_turnover": float, "max_turnover": float,
               "min_age": float, "max_age": float, "amount_min": float})
    for stage in STAGES:
        frame[f"stage:{stage}"] = [stage in p.stages for p in live]
    for benefit in BENEFIT_KINDS:
        frame[f"focus:{benefit}"] = [benefit in p.benefit_focus for p in live]
        frame[f"fits:{benefit}"] = [benefit in (*p.benefit_focus, *p.benefit_also) or funding.ANY_BENEFIT in p.benefit_also
                                    for p in live]
    for region in SWEDISH_REGIONS:
        frame[f"region:{region}"] = [region in p.regions for p in live]
    return frame


def _pick(pairs: pd.DataFrame, prefix: str, codes: np.ndarray, choices: tuple[str, ...], *, missing: bool) -> np.ndarray:
    """Per row, the column `prefix` + the choice at the row's code (-1: `missing`)."""
    matrix = pairs[[f"{prefix}{choice}" for choice in choices]].to_numpy(dtype=bool)
    known = codes >= 0
    picked = np.full(len(pairs), missing)
    picked[known] = matrix[np.flatnonzero(known), codes[known]]
    return picked


def _codes(series: pd.Series, choices: tuple[str, ...]) -> np.ndarray:
    """Each value's position in `choices`, -1 where it is not one."""
    return pd.Categorical(series, categories=list(choices)).codes.astype(np.int64)


def funding_pointers(data: CohortData, programmes: list[funding.Programme], *, today: dt.date, top: int = DEMAND_POINTERS) -> pd.DataFrame:
    """The `top` best pointers of every chosen use case, as `funding.match` ranks them,
    computed for all at once (use case × programme, vectorised)."""
    selected = data.use_cases[data.use_cases["selected"]][["id", "company_id", "stage", "cost_band", "benefit_kind"]]
    programmes_frame = _programme_frame(programmes)
    if selected.empty or programmes_frame.empty:
        return pd.DataFrame(columns=["use_case_id", "key", "name_sv", "name_en", "rank"])
    company = data.companies[["id", "region", "employees", "turnover_band", "founded_year", "sni_section", "sni_division"]]
    facts = selected.merge(company.rename(columns={"id": "company_id"}), on="company_id")
    # Everything about a use case as numbers, before pairing it with every programme.
    stage = _codes(facts["stage"], STAGES)
    turnover = pd.DataFrame(funding.TURNOVER_BAND_MSEK, index=["low", "high"]).T
    cost = pd.DataFrame(funding.COST_BAND_SEK, index=["low", "high"]).T
    facts = pd.DataFrame({
        "id": facts["id"].to_numpy(),
        "stage_code": stage,
        "next_stage_code": np.where((stage >= 0) & (stage < len(STAGES) - 1), stage + 1, -1),
        "benefit_code": _codes(facts["benefit_kind"], BENEFIT_KINDS),
        "region_code": _codes(facts["region"], SWEDISH_REGIONS),
        "health": (facts["sni_section"].isin(funding.HEALTH_SNI_SECTIONS)
                   | facts["sni_division"].isin(funding.HEALTH_SNI_DIVISIONS)).to_numpy(),
        "employees": facts["employees"].where(facts["employees"] > 0).astype(float).to_numpy(),
        "band_low": turnover["low"].reindex(facts["turnover_band"]).to_numpy(),
        "band_high": turnover["high"].reindex(facts["turnover_band"]).to_numpy(),
        "age": (today.year - facts["founded_year"].astype(float)).to_numpy(),
        "cost_high": cost["high"].reindex(facts["cost_band"]).to_numpy(),
    })
    pairs = facts.merge(programmes_frame, how="cross")
    in_stage = _pick(pairs, "stage:", pairs["stage_code"].to_numpy(), STAGES, missing=False)
    in_next = _pick(pairs, "stage:", pairs["next_stage_code"].to_numpy(), STAGES, missing=False)
    benefit = pairs["benefit_code"].to_numpy()
    focused = _pick(pairs, "focus:", benefit, BENEFIT_KINDS, missing=False) | (pairs["focus:health"].to_numpy() & pairs["health"].to_numpy())
    fits = focused | _pick(pairs, "fits:", benefit, BENEFIT_KINDS, missing=False)
    region = pairs["region_code"].to_numpy()
    region_ok = pairs["any_region"].to_numpy() | (region < 0) | _pick(pairs, "region:", region, SWEDISH_REGIONS, missing=True)
    size_ok = ~((pairs["employees"] < pairs["min_employees"]) | (pairs["employees"] > pairs["max_employees"])).to_numpy()
    turnover_ok = ~((pairs["band_low"] > pairs["max_turnover"]) | (pairs["band_high"] <= pairs["min_turnover"])).to_numpy()
    age_ok = ~((pairs["age"] - 1 > pairs["max_age"]) | (pairs["age"] < pairs["min_age"])).to_numpy()
    cost_ok = ~(pairs["cost_high"] < pairs["amount_min"]).to_numpy()
    eligible = (in_stage | in_next) & fits & region_ok & size_ok & turnover_ok & age_ok & cost_ok
    ranked = pairs.loc[eligible, ["id", "key", "name_sv", "name_en", "scope_order", "status_order", "kind_order", "name_key"]].assign(
        for_next_stage=~in_stage[eligible], not_focused=~focused[eligible],
    ).sort_values(["id", "for_next_stage", "not_focused", "scope_order", "status_order", "kind_order", "name_key", "key"])
    ranked["rank"] = ranked.groupby("id").cumcount() + 1
    ranked = ranked[ranked["rank"] <= top]
    return ranked[["id", "key", "name_sv", "name_en", "rank"]].rename(columns={"id": "use_case_id"}).reset_index(drop=True)


def funding_demand(data: CohortData, programmes: list[funding.Programme], *, today: dt.date) -> pd.DataFrame:
    """Per programme: how many chosen use cases have it among their best pointers, out of
    the chosen use cases (`responses`), most in demand first."""
    pointers = funding_pointers(data, programmes, today=today)
    total = int(data.use_cases["selected"].sum())
    result = pointers.groupby(["key", "name_sv", "name_en"]).size().rename("count").reset_index()
    result["responses"] = total
    result["share"] = result["count"] / max(total, 1)
    return result.sort_values(["count", "key"], ascending=[False, True]).reset_index(drop=True)


# --- what can be filtered on -------------------------------------------------------------


@dataclass(frozen=True)
class FilterOptions:
    cohorts: dict[int, str]
    regions: tuple[str, ...]
    sni_sections: tuple[str, ...]
    facilitators: tuple[str, ...]
    first_held: dt.date | None
    last_held: dt.date | None


@access.reads_cohorts
def filter_options(cohort_ids: tuple[int, ...] | None = None) -> FilterOptions:
    """The values present in the database for each filter — within `cohort_ids` when given
    (an advisor's cohorts: nothing of other cohorts shows, not even in a filter's list).
    Refuses cohorts the caller may not read; None (every cohort) is for administrators."""
    in_scope = (lambda column: column.in_(cohort_ids)) if cohort_ids is not None else (lambda column: true())
    with storage.read() as session:
        cohorts = dict(session.execute(select(Cohort.id, Cohort.name).where(in_scope(Cohort.id)).order_by(Cohort.name)).all())
        regions = session.scalars(
            select(Company.region).where(Company.region != "", in_scope(Company.cohort_id)).distinct().order_by(Company.region)
        ).all()
        sections = session.scalars(
            select(Company.sni_section).where(Company.sni_section != "", in_scope(Company.cohort_id))
            .distinct().order_by(Company.sni_section)
        ).all()
        scoped_workshops = select(Workshop).join(Company, Company.id == Workshop.company_id).where(in_scope(Company.cohort_id)).subquery()
        facilitators = session.scalars(
            select(scoped_workshops.c.facilitator_name).where(scoped_workshops.c.facilitator_name != "")
            .distinct().order_by(scoped_workshops.c.facilitator_name)
        ).all()
        first, last = session.execute(select(func.min(scoped_workshops.c.held_on), func.max(scoped_workshops.c.held_on))).one()
    return FilterOptions(cohorts, tuple(regions), tuple(sections), tuple(facilitators), first, last)
