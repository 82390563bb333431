"""The inspiration library: coverage, filtering and copying an example into a workshop."""

from __future__ import annotations

import pytest

from tests.factories import make_workshop
from workshop import content, library
from workshop.errors import CrossWorkshopReference, NotFound
from workshop.vocabulary import AI_CAPABILITIES, BENEFIT_KINDS, COST_BANDS, PROCESS_AREAS, STAGES


def test_library_covers_enough_examples_sectors_and_areas():
    examples = library.examples()
    assert len(examples) >= 60
    assert len({section for e in examples for section in e.sni_sections}) >= 10
    assert len({e.process_area for e in examples}) >= 8
    assert len({e.key for e in examples}) == len(examples)


def test_every_example_is_complete_and_valid():
    for example in library.examples():
        assert example.process_area in PROCESS_AREAS
        assert example.ai_capability in AI_CAPABILITIES
        assert example.benefit_kind in BENEFIT_KINDS
        assert example.stage in STAGES and example.cost_band in COST_BANDS
        for text in (example.title, example.description, example.data_needed, example.feasibility_notes):
            assert text["sv"].strip() and text["en"].strip(), example.key


def test_find_filters_by_sector_including_cross_sector_ones():
    found = library.find(sni_section="A")
    assert found and all(e.cross_sector or "A" in e.sni_sections for e in found)
    assert any(not e.cross_sector for e in found)
    # Sector-specific examples come before the cross-sector ones.
    flags = [e.cross_sector for e in found]
    assert flags == sorted(flags)


def test_find_filters_by_area_and_text():
    found = library.find(process_area="finance_admin", text="faktur", language="sv")
    assert found and all(e.process_area == "finance_admin" and "faktur" in (e.title["sv"] + e.description["sv"]).lower() for e in found)
    assert library.find(text="no such words anywhere") == []


def test_copy_adds_an_editable_use_case_in_the_workshop_language(db):
    ids = make_workshop(use_cases=0)
    example = library.find(process_area="production")[0]
    use_case_id = library.copy_to_workshop(workshop_id=ids["workshop_id"], key=example.key, language="en", process_id=ids["process_id"])
    [use_case] = content.list_use_cases(workshop_id=ids["workshop_id"])
    assert (use_case.id, use_case.title, use_case.ai_capability, use_case.process_id, use_case.data_needed) == (
        use_case_id, example.title["en"], example.ai_capability, ids["process_id"], example.data_needed["en"],
    )


def test_copy_unknown_example_or_other_workshops_process_raises(db):
    first = make_workshop(cohort_name="A", use_cases=0)
    second = make_workshop(cohort_name="B", use_cases=0)
    with pytest.raises(NotFound):
        library.copy_to_workshop(workshop_id=first["workshop_id"], key="no-such-example", language="sv")
    with pytest.raises(CrossWorkshopReference):
        library.copy_to_workshop(workshop_id=first["workshop_id"], key=library.examples()[0].key, language="sv", process_id=second["process_id"])
    assert content.list_use_cases(workshop_id=first["workshop_id"]) == []
