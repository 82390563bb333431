"""Step 3: AI use cases per process, seeded from the inspiration library, with value estimates."""

import streamlit as st

from ui import label, language, plain, t
from ui.flow import (
    details_name, field_error, next_step_link, open_step, quick_add, restart_table, save, table_problems, table_with_details,
)
from workshop import cohorts, content, library, sni, tables, value_estimate
from workshop.errors import DomainError
from workshop.vocabulary import AI_CAPABILITIES, BENEFIT_KINDS, COST_BANDS, PROCESS_AREAS, STAGES

workshop = open_step("use_cases")
lang = language()
processes = content.list_processes(workshop_id=workshop.id)
process_names = {p.id: p.name for p in processes}

use_cases = tables.use_cases_frame(workshop_id=workshop.id)
problems_key = f"library_problems_{workshop.id}"


def copy_example(key: str, process_key: str) -> None:
    try:
        library.copy_to_workshop(
            workshop_id=workshop.id, key=key, language=workshop.language, process_id=st.session_state.get(process_key)
        )
    except DomainError as error:
        st.session_state[problems_key] = error
    else:
        st.session_state.pop(problems_key, None)
        st.session_state[f"copied_{workshop.id}"] = key
        restart_table("use_cases", workshop.id)
        restart_table(details_name("use_cases"), workshop.id)


table_column, library_column = st.columns([3, 2], gap="large")

with table_column:
    st.subheader(t("use_cases.table_heading"))
    st.caption(t("use_cases.help"))
    apply = lambda changes: content.apply_use_case_changes(workshop_id=workshop.id, changes=changes)  # noqa: E731
    quick_add(
        name="use_cases",
        workshop_id=workshop.id,
        apply=apply,
        row_number=len(use_cases) + 1,
        keep=("process_id",),
        linked=(details_name("use_cases"),),
        fields={
            "title": lambda key: st.text_input(
                t("field.use_case_title"), key=key, max_chars=200, placeholder=t("use_cases.new_placeholder"),
            ),
            "process_id": lambda key: st.selectbox(
                t("field.process"), options=[None, *process_names], format_func=lambda v: process_names.get(v, "–"), key=key,
                width=180,
            ),
        },
    )
    columns = {
        "id": None,
        "title": st.column_config.TextColumn(t("field.use_case_title"), required=True, max_chars=200, width="large"),
        "process_id": st.column_config.SelectboxColumn(
            t("field.process"), options=list(process_names), format_func=lambda v: process_names.get(v, "–"), width="medium",
        ),
        "ai_capability": st.column_config.SelectboxColumn(
            t("field.ai_capability"), options=list(AI_CAPABILITIES), format_func=lambda v: label("ai_capability", v),
            default="other", width="medium",
        ),
        "benefit_kind": st.column_config.SelectboxColumn(
            t("field.benefit_kind"), options=list(BENEFIT_KINDS), format_func=lambda v: label("benefit_kind", v),
            default="internal_efficiency",
        ),
        "stage": st.column_config.SelectboxColumn(
            t("field.stage"), options=list(STAGES), format_func=lambda v: label("stage", v), default="idea",
        ),
        "cost_band": st.column_config.SelectboxColumn(
            t("field.cost_band"), options=list(COST_BANDS), format_func=lambda v: label("cost_band", v),
        ),
        "data_needed": st.column_config.TextColumn(t("field.data_needed"), width="medium"),
        "description": st.column_config.TextColumn(t("field.description"), width="large"),
    }
    # The title and its process in view beside the library; the rest below.
    table_with_details(
        lambda: tables.use_cases_frame(workshop_id=workshop.id),
        name="use_cases",
        workshop_id=workshop.id,
        apply=apply,
        required=("title",),
        columns=columns,
        main_columns=["process_id"],
        detail_columns=["ai_capability", "benefit_kind", "stage", "cost_band", "data_needed", "description"],
        heading=t("use_cases.table_heading"),
        details_heading=t("use_cases.details"),
    )

