"""Use cases: the table, the library copy button and the value-estimate assumptions."""

from __future__ import annotations

from tests.app.conftest import open_page, texts
from workshop import content, library
from workshop.editing import TableChanges


def test_typed_use_case_is_saved_with_defaults(small_workshop):
    ids = small_workshop
    at = open_page("use_cases", workshop_id=ids["workshop_id"])
    at.session_state[f"use_cases_{ids['workshop_id']}_0"] = {
        "edited_rows": {}, "added_rows": [{"title": "Chattbot för kundfrågor", "process_id": ids["process_id"]}], "deleted_rows": [],
    }
    at.run()
    assert [(u.title, u.process_id, u.stage) for u in content.list_use_cases(workshop_id=ids["workshop_id"])][-1] == (
        "Chattbot för kundfrågor", ids["process_id"], "idea",
    )
    assert texts(at.exception) == []


def test_empty_title_is_refused_with_its_row(small_workshop):
    ids = small_workshop
    at = open_page("use_cases", workshop_id=ids["workshop_id"])
    at.session_state[f"use_cases_{ids['workshop_id']}_0"] = {"edited_rows": {1: {"title": " "}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert texts(at.error) == [
        "Rader att rätta: 1. Inget av ändringen sparades; det du skrivit finns kvar i tabellen.\n\n"
        "- Rad 2, Användningsfall: Fältet Användningsfall får inte vara tomt."
    ]
    assert [u.title for u in content.list_use_cases(workshop_id=ids["workshop_id"])] == ["Användningsfall 0", "Användningsfall 1"]


def test_library_copy_button_adds_the_example(small_workshop):
    ids = small_workshop
    at = open_page("use_cases", workshop_id=ids["workshop_id"])
    example = library.find(sni_section="C")[0]  # the library opens on the company's own sector
    at.button(key=f"copy_{ids['workshop_id']}_{example.key}").click().run()
    assert content.list_use_cases(workshop_id=ids["workshop_id"])[-1].title == example.title["sv"]
    assert texts(at.success) == ["Exemplet är tillagt och kan redigeras i tabellen."]


def test_library_opens_on_the_companys_sector_and_filters_narrow_the_list(small_workshop):
    ids = small_workshop
    at = open_page("use_cases", workshop_id=ids["workshop_id"])
    assert at.selectbox(key=f"library_sector_{ids['workshop_id']}").value == "C"  # Testbolaget AB: manufacturing
    assert f"{len(library.find(sni_section='C'))} exempel" in texts(at.caption)
    at.selectbox(key=f"library_area_{ids['workshop_id']}").set_value("hr_competence").run()
    expected = len(library.find(sni_section="C", process_area="hr_competence"))
    assert f"{expected} exempel" in texts(at.caption)
    at.selectbox(key=f"library_sector_{ids['workshop_id']}").set_value("").run()
    assert f"{len(library.find(process_area='hr_competence'))} exempel" in texts(at.caption)


def test_value_estimate_assumptions_are_editable(small_workshop):
    ids = small_workshop
    content.apply_process_changes(workshop_id=ids["workshop_id"], changes=TableChanges(updated={ids["process_id"]: (1, {"hours_per_week": 10})}))
    at = open_page("use_cases", workshop_id=ids["workshop_id"])
    first = ids["use_case_ids"][0]
    assert at.metric[0].value == "≈ 45\u00a0000–110\u00a0000\u00a0kr"
    at.number_input(key=f"estimate_{first}_hourly_cost_sek").set_value(1000.0).run()
    assert at.metric[0].value == "≈ 90\u00a0000–220\u00a0000\u00a0kr"
    at.number_input(key=f"estimate_{first}_share_low").set_value(0.9).run()
    assert texts(at.error) == ["Den låga andelen tid som sparas får inte vara större än den höga."]
    assert content.estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=first).share_low == 0.2
