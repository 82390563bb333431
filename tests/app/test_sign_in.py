"""The sign-in gate on every staff page, the first administrator, roles and sign-out."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, TIMEOUT, open_page, sign_in, texts
from tests.factories import STAFF_PASSWORD, make_workshop, staff_account
from ui import auth
from workshop import accounts, staff_sessions
from workshop.config import PROJECT_ROOT
from workshop.errors import InvalidCredentials
from workshop.i18n import error_message

STAFF_PAGES = [
    "setup", "profile", "processes", "use_cases", "scoring", "live_voting", "prioritisation", "action_plan",
    "wrap_up", "overview", "cohort_dashboard", "company_follow_up", "funding_catalogue", "data_protection",
    "audit_log",
]


def _visible(at: AppTest) -> str:
    return "\n".join(texts(at.markdown) + texts(at.caption) + texts(at.title) + texts(at.info) + texts(at.error))


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_nobody_signed_in_sees_the_sign_in_form_and_no_data(small_workshop, page):
    staff_account(role="admin")
    at = open_page(page, workshop_id=small_workshop["workshop_id"], role=None)
    assert not at.exception
    assert [title.value for title in at.title] == ["Logga in"]
    assert "Testbolaget" not in _visible(at) and "Användningsfall" not in _visible(at)
    assert not at.dataframe and not at.get("arrow_data_frame")


@pytest.mark.parametrize("page", ["scoring", "cohort_dashboard", "audit_log"])
def test_a_page_file_run_alone_is_guarded_too(small_workshop, page):
    """A deep link right after a server start runs the page file without app.py."""
    staff_account(role="admin")
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
    at.query_params["workshop"] = str(small_workshop["workshop_id"])
    at.run()
    assert [title.value for title in at.title] == ["Logga in"]
    assert "Testbolaget" not in _visible(at)


def test_the_first_administrator_is_created_on_the_first_run(sqlite_db):
    at = open_page("setup", role=None)
    assert "Det finns inget konto ännu" in _visible(at)
    inputs = at.text_input
    inputs[0].input("Anna Admin")
    inputs[1].input("anna@example.se")
    inputs[2].input("ett-långt-lösenord")
    inputs[3].input("ett-långt-lösenord")
    at.button[0].click().run()
    assert not at.exception
    assert [a.email for a in accounts.list_accounts()] == ["anna@example.se"]
    assert [title.value for title in at.title] == ["Välj eller skapa en workshop"]


def _sign_in_with(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(small_workshop):
    staff_account(role="facilitator", email="fia@example.se")
    at = open_page("setup", role=None)
    assert len(at.text_input) == 2  # not the first-run form: an account exists
    for _ in range(2):
        _sign_in_with(at, "fia@example.se", "fel-lösenord-igen")
        assert texts(at.error) == [error_message(InvalidCredentials("x"), "sv")]
    _sign_in_with(at, "fia@example.se", STAFF_PASSWORD)
    assert [title.value for title in at.title] == ["Välj eller skapa en workshop"]


def test_repeated_wrong_passwords_hold_even_the_right_one_back(small_workshop):
    staff_account(role="facilitator", email="fia@example.se")
    at = open_page("setup", role=None)
    for _ in range(3):
        _sign_in_with(at, "fia@example.se", "fel-lösenord-igen")
    _sign_in_with(at, "fia@example.se", STAFF_PASSWORD)
    [message] = texts(at.error)
    assert re.fullmatch(r"För många felaktiga försök\. Vänta [12] sekunder och försök igen\.", message)
    assert [title.value for title in at.title] == ["Logga in"]


def test_roles_open_only_their_pages(small_workshop):
    advisor = open_page("scoring", workshop_id=small_workshop["workshop_id"], role="advisor")
    assert "Din roll ger inte tillgång till den här sidan." in texts(advisor.error)
    assert "Testbolaget" not in _visible(advisor)
    facilitator = open_page("cohort_dashboard", role="facilitator")
    assert "Din roll ger inte tillgång till den här sidan." in texts(facilitator.error)
    for page in ("funding_catalogue", "data_protection", "audit_log"):
        refused = open_page(page, role="facilitator")
        assert "Din roll ger inte tillgång till den här sidan." in texts(refused.error), page


def test_a_facilitator_opens_only_workshops_they_run_or_are_assigned(small_workshop):
    other = make_workshop(participants=0, use_cases=1, cohort_name="Annan kohort")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    facilitator_id = sign_in(at, role="facilitator")
    at.query_params["workshop"] = str(other["workshop_id"])
    at.switch_page("pages/scoring.py").run()
    assert any("Ingen workshop är öppen" in text or "workshop" in text.lower() for text in texts(at.info))
    assert "Användningsfall 0" not in _visible(at)
    accounts.assign_workshop(account_id=facilitator_id, workshop_id=other["workshop_id"], actor="admin@example.se")
    at.run()
    assert "Användningsfall 0" in _visible(at) or at.selectbox


def test_sign_out_ends_the_session(small_workshop):
    at = open_page("setup")
    token = at.session_state[auth.TOKEN_KEY]
    [button for button in at.sidebar.button if button.label == "Logga ut"][0].click().run()
    assert [title.value for title in at.title] == ["Logga in"]
    assert staff_sessions.resume(token) is None


def test_an_advisor_sees_only_the_cohorts_assigned(sqlite_db):
    st.cache_data.clear()  # the dashboard keeps its options a while; earlier tests had other databases
    mine = make_workshop(participants=0, use_cases=1, cohort_name="Min kohort")
    make_workshop(participants=0, use_cases=1, cohort_name="Annans kohort")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    advisor_id = sign_in(at, role="advisor")
    at.switch_page("pages/overview.py").run()
    assert "Det finns inga kohorter" in _visible(at) or not at.selectbox
    accounts.assign_cohort(account_id=advisor_id, cohort_id=mine["cohort_id"], actor="admin@example.se")
    for page in ("overview", "company_follow_up", "cohort_dashboard"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        cohort_choices = [box for box in list(at.selectbox) + list(at.multiselect) if "Min kohort" in box.options]
        assert cohort_choices, page
        assert all("Annans kohort" not in box.options for box in list(at.selectbox) + list(at.multiselect)), page
    at.switch_page("pages/cohort_dashboard.py").run()
    # Neither company consented to reporting: the dashboard counts only the assigned one.
    assert any(text.startswith("1 företag har inte samtyckt") for text in _visible(at).splitlines())


# --- single sign-on (OIDC via st.login), when configured --------------------------------------

SSO_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "en-lång-och-hemlig-kakhemlighet-för-test",
    "client_id": "opportunity-map",
    "client_secret": "hemligt",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def _sso_session(user: dict | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = dict(SSO_SECRETS)
    if user is not None:
        at.user = user
    at.switch_page("pages/setup.py")
    return at.run()


def _audit(action: str) -> list:
    from workshop import audit

    return audit.events(audit.AuditFilters(actions=(action,)))[0]


def test_without_single_sign_on_configured_only_the_password_form_shows(small_workshop):
    staff_account(role="admin")
    at = open_page("setup", role=None)
    assert "sso_sign_in" not in [button.key for button in at.button]


def test_with_single_sign_on_configured_the_sign_in_offers_it_beside_the_password(small_workshop):
    staff_account(role="admin")
    at = _sso_session({"is_logged_in": False})
    assert [title.value for title in at.title] == ["Logga in"]
    assert at.button(key="sso_sign_in").label == "Logga in med organisationskonto"
    assert at.text_input[0].label  # the password form is still there


def test_an_identity_the_organisation_vouches_for_signs_in_its_active_account(small_workshop):
    staff_account(role="facilitator", email="fia@example.se")
    at = _sso_session({"is_logged_in": True, "email": "Fia@Example.se", "email_verified": True, "provider": "default"})
    assert not at.exception
    assert [title.value for title in at.title] == ["Förbered workshoppen"] or at.title[0].value != "Logga in"
    assert auth.TOKEN_KEY in at.session_state  # a session of our own, like a password sign-in
    [event] = _audit("login.succeeded")
    assert (event.actor, event.detail["method"]) == ("fia@example.se", "sso")
    # Its role still decides: a facilitator is refused the administrators' pages.
    at.switch_page("pages/audit_log.py").run()
    assert "Din roll ger inte tillgång till den här sidan." in texts(at.error)


@pytest.mark.parametrize(
    ("user", "reason"),
    [
        ({"is_logged_in": True, "email": "okand@example.se"}, "no_active_account"),
        ({"is_logged_in": True, "email": "vilande@example.se"}, "no_active_account"),
        ({"is_logged_in": True, "email": "fia@example.se", "email_verified": False}, "unverified"),
        ({"is_logged_in": True}, "no_active_account"),
    ],
)
def test_an_identity_without_an_active_account_here_is_refused_with_a_message(small_workshop, user, reason):
    staff_account(role="facilitator", email="fia@example.se")
    sleeper = staff_account(role="advisor", email="vilande@example.se")
    accounts.set_active(account_id=sleeper, active=False, actor="test")
    staff_account(role="admin")
    at = _sso_session(user)
    assert [title.value for title in at.title] == ["Logga in"]
    [message] = texts(at.error)
    assert "men det finns inget aktivt konto för den adressen här" in message
    assert "Testbolaget" not in message
    at.run()  # said once and logged once, not on every run
    assert len(_audit("login.failed")) == 1 and _audit("login.failed")[0].detail["reason"] == reason
    assert at.button(key="sso_sign_out").label == "Logga ut från organisationskontot"
    assert auth.TOKEN_KEY not in at.session_state
    at.session_state["language"] = "en"
    at.run()
    assert "but there is no active account for that address here" in texts(at.error)[0]


def test_signing_out_also_signs_out_of_the_organisation_account(small_workshop):
    staff_account(role="admin", email="anna@example.se")
    at = _sso_session({"is_logged_in": True, "email": "anna@example.se"})
    token = at.session_state[auth.TOKEN_KEY]
    [button for button in at.sidebar.button if button.label == "Logga ut"][0].click().run()
    assert staff_sessions.resume(token) is None
    assert at.user == {"is_logged_in": False}  # st.logout ran
    assert [title.value for title in at.title] == ["Logga in"]
