"""Step 7: the summary of the workshop, and marking it complete."""

import streamlit as st

from ui import auth, language, local_time, t
from ui.deliverables import file_name, workbook_and_report
from ui.flow import STEP_PAGES, WORKSHOP_PARAM, open_step
from workshop import access_codes, cohorts, config, content, downloads, exports, i18n, tables

workshop = open_step("wrap_up")
lang = language()
summary = tables.workshop_summary(workshop_id=workshop.id)

metrics = st.columns(4)
metrics[0].metric(t("column.participants"), summary.participants)
metrics[1].metric(t("step.processes"), summary.processes)
metrics[2].metric(t("column.use_cases"), summary.use_cases)
metrics[3].metric(t("column.selected"), summary.selected)

st.subheader(t("wrap_up.top_heading"))
ranking = tables.ranking_frame(workshop_id=workshop.id, language=lang)
st.dataframe(ranking, hide_index=True, alt=t("wrap_up.top_heading"))

st.subheader(t("wrap_up.plan_heading"))
plan = tables.action_plan_frame(workshop_id=workshop.id, language=lang)
if plan.empty:
    st.info(t("action_plan.none_selected"), icon=":material/info:")
    st.page_link(STEP_PAGES["prioritisation"], label=t("step.prioritisation"), query_params={WORKSHOP_PARAM: str(workshop.id)})
else:
    st.dataframe(plan, hide_index=True, alt=t("wrap_up.plan_heading"))

st.subheader(t("wrap_up.deliverables_heading"))
st.caption(t("wrap_up.deliverables_help"))

# Each file is built only when its button is clicked, from what is saved at that moment.
def name(kind: str, extension: str) -> str:
    return file_name(workshop, kind, extension)


with st.container(horizontal=True):
    workbook_and_report(workshop, key_prefix="download")
    auth.download_button(
        t("wrap_up.download_bundle"),
        lambda: downloads.workshop_bundle(workshop_id=workshop.id),
        file_name=name("bundle", "json"),
        mime="application/json",
        icon=":material/data_object:",
        key="download_bundle",
        help=t("wrap_up.bundle_help"),
    )
with st.container(horizontal=True, vertical_alignment="bottom"):
    # Table titles in the workshop's language, as in the files.
    chosen = st.selectbox(
        t("wrap_up.csv_table"),
        options=list(exports.TABLE_TITLE_KEYS),
        format_func=lambda key: i18n.t(exports.TABLE_TITLE_KEYS[key], workshop.language),
        key="csv_table",
    )
    auth.download_button(
        t("wrap_up.download_csv"),
        lambda: downloads.table_csv(workshop_id=workshop.id, table=chosen),
        file_name=name(chosen, "csv"),
        mime="text/csv",
        icon=":material/download:",
        key="download_csv",
    )

st.subheader(t("share.heading"))
st.caption(t("share.help"))
actor = auth.current_account().email
code_key = f"access_code_{workshop.id}"
with st.container(horizontal=True, vertical_alignment="bottom"):
    days = st.number_input(t("field.access_days"), min_value=1, max_value=access_codes.MAX_DAYS, value=access_codes.DEFAULT_DAYS, step=1, key="access_days")
    if st.button(t("share.issue"), icon=":material/key:", key="access_issue"):
        st.session_state[code_key] = access_codes.issue(workshop_id=workshop.id, actor=actor, days=int(days))
    live_until = access_codes.status(workshop_id=workshop.id)
    if st.button(t("share.revoke"), icon=":material/key_off:", key="access_revoke", disabled=live_until is None):
        access_codes.revoke(workshop_id=workshop.id, actor=actor)
        st.session_state.pop(code_key, None)
        live_until = None
issued = st.session_state.get(code_key)
if issued and live_until is not None:
    address = f"{config.public_url(st.context.url)}/results"
    st.success(t("share.issued", address=address, date=local_time(issued.expires_at, date=True)), icon=":material/key:")
    st.code(access_codes.format_code(issued.code), language=None)
elif live_until is not None:
    st.caption(t("share.live", date=local_time(live_until, date=True)))
else:
    st.caption(t("share.none"))

st.divider()
if workshop.status == "completed":
    st.success(t("wrap_up.completed"), icon=":material/task_alt:")
    if st.button(t("wrap_up.reopen"), icon=":material/undo:"):
        cohorts.set_workshop_progress(workshop_id=workshop.id, status="in_progress")
        st.rerun()
elif st.button(t("wrap_up.complete"), icon=":material/flag:", type="primary", disabled=not content.list_action_items(workshop_id=workshop.id)):
    cohorts.set_workshop_progress(workshop_id=workshop.id, status="completed", current_step="wrap_up")
    st.rerun()
