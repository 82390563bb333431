"""Opportunity Map (Möjlighetskartan): the entry point, navigation over pages/.

Each page runs `ui.page_setup()` itself (see ui/__init__.py for why).
"""

from urllib.parse import urlsplit

import streamlit as st

from ui import PARTICIPANT_SESSION, t
from ui.flow import STEP_ICONS, STEP_PAGES

# A session that has shown the phones' page is a participant's (pages/join.py marks it): from
# then on it has that page only, so changing the address leads nowhere else.
join_page = st.Page(
    "pages/join.py", title=t("join.title"), icon=":material/how_to_vote:", url_path="join", visibility="hidden"
)
if urlsplit(st.context.url or "").path.rstrip("/").endswith("/join"):
    st.session_state[PARTICIPANT_SESSION] = True
if st.session_state.get(PARTICIPANT_SESSION):
    st.navigation([join_page], position="hidden").run()
    st.stop()

workshop_pages = [st.Page("pages/setup.py", title=t("nav.setup"), icon=":material/add_circle:", default=True)]
workshop_pages += [
    st.Page(STEP_PAGES[step], title=t(f"step.{step}"), icon=STEP_ICONS[step], url_path=step)
    for step in STEP_PAGES
]
workshop_pages.insert(
    list(STEP_PAGES).index("scoring") + 2,
    st.Page("pages/live_voting.py", title=t("live.title"), icon=":material/how_to_vote:", url_path="live_voting"),
)
navigation = st.navigation(
    {
        t("nav.workshop_section"): workshop_pages,
        t("nav.cohort_section"): [
            st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/groups:"),
            st.Page("pages/cohort_dashboard.py", title=t("nav.dashboard"), icon=":material/monitoring:"),
            st.Page("pages/company_follow_up.py", title=t("nav.company_follow_up"), icon=":material/fact_check:"),
        ],
        t("nav.admin_section"): [
            st.Page("pages/funding_catalogue.py", title=t("nav.funding_catalogue"), icon=":material/savings:"),
            st.Page("pages/data_protection.py", title=t("nav.data_protection"), icon=":material/shield_person:"),
            st.Page("pages/audit_log.py", title=t("nav.audit_log"), icon=":material/policy:"),
            join_page,
        ],
    },
    position="top",
)
navigation.run()