with library_column:
    st.subheader(t("use_cases.library_heading"))
    filters = st.columns(2)
    sectors = ["", *library.sections()]
    # The company's own sector first: examples from its own trade seed the talk best.
    own_sector = cohorts.get_company(company_id=workshop.company_id).sni_section
    sector = filters[0].selectbox(
        t("use_cases.filter_sector"),
        options=sectors,
        index=sectors.index(own_sector) if own_sector in sectors else 0,
        key=f"library_sector_{workshop.id}",
        format_func=lambda code: sni.label(code, "", lang) if code else t("use_cases.all_sectors"),
    )
    area = filters[1].selectbox(
        t("field.area"), options=["", *PROCESS_AREAS], key=f"library_area_{workshop.id}",
        format_func=lambda a: label("process_area", a) if a else t("use_cases.all_areas"),
    )
    search = st.text_input(
        t("use_cases.search"), key=f"library_search_{workshop.id}", type="search", live=True,
        placeholder=t("use_cases.search_placeholder"),
    )
    examples = library.find(sni_section=sector, process_area=area, text=search, language=lang)
    st.caption(t("use_cases.library_count", count=len(examples)))
    process_key = f"library_process_{workshop.id}"
    if processes:
        st.selectbox(
            t("use_cases.copy_to_process"), options=[None, *process_names], key=process_key,
            format_func=lambda v: process_names[v] if v else "–",
        )
    copied = st.session_state.pop(f"copied_{workshop.id}", None)
    if copied:
        st.success(t("use_cases.copied"), icon=":material/check:")
    if problems_key in st.session_state:
        table_problems(st.session_state[problems_key])
    with st.container(height=620):
        for example in examples:
            with st.container(border=True):
                st.markdown(f"**{example.title[lang]}**")
                st.caption(
                    f"{label('process_area', example.process_area)} · {label('ai_capability', example.ai_capability)} · "
                    f"{label('benefit_kind', example.benefit_kind)}"
                )
                st.write(example.description[lang])
                st.markdown(f"*{t('field.data_needed')}:* {example.data_needed[lang]}")
                st.markdown(f"*{t('use_cases.feasibility_notes')}:* {example.feasibility_notes[lang]}")
                st.button(
                    t("use_cases.copy"), key=f"copy_{workshop.id}_{example.key}", icon=":material/add:",
                    on_click=copy_example, args=(example.key, process_key),
                )

# --- value estimate -------------------------------------------------------------------------
st.subheader(t("use_cases.estimate_heading"))
st.caption(t("use_cases.estimate_help"))
estimates = content.value_estimates(workshop_id=workshop.id)
rows = content.list_use_cases(workshop_id=workshop.id)
tied = [row for row in rows if row.process_id is not None]
if not tied:
    st.info(t("use_cases.estimate_none"), icon=":material/info:")
else:
    titles = {row.id: row.title for row in tied}
    chosen = st.selectbox(t("column.use_case"), options=list(titles), format_func=titles.get, key=f"estimate_use_case_{workshop.id}")
    process = next(p for p in processes if p.id == next(r.process_id for r in tied if r.id == chosen))
    estimate = estimates.get(chosen)
    assumptions = content.estimate_assumptions(workshop_id=workshop.id, use_case_id=chosen)
    inputs = st.columns(4)
    fields = (
        ("hourly_cost_sek", "field.hourly_cost_sek", {"min_value": 0.0, "max_value": value_estimate.MAX_HOURLY_COST_SEK, "step": 50.0}),
        ("weeks_per_year", "field.weeks_per_year", {"min_value": 1.0, "max_value": 52.0, "step": 1.0}),
        ("share_low", "field.share_low", {"min_value": 0.0, "max_value": 1.0, "step": 0.05}),
        ("share_high", "field.share_high", {"min_value": 0.0, "max_value": 1.0, "step": 0.05}),
    )
    for column, (name, label_key, options) in zip(inputs, fields, strict=True):
        key = f"estimate_{chosen}_{name}"
        if key not in st.session_state:
            st.session_state[key] = float(getattr(assumptions, name))

        def saver(value, name=name):
            content.set_estimate_assumptions(workshop_id=workshop.id, use_case_id=chosen, **{name: value})

        with column:
            st.number_input(t(label_key), key=key, on_change=save, args=(key, saver), **options)
            field_error(key)
    if estimate is None:
        st.warning(t("use_cases.estimate_no_hours", process=plain(process.name)), icon=":material/warning:")
    else:
        st.metric(t("use_cases.estimate_result"), value_estimate.format_range(estimate, lang))
        st.caption(
            t(
                "use_cases.estimate_formula",
                hours=f"{process.hours_per_week:g}",
                weeks=f"{assumptions.weeks_per_year:g}",
                cost=value_estimate.format_sek(assumptions.hourly_cost_sek, lang),
                low=f"{assumptions.share_low:.0%}",
                high=f"{assumptions.share_high:.0%}",
                hours_low=f"{estimate.hours_saved_low:g}",
                hours_high=f"{estimate.hours_saved_high:g}",
            )
        )

next_step_link(workshop.id, "use_cases")
