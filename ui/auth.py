"""Signing staff in: the sign-in (or first-administrator) form, the session cookie, roles.

Every staff page passes through `require()` (from `ui.page_setup`), so a deep link straight
to a page after a server start shows the sign-in form and no data. The browser keeps a
session token in a cookie so a reload stays signed in; only its hash is stored, and it
ends at sign-out or after 30 minutes without use (workshop/staff_sessions.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from ui import PARTICIPANT_SESSION, RESULTS_CODE_KEY, RESULTS_WORKSHOP_KEY, SME_SESSION, cookie, remember_in_browser, write_pending_cookies
from workshop import access, access_codes, accounts, cohorts, staff_sessions
from workshop.errors import DomainError

R = TypeVar("R")

COOKIE = "om_session"
TOKEN_KEY = "staff_session_token"
ACCOUNT_KEY = "account"
STAFF_ROLES = ("admin", "facilitator", "advisor")
WORKSHOP_ROLES = ("admin", "facilitator")
COHORT_ROLES = ("admin", "advisor")
COOKIE_DAYS = 30
CALLER_KEY = "service_caller"
# How long a session's caller, once checked against the database, is trusted without a new
# check: a deactivated account or a revoked code loses access within this.
RECHECK_SECONDS = 2.0


def _cookie_token() -> str | None:
    return cookie(COOKIE)


@dataclass(frozen=True)
class Credentials:
    """What a session holds to prove who it is: a staff session token, or a company's
    access code and its workshop, or a phone's flag (phones prove themselves per call)."""

    kind: str
    secret: str | None = None
    workshop_id: int | None = None


def credentials() -> Credentials:
    state = st.session_state
    if state.get(PARTICIPANT_SESSION):
        return Credentials("participant")
    if state.get(SME_SESSION):
        return Credentials("company", state.get(RESULTS_CODE_KEY), state.get(RESULTS_WORKSHOP_KEY))
    return Credentials("staff", state.get(TOKEN_KEY) or _cookie_token())


def _staff_caller(account: accounts.AccountInfo) -> access.Caller:
    return access.Caller("staff", role=account.role, account_id=account.id, name=account.email)


def caller_for(held: Credentials) -> access.Caller:
    """The service layer's caller for these credentials, checked against the database now."""
    if held.kind == "participant":
        return access.Caller("participant", name="participant")
    if held.kind == "company":
        if held.secret and isinstance(held.workshop_id, int) and access_codes.still_valid(workshop_id=held.workshop_id, code=held.secret):
            return access.Caller("company", workshop_id=held.workshop_id, name="access-code")
        return access.NOBODY
    account = staff_sessions.resume(held.secret)
    return _staff_caller(account) if account is not None else access.NOBODY


def caller() -> access.Caller:
    """Whose run this is, for the service layer (`access.serve`): this session's, checked
    again whenever its credentials change and every `RECHECK_SECONDS` — so a widget
    callback, which runs before the page's gate, acts as the session's current caller too.
    In the server, a thread outside a session's run acts as nobody; outside a server (tests,
    scripts that run pages in-process) there is no session to ask, and the caller is the
    system, as for the command line."""
    if get_script_run_ctx() is None:
        return access.NOBODY if Runtime.exists() else access.SYSTEM
    held = credentials()
    cached = st.session_state.get(CALLER_KEY)
    if cached is not None and cached[0] == held and time.monotonic() - cached[2] < RECHECK_SECONDS:
        return cached[1]
    found = caller_for(held)
    _remember_caller(held, found)
    return found


def _remember_caller(held: Credentials, found: access.Caller) -> None:
    st.session_state[CALLER_KEY] = (held, found, time.monotonic())


def deferred(build: Callable[[], R]) -> Callable[[], R]:
    """`build` to run later outside this run (a download's file, made when clicked) as this
    session's caller, checked again when it runs."""
    held = credentials()

    def run() -> R:
        with access.acting_as(caller_for(held)):
            return build()

    return run


def download_button(label: str, build: Callable[[], bytes], **options: object) -> None:
    """A download whose file `build` makes when clicked — as this session's caller, checked
    again then (`deferred`). The click does not rerun the page: a rerun at that moment could
    replace the button's file before the file is fetched, and the click would do nothing."""
    st.download_button(label, data=deferred(build), on_click="ignore", **options)


def current_account() -> accounts.AccountInfo | None:
    """The signed-in account of this session (after `require` ran), or None."""
    return st.session_state.get(ACCOUNT_KEY)


def session_account() -> accounts.AccountInfo | None:
    """The account this browser is signed in as (session or cookie), without drawing
    anything; None when nobody is."""
    return _resume()


def _resume() -> accounts.AccountInfo | None:
    token = st.session_state.get(TOKEN_KEY) or _cookie_token()
    account = staff_sessions.resume(token)
    if account is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state.pop(ACCOUNT_KEY, None)
        return None
    st.session_state[TOKEN_KEY] = token
    st.session_state[ACCOUNT_KEY] = account
    _remember_caller(credentials(), _staff_caller(account))
    return account


def _signed_in(account: accounts.AccountInfo) -> None:
    token = staff_sessions.start(account_id=account.id)
    st.session_state[TOKEN_KEY] = token
    st.session_state[ACCOUNT_KEY] = account
    _remember_caller(credentials(), _staff_caller(account))
    remember_in_browser(COOKIE, token, days=COOKIE_DAYS)


