"""Editing a company and a workshop's settings; selection and progress."""

from __future__ import annotations

import pytest

from tests.factories import make_workshop, org_number
from workshop import cohorts, content, votes
from workshop.errors import CrossWorkshopReference, InvalidOrganisationNumber, UnknownChoice, ValidationError


def test_update_company_changes_one_field_and_recomputes_size(db):
    ids = make_workshop()
    updated = cohorts.update_company(company_id=ids["company_id"], employees=75)
    assert (updated.employees, updated.size_class, updated.name) == (75, "medium", "Testbolaget AB")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"org_number": "123"}, InvalidOrganisationNumber),
        ({"name": ""}, ValidationError),
        ({"employees": "tjugo"}, ValidationError),
        ({"sni_division": "47"}, UnknownChoice),
        ({"colour": "blue"}, ValidationError),
    ],
)
def test_update_company_bad_value_writes_nothing(db, changes, error):
    ids = make_workshop()
    before = cohorts.get_company(company_id=ids["company_id"])
    with pytest.raises(error):
        cohorts.update_company(company_id=ids["company_id"], **changes)
    assert cohorts.get_company(company_id=ids["company_id"]) == before


def test_update_company_to_org_number_taken_in_cohort_raises(db):
    ids = make_workshop()
    taken = org_number()
    cohorts.create_company(cohort_id=ids["cohort_id"], name="Annat AB", org_number=taken)
    with pytest.raises(ValidationError):
        cohorts.update_company(company_id=ids["company_id"], org_number=taken)


def test_workshop_settings_are_stored(db):
    ids = make_workshop()
    cohorts.update_workshop(workshop_id=ids["workshop_id"], presentation_mode=True, value_threshold=3.5, language="en")
    info = cohorts.get_workshop(workshop_id=ids["workshop_id"])
    assert (info.presentation_mode, info.value_threshold, info.feasibility_threshold, info.language) == (True, 3.5, None, "en")
    result = votes.workshop_result(workshop_id=ids["workshop_id"])
    assert (result.value_threshold, result.feasibility_threshold) == (3.5, 3.0)


@pytest.mark.parametrize(("field", "value"), [("value_threshold", 0.5), ("feasibility_threshold", 6), ("language", "fi")])
def test_bad_workshop_setting_raises(db, field, value):
    ids = make_workshop()
    with pytest.raises(ValidationError):
        cohorts.update_workshop(workshop_id=ids["workshop_id"], **{field: value})
    assert cohorts.get_workshop(workshop_id=ids["workshop_id"]).language == "sv"


def test_selection_of_several_use_cases_and_other_workshops_refused(db):
    first = make_workshop(cohort_name="A", use_cases=3)
    second = make_workshop(cohort_name="B", use_cases=1)
    a, b, c = first["use_case_ids"]
    content.set_selection(workshop_id=first["workshop_id"], selected={a: True, c: True})
    with pytest.raises(CrossWorkshopReference):
        content.set_selection(workshop_id=first["workshop_id"], selected={b: True, second["use_case_ids"][0]: True})
    assert [u.selected for u in content.list_use_cases(workshop_id=first["workshop_id"])] == [True, False, True]


def test_scoring_progress_counts_fully_scored_use_cases(db):
    ids = make_workshop(participants=1, use_cases=2)
    model_keys = [
        "business_impact", "strategic_importance", "customer_benefit", "sustainability_benefit", "data_availability",
        "technical_complexity", "competence_ownership", "cost_time_to_result", "risk_regulation",
    ]
    for key in model_keys:
        votes.set_consensus(workshop_id=ids["workshop_id"], use_case_id=ids["use_case_ids"][0], criterion_key=key, score=3)
    votes.set_consensus(workshop_id=ids["workshop_id"], use_case_id=ids["use_case_ids"][1], criterion_key="business_impact", score=3)
    progress = votes.scoring_progress(result=votes.workshop_result(workshop_id=ids["workshop_id"]), criteria=model_keys)
    assert (progress.complete, progress.total, progress.share) == (1, 2, 0.5)
