"""Administration: data-protection requests — everything about a company as one file, a
complete deletion (confirmed by typing the name, logged), and companies past retention."""

import streamlit as st

from ui import auth, error_text, local_time, page_setup, plain, t
from workshop import cohorts, data_protection
from workshop.errors import DomainError

page_setup("nav.data_protection")
ACTOR = auth.current_account().email
st.title(t("nav.data_protection"))
st.caption(t("dp.intro"))

if message := st.session_state.pop("dp_done", None):
    st.success(message, icon=":material/check_circle:")

cohort_list = cohorts.list_cohorts()
if not cohort_list:
    st.info(t("dp.no_companies"), icon=":material/info:")
    st.stop()
cohort_names = {c.id: c.name for c in cohort_list}
with st.container(horizontal=True):
    cohort_id = st.selectbox(t("dp.cohort"), options=list(cohort_names), format_func=cohort_names.get, key="dp_cohort")
    companies = {c.id: c for c in cohorts.list_companies(cohort_id=cohort_id)}
    company_id = st.selectbox(
        t("column.company"), options=list(companies), format_func=lambda i: companies[i].name if i in companies else "",
        key="dp_company", index=0 if companies else None,
    )

if company_id is not None and company_id in companies:
    company = companies[company_id]
    st.subheader(t("dp.export_heading"))
    st.caption(t("dp.export_help"))
    auth.download_button(
        t("dp.export"),
        lambda: data_protection.company_record_bytes(company_id=company.id, actor=ACTOR),
        file_name=f"company-{company.id}.json",
        mime="application/json",
        icon=":material/download:",
    )

    st.subheader(t("dp.delete_heading"))
    st.warning(t("dp.delete_warning", company=plain(company.name)), icon=":material/warning:")
    typed = st.text_input(t("field.confirm_name"), key=f"dp_confirm_{company.id}")
    if st.button(t("dp.delete"), type="primary", icon=":material/delete_forever:", disabled=not typed):
        try:
            deleted = data_protection.delete_company(company_id=company.id, confirm_name=typed, actor=ACTOR)
        except DomainError as error:
            st.error(error_text(error), icon=":material/error:")
        else:
            st.session_state["dp_done"] = t(
                "dp.deleted", workshops=deleted.workshops, participants=deleted.participants,
                use_cases=deleted.use_cases, votes=deleted.votes, follow_ups=deleted.follow_ups,
            )
            st.session_state.pop("dp_company", None)
            st.rerun()

st.subheader(t("dp.retention_heading"))
try:
    months = data_protection.retention_months()
except DomainError as error:
    st.error(error_text(error), icon=":material/error:")
    st.stop()
if months is None:
    st.info(t("dp.retention_unset"), icon=":material/info:")
    st.stop()
due = data_protection.due_for_deletion(months=months)
st.caption(t("dp.retention_set", months=months, count=len(due)))
if due:
    st.dataframe(
        [{t("column.company"): d.name, t("dp.cohort"): cohort_names.get(d.cohort_id, ""), t("dp.last_activity"): local_time(d.last_activity, date=True)} for d in due],
        hide_index=True,
    )
    confirmed = st.checkbox(t("dp.retention_confirm", count=len(due)), key="dp_retention_confirm")
    if st.button(t("dp.retention_delete"), disabled=not confirmed, icon=":material/delete_sweep:"):
        removed = data_protection.delete_due(months=months, actor=ACTOR)
        st.session_state["dp_done"] = t("dp.retention_deleted", count=len(removed))
        st.session_state.pop("dp_retention_confirm", None)
        st.rerun()
