"""Opportunity Map (Möjlighetskartan): the entry point, navigation over pages/.

Each page runs `ui.page_setup()` itself (see ui/__init__.py for why).
"""

import streamlit as st

from ui import t

navigation = st.navigation(
    [st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/groups:", default=True)]
)
navigation.run()
