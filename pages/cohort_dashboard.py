"""The advisor's dashboard: one or more cohorts at a glance, every share with its count."""

import datetime as dt

import streamlit as st

from ui import choice_formatter, label, page_setup, t, text_formatter
from ui.auth import COHORT_ROLES
from workshop import access, cohort_charts, cohort_export, cohort_view, funding, sni
from workshop.vocabulary import AI_CAPABILITIES, COST_BANDS, PROCESS_AREAS, SIZE_CLASSES, STAGES

language = page_setup("nav.dashboard", roles=COHORT_ROLES)
# Figures are recomputed at most this often, or on the refresh button.
CACHE_SECONDS = 60
EXPORT_KEY = "cohort_export_file"
QUADRANTS = ("quick_win", "strategic_bet", "fill_in", "deprioritise")
COLUMN_TITLES = {
    "ai_capability": "dashboard.column_ai_capability",
    "process_area": "dashboard.column_process_area",
    "quadrant": "dashboard.column_quadrant",
    "stage": "dashboard.column_stage",
    "cost_band": "dashboard.column_cost_band",
    "sni_section": "dashboard.column_sni_section",
    "size_class": "dashboard.column_size_class",
}
BLOCKER_TITLES = {
    "data_availability": "dashboard.blocker_data_availability",
    "competence_ownership": "dashboard.blocker_competence_ownership",
    "cost_time_to_result": "dashboard.blocker_cost_time_to_result",
}
CATEGORY_LISTS = {
    "ai_capability": ("ai_capability", AI_CAPABILITIES),
    "process_area": ("process_area", PROCESS_AREAS),
    "quadrant": ("quadrant", QUADRANTS),
    "stage": ("stage", STAGES),
    "cost_band": ("cost_band", COST_BANDS),
}


# A shared, uncopied object: at 1 000 companies pickling a copy per run (st.cache_data) costs
# a tenth of a second or more. The page only reads it; every figure is a new frame.
@st.cache_resource(ttl=CACHE_SECONDS, max_entries=16, show_spinner=False)
def cached_cohort_data(filters: cohort_view.CohortFilters) -> cohort_view.CohortData:
    return cohort_view.load(filters)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_filter_options(scope: tuple[int, ...] | None) -> cohort_view.FilterOptions:
    return cohort_view.filter_options(scope)


# The caches are shared by every session and skip the services' guards on a hit: each call
# is checked against this caller first.
def cohort_data(filters: cohort_view.CohortFilters) -> cohort_view.CohortData:
    access.check_cohorts(filters.cohort_ids, write=False)
    return cached_cohort_data(filters)


def filter_options(scope: tuple[int, ...] | None) -> cohort_view.FilterOptions:
    access.check_cohorts(scope, write=False)
    return cached_filter_options(scope)


st.title(t("dashboard.title"))
# An advisor sees only the cohorts assigned to them (and their regions, sectors,
# facilitators); "all" then means all of those.
scope = access.listed_cohorts()
options = filter_options(None if scope is None else tuple(sorted(scope)))
cohort_names = options.cohorts
if not cohort_names:
    st.info(t("overview.no_cohorts"), icon=":material/info:")
    st.stop()

with st.container(border=True):
    first, second, third = st.columns(3)
    cohort_ids = first.multiselect(t("dashboard.filter_cohorts"), options=list(cohort_names),
                                   format_func=cohort_names.get, key="filter_cohorts", placeholder=t("dashboard.all"))
    regions = second.multiselect(t("field.region"), options=list(options.regions), key="filter_regions", placeholder=t("dashboard.all"))
    sections = third.multiselect(t("column.sector"), options=list(options.sni_sections), key="filter_sections",
                                 format_func=lambda s: sni.label(s, "", language), placeholder=t("dashboard.all"))
    first, second, third = st.columns(3)
    size_classes = first.multiselect(t("column.size_class"), options=list(SIZE_CLASSES), key="filter_sizes",
                                     format_func=choice_formatter("size_class"), placeholder=t("dashboard.all"))
    facilitators = second.multiselect(t("column.facilitator"), options=list(options.facilitators), key="filter_facilitators",
                                      placeholder=t("dashboard.all"))
    held = third.date_input(t("dashboard.filter_dates"), value=(), key="filter_dates", format="YYYY-MM-DD")
