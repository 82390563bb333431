"""Cohort figures against values worked out by hand on a small fixture cohort, the same
results as the per-workshop scoring engine and funding matcher, consent, and filters."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from tests.factories import org_number
from workshop import cohort_export, cohort_view, cohorts, content, demo, follow_ups, funding, synthetic, votes
from workshop.cohort_view import CohortFilters
from workshop.errors import CrossWorkshopReference, UnknownChoice

TODAY = dt.date(2026, 11, 23)
VALUE = ("business_impact", "strategic_importance", "customer_benefit", "sustainability_benefit")


def score_all(workshop_id: int, participant_id: int, use_case_id: int, scores: dict[str, int]) -> None:
    for criterion, score in scores.items():
        votes.record_vote(workshop_id=workshop_id, participant_id=participant_id, use_case_id=use_case_id,
                          criterion_key=criterion, score=score)


@pytest.fixture
def fixture_cohort(db) -> dict:
    """Three companies; the third has not consented. Hand-worked values in the tests."""
    cohort_id = cohorts.create_cohort(name="Kohort A")
    ids: dict = {"cohort_id": cohort_id}

    # 1: a small Skåne manufacturer, Anna's completed workshop, two use cases.
    c1 = cohorts.create_company(cohort_id=cohort_id, name="Ett AB", org_number=org_number(), sni_section="C",
                                employees=20, turnover_band="10m_50m", region="Skåne län", consent_reporting=True)
    w1 = cohorts.create_workshop(company_id=c1, facilitator_name="Anna", held_on=dt.date(2026, 3, 10))
    cohorts.set_workshop_progress(workshop_id=w1, status="completed")
    p1, p2 = (content.add_participant(workshop_id=w1, name=n) for n in ("P1", "P2"))
    production = content.add_process(workshop_id=w1, area="production", name="Produktion")
    u1 = content.add_use_case(workshop_id=w1, process_id=production, title="Ytkontroll", ai_capability="computer_vision",
                              cost_band="50k_250k")
    u2 = content.add_use_case(workshop_id=w1, title="Prognos", ai_capability="forecasting", benefit_kind="new_offering")
    first = {**{k: 4 for k in VALUE}, "data_availability": 1, "technical_complexity": 2, "competence_ownership": 4,
             "cost_time_to_result": 5, "risk_regulation": 1}
    second = {**{k: 5 for k in VALUE}, "data_availability": 2, "technical_complexity": 2, "competence_ownership": 4,
              "cost_time_to_result": 4, "risk_regulation": 1}
    score_all(w1, p1, u1, first)
    score_all(w1, p2, u1, second)
    for participant in (p1, p2):
        score_all(w1, participant, u2, {k: 2 for k in (*VALUE, *first.keys())})
    content.set_selection(workshop_id=w1, selected={u1: True})
    content.set_action_item(workshop_id=w1, use_case_id=u1, stage="pilot", cost_band="50k_250k")

    # 2: a micro ICT company in Stockholm, Erik's workshop, one use case, followed up.
    c2 = cohorts.create_company(cohort_id=cohort_id, name="Två AB", org_number=org_number(), sni_section="J",
                                employees=5, turnover_band="2m_10m", region="Stockholms län", consent_reporting=True)
    w2 = cohorts.create_workshop(company_id=c2, facilitator_name="Erik", held_on=dt.date(2026, 6, 1))
    p3 = content.add_participant(workshop_id=w2, name="P3")
    sales = content.add_process(workshop_id=w2, area="sales_marketing", name="Försäljning")
    u3 = content.add_use_case(workshop_id=w2, process_id=sales, title="Leadscoring", ai_capability="classification")
    score_all(w2, p3, u3, {k: 3 for k in first})
    content.set_selection(workshop_id=w2, selected={u3: True})
    follow_ups.record_follow_up(company_id=c2, use_case_id=u3, status="contacted", recorded_on=dt.date(2026, 9, 1),
                                check_in_months=3, today=TODAY)
    follow_ups.record_follow_up(company_id=c2, use_case_id=u3, status="applied_for_funding",
                                recorded_on=dt.date(2026, 10, 1), today=TODAY)

    # 3: no consent to cohort reporting: counted, never in a figure.
    c3 = cohorts.create_company(cohort_id=cohort_id, name="Tre AB", org_number=org_number(), sni_section="C",
                                employees=100, region="Skåne län", consent_reporting=False)
    w3 = cohorts.create_workshop(company_id=c3, facilitator_name="Anna", held_on=dt.date(2026, 4, 1))
    p4 = content.add_participant(workshop_id=w3, name="P4")
    u4 = content.add_use_case(workshop_id=w3, title="Hemligt")
    score_all(w3, p4, u4, {k: 5 for k in first})
    content.set_selection(workshop_id=w3, selected={u4: True})
    ids.update(c1=c1, c2=c2, c3=c3, w1=w1, w2=w2, u1=u1, u2=u2, u3=u3, u4=u4)
    return ids


def test_counts_leave_out_companies_without_consent(fixture_cohort):
    data = cohort_view.load(CohortFilters())
    assert cohort_view.counts(data) == cohort_view.CohortCounts(
        companies=2, workshops=2, workshops_completed=1, use_cases=3, selected_use_cases=2, participants=3,
        excluded_companies=1,
    )
    assert fixture_cohort["u4"] not in set(data.use_cases["id"])


def test_axis_scores_and_quadrants_are_worked_out_by_hand(fixture_cohort):
    use_cases = cohort_view.load(CohortFilters()).use_cases.set_index("id")
    u1 = use_cases.loc[fixture_cohort["u1"]]
    # Value: every value criterion has median 4.5. Feasibility: data 1.5 (w3), complexity
    # 6−2=4 (w2), competence 4 (w2), cost 6−4.5=1.5 (w2), risk 6−1=5 (w2) → 33.5 / 11.
    assert u1["value"] == pytest.approx(4.5)
    assert u1["feasibility"] == pytest.approx(33.5 / 11)
    assert u1["quadrant"] == "quick_win"
    assert u1["responses"] == 2
    u2 = use_cases.loc[fixture_cohort["u2"]]
    assert (u2["value"], u2["feasibility"], u2["quadrant"]) == (pytest.approx(2.0), pytest.approx(34 / 11), "fill_in")
    assert use_cases.loc[fixture_cohort["u3"], "quadrant"] == "quick_win"


def test_distributions_with_their_totals(fixture_cohort):
    data = cohort_view.load(CohortFilters())
    quadrants = cohort_view.distribution(data, of="quadrant")
    assert quadrants[["quadrant", "count", "responses"]].values.tolist() == [["fill_in", 1, 3], ["quick_win", 2, 3]]
    by_size = cohort_view.distribution(data, of="quadrant", by="size_class")
    assert by_size[["size_class", "quadrant", "count", "responses"]].values.tolist() == [
        ["micro", "quick_win", 1, 1], ["small", "fill_in", 1, 2], ["small", "quick_win", 1, 2],
    ]
    areas = cohort_view.distribution(data, of="process_area")  # the use case without a process is left out
    assert areas[["process_area", "count", "responses"]].values.tolist() == [["production", 1, 2], ["sales_marketing", 1, 2]]
    stages = cohort_view.distribution(data, of="stage")  # the plan's stage where there is a plan
    assert stages[["stage", "count"]].values.tolist() == [["idea", 2], ["pilot", 1]]
    chosen = cohort_view.distribution(data, of="ai_capability", selected_only=True)
    assert chosen[["ai_capability", "count", "responses"]].values.tolist() == [["classification", 1, 2], ["computer_vision", 1, 2]]


def test_blockers_count_chosen_use_cases_scoring_low(fixture_cohort):
    frame = cohort_view.blockers(cohort_view.load(CohortFilters()))
    assert frame[["criterion", "count", "responses"]].values.tolist() == [
        ["data_availability", 1, 2], ["competence_ownership", 0, 2], ["cost_time_to_result", 1, 2],
    ]
    assert frame["share"].tolist() == [0.5, 0.0, 0.5]


def test_the_funnel_counts_each_step_reached(fixture_cohort):
    frame = cohort_view.funnel(cohort_view.load(CohortFilters()))
    assert dict(zip(frame["status"], frame["count"], strict=True)) == {
        "not_started": 2, "contacted": 1, "applied_for_funding": 1, "funding_granted": 0, "pilot_started": 0,
        "in_production": 0, "dropped": 0,
    }
    assert set(frame["responses"]) == {2}


def test_calibration_compares_each_facilitator_with_the_cohort(fixture_cohort):
    frame = cohort_view.calibration(cohort_view.load(CohortFilters())).set_index(["facilitator", "criterion"])
    # business_impact: Anna's groups 4, 5, 2, 2 (the company without consent left out); Erik's 3.
    anna, erik = frame.loc[("Anna", "business_impact")], frame.loc[("Erik", "business_impact")]
    assert (anna["mean"], anna["votes"], anna["cohort_mean"]) == (3.25, 4, 3.2)
    assert anna["difference"] == pytest.approx(0.05)
    assert (erik["mean"], erik["votes"], erik["difference"]) == (3.0, 1, pytest.approx(-0.2))
    levels = cohort_view.score_distribution(cohort_view.load(CohortFilters()), criterion="business_impact")
    whole = levels[levels["facilitator"] == ""]
    assert dict(zip(whole["score"], whole["votes"], strict=True)) == {1: 0, 2: 2, 3: 1, 4: 1, 5: 1}


@pytest.mark.parametrize(
    ("filters", "companies", "excluded"),
    [
        (CohortFilters(regions=("Skåne län",)), {"c1"}, 1),
        (CohortFilters(sni_sections=("J",)), {"c2"}, 0),
        (CohortFilters(size_classes=("micro",)), {"c2"}, 0),
        (CohortFilters(facilitators=("Anna",)), {"c1"}, 1),
        (CohortFilters(held_from=dt.date(2026, 5, 1), held_to=dt.date(2026, 12, 31)), {"c2"}, 0),
        (CohortFilters(held_to=dt.date(2026, 3, 31)), {"c1"}, 0),
        (CohortFilters(sni_sections=("C",), size_classes=("small",)), {"c1"}, 0),
        (CohortFilters(regions=("Skåne län",), facilitators=("Erik",)), set(), 0),
        (CohortFilters(cohort_ids=(999,)), set(), 0),
    ],
)
def test_filters_combine(fixture_cohort, filters, companies, excluded):
    data = cohort_view.load(filters)
    assert set(data.companies["id"]) == {fixture_cohort[name] for name in companies}
    assert set(data.workshops["company_id"]) == {fixture_cohort[name] for name in companies}
    assert data.excluded_companies == excluded
    assert set(data.use_cases["company_id"]) <= set(data.companies["id"])


def test_the_figures_match_the_scoring_engine_on_every_demo_workshop(sqlite_db):
    demo.load_demo()
    use_cases = cohort_view.load(CohortFilters()).use_cases.set_index("id")
    compared = 0
    for workshop_id in set(use_cases["workshop_id"]):
        for score in votes.workshop_result(workshop_id=int(workshop_id)).ranked:
            row = use_cases.loc[score.use_case_id]
            assert row["quadrant"] == score.quadrant or (row["quadrant"] is None and score.quadrant is None)
            if score.value is not None:
                assert row["value"] == pytest.approx(score.value)
                assert row["feasibility"] == pytest.approx(score.feasibility)
            compared += 1
    assert compared == len(use_cases) > 30


def test_vectorised_funding_pointers_match_the_matcher(sqlite_db):
    demo.load_demo()
    synthetic.generate_cohort(companies=40, seed=5)
    data = cohort_view.load(CohortFilters())
    pointers = cohort_view.funding_pointers(data, funding.list_programmes(), today=TODAY)
    compared = 0
    for workshop_id in data.workshops["id"]:
        for use_case_id, matching in funding.workshop_pointers(workshop_id=int(workshop_id), today=TODAY).by_use_case.items():
            expected = [p.programme.key for p in matching.pointers[: cohort_view.DEMAND_POINTERS]]
            assert list(pointers[pointers["use_case_id"] == use_case_id].sort_values("rank")["key"]) == expected
            compared += 1
    assert compared > 60
    demand = cohort_view.funding_demand(data, funding.list_programmes(), today=TODAY)
    assert demand["count"].sum() == len(pointers)


def test_follow_ups_are_validated_and_nothing_is_written_on_error(fixture_cohort):
    c1, u3 = fixture_cohort["c1"], fixture_cohort["u3"]
    with pytest.raises(CrossWorkshopReference):
        follow_ups.record_follow_up(company_id=c1, use_case_id=u3, status="contacted", today=TODAY)
    with pytest.raises(UnknownChoice):
        follow_ups.record_follow_up(company_id=c1, use_case_id=None, status="celebrating", today=TODAY)
    with pytest.raises(UnknownChoice):
        follow_ups.record_follow_up(company_id=c1, use_case_id=None, status="contacted", check_in_months=4, today=TODAY)
    with pytest.raises(follow_ups.FollowUpInFuture):
        follow_ups.record_follow_up(company_id=c1, use_case_id=None, status="contacted", recorded_on=TODAY + dt.timedelta(days=1), today=TODAY)
    assert follow_ups.list_follow_ups(company_id=c1) == []


def test_check_ins_sit_beside_the_plan(fixture_cohort):
    table = follow_ups.check_in_comparison(company_id=fixture_cohort["c2"], language="sv")
    assert table.to_dict("records") == [{
        "Användningsfall": "Leadscoring", "Planerad fas": "", "Tidshorisont": "", "Nästa steg": "",
        "Efter 3 månader": "Kontaktad (2026-09-01)", "Efter 6 månader": "",
        "Senaste status": "Sökt finansiering (2026-10-01)",
    }]


def test_the_cohort_workbook_leaves_out_non_consenting_companies_and_can_hide_identities(fixture_cohort):
    named = openpyxl.load_workbook(io.BytesIO(cohort_export.cohort_workbook(CohortFilters(), language="sv", pseudonymise=False, today=TODAY)))
    companies = [row[0] for row in named["Företag"].iter_rows(min_row=2, values_only=True)]
    assert sorted(companies) == ["Ett AB", "Två AB"]
    texts = {str(cell) for sheet in named for row in sheet.iter_rows(values_only=True) for cell in row if cell}
    assert "Tre AB" not in texts and "Hemligt" not in texts

    steps = []
    hidden = openpyxl.load_workbook(io.BytesIO(cohort_export.cohort_workbook(
        CohortFilters(), language="en", pseudonymise=True, today=TODAY, progress=steps.append)))
    assert hidden.sheetnames == ["Companies", "Use cases and scores", "Action plans", "Follow-up"]
    header = next(hidden["Companies"].iter_rows(max_row=1, values_only=True))
    assert "Organisation number" not in header
    texts = {str(cell) for sheet in hidden for row in sheet.iter_rows(values_only=True) for cell in row if cell}
    assert {"Company 0001", "Company 0002"} <= texts and not {"Ett AB", "Två AB"} & texts
    assert steps == sorted(steps) and steps[-1] == 1.0
    use_case_header = next(hidden["Use cases and scores"].iter_rows(max_row=1, values_only=True))
    assert {"Value", "Feasibility", "Business impact"} <= set(use_case_header)


def test_filter_options_stay_within_the_cohorts_given(sqlite_db):
    demo.load_demo()
    other = cohorts.create_cohort(name="Annan kohort", region="Blekinge län")
    company = cohorts.create_company(
        cohort_id=other, name="Ronneby Trä AB", org_number=org_number(), sni_section="A", sni_division="02",
        employees=4, turnover_band="under_2m", region="Blekinge län",
    )
    cohorts.create_workshop(company_id=company, facilitator_name="Bertil Utomstående", held_on=dt.date(2027, 3, 1))
    everything = cohort_view.filter_options()
    assert "Annan kohort" in everything.cohorts.values() and "Bertil Utomstående" in everything.facilitators
    demo_ids = tuple(i for i, name in everything.cohorts.items() if name != "Annan kohort")
    scoped = cohort_view.filter_options(demo_ids)
    assert list(scoped.cohorts) == list(demo_ids)
    assert "Bertil Utomstående" not in scoped.facilitators and "Blekinge län" not in scoped.regions
    assert scoped.last_held < dt.date(2027, 3, 1) == everything.last_held
    assert cohort_view.filter_options(()).cohorts == {}
