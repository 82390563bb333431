"""Everything the SME's deliverables show, gathered once as plain data in the workshop's language.

The workbook, the printable report and the CSV files are all built from this, so they
agree with each other and with the screens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workshop import access, cohorts, content, funding, maturity, scoring_models, sni, triage, votes
from workshop.i18n import choice_label, t
from workshop.value_estimate import format_range
from workshop.vocabulary import size_class_for

# How many of the best-ranked use cases the summary and the report single out.
TOP_COUNT = 5
# How many funding pointers per chosen use case the deliverables carry (the screen shows all).
POINTERS_PER_USE_CASE = 5


@dataclass(frozen=True)
class CriterionResult:
    key: str
    name: str
    axis: str
    weight: float
    direction: str
    median: float | None
    minimum: int | None
    maximum: int | None
    responses: int
    consensus: int | None
    score: float | None


@dataclass(frozen=True)
class RankedUseCase:
    rank: int
    use_case_id: int
    title: str
    description: str
    process: str
    ai_capability: str
    benefit_kind: str
    stage: str
    cost_band: str
    data_needed: str
    value: float | None
    feasibility: float | None
    priority: float | None
    quadrant: str | None
    quadrant_label: str
    responses: int
    estimate_low_sek: float | None
    estimate_high_sek: float | None
    estimate_text: str
    selected: bool
    criteria: tuple[CriterionResult, ...]
    tier: str
    tier_label: str
    # Each fired AI Act / GDPR rule, quoting the answer that triggered it.
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ProcessLine:
    name: str
    area: str
    description: str
    pain_points: str
    frequency: str
    hours_per_week: float | None
    people_involved: int | None
    data_availability: str
    system: str


@dataclass(frozen=True)
class VoteLine:
    use_case: str
    participant: str
    criterion: str
    score: int


@dataclass(frozen=True)
class ActionLine:
    use_case: str
    next_step: str
    owner: str
    horizon: str
    cost_band: str
    stage: str
    needs_competence: str
    needs_data: str
    needs_partner: str
    # "Check with a lawyer / DPO" and why, for high-risk and transparency-duty use cases.
    legal_check: str


@dataclass(frozen=True)
class FundingLine:
    use_case: str
    programme: str
    provider: str
    kind: str
    status: str
    amount: str
    # "" when it fits the planned stage, else "for the next stage".
    next_stage: str
    why: tuple[str, ...]
    check: tuple[str, ...]
    url: str
    checked_on: dt.date


@dataclass(frozen=True)
class WorkshopDeliverable:
    workshop_id: int
    language: str
    company_name: str
    org_number: str
    sector: str
    size_class: str
    employees: int
    turnover_band: str
    municipality: str
    region: str
    cohort_name: str
    held_on: dt.date | None
    facilitator: str
    status: str
    participants: tuple[tuple[str, str], ...]
    maturity_average: float | None
    value_threshold: float
    feasibility_threshold: float
    ranked: tuple[RankedUseCase, ...]
    processes: tuple[ProcessLine, ...]
    votes: tuple[VoteLine, ...]
    actions: tuple[ActionLine, ...]
    funding: tuple[FundingLine, ...]
    # The oldest check date of the catalogue's live programmes, and whether it is over a year old.
    funding_checked_on: dt.date | None
    funding_stale: bool
    generated_at: dt.datetime

    @property
    def top(self) -> tuple[RankedUseCase, ...]:
        """The chosen use cases in rank order, or the best-ranked ones if none is chosen yet."""
        chosen = tuple(u for u in self.ranked if u.selected)
        return chosen or tuple(u for u in self.ranked if u.priority is not None)[:TOP_COUNT]

    def text(self, key: str, **params: object) -> str:
        """A catalogue text in the workshop's language."""
        return t(key, self.language, **params)


