"""Step 2: the company's processes, entered in one table while people talk. Saved per edit."""

import streamlit as st

from ui import label, t
from ui.flow import details_name, next_step_link, open_step, quick_add, table_with_details
from workshop import content, tables
from workshop.content import MAX_HOURS_PER_WEEK
from workshop.vocabulary import DATA_AVAILABILITY, PROCESS_AREAS

workshop = open_step("processes")
st.caption(t("processes.help"))

processes = tables.processes_frame(workshop_id=workshop.id)
# A new row takes the area of the row above: processes are usually listed area by area.
default_area = processes["area"].iloc[-1] if len(processes) else PROCESS_AREAS[0]
apply = lambda changes: content.apply_process_changes(workshop_id=workshop.id, changes=changes)  # noqa: E731
quick_add(
    name="processes",
    workshop_id=workshop.id,
    apply=apply,
    row_number=len(processes) + 1,
    keep=("area",),
    linked=(details_name("processes"),),
    fields={
        "name": lambda key: st.text_input(t("field.process_name"), key=key, max_chars=200, placeholder=t("processes.new_placeholder")),
        "area": lambda key: st.selectbox(
            t("field.area"), options=list(PROCESS_AREAS), format_func=lambda v: label("process_area", v),
            index=list(PROCESS_AREAS).index(default_area), key=key,
        ),
        "hours_per_week": lambda key: st.number_input(
            t("field.hours_per_week"), min_value=0.0, max_value=float(MAX_HOURS_PER_WEEK), step=0.5, value=None, key=key,
        ),
    },
)
COLUMNS = {
    "area": st.column_config.SelectboxColumn(
        t("field.area"), options=list(PROCESS_AREAS), format_func=lambda v: label("process_area", v),
        required=True, width="medium", default=default_area,
    ),
    "name": st.column_config.TextColumn(t("field.process_name"), required=True, max_chars=200, width="large"),
    "description": st.column_config.TextColumn(t("field.description"), width="large"),
    "pain_points": st.column_config.TextColumn(t("field.pain_points"), width="large"),
    "frequency": st.column_config.TextColumn(t("field.frequency"), help=t("processes.frequency_help")),
    "hours_per_week": st.column_config.NumberColumn(
        t("field.hours_per_week"), min_value=0, max_value=MAX_HOURS_PER_WEEK, step=0.5, format="%.1f",
        help=t("processes.hours_help"), width="small",
    ),
    "people_involved": st.column_config.NumberColumn(t("field.people_involved"), min_value=0, step=1, width="small"),
    "data_availability": st.column_config.SelectboxColumn(
        t("field.data_availability"), options=list(DATA_AVAILABILITY),
        format_func=lambda v: label("data_availability", v), default="none", width="medium",
    ),
    "system": st.column_config.TextColumn(t("field.system"), help=t("processes.system_help")),
}
# The figures the value estimate needs in view at 1280×720 without scrolling sideways; the
# prose in a second table of the same rows below.
table_with_details(
    lambda: tables.processes_frame(workshop_id=workshop.id),
    name="processes",
    workshop_id=workshop.id,
    apply=apply,
    required=("name",),
    columns={"id": None, **COLUMNS},
    main_columns=["area", "hours_per_week", "people_involved", "data_availability"],
    detail_columns=["pain_points", "description", "system", "frequency"],
    heading=t("step.processes"),
    details_heading=t("processes.details"),
)

next_step_link(workshop.id, "processes")
