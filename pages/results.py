"""The company's own results, opened with the access code the facilitator gave them:
read-only — the ranked use cases, the action plan and the deliverables — and nothing else.
A session that has shown this page reaches no other page."""

from urllib.parse import quote, unquote

import streamlit as st

from ui import RESULTS_CODE_KEY as CODE_KEY
from ui import RESULTS_WORKSHOP_KEY as WORKSHOP_KEY
from ui import SME_SESSION, client_key, cookie, error_text, page_setup, plain, remember_in_browser, t
from ui.deliverables import workbook_and_report
from workshop import access_codes, cohorts, tables
from workshop.errors import DomainError

# The browser keeps "workshop id.code" so a reload stays on the results; checked like a typed code.
RESULTS_COOKIE = "om_results"
RESULTS_COOKIE_DAYS = 1

st.session_state[SME_SESSION] = True
lang = page_setup("results.title", phone=True)

if CODE_KEY not in st.session_state and (kept := cookie(RESULTS_COOKIE)):
    workshop_part, _, code_part = kept.partition(".")
    if workshop_part.isdigit():
        st.session_state[CODE_KEY] = unquote(code_part)
        st.session_state[WORKSHOP_KEY] = int(workshop_part)


code, workshop_id = st.session_state.get(CODE_KEY), st.session_state.get(WORKSHOP_KEY)
if code and not access_codes.still_valid(workshop_id=workshop_id, code=code):
    # Revoked, replaced or expired since it was typed: the view closes at once.
    st.session_state.pop(CODE_KEY, None)
    st.session_state.pop(WORKSHOP_KEY, None)
    code = None
    remember_in_browser(RESULTS_COOKIE, "", days=0)
    st.warning(t("results.closed"), icon=":material/lock:")

if not code:
    st.title(t("results.title"))
    st.caption(t("results.intro"))
    with st.form("results_code_form", border=False):
        typed = st.text_input(t("results.code"), type="password", max_chars=40)
        submitted = st.form_submit_button(t("results.open"), type="primary")
    if submitted:
        try:
            opened = access_codes.open_with(typed, client_key=client_key())
        except DomainError as error:
            st.error(error_text(error), icon=":material/error:")
        else:
            st.session_state[CODE_KEY] = typed
            st.session_state[WORKSHOP_KEY] = opened
            remember_in_browser(RESULTS_COOKIE, f"{opened}.{quote(typed, safe='')}", days=RESULTS_COOKIE_DAYS)
            st.rerun()
    st.stop()

workshop = cohorts.get_workshop(workshop_id=workshop_id)
st.title(t("results.heading", company=plain(workshop.company_name)))
st.caption(t("results.read_only"))
st.subheader(t("wrap_up.top_heading"))
st.dataframe(tables.ranking_frame(workshop_id=workshop.id, language=lang), hide_index=True)
st.subheader(t("wrap_up.plan_heading"))
plan = tables.action_plan_frame(workshop_id=workshop.id, language=lang)
if plan.empty:
    st.info(t("results.no_plan"), icon=":material/info:")
else:
    st.dataframe(plan, hide_index=True)

with st.container(horizontal=True):
    workbook_and_report(workshop, key_prefix="results")
