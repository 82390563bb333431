"""Step 5: the value × feasibility matrix beside the ranked list; the group picks what to pursue."""

from dataclasses import replace

import streamlit as st

from ui import language, plain, t
from ui.flow import field_error, next_step_link, open_step, save, table_editor
from workshop import charts, cohorts, content, prioritisation, triage

workshop = open_step("prioritisation")
lang = language()

measure_key = f"bubble_size_{workshop.id}"
controls = st.columns([2, 1, 1], vertical_alignment="bottom")
size_measure = controls[0].segmented_control(
    t("prioritisation.bubble_size"),
    options=list(prioritisation.SIZE_MEASURES),
    format_func=lambda measure: t(prioritisation.SIZE_MEASURES[measure]),
    default="value_estimate",
    required=True,
    key=measure_key,
    persist_state="session",
)
board = prioritisation.prioritisation(workshop_id=workshop.id, size_measure=size_measure, language=lang)

for column, name, label_key, current in (
    (controls[1], "value_threshold", "field.value_threshold", board.value_threshold),
    (controls[2], "feasibility_threshold", "field.feasibility_threshold", board.feasibility_threshold),
):
    key = f"{name}_{workshop.id}"
    if key not in st.session_state:
        st.session_state[key] = float(current)
    with column:
        st.number_input(
            t(label_key), min_value=1.0, max_value=5.0, step=0.25, key=key,
            on_change=save, args=(key, lambda value, name=name: cohorts.update_workshop(workshop_id=workshop.id, **{name: value})),
        )
        field_error(key)

chart_column, list_column = st.columns([3, 2], gap="large")
# The list first (it saves a tick), then the matrix, which outlines what is ticked.
with list_column:
    st.subheader(t("prioritisation.ranked_heading"))
    st.caption(t("prioritisation.ranked_help"))
    ranked = board.ranked
    ticked = table_editor(
        lambda: ranked,
        name="selection",
        workshop_id=workshop.id,
        apply=lambda changes: content.set_selection(
            workshop_id=workshop.id,
            selected={use_case_id: bool(fields["selected"]) for use_case_id, (_row, fields) in changes.updated.items()},
        ),
        disabled=["rank", "title", "value", "feasibility", "quadrant", "estimate", "responses", "triage"],
        column_order=["selected", "rank", "title", "value", "feasibility", "quadrant", "triage", "estimate", "responses"],
        column_config={
            "id": None,
            "selected": st.column_config.CheckboxColumn(t("prioritisation.pursue"), width="small"),
            "rank": st.column_config.NumberColumn(t("column.rank"), width="small"),
            "title": st.column_config.TextColumn(t("column.use_case"), width="large"),
            "value": st.column_config.NumberColumn(t("column.value"), format="%.1f", width="small"),
            "feasibility": st.column_config.NumberColumn(t("column.feasibility"), format="%.1f", width="small"),
            "quadrant": st.column_config.TextColumn(t("column.quadrant")),
            "estimate": st.column_config.TextColumn(t("use_cases.estimate_result")),
            "responses": st.column_config.NumberColumn(t("column.responses"), width="small"),
            "triage": st.column_config.TextColumn(t("column.triage")),
        },
        alt=t("prioritisation.ranked_heading"),
    )
    # The board was read before this run's tick was saved: the tick counts already.
    selected = dict(zip(ranked["id"], ranked["selected"], strict=True))
    if ticked:
        selected |= {use_case_id: bool(fields["selected"]) for use_case_id, (_row, fields) in ticked.updated.items()}
    chosen = sum(selected.values())
    st.caption(t("prioritisation.selected_count", count=chosen))
    titles = dict(zip(ranked["id"], ranked["title"], strict=True))
    for use_case_id, screening in triage.screenings(workshop_id=workshop.id).items():
        if screening.triage.tier != "prohibited":
            continue
        with st.container(border=True):
            if screening.override_reason:
                st.caption(t("triage.overridden", title=plain(titles[use_case_id]), by=plain(screening.override_by), reason=plain(screening.override_reason)))
                continue
            st.warning(t("triage.prohibited_notice", title=plain(titles[use_case_id])), icon=":material/block:")
            with st.form(f"override_{use_case_id}", border=False):
                reason = st.text_area(t("triage.override_reason"), key=f"override_reason_{use_case_id}")
                if st.form_submit_button(t("triage.override_button"), key=f"override_button_{use_case_id}"):
                    triage.set_override(workshop_id=workshop.id, use_case_id=use_case_id, reason=reason, by=workshop.facilitator_name)
                    st.rerun()

with chart_column:
    if board.points:
        st.altair_chart(
            charts.matrix_chart(
                [replace(point, selected=selected.get(point.use_case_id, point.selected)) for point in board.points],
                value_threshold=board.value_threshold,
                feasibility_threshold=board.feasibility_threshold,
                texts=prioritisation.matrix_texts(language=lang, size_measure=size_measure),
                large_text=workshop.presentation_mode,
            ),
            alt=t("prioritisation.chart_alt"),
        )
    else:
        st.info(t("prioritisation.no_scores"), icon=":material/info:")

next_step_link(workshop.id, "prioritisation")
