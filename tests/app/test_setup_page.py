"""Set-up: cohort → company → workshop, with bad input refused and nothing written."""

from __future__ import annotations

from tests.app.conftest import open_page, texts
from tests.factories import org_number, staff_account
from workshop import accounts, cohorts


def test_create_cohort_company_and_workshop(sqlite_db):
    at = open_page("setup")
    at.text_input(key="new_cohort_name").input("Kickstart AI Skåne våren 2027")
    at.button(key="create_cohort").click().run()
    assert [c.name for c in cohorts.list_cohorts()] == ["Kickstart AI Skåne våren 2027"]
    assert texts(at.exception) == []

    number = org_number()
    at.text_input(key="new_company_name").input("Kvarnby Mekaniska AB")
    at.text_input(key="new_company_org_number").input(number)
    at.number_input(key="new_company_employees").set_value(12)
    at.button(key="create_company").click().run()
    [cohort] = cohorts.list_cohorts()
    [company] = cohorts.list_companies(cohort_id=cohort.id)
    assert (company.name, company.org_number, company.employees, company.region) == ("Kvarnby Mekaniska AB", number, 12, "Skåne län")

    at.text_input(key="new_workshop_facilitator").input("Anna Lindqvist")
    at.button(key="create_workshop").click().run()
    [workshop] = cohorts.list_workshops(cohort_id=cohort.id)
    assert (workshop.company_id, workshop.facilitator_name, workshop.language, workshop.current_step) == (
        company.id, "Anna Lindqvist", "sv", "profile",
    )
    assert texts(at.title) == ["1. Företagsprofil"]


def test_empty_cohort_name_shows_error_and_writes_nothing(sqlite_db):
    at = open_page("setup")
    at.text_input(key="new_cohort_name").input("   ")
    at.button(key="create_cohort").click().run()
    assert texts(at.error) == ["Fältet Kohortens namn får inte vara tomt."]
    assert cohorts.list_cohorts() == []


def test_invalid_org_number_shows_error_and_writes_nothing(sqlite_db):
    cohorts.create_cohort(name="K")
    at = open_page("setup")
    at.text_input(key="new_company_name").input("Felnummer AB")
    at.text_input(key="new_company_org_number").input("556036-0794")
    at.button(key="create_company").click().run()
    assert texts(at.error) == ["”556036-0794” är inget giltigt organisationsnummer. Skriv tio siffror, t.ex. 556677-8899, och kontrollera siffrorna."]
    assert cohorts.list_companies(cohort_id=cohorts.list_cohorts()[0].id) == []


def test_open_reopens_a_workshop_at_its_current_step(demo_db):
    at = open_page("setup")
    at.selectbox(key="setup_company_1").set_value(1).run()
    at.button(key="open_1").click().run()
    assert texts(at.title) == ["7. Avslutning"]


def test_a_facilitator_who_creates_a_workshop_runs_it_and_opens_it(sqlite_db):
    cohorts.create_cohort(name="Kohort för Fia")
    at = open_page("setup", role="facilitator")
    assert "create_cohort" not in [button.key for button in at.button]  # cohorts are the administrators'
    at.text_input(key="new_company_name").input("Fias Kunder AB")
    at.text_input(key="new_company_org_number").input(org_number())
    at.number_input(key="new_company_employees").set_value(5)
    at.button(key="create_company").click().run()
    at.button(key="create_workshop").click().run()
    assert texts(at.title) == ["1. Företagsprofil"]  # opened, not refused
    [cohort] = cohorts.list_cohorts()
    [workshop] = cohorts.list_workshops(cohort_id=cohort.id)
    assert workshop.id in accounts.assigned_workshops(staff_account(role="facilitator"))