@access.reads_workshop
def build_deliverable(*, workshop_id: int) -> WorkshopDeliverable:
    """Gather one workshop's results in its own language. Raises `NotFound` for a missing workshop."""
    workshop = cohorts.get_workshop(workshop_id=workshop_id)
    company = cohorts.get_company(company_id=workshop.company_id)
    language = workshop.language
    model = scoring_models.get_model(workshop.scoring_model_id)
    result = votes.workshop_result(workshop_id=workshop_id)
    use_cases = {u.id: u for u in content.list_use_cases(workshop_id=workshop_id)}
    processes = content.list_processes(workshop_id=workshop_id)
    process_names = {p.id: p.name for p in processes}
    participants = content.list_participants(workshop_id=workshop_id)
    estimates = content.value_estimates(workshop_id=workshop_id)
    criterion_names = {c.key: c.name[language] for c in model.criteria}
    screened = triage.screenings(workshop_id=workshop_id)

    ranked = []
    for rank, score in enumerate(result.ranked, start=1):
        use_case = use_cases[score.use_case_id]
        estimate = estimates.get(use_case.id)
        ranked.append(
            RankedUseCase(
                rank=rank,
                use_case_id=use_case.id,
                title=use_case.title,
                description=use_case.description,
                process=process_names.get(use_case.process_id, ""),
                ai_capability=choice_label("ai_capability", use_case.ai_capability, language),
                benefit_kind=choice_label("benefit_kind", use_case.benefit_kind, language),
                stage=choice_label("stage", use_case.stage, language),
                cost_band=choice_label("cost_band", use_case.cost_band, language),
                data_needed=use_case.data_needed,
                value=score.value,
                feasibility=score.feasibility,
                priority=score.priority,
                quadrant=score.quadrant,
                quadrant_label=choice_label("quadrant", score.quadrant, language),
                responses=score.responses,
                estimate_low_sek=estimate.low_sek if estimate else None,
                estimate_high_sek=estimate.high_sek if estimate else None,
                estimate_text=format_range(estimate, language),
                selected=use_case.selected,
                criteria=tuple(
                    CriterionResult(
                        key=criterion.key,
                        name=criterion.name[language],
                        axis=choice_label("axis", criterion.axis, language),
                        weight=criterion.weight,
                        direction=criterion.direction,
                        median=score.criteria[criterion.key].median,
                        minimum=score.criteria[criterion.key].minimum,
                        maximum=score.criteria[criterion.key].maximum,
                        responses=score.criteria[criterion.key].responses,
                        consensus=score.criteria[criterion.key].consensus,
                        score=score.criteria[criterion.key].score,
                    )
                    for criterion in model.criteria
                ),
                tier=screened[use_case.id].triage.tier,
                tier_label=choice_label("triage_tier", screened[use_case.id].triage.tier, language),
                flags=tuple(triage.flag_lines(screened[use_case.id].triage, language)),
            )
        )

    participant_labels = {
        p.id: p.name or t("deliverable.participant_number", language, number=n) for n, p in enumerate(participants, start=1)
    }
    titles = {u.id: u.title for u in use_cases.values()}
    vote_lines = tuple(
        VoteLine(
            use_case=titles[row.use_case_id],
            participant=participant_labels.get(row.participant_id, ""),
            criterion=criterion_names.get(row.criterion_key, row.criterion_key),
            score=row.score,
        )
        for row in votes.list_votes(workshop_id=workshop_id)
    )
    order = {u.use_case_id: u.rank for u in ranked}
    action_items = content.list_action_items(workshop_id=workshop_id)
    action_lines = tuple(
        ActionLine(
            use_case=titles[a.use_case_id],
            next_step=a.next_step,
            owner=a.owner,
            horizon=choice_label("horizon_days", str(a.horizon_days) if a.horizon_days else "", language),
            cost_band=choice_label("cost_band", a.cost_band, language),
            stage=choice_label("stage", a.stage, language),
            needs_competence=a.needs_competence,
            needs_data=a.needs_data,
            needs_partner=a.needs_partner,
            legal_check=_legal_check(screened[a.use_case_id].triage, language),
        )
        for a in sorted(action_items, key=lambda a: order.get(a.use_case_id, 0))
    )
    pointers = funding.pointers_for(company=company, use_cases=use_cases.values(), plans=action_items)
    funding_lines = tuple(
        _funding_line(titles[use_case_id], pointer, language)
        for use_case_id in sorted(pointers.by_use_case, key=lambda u: order.get(u, 0))
        for pointer in pointers.by_use_case[use_case_id].pointers[:POINTERS_PER_USE_CASE]
    )
    return WorkshopDeliverable(
        workshop_id=workshop_id,
        language=language,
        company_name=company.name,
        org_number=company.org_number,
        sector=sni.label(company.sni_section, company.sni_division, language),
        size_class=choice_label("size_class", size_class_for(company.employees), language),
        employees=company.employees,
        turnover_band=choice_label("turnover_band", company.turnover_band, language),
        municipality=company.municipality,
        region=company.region,
        cohort_name=workshop.cohort_name,
        held_on=workshop.held_on,
        facilitator=workshop.facilitator_name,
        status=choice_label("workshop_status", workshop.status, language),
        participants=tuple((p.name, p.role) for p in participants),
        maturity_average=maturity.average_level(workshop.maturity_answers),
        value_threshold=result.value_threshold,
        feasibility_threshold=result.feasibility_threshold,
        ranked=tuple(ranked),
        processes=tuple(
            ProcessLine(
                name=p.name,
                area=choice_label("process_area", p.area, language),
                description=p.description,
                pain_points=p.pain_points,
                frequency=p.frequency,
                hours_per_week=p.hours_per_week,
                people_involved=p.people_involved,
                data_availability=choice_label("data_availability", p.data_availability, language),
                system=p.system,
            )
            for p in processes
        ),
        votes=vote_lines,
        actions=action_lines,
        funding=funding_lines,
        funding_checked_on=pointers.age.checked_on,
        funding_stale=pointers.age.stale,
        generated_at=dt.datetime.now(dt.UTC),
    )


def _funding_line(use_case: str, pointer: funding.Pointer, language: str) -> FundingLine:
    programme = pointer.programme
    return FundingLine(
        use_case=use_case,
        programme=programme.name[language],
        provider=programme.provider,
        kind=choice_label("funding_kind", programme.kind, language),
        status=choice_label("funding_status", programme.status, language),
        amount=funding.amount_text(programme, language),
        next_stage=t("funding.next_stage_badge", language) if pointer.for_next_stage else "",
        why=tuple(funding.reason_text(r, "why", language) for r in pointer.why),
        check=tuple(funding.reason_text(r, "check", language) for r in pointer.check),
        url=programme.url,
        checked_on=programme.checked_on,
    )


def _legal_check(result: triage.Triage, language: str) -> str:
    if not result.needs_legal_check:
        return ""
    return t("triage.legal_check", language, tier=choice_label("triage_tier", result.tier, language)) + " " + " ".join(
        triage.flag_lines(result, language)
    )
