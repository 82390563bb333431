"""Cohorts, companies and workshops through the service layer; bad input writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.factories import org_number
from workshop import cohorts, storage
from workshop.errors import EmptyName, InvalidOrganisationNumber, NotFound, UnknownChoice, ValidationError
from workshop.models import Company, Workshop


def _count(model) -> int:
    with storage.read() as session:
        return session.scalar(select(func.count(model.id)))


def test_create_and_list_cohort_company_workshop(db):
    cohort_id = cohorts.create_cohort(name="  Kickstart AI Skåne ", region="Skåne län")
    number = org_number()
    company_id = cohorts.create_company(
        cohort_id=cohort_id, name="Plåt AB", org_number=number.replace("-", ""), employees=22,
        sni_section="C", sni_division="25", region="Skåne län", founded_year=1990,
    )
    workshop_id = cohorts.create_workshop(company_id=company_id, held_on=dt.date(2026, 9, 1), facilitator_name="Anna")

    [cohort] = cohorts.list_cohorts()
    assert (cohort.name, cohort.companies, cohort.workshops_completed) == ("Kickstart AI Skåne", 1, 0)
    [company] = cohorts.list_companies(cohort_id=cohort_id)
    assert (company.org_number, company.size_class) == (number, "small")
    [workshop] = cohorts.list_workshops(cohort_id=cohort_id)
    assert (workshop.id, workshop.status, workshop.current_step, workshop.language) == (workshop_id, "planned", "profile", "sv")

    cohorts.set_workshop_progress(workshop_id=workshop_id, status="completed", current_step="wrap_up")
    assert cohorts.list_cohorts()[0].workshops_completed == 1


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"org_number": "556036-0794"}, InvalidOrganisationNumber),
        ({"name": "   "}, EmptyName),
        ({"sni_section": "C", "sni_division": "47"}, UnknownChoice),
        ({"turnover_band": "lots"}, UnknownChoice),
        ({"region": "Atlantis"}, UnknownChoice),
        ({"employees": -3}, ValidationError),
        ({"founded_year": 3000}, ValidationError),
        ({"cohort_id": 999_999}, NotFound),
    ],
)
def test_bad_company_raises_and_writes_nothing(db, changes, error):
    cohort_id = cohorts.create_cohort(name="K")
    fields = {"cohort_id": cohort_id, "name": "Bolaget AB", "org_number": org_number()} | changes
    with pytest.raises(error):
        cohorts.create_company(**fields)
    assert _count(Company) == 0


def test_duplicate_org_number_in_cohort_raises(db):
    cohort_id = cohorts.create_cohort(name="K")
    number = org_number()
    cohorts.create_company(cohort_id=cohort_id, name="A", org_number=number)
    with pytest.raises(ValidationError):
        cohorts.create_company(cohort_id=cohort_id, name="B", org_number=number)
    assert _count(Company) == 1


def test_duplicate_cohort_name_raises(db):
    cohorts.create_cohort(name="K")
    with pytest.raises(ValidationError):
        cohorts.create_cohort(name="K")


def test_empty_cohort_name_raises(db):
    with pytest.raises(EmptyName):
        cohorts.create_cohort(name=" \t")


def test_workshop_bad_language_or_step_raises(db):
    cohort_id = cohorts.create_cohort(name="K")
    company_id = cohorts.create_company(cohort_id=cohort_id, name="A", org_number=org_number())
    with pytest.raises(UnknownChoice):
        cohorts.create_workshop(company_id=company_id, language="de")
    assert _count(Workshop) == 0
    workshop_id = cohorts.create_workshop(company_id=company_id)
    with pytest.raises(UnknownChoice):
        cohorts.set_workshop_progress(workshop_id=workshop_id, current_step="party")
    assert cohorts.list_workshops(cohort_id=cohort_id)[0].current_step == "profile"
