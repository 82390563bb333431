"""Funding pointers in the action plan, and the catalogue's admin page."""

from __future__ import annotations

import datetime as dt

from tests.app.conftest import open_page, texts
from workshop import content, funding


def choose_first(ids: dict) -> int:
    use_case_id = ids["use_case_ids"][0]
    content.set_selection(workshop_id=ids["workshop_id"], selected={use_case_id: True})
    return use_case_id


def expander_labels(at) -> list[str]:  # noqa: ANN001
    return [e.label for e in at.expander]


def test_the_action_plan_shows_the_matched_programmes_and_why(small_workshop):
    use_case_id = choose_first(small_workshop)
    content.set_action_item(workshop_id=small_workshop["workshop_id"], use_case_id=use_case_id, stage="pilot", cost_band="50k_250k")
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"])
    assert not at.exception
    labels = expander_labels(at)
    assert labels[0].startswith("Affärsutvecklingscheckar (inkl. digitalisering) · Check · 50\u00a0000–250\u00a0000\u00a0kr")
    assert labels[1].startswith("Almi Innovationslån · Lån")
    assert len(labels) == 3
    markdown = " ".join(m.value for m in at.markdown)
    assert "Gäller företag i Skåne län" in markdown
    assert "Täcker högst 50 % av kostnaden; resten står ni för." in markdown


def test_changing_the_plan_stage_changes_the_pointers_at_once(small_workshop):
    use_case_id = choose_first(small_workshop)
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"])
    # The plan starts at the use case's stage (idea): advice and hubs, nothing for pilots.
    assert not any("Almi Innovationslån" in label for label in expander_labels(at))
    at.segmented_control(key=f"plan_{use_case_id}_stage").set_value("pilot").run()
    assert expander_labels(at)[1].startswith("Almi Innovationslån")


def test_more_programmes_and_the_left_out_ones_are_one_click_away(small_workshop):
    use_case_id = choose_first(small_workshop)
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"], language="en")
    shown = len(at.expander)
    at.toggle(key=f"funding_{use_case_id}_more").set_value(True).run()
    assert len(at.expander) > shown
    at.toggle(key=f"funding_{use_case_id}_excluded").set_value(True).run()
    markdown = " ".join(m.value for m in at.markdown)
    assert "**DigIT Hub AI (REACT-EU project)**: The programme has ended." in markdown
    [regional_aid] = [line for line in markdown.split("\n") if "**Regional investment aid**" in line]
    assert "Only for Norrbottens län, Västerbottens län" in regional_aid and "the company is in Skåne län" in regional_aid


def test_a_stale_catalogue_is_flagged_on_the_action_plan(small_workshop, monkeypatch):
    choose_first(small_workshop)
    real_match = funding.catalogue_age
    monkeypatch.setattr(funding, "catalogue_age", lambda programmes, today: real_match(programmes, today=today + dt.timedelta(days=400)))
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"])
    assert texts(at.warning)[0].startswith("Finansieringskatalogens uppgifter kontrollerades senast 2026-11-01")