def sign_out() -> None:
    staff_sessions.end(st.session_state.pop(TOKEN_KEY, None) or _cookie_token())
    st.session_state.pop(ACCOUNT_KEY, None)
    st.session_state.pop(CALLER_KEY, None)
    remember_in_browser(COOKIE, "", days=0)
    if _sso_user().get("is_logged_in"):
        st.logout()  # else the organisation's sign-in would sign this browser straight in again


# --- single sign-on (OIDC through st.login), when an [auth] section is configured ------------

SSO_REFUSED_KEY = "sso_refused"


def sso_provider() -> str | None:
    """The provider `st.login` should use when single sign-on is configured ("default" for
    an [auth] section with its own client_id, else its first named provider), or None."""
    try:
        section = st.secrets.get("auth") if st.secrets.load_if_toml_exists() else None
    except Exception:  # an unreadable secrets file: no single sign-on
        return None
    if not section or not hasattr(section, "get"):
        return None
    if section.get("client_id"):
        return "default"
    return next((name for name, value in section.items() if hasattr(value, "get") and value.get("client_id")), None)


def _sso_user() -> dict:
    if sso_provider() is None:
        return {}
    try:
        return st.user.to_dict()
    except Exception:  # no identity in this session
        return {}


def _sso_sign_in() -> accounts.AccountInfo | None:
    """Sign in the account of the identity the organisation's sign-in vouches for, if any."""
    user = _sso_user()
    if not user.get("is_logged_in"):
        return None
    email = user.get("email")
    refused = st.session_state.get(SSO_REFUSED_KEY)
    if refused is not None and refused[0] == email:
        return None  # refused already in this session: said once, logged once
    try:
        account = accounts.authenticate_external(
            email=email, provider=str(user.get("provider") or sso_provider()), email_verified=user.get("email_verified")
        )
    except DomainError as error:
        st.session_state[SSO_REFUSED_KEY] = (email, error)  # shown by the sign-in form, in its language
        return None
    _signed_in(account)
    return account


def _sso_choice(t) -> None:  # noqa: ANN001
    from ui import error_text

    provider = sso_provider()
    if provider is None:
        return
    refused = st.session_state.get(SSO_REFUSED_KEY)
    if refused and _sso_user().get("is_logged_in"):
        st.error(error_text(refused[1]), icon=":material/badge:")
        if st.button(t("auth.sso_sign_out"), key="sso_sign_out", icon=":material/logout:"):
            st.session_state.pop(SSO_REFUSED_KEY, None)
            st.logout()
    elif st.button(t("auth.sso_sign_in"), key="sso_sign_in", type="primary", icon=":material/badge:"):
        st.login(None if provider == "default" else provider)
    st.caption(t("auth.sso_or_password"))


def _sign_in_form(t) -> None:  # noqa: ANN001
    from ui import client_key, error_text

    st.title(t("auth.title"))
    # Only an empty installation offers to create an administrator from the browser.
    first_run = accounts.none_yet()
    st.caption(t("auth.first_run") if first_run else t("auth.intro"))
    if not first_run:
        _sso_choice(t)
    with st.form("sign_in", border=True):
        name = st.text_input(t("field.display_name")) if first_run else ""
        email = st.text_input(t("field.email"), autocomplete="username")
        password = st.text_input(t("field.password"), type="password", autocomplete="current-password")
        again = st.text_input(t("auth.password_again"), type="password") if first_run else password
        submitted = st.form_submit_button(t("auth.create_admin") if first_run else t("auth.sign_in"), type="primary")
    if not submitted:
        return
    if password != again:
        st.error(t("auth.passwords_differ"), icon=":material/error:")
        return
    try:
        if first_run:
            accounts.create_account(email=email, display_name=name, role="admin", password=password, actor="first-run")
        account = accounts.authenticate(email=email, password=password, client_key=client_key())
    except DomainError as error:
        st.error(error_text(error), icon=":material/error:")
        return
    _signed_in(account)
    st.rerun()


def require(roles: tuple[str, ...], t) -> accounts.AccountInfo:  # noqa: ANN001
    """The signed-in account if its role may open this page; otherwise the sign-in form or a
    refusal, and the page stops here."""
    from ui import label

    # Always one sidebar slot, so the page's own elements keep their places whether or not
    # the cookie script is drawn in this run.
    write_pending_cookies(st.sidebar.empty())
    account = _resume()
    if account is None and _sso_sign_in() is not None:
        st.rerun()  # signed in by the organisation's sign-in: draw the menu of the role
    if account is None:
        _sign_in_form(t)
        st.stop()
    st.sidebar.button(
        t("auth.sign_out"), on_click=sign_out, icon=":material/logout:", key="sign_out",
        help=t("auth.signed_in_as", name=account.display_name, role=label("staff_role", account.role)),
    )
    if account.role not in roles:
        st.error(t("auth.not_allowed"), icon=":material/block:")
        st.stop()
    return account


def readable_cohort_names() -> dict[int, str]:
    """Name by id of the cohorts the signed-in account may read; the page stops with a note
    when there are none (none yet, or none assigned to this advisor)."""
    from ui import t

    names = {row.id: row.name for row in cohorts.list_cohorts()}  # the caller's only (access.listed_cohorts)
    if not names:
        st.info(t("overview.no_cohorts"), icon=":material/info:")
        st.stop()
    return names
