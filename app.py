"""Opportunity Map (Möjlighetskartan): the entry point, navigation over pages/.

Each page runs `ui.page_setup()` itself — the database check and the sign-in gate — so a
page is guarded however it is run. Right after a server start Streamlit runs a file in
pages/ without app.py; `page_setup` then turns that legacy routing off and runs again through
here. The menu only offers what the signed-in role may open.
"""

import streamlit as st

from ui import PARTICIPANT_SESSION, SME_SESSION, auth, error_text, t
from ui.flow import STEP_ICONS, STEP_PAGES
from workshop.errors import DomainError

# Pages for people without an account: a phone's ballot and a company's results. A session
# that has shown one keeps that page only, so changing the address leads nowhere else. They
# are hidden pages of the one full navigation, never the only page of one: Streamlit gives
# the default page the address "/", so a lone /join answered "page not found" and rewrote
# the address (and a reload of it then opened the staff sign-in).
join_page = st.Page(
    "pages/join.py", title=t("join.title"), icon=":material/how_to_vote:", url_path="join", visibility="hidden"
)
results_page = st.Page(
    "pages/results.py", title=t("results.title"), icon=":material/lock_open:", url_path="results", visibility="hidden"
)
OWN_PAGES = ((PARTICIPANT_SESSION, join_page), (SME_SESSION, results_page))
own_page = next((page for flag, page in OWN_PAGES if st.session_state.get(flag)), None)

account = auth.session_account()
role = account.role if account else None


def workshop_pages(default: bool, visibility: str) -> list[st.Page]:
    pages = [st.Page("pages/setup.py", title=t("nav.setup"), icon=":material/add_circle:", default=default, visibility=visibility)]
    pages += [
        st.Page(STEP_PAGES[step], title=t(f"step.{step}"), icon=STEP_ICONS[step], url_path=step, visibility=visibility)
        for step in STEP_PAGES
    ]
    pages.insert(
        list(STEP_PAGES).index("scoring") + 2,
        st.Page("pages/live_voting.py", title=t("live.title"), icon=":material/how_to_vote:", url_path="live_voting",
                visibility=visibility),
    )
    return pages


def cohort_pages(default: bool, visibility: str) -> list[st.Page]:
    return [
        st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/groups:", default=default, visibility=visibility),
        st.Page("pages/cohort_dashboard.py", title=t("nav.dashboard"), icon=":material/monitoring:", visibility=visibility),
        st.Page("pages/company_follow_up.py", title=t("nav.company_follow_up"), icon=":material/fact_check:",
                visibility=visibility),
    ]


def admin_pages(default: bool, visibility: str) -> list[st.Page]:
    del default  # never the start page
    return [
        st.Page("pages/funding_catalogue.py", title=t("nav.funding_catalogue"), icon=":material/savings:", visibility=visibility),
        st.Page("pages/data_protection.py", title=t("nav.data_protection"), icon=":material/shield_person:", visibility=visibility),
        st.Page("pages/audit_log.py", title=t("nav.audit_log"), icon=":material/policy:", visibility=visibility),
        st.Page("pages/accounts.py", title=t("nav.accounts"), icon=":material/manage_accounts:", visibility=visibility),
    ]


# The menu shows what the role may open. Nobody signed in: no menu, every address reachable
# (it shows the sign-in form). A page of another role stays reachable by its address but
# out of the menu, and refuses in words (ui.auth.require) instead of "page not found".
SECTIONS = (
    ("nav.workshop_section", workshop_pages, role is None or role in auth.WORKSHOP_ROLES, role != "advisor"),
    ("nav.cohort_section", cohort_pages, role is None or role in auth.COHORT_ROLES, role == "advisor"),
    ("nav.admin_section", admin_pages, role in (None, "admin"), False),
)
sections: dict[str, list[st.Page]] = {}
hidden: list[st.Page] = [join_page, results_page]
for title_key, build, shown, default in SECTIONS:
    if shown:
        sections[t(title_key)] = build(default=default, visibility="visible")
    else:
        hidden += build(default=False, visibility="hidden")
sections[next(iter(sections))] += hidden
current = st.navigation(sections, position="hidden" if role is None or own_page else "top")
for flag, page in OWN_PAGES:
    if current is page:
        st.session_state[flag] = True
        own_page = page
if own_page is not None and current is not own_page:
    st.switch_page(own_page, query_params=st.query_params.to_dict())
try:
    current.run()
except DomainError as error:
    # A refusal or a problem the page did not expect: its message, never a traceback.
    st.error(error_text(error), icon=":material/error:")