held_from, held_to = (tuple(held) + (None, None))[:2] if isinstance(held, (tuple, list)) else (held, None)
filters = cohort_view.CohortFilters(
    cohort_ids=tuple(cohort_ids) or (tuple(cohort_names) if scope is not None else ()), regions=tuple(regions), sni_sections=tuple(sections), size_classes=tuple(size_classes),
    facilitators=tuple(facilitators), held_from=held_from, held_to=held_to,
)

refresh, stamp = st.columns([1, 4])
if refresh.button(t("dashboard.refresh"), icon=":material/refresh:", key="dashboard_refresh"):
    cached_cohort_data.clear()
    cached_filter_options.clear()
data = cohort_data(filters)
stamp.caption(t("dashboard.as_of", seconds=CACHE_SECONDS))

counts = cohort_view.counts(data)
metrics = st.columns(5)
metrics[0].metric(t("overview.metric_companies"), counts.companies)
metrics[1].metric(t("dashboard.metric_completed"), f"{counts.workshops_completed} / {counts.workshops}")
metrics[2].metric(t("overview.metric_use_cases"), counts.use_cases)
metrics[3].metric(t("dashboard.metric_selected"), counts.selected_use_cases)
metrics[4].metric(t("dashboard.metric_participants"), counts.participants)
if counts.excluded_companies:
    st.caption(t("dashboard.excluded", count=counts.excluded_companies))
if not counts.companies:
    st.info(t("dashboard.nothing"), icon=":material/filter_alt_off:")
    st.stop()

texts = {"share": t("dashboard.share"), "count": t("dashboard.count"), "responses": t("dashboard.responses")}
VIEWS = {
    "distribution": "dashboard.tab_distribution",
    "blockers": "dashboard.tab_blockers",
    "funding": "dashboard.tab_funding",
    "follow_up": "dashboard.tab_follow_up",
    "calibration": "dashboard.tab_calibration",
    "export": "dashboard.tab_export",
}
# One view at a time: tabs would compute and draw every figure on each run.
view = st.segmented_control(t("dashboard.view"), options=list(VIEWS), default="distribution", required=True,
                            format_func=text_formatter(VIEWS), key="dashboard_view", label_visibility="collapsed")

if view == "distribution":
    left, middle, right = st.columns(3)
    of = left.selectbox(t("dashboard.distribution_of"), options=list(cohort_view.DISTRIBUTION_COLUMNS), key="distribution_of",
                        format_func=text_formatter(COLUMN_TITLES))
    by = middle.segmented_control(t("dashboard.distribution_by"), options=list(cohort_view.BREAKDOWNS), key="distribution_by",
                                  format_func=text_formatter(COLUMN_TITLES))
    selected_only = right.toggle(t("dashboard.selected_only"), key="distribution_selected")
    frame = cohort_view.distribution(data, of=of, by=by, selected_only=selected_only)
    list_name, values = CATEGORY_LISTS[of]
    if by == "sni_section":
        frame["sni_section"] = frame["sni_section"].map(lambda s: sni.label(s, "", language) if isinstance(s, str) else "–")
    elif by == "size_class":
        frame["size_class"] = frame["size_class"].map(lambda s: label("size_class", s))
    st.altair_chart(
        cohort_charts.stacked_shares(
            frame, group=by, category=of, labels={v: label(list_name, v) for v in values},
            group_title=t(COLUMN_TITLES[by]) if by else "", category_title=t(COLUMN_TITLES[of]),
            share_title=texts["share"], count_title=texts["count"], responses_title=texts["responses"],
        ),
        width="stretch",
    )
    st.caption(t("dashboard.distribution_note"))

