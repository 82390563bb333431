"""Step 7: the summary of the workshop, and marking it complete."""

import streamlit as st

from ui import language, t
from ui.flow import STEP_PAGES, WORKSHOP_PARAM, open_step
from workshop import cohorts, content, tables

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

# Plug-in places: the SME's deliverables (workbook, report, bundle) and its access code.

st.divider()
if workshop.status == "completed":
    st.success(t("wrap_up.completed"), icon=":material/task_alt:")
    if st.button(t("wrap_up.reopen"), icon=":material/undo:"):
        cohorts.set_workshop_progress(workshop_id=workshop.id, status="in_progress")
        st.rerun()
elif st.button(t("wrap_up.complete"), icon=":material/flag:", type="primary", disabled=not content.list_action_items(workshop_id=workshop.id)):
    cohorts.set_workshop_progress(workshop_id=workshop.id, status="completed", current_step="wrap_up")
    st.rerun()
