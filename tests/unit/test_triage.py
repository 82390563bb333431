"""Responsible-AI triage: every rule fires on its case and stays silent on a near-miss."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.factories import make_workshop
from workshop import bundle, cohorts, content, exports, report_pdf, triage
from workshop.deliverable import build_deliverable
from workshop.errors import CrossWorkshopReference, UnknownChoice
from workshop.triage import ProhibitedWithoutOverride

RULES = triage.rules()
QUESTIONS = [q.key for q in triage.questions()]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.key)
def test_rule_fires_on_its_case(rule):
    result = triage.evaluate({question: True for question in rule.when_all})
    assert rule in result.fired


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.key)
def test_rule_is_silent_on_a_near_miss(rule):
    # All of its questions but one answered yes, and every question outside the rule too.
    for missing in rule.when_all:
        answers = {q: True for q in QUESTIONS if q not in rule.when_all} | {q: q != missing for q in rule.when_all}
        assert rule not in triage.evaluate(answers).fired


def test_every_rule_can_fire_and_every_question_is_used():
    assert {q for rule in RULES for q in rule.when_all} == set(QUESTIONS)
    assert len({rule.key for rule in RULES}) == len(RULES)


@pytest.mark.parametrize(
    ("answers", "tier", "score"),
    [
        ({}, "minimal", 1),
        ({"personal_data": True}, "minimal", 2),
        ({"chatbot": True}, "limited", 3),
        ({"chatbot": True, "employment": True}, "high", 4),
        ({"chatbot": True, "employment": True, "social_scoring": True}, "prohibited", 5),
        ({"special_categories": True, "automated_decisions": True}, "high", 4),
        ({"special_categories": True}, "minimal", 1),
    ],
)
def test_tiers_combine_strictest_wins(answers, tier, score):
    result = triage.evaluate(answers)
    assert (result.tier, result.suggested_score) == (tier, score)


def test_flags_quote_the_question_and_the_article():
    [line] = triage.flag_lines(triage.evaluate({"chatbot": True}), "sv")
    assert line == (
        "Transparenskrav: människor ska få veta att de interagerar med AI. (AI-förordningen art. 50.1) – "
        "“Pratar eller chattar systemet direkt med människor (kunder, medarbetare, allmänheten)?”"
    )


def test_answers_are_stored_per_use_case(db):
    ids = make_workshop(use_cases=2)
    first, second = ids["use_case_ids"]
    triage.set_answer(workshop_id=ids["workshop_id"], use_case_id=first, question="employment", answer=True)
    triage.set_answer(workshop_id=ids["workshop_id"], use_case_id=first, question="chatbot", answer=True)
    triage.set_answer(workshop_id=ids["workshop_id"], use_case_id=first, question="chatbot", answer=False)
    screened = triage.screenings(workshop_id=ids["workshop_id"])
    assert (screened[first].answers, screened[first].triage.tier) == ({"employment": True, "chatbot": False}, "high")
    assert screened[second].triage.tier == "minimal"


def test_unknown_question_or_other_workshop_is_refused(db):
    first = make_workshop(cohort_name="A", use_cases=1)
    second = make_workshop(cohort_name="B", use_cases=1)
    with pytest.raises(UnknownChoice):
        triage.set_answer(workshop_id=first["workshop_id"], use_case_id=first["use_case_ids"][0], question="vibes", answer=True)
    with pytest.raises(CrossWorkshopReference):
        triage.set_answer(workshop_id=first["workshop_id"], use_case_id=second["use_case_ids"][0], question="chatbot", answer=True)


def test_prohibited_use_case_needs_a_recorded_override_to_be_chosen(db):
    ids = make_workshop(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    triage.set_answer(workshop_id=ids["workshop_id"], use_case_id=use_case_id, question="social_scoring", answer=True)
    with pytest.raises(ProhibitedWithoutOverride):
        content.set_selection(workshop_id=ids["workshop_id"], selected={use_case_id: True})
    assert content.list_use_cases(workshop_id=ids["workshop_id"])[0].selected is False
    triage.set_override(workshop_id=ids["workshop_id"], use_case_id=use_case_id, reason="Only aggregated, anonymous data; checked with counsel.", by="Anna")
    content.set_selection(workshop_id=ids["workshop_id"], selected={use_case_id: True})
    screening = triage.screenings(workshop_id=ids["workshop_id"])[use_case_id]
    assert (screening.override_by, screening.override_at is not None) == ("Anna", True)
    assert content.list_use_cases(workshop_id=ids["workshop_id"])[0].selected is True


def test_tier_distribution_counts_consenting_companies_only(db):
    ids = make_workshop(use_cases=2)
    triage.set_answer(workshop_id=ids["workshop_id"], use_case_id=ids["use_case_ids"][0], question="chatbot", answer=True)
    assert triage.tier_distribution(cohort_id=ids["cohort_id"]) == {"prohibited": 0, "high": 0, "limited": 0, "minimal": 0}
    cohorts.update_company(company_id=ids["company_id"], consent_reporting=True)
    assert triage.tier_distribution(cohort_id=ids["cohort_id"]) == {"prohibited": 0, "high": 0, "limited": 1, "minimal": 1}


def test_triage_reaches_the_deliverables_and_the_bundle(db):
    ids = make_workshop(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    triage.set_answer(workshop_id=ids["workshop_id"], use_case_id=use_case_id, question="employment", answer=True)
    content.set_selection(workshop_id=ids["workshop_id"], selected={use_case_id: True})
    content.set_action_item(workshop_id=ids["workshop_id"], use_case_id=use_case_id, next_step="Förstudie")
    d = build_deliverable(workshop_id=ids["workshop_id"])
    [ranked] = d.ranked
    assert (ranked.tier, ranked.tier_label) == ("high", "Hög risk")
    assert ranked.flags[0].startswith("Högrisk: anställning och personalbeslut. (AI-förordningen bilaga III.4)")
    assert d.actions[0].legal_check.startswith("Stäm av med jurist eller dataskyddsombud (Hög risk):")
    sheets = pd.read_excel(io.BytesIO(exports.workbook_bytes(d)), sheet_name=None)
    assert list(sheets["Rangordning"]["AI-förordningen"]) == ["Hög risk"]
    assert sheets["Handlingsplan"]["Juridisk avstämning"][0] == d.actions[0].legal_check
    assert any(ranked.flags[0] in line for line in report_pdf.report_text(d))
    assert bundle.export_bundle(workshop_id=ids["workshop_id"])["screenings"][0]["answers"] == {"employment": True}