elif view == "blockers":
    frame = cohort_view.blockers(data)
    frame["criterion_label"] = frame["criterion"].map(lambda key: t(BLOCKER_TITLES[key]))
    st.altair_chart(
        cohort_charts.share_bars(frame, label="criterion_label", share_title=t("dashboard.blocker_share"),
                                 label_title=t("dashboard.blocker"), count_title=texts["count"], responses_title=texts["responses"]),
        width="stretch",
    )
    st.caption(t("dashboard.blockers_note"))

elif view == "funding":
    frame = cohort_view.funding_demand(data, funding.list_programmes(), today=dt.date.today()).head(15)
    if frame.empty:
        st.info(t("dashboard.no_selected"), icon=":material/info:")
    else:
        frame["programme"] = frame[f"name_{language}"]
        st.altair_chart(
            cohort_charts.share_bars(frame, label="programme", share_title=t("dashboard.demand_share"),
                                     label_title=t("workbook.programme"), count_title=texts["count"], responses_title=texts["responses"]),
            width="stretch",
        )
    st.caption(t("dashboard.demand_note", count=cohort_view.DEMAND_POINTERS))

elif view == "follow_up":
    frame = cohort_view.funnel(data)
    frame["status_label"] = frame["status"].map(lambda s: label("follow_up_status", s))
    st.altair_chart(
        cohort_charts.share_bars(frame, label="status_label", share_title=t("dashboard.funnel_share"),
                                 label_title=t("column.status"), count_title=texts["count"], responses_title=texts["responses"]),
        width="stretch",
    )
    st.caption(t("dashboard.funnel_note"))

elif view == "calibration":
    frame = cohort_view.calibration(data)
    if frame.empty:
        st.info(t("dashboard.no_votes"), icon=":material/info:")
    else:
        names = cohort_view.criterion_names(data, language)
        frame["criterion_label"] = frame["criterion"].map(names)
        st.altair_chart(
            cohort_charts.calibration_heatmap(
                frame, facilitator_title=t("column.facilitator"), criterion_title=t("workbook.criterion"),
                difference_title=t("dashboard.difference"), votes_title=t("dashboard.votes"),
                mean_title=t("dashboard.mean"), cohort_mean_title=t("dashboard.cohort_mean"),
            ),
            width="stretch",
        )
        st.caption(t("dashboard.calibration_note"))
        criterion = st.selectbox(t("workbook.criterion"), options=list(names), format_func=names.get, key="calibration_criterion")
        levels = cohort_view.score_distribution(data, criterion=criterion)
        levels["facilitator"] = levels["facilitator"].replace({"": t("dashboard.whole_cohort")})
        levels["count"] = levels["votes"]
        st.altair_chart(
            cohort_charts.stacked_shares(
                levels, group="facilitator", category="score", labels={level: str(level) for level in cohort_view.SCORE_LEVELS},
                group_title=t("column.facilitator"), category_title=t("workbook.score"), share_title=texts["share"],
                count_title=t("dashboard.votes"), responses_title=texts["responses"],
            ),
            width="stretch",
        )

elif view == "export":
    st.caption(t("dashboard.export_help"))
    pseudonymise = st.toggle(t("dashboard.pseudonymise"), value=True, key="export_pseudonymise")
    if st.button(t("dashboard.build_export"), icon=":material/table_view:", key="build_export"):
        bar = st.progress(0.0, text=t("dashboard.building"))
        data_bytes = cohort_export.cohort_workbook(
            filters, language=language, pseudonymise=pseudonymise,
            progress=lambda share: bar.progress(min(1.0, share), text=t("dashboard.building")),
        )
        st.session_state[EXPORT_KEY] = (data_bytes, cohort_export.file_name(pseudonymise=pseudonymise))
        bar.empty()
    if EXPORT_KEY in st.session_state:
        content, name = st.session_state[EXPORT_KEY]
        st.download_button(t("dashboard.download_export"), data=content, file_name=name, icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="download_export")
