"""Opportunity Map (Möjlighetskartan): the entry point, navigation over pages/.

Each page runs `ui.page_setup()` itself (see ui/__init__.py for why).
"""

import streamlit as st

from ui import t
from ui.flow import STEP_ICONS, STEP_PAGES

workshop_pages = [st.Page("pages/setup.py", title=t("nav.setup"), icon=":material/add_circle:", default=True)]
workshop_pages += [
    st.Page(STEP_PAGES[step], title=t(f"step.{step}"), icon=STEP_ICONS[step], url_path=step)
    for step in STEP_PAGES
]
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
        ],
    },
    position="top",
)
navigation.run()
