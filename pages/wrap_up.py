"""Step 7: the summary of the workshop, and marking it complete."""

import streamlit as st

from ui import language, t
from ui.flow import STEP_PAGES, WORKSHOP_PARAM, open_step
from workshop import bundle, cohorts, content, exports, report_pdf, tables
from workshop.deliverable import build_deliverable

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

# The files themselves are built only when their button is clicked.
current = build_deliverable(workshop_id=workshop.id)
with st.container(horizontal=True):
    st.download_button(
        t("wrap_up.download_workbook"),
        data=lambda: exports.workbook_bytes(current),
        file_name=exports.file_name(current, "workbook", "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        type="primary",
        key="download_workbook",
    )
    st.download_button(
        t("wrap_up.download_report"),
        data=lambda: report_pdf.build_report_pdf(
            current,
            matrix_png=report_pdf.matrix_png(workshop_id=workshop.id, language=workshop.language),
        ),
        file_name=exports.file_name(current, "report", "pdf"),
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="download_report",
    )
    st.download_button(
        t("wrap_up.download_bundle"),
        data=lambda: bundle.bundle_bytes(workshop_id=workshop.id),
        file_name=exports.file_name(current, "bundle", "json"),
        mime="application/json",
        icon=":material/data_object:",
        key="download_bundle",
        help=t("wrap_up.bundle_help"),
    )
tables_by_key = {table.key: table for table in exports.tables(current)}
with st.container(horizontal=True, vertical_alignment="bottom"):
    chosen = st.selectbox(
        t("wrap_up.csv_table"), options=list(tables_by_key), format_func=lambda key: tables_by_key[key].title, key="csv_table"
    )
    st.download_button(
        t("wrap_up.download_csv"),
        data=lambda: exports.csv_bytes(tables_by_key[chosen].frame),
        file_name=exports.file_name(current, chosen, "csv"),
        mime="text/csv",
        icon=":material/download:",
        key="download_csv",
    )
# Plug-in place: the SME's access code.

st.divider()
if workshop.status == "completed":
    st.success(t("wrap_up.completed"), icon=":material/task_alt:")
    if st.button(t("wrap_up.reopen"), icon=":material/undo:"):
        cohorts.set_workshop_progress(workshop_id=workshop.id, status="in_progress")
        st.rerun()
elif st.button(t("wrap_up.complete"), icon=":material/flag:", type="primary", disabled=not content.list_action_items(workshop_id=workshop.id)):
    cohorts.set_workshop_progress(workshop_id=workshop.id, status="completed", current_step="wrap_up")
    st.rerun()
