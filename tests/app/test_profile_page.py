"""Company profile: every field saved as typed, bad values shown next to the field and not saved."""

from __future__ import annotations

from tests.app.conftest import open_page, texts
from workshop import cohorts, content, maturity


def test_company_fields_are_saved_as_typed(small_workshop):
    ids = small_workshop
    at = open_page("profile", workshop_id=ids["workshop_id"])
    company_id = ids["company_id"]
    at.number_input(key=f"company_{company_id}_employees").set_value(64).run()
    at.text_input(key=f"company_{company_id}_municipality").input("Hässleholm").run()
    at.toggle(key=f"company_{company_id}_consent_reporting").set_value(True).run()
    company = cohorts.get_company(company_id=company_id)
    assert (company.employees, company.size_class, company.municipality, company.consent_reporting) == (64, "medium", "Hässleholm", True)
    assert texts(at.error) == []


def test_invalid_org_number_is_shown_next_to_the_field_and_not_saved(small_workshop):
    ids = small_workshop
    before = cohorts.get_company(company_id=ids["company_id"]).org_number
    at = open_page("profile", workshop_id=ids["workshop_id"])
    at.text_input(key=f"company_{ids['company_id']}_org_number").input("556036-0794").run()
    assert texts(at.error) == ["”556036-0794” är inget giltigt organisationsnummer. Skriv tio siffror, t.ex. 556677-8899, och kontrollera siffrorna."]
    assert at.text_input(key=f"company_{ids['company_id']}_org_number").value == "556036-0794"
    assert cohorts.get_company(company_id=ids["company_id"]).org_number == before


def test_empty_company_name_is_refused(small_workshop):
    ids = small_workshop
    at = open_page("profile", workshop_id=ids["workshop_id"])
    at.text_input(key=f"company_{ids['company_id']}_name").input("  ").run()
    assert texts(at.error) == ["Fältet Företagsnamn får inte vara tomt."]
    assert cohorts.get_company(company_id=ids["company_id"]).name == "Testbolaget AB"


def test_changing_section_clears_a_division_outside_it(small_workshop):
    ids = small_workshop
    at = open_page("profile", workshop_id=ids["workshop_id"])
    at.selectbox(key=f"company_{ids['company_id']}_sni_section").set_value("G").run()
    company = cohorts.get_company(company_id=ids["company_id"])
    assert (company.sni_section, company.sni_division) == ("G", "")
    at.selectbox(key=f"company_{ids['company_id']}_sni_division").set_value("47").run()
    assert cohorts.get_company(company_id=ids["company_id"]).sni_division == "47"


def test_participants_table_is_saved(small_workshop):
    ids = small_workshop
    at = open_page("profile", workshop_id=ids["workshop_id"])
    at.session_state[f"participants_{ids['workshop_id']}_0"] = {
        "edited_rows": {0: {"role": "VD"}}, "added_rows": [{"name": "Per", "role": "Ekonomi"}], "deleted_rows": [1],
    }
    at.run()
    assert [(p.name, p.role) for p in content.list_participants(workshop_id=ids["workshop_id"])] == [("Deltagare 0", "VD"), ("Per", "Ekonomi")]


def test_maturity_answers_are_stored_with_the_workshop(small_workshop):
    ids = small_workshop
    at = open_page("profile", workshop_id=ids["workshop_id"])
    first, second = maturity.question_keys()[:2]
    at.segmented_control(key=f"maturity_{ids['workshop_id']}_{first}").set_value(2).run()
    at.segmented_control(key=f"maturity_{ids['workshop_id']}_{second}").set_value(4).run()
    assert cohorts.get_workshop(workshop_id=ids["workshop_id"]).maturity_answers == {first: 2, second: 4}
    assert [m.value for m in at.metric] == ["3.0 / 5"]


def test_maturity_questionnaire_has_six_questions_with_anchors():
    questions = maturity.questions()
    assert len(questions) == 6
    for question in questions:
        assert sorted(question.levels) == [1, 2, 3, 4, 5]
        assert question.text["sv"].endswith("?") and question.text["en"].endswith("?")
