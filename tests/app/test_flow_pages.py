"""Every step page of the facilitator flow, with the demo cohort and on a fresh workshop."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_page, texts
from workshop import cohorts
from workshop.vocabulary import WORKSHOP_STEPS

STEP_TITLES_SV = ["1. Företagsprofil", "2. Processer", "3. Användningsfall", "4. Poängsättning", "5. Prioritering", "6. Handlingsplan", "7. Avslutning"]
STEP_TITLES_EN = ["1. Company profile", "2. Processes", "3. Use cases", "4. Scoring", "5. Prioritisation", "6. Action plan", "7. Wrap-up"]


@pytest.mark.parametrize(("step", "title"), list(zip(WORKSHOP_STEPS, STEP_TITLES_SV, strict=True)))
def test_every_step_renders_the_demo_workshop_in_swedish(demo_db, step, title):
    at = open_page(step, workshop_id=1)
    assert texts(at.exception) == []
    assert texts(at.title) == [title]
    assert texts(at.error) == []


@pytest.mark.parametrize(("step", "title"), list(zip(WORKSHOP_STEPS, STEP_TITLES_EN, strict=True)))
def test_every_step_renders_in_english(demo_db, step, title):
    at = open_page(step, workshop_id=7, language="en")
    assert texts(at.exception) == []
    assert texts(at.title) == [title]


@pytest.mark.parametrize("step", WORKSHOP_STEPS)
def test_every_step_renders_an_empty_workshop(small_workshop, step):
    at = open_page(step, workshop_id=small_workshop["workshop_id"])
    assert texts(at.exception) == []
    assert texts(at.error) == []


@pytest.mark.parametrize("workshop_id", [None, 424242])
def test_step_without_an_open_workshop_points_to_setup(sqlite_db, workshop_id):
    at = open_page("processes", workshop_id=workshop_id)
    assert texts(at.exception) == []
    assert texts(at.info) == ["Ingen workshop är öppen. Välj eller skapa en workshop först."]
    assert texts(at.title) == []


def test_visiting_a_step_records_where_the_workshop_stands(small_workshop):
    workshop_id = small_workshop["workshop_id"]
    open_page("scoring", workshop_id=workshop_id)
    info = cohorts.get_workshop(workshop_id=workshop_id)
    assert (info.current_step, info.status) == ("scoring", "in_progress")


def test_completed_workshop_keeps_its_step_when_reviewed(demo_db):
    open_page("processes", workshop_id=1)
    assert cohorts.get_workshop(workshop_id=1).current_step == "wrap_up"


def test_presentation_mode_is_remembered_per_workshop(small_workshop):
    workshop_id = small_workshop["workshop_id"]
    at = open_page("processes", workshop_id=workshop_id)
    at.toggle(key=f"presentation_{workshop_id}").set_value(True).run()
    assert cohorts.get_workshop(workshop_id=workshop_id).presentation_mode is True
    again = open_page("scoring", workshop_id=workshop_id)
    assert again.toggle(key=f"presentation_{workshop_id}").value is True
    assert any("font-size: 20px" in str(element.proto) for element in again.get("html"))


def test_agenda_links_every_step_with_the_current_one_disabled(small_workshop):
    at = open_page("use_cases", workshop_id=small_workshop["workshop_id"])
    links = at.get("page_link")
    assert [link.proto.label for link in links[:7]] == STEP_TITLES_SV
    assert [link.proto.disabled for link in links[:7]] == [False, False, True, False, False, False, False]
