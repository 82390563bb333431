"""The access matrix on the pages: every staff page × facilitator, advisor and administrator
× their own and another's workshop or cohort. Nothing of the other company reaches the
screen (names, use cases, tables, choices), and each refusal says so in words."""

from __future__ import annotations

import pytest
import streamlit as st

from tests.app.conftest import open_page, texts
from tests.factories import make_workshop, staff_account
from workshop import accounts, cohorts, content

WORKSHOP_PAGES = ["profile", "processes", "use_cases", "scoring", "live_voting", "prioritisation", "action_plan", "wrap_up"]
COHORT_PAGES = ["overview", "cohort_dashboard", "company_follow_up"]
ADMIN_PAGES = ["funding_catalogue", "data_protection", "audit_log", "accounts"]
SECRETS = ("Främmande AB", "Hemlig idé")
REFUSED = "Du har inte behörighet till det här. Inget har visats eller ändrats; be en administratör om åtkomst om du behöver den."
ROLE_REFUSED = "Din roll ger inte tillgång till den här sidan."


def everything_shown(at) -> str:  # noqa: ANN001
    """Every text, table cell, metric and widget option on the page."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text", "code"):
        parts += [str(element.value) for element in at.get(kind)]
    for element in at.get("metric"):
        parts += [str(element.label), str(element.value)]
    for element in list(at.dataframe) + list(at.table):
        parts.append(element.value.to_string())
    for kind in ("selectbox", "multiselect", "radio", "segmented_control", "pills", "select_slider"):
        for element in at.get(kind):
            parts += [str(element.label), *map(str, element.options)]
    parts += [str(element.value) for element in list(at.text_input) + list(at.text_area)]
    return "\n".join(parts)


def assert_nothing_of_the_other(at) -> None:  # noqa: ANN001
    assert not at.exception
    shown = everything_shown(at)
    for secret in SECRETS:
        assert secret not in shown


@pytest.fixture
def two_companies(sqlite_db) -> dict:
    st.cache_data.clear()
    st.cache_resource.clear()
    own = make_workshop(participants=2, use_cases=2, cohort_name="Egen kohort")
    other = make_workshop(participants=2, use_cases=1, cohort_name="Annan kohort")
    cohorts.update_company(company_id=other["company_id"], name="Främmande AB", consent_reporting=True)
    cohorts.update_company(company_id=own["company_id"], consent_reporting=True)
    content.add_use_case(workshop_id=other["workshop_id"], process_id=other["process_id"], title="Hemlig idé")
    facilitator = staff_account(role="facilitator")
    advisor = staff_account(role="advisor")
    accounts.assign_workshop(account_id=facilitator, workshop_id=own["workshop_id"], actor="test")
    accounts.assign_cohort(account_id=advisor, cohort_id=own["cohort_id"], actor="test")
    return {"own": own, "other": other}


@pytest.mark.parametrize("page", WORKSHOP_PAGES)
def test_a_facilitator_works_in_their_workshop_and_is_refused_anothers(two_companies, page):
    own = open_page(page, workshop_id=two_companies["own"]["workshop_id"], role="facilitator")
    assert REFUSED not in texts(own.error)
    assert "Testbolaget AB" in everything_shown(own)
    assert_nothing_of_the_other(own)
    other = open_page(page, workshop_id=two_companies["other"]["workshop_id"], role="facilitator")
    assert REFUSED in texts(other.error)
    assert_nothing_of_the_other(other)


@pytest.mark.parametrize("page", WORKSHOP_PAGES + ADMIN_PAGES)
def test_an_advisor_is_refused_workshop_and_administration_pages(two_companies, page):
    for workshop in ("own", "other"):
        at = open_page(page, workshop_id=two_companies[workshop]["workshop_id"], role="advisor")
        assert ROLE_REFUSED in texts(at.error)
        assert_nothing_of_the_other(at)
        assert "Testbolaget AB" not in everything_shown(at)


@pytest.mark.parametrize("page", COHORT_PAGES + ADMIN_PAGES)
def test_a_facilitator_is_refused_cohort_and_administration_pages(two_companies, page):
    at = open_page(page, role="facilitator")
    assert ROLE_REFUSED in texts(at.error)
    assert_nothing_of_the_other(at)
    assert "Testbolaget AB" not in everything_shown(at)


@pytest.mark.parametrize("page", COHORT_PAGES)
def test_an_advisor_reads_only_their_cohort(two_companies, page):
    at = open_page(page, role="advisor")
    assert not texts(at.error)
    assert "Egen kohort" in everything_shown(at)
    assert "Annan kohort" not in everything_shown(at)
    assert_nothing_of_the_other(at)


def test_the_set_up_page_lists_a_facilitator_only_their_own_companies(two_companies):
    at = open_page("setup", role="facilitator")
    cohort_box = at.selectbox(key="setup_cohort")
    # Every cohort to register a company in, but in the other cohort no company of anyone else.
    assert set(cohort_box.options) == {"Egen kohort", "Annan kohort"}
    cohort_box.set_value(two_companies["other"]["cohort_id"]).run()
    assert_nothing_of_the_other(at)
    at.selectbox(key="setup_cohort").set_value(two_companies["own"]["cohort_id"]).run()
    assert "Testbolaget AB" in everything_shown(at)
    assert_nothing_of_the_other(at)


@pytest.mark.parametrize("page", WORKSHOP_PAGES + COHORT_PAGES + ADMIN_PAGES)
def test_an_administrator_reaches_every_page(two_companies, page):
    at = open_page(page, workshop_id=two_companies["other"]["workshop_id"], role="admin")
    assert not at.exception
    assert REFUSED not in texts(at.error) and ROLE_REFUSED not in texts(at.error)


def test_a_refusal_a_page_did_not_expect_shows_as_a_message_never_a_traceback(two_companies, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP, TIMEOUT, sign_in
    from workshop.errors import AccessDenied

    def refuse(**_kwargs: object) -> None:
        raise AccessDenied("Refused: as if the rights changed during the run.")

    monkeypatch.setattr(cohorts, "list_companies", refuse)
    # Through the app's navigation (the usual way): the refusal in words.
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at, role="admin")
    at.run()
    assert not at.exception
    assert REFUSED in texts(at.error)
    # A page file run alone (a deep link right after a server start): Streamlit's redacted
    # notice (client.showErrorDetails = "none"), with no traceback and none of the data.
    alone = open_page("setup", role="admin")
    [notice] = alone.exception
    assert list(notice.stack_trace) == [] and "redacted" in notice.message
    assert "Refused" not in notice.message
