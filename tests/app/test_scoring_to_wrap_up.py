"""Scoring, prioritisation, action plan and wrap-up pages, each edit saved when made."""

from __future__ import annotations

from sqlalchemy import select

from tests.app.conftest import open_page, texts
from workshop import cohorts, content, scoring_models, storage, votes
from workshop.models import ConsensusScore


def _criteria() -> list[str]:
    return [c.key for c in scoring_models.get_model(scoring_models.default_model_id()).criteria]


def test_scoring_a_criterion_saves_the_consensus_with_who(small_workshop):
    ids = small_workshop
    cohorts.update_workshop(workshop_id=ids["workshop_id"], facilitator_name="Anna")
    at = open_page("scoring", workshop_id=ids["workshop_id"])
    first = ids["use_case_ids"][0]
    at.segmented_control(key=f"consensus_{first}_business_impact").set_value(4).run()
    [score] = [s for s in votes.workshop_result(workshop_id=ids["workshop_id"]).ranked if s.use_case_id == first]
    assert score.criteria["business_impact"].consensus == 4
    with storage.read() as session:
        assert session.scalar(select(ConsensusScore.set_by)) == "Admin"  # who is signed in, not the name typed
    assert texts(at.exception) == []


def test_scoring_progress_and_next_use_case(small_workshop):
    ids = small_workshop
    first, second = ids["use_case_ids"]
    for key in _criteria():
        votes.set_consensus(workshop_id=ids["workshop_id"], use_case_id=first, criterion_key=key, score=4)
    at = open_page("scoring", workshop_id=ids["workshop_id"])
    assert at.get("progress")[0].proto.text == "1 av 2 användningsfall har poäng på alla kriterier"
    at.button(key="next_use_case").click().run()
    assert at.selectbox(key=f"scoring_use_case_{ids['workshop_id']}").value == second
    assert at.query_params["use_case"] == str(second)


def test_scoring_page_shows_anchored_levels_and_weights(demo_db):
    at = open_page("scoring", workshop_id=1)
    model = scoring_models.get_model(scoring_models.default_model_id())
    markdown = " ".join(texts(at.markdown))
    for criterion in model.criteria:
        assert f"**{criterion.name['sv']}** · vikt {criterion.weight:g}" in markdown
        for level, text in criterion.levels.items():
            assert f"{level} – {text['sv']}" in markdown


def test_prioritisation_selection_is_saved(demo_db):
    at = open_page("prioritisation", workshop_id=1)
    ranked = votes.workshop_result(workshop_id=1).ranked
    at.session_state["selection_1_0"] = {"edited_rows": {4: {"selected": True}, 0: {"selected": False}}, "added_rows": [], "deleted_rows": []}
    at.run()
    selected = {u.id: u.selected for u in content.list_use_cases(workshop_id=1)}
    assert (selected[ranked[4].use_case_id], selected[ranked[0].use_case_id]) == (True, False)
    assert texts(at.exception) == []
    assert len(at.get("vega_lite_chart")) == 1


def test_prioritisation_thresholds_are_saved_and_bad_ones_refused(small_workshop):
    workshop_id = small_workshop["workshop_id"]
    at = open_page("prioritisation", workshop_id=workshop_id)
    at.number_input(key=f"value_threshold_{workshop_id}").set_value(3.5).run()
    assert cohorts.get_workshop(workshop_id=workshop_id).value_threshold == 3.5


def test_action_plan_fields_are_saved_as_typed(small_workshop):
    ids = small_workshop
    use_case_id = ids["use_case_ids"][0]
    content.set_selection(workshop_id=ids["workshop_id"], selected={use_case_id: True})
    at = open_page("action_plan", workshop_id=ids["workshop_id"])
    at.text_area(key=f"plan_{use_case_id}_next_step").input("Boka förstudie med leverantör").run()
    at.text_input(key=f"plan_{use_case_id}_owner").input("Karin").run()
    at.segmented_control(key=f"plan_{use_case_id}_horizon_days").set_value(90).run()
    [item] = content.list_action_items(workshop_id=ids["workshop_id"])
    assert (item.next_step, item.owner, item.horizon_days, item.stage) == ("Boka förstudie med leverantör", "Karin", 90, "idea")


def test_action_plan_without_selection_says_how_to_choose(small_workshop):
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"])
    assert texts(at.info) == ["Inga användningsfall är valda ännu. Välj dem i steget Prioritering."]


def test_wrap_up_marks_the_workshop_complete(demo_db):
    workshop_id = 7  # in progress, with an action plan
    at = open_page("wrap_up", workshop_id=workshop_id)
    [button for button in at.button if button.label == "Markera workshoppen som avslutad"][0].click().run()
    assert cohorts.get_workshop(workshop_id=workshop_id).status == "completed"
    assert texts(at.success) == ["Workshoppen är avslutad."]
