"""The responsible-AI screen on the scoring, prioritisation and action-plan steps."""

from __future__ import annotations

from tests.app.conftest import open_page, texts
from workshop import content, triage, votes


def test_screen_answers_are_saved_and_the_suggestion_becomes_the_risk_score(small_workshop):
    ids = small_workshop
    first = ids["use_case_ids"][0]
    at = open_page("scoring", workshop_id=ids["workshop_id"])
    at.toggle(key=f"triage_{first}_chatbot").set_value(True).run()
    assert triage.screenings(workshop_id=ids["workshop_id"])[first].triage.tier == "limited"
    assert any(w.startswith("Transparenskrav: människor ska få veta") for w in texts(at.warning))
    at.button(key=f"triage_accept_{first}").click().run()
    [score] = [s for s in votes.workshop_result(workshop_id=ids["workshop_id"]).ranked if s.use_case_id == first]
    assert score.criteria["risk_regulation"].consensus == 3
    assert at.segmented_control(key=f"consensus_{first}_risk_regulation").value == 3


def test_prohibited_use_case_is_refused_until_an_override_is_recorded(small_workshop):
    ids = small_workshop
    first = ids["use_case_ids"][0]
    triage.set_answer(workshop_id=ids["workshop_id"], use_case_id=first, question="social_scoring", answer=True)
    at = open_page("prioritisation", workshop_id=ids["workshop_id"])
    ranked_ids = [s.use_case_id for s in votes.workshop_result(workshop_id=ids["workshop_id"]).ranked]
    at.session_state[f"selection_{ids['workshop_id']}_0"] = {"edited_rows": {ranked_ids.index(first): {"selected": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert texts(at.error) == ["Användningsfallet bedöms som förbjuden praxis. Registrera ett motiverat undantag innan det väljs."]
    assert content.list_use_cases(workshop_id=ids["workshop_id"])[0].selected is False
    at.text_area(key=f"override_reason_{first}").input("Anonyma, aggregerade data; granskat av jurist.")
    at.button(key=f"override_button_{first}").click().run()
    assert triage.screenings(workshop_id=ids["workshop_id"])[first].override_reason == "Anonyma, aggregerade data; granskat av jurist."
    # The tick kept in the table is applied as soon as the override allows it.
    assert content.list_use_cases(workshop_id=ids["workshop_id"])[0].selected is True


def test_action_plan_asks_for_a_legal_check_on_high_risk(small_workshop):
    ids = small_workshop
    first = ids["use_case_ids"][0]
    triage.set_answer(workshop_id=ids["workshop_id"], use_case_id=first, question="employment", answer=True)
    content.set_selection(workshop_id=ids["workshop_id"], selected={first: True})
    at = open_page("action_plan", workshop_id=ids["workshop_id"])
    assert texts(at.info)[0].startswith("Stäm av med jurist eller dataskyddsombud (Hög risk):")
