"""Step 2: the company's processes, entered in one table while people talk. Saved per edit."""

import streamlit as st

from ui import label, t
from ui.flow import next_step_link, open_step, quick_add, table_editor
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
table_editor(
    processes,
    name="processes",
    workshop_id=workshop.id,
    apply=apply,
    num_rows="dynamic",
    required=("name",),
    # The figures the value estimate needs come first, the prose last.
    column_order=[
        "name", "area", "hours_per_week", "people_involved", "data_availability", "system",
        "frequency", "pain_points", "description",
    ],
    column_config={
        "id": None,
        "area": st.column_config.SelectboxColumn(
            t("field.area"), options=list(PROCESS_AREAS), format_func=lambda v: label("process_area", v),
            required=True, width="medium", default=default_area,
        ),
        "name": st.column_config.TextColumn(t("field.process_name"), required=True, max_chars=200, width="medium"),
        "description": st.column_config.TextColumn(t("field.description"), width="medium"),
        "pain_points": st.column_config.TextColumn(t("field.pain_points"), width="medium"),
        "frequency": st.column_config.TextColumn(t("field.frequency"), help=t("processes.frequency_help")),
        "hours_per_week": st.column_config.NumberColumn(
            t("field.hours_per_week"), min_value=0, max_value=MAX_HOURS_PER_WEEK, step=0.5, format="%.1f",
            help=t("processes.hours_help"),
        ),
        "people_involved": st.column_config.NumberColumn(t("field.people_involved"), min_value=0, step=1),
        "data_availability": st.column_config.SelectboxColumn(
            t("field.data_availability"), options=list(DATA_AVAILABILITY),
            format_func=lambda v: label("data_availability", v), default="none",
        ),
        "system": st.column_config.TextColumn(t("field.system"), help=t("processes.system_help")),
    },
    alt=t("step.processes"),
)

next_step_link(workshop.id, "processes")
