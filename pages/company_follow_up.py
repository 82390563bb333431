"""One company after its workshop: summary, matrix, plan, follow-up history, and a new
follow-up for a chosen use case (or the company as a whole)."""

import datetime as dt

import streamlit as st

from ui import auth, choice_formatter, error_text, label, page_setup, t
from ui.auth import COHORT_ROLES
from workshop import charts, cohorts, follow_ups, i18n, prioritisation, tables
from workshop.errors import DomainError
from workshop.follow_ups import CHECK_IN_MONTHS
from workshop.vocabulary import FOLLOW_UP_STATUSES

language = page_setup("nav.company_follow_up", roles=COHORT_ROLES)
NOTICE_KEY = "follow_up_notice"

st.title(t("follow_up.title"))
cohort_names = auth.readable_cohort_names()  # an advisor's: those assigned
left, right = st.columns(2)
cohort_id = left.selectbox(t("overview.cohort"), options=list(cohort_names), format_func=cohort_names.get, key="follow_up_cohort")
companies = {c.id: c for c in cohorts.list_companies(cohort_id=cohort_id)}
if not companies:
    st.info(t("follow_up.no_companies"), icon=":material/info:")
    st.stop()
company_id = right.selectbox(t("column.company"), options=list(companies), format_func=lambda c: companies[c].name,
                             key=f"follow_up_company_{cohort_id}")
company = companies[company_id]
workshops = [w for w in cohorts.list_workshops(cohort_id=cohort_id) if w.company_id == company_id]

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.success(notice, icon=":material/check_circle:")

st.caption(" · ".join(filter(None, [
    company.org_number, company.region, label("size_class", company.size_class),
    t("follow_up.consent_yes") if company.consent_reporting else t("follow_up.consent_no"),
])))
for workshop in workshops:
    with st.container(border=True):
        st.subheader(t("follow_up.workshop_heading", date=workshop.held_on.isoformat() if workshop.held_on else "–"))
        summary = st.columns(4)
        summary[0].metric(t("column.facilitator"), workshop.facilitator_name or "–")
        summary[1].metric(t("column.status"), label("workshop_status", workshop.status))
        summary[2].metric(t("dashboard.metric_participants"), workshop.participants)
        summary[3].metric(t("dashboard.metric_selected"), f"{workshop.selected_use_cases} / {workshop.use_cases}")
        board = prioritisation.prioritisation(workshop_id=workshop.id, size_measure="value_estimate", language=language)
        chart_column, plan_column = st.columns([3, 2])
        with chart_column:
            if board.points:
                st.altair_chart(
                    charts.matrix_chart(
                        board.points, value_threshold=board.value_threshold, feasibility_threshold=board.feasibility_threshold,
                        texts=prioritisation.matrix_texts(language=language, size_measure="value_estimate"),
                    ),
                    alt=t("prioritisation.chart_alt"),
                )
            else:
                st.info(t("prioritisation.no_scores"), icon=":material/info:")
        with plan_column:
            st.markdown(f"**{t('step.action_plan')}**")
            st.dataframe(tables.action_plan_frame(workshop_id=workshop.id, language=language), hide_index=True)

st.subheader(t("follow_up.check_ins_heading"))
comparison = follow_ups.check_in_comparison(company_id=company_id, language=language)
if comparison.empty:
    st.info(t("follow_up.none_chosen"), icon=":material/info:")
else:
    st.dataframe(comparison, hide_index=True)

st.subheader(t("follow_up.record_heading"))
chosen = {row.use_case_id: row.title for row in follow_ups.chosen_use_cases(company_id=company_id)}
with st.form(key=f"follow_up_form_{company_id}", clear_on_submit=True, border=True):
    first, second = st.columns(2)
    use_case_id = first.selectbox(t("column.use_case"), options=[None, *chosen],
                                  format_func=lambda u: chosen[u] if u else i18n.t("follow_up.whole_company", language))
    status = second.selectbox(t("column.status"), options=list(FOLLOW_UP_STATUSES), format_func=choice_formatter("follow_up_status"))
    first, second = st.columns(2)
    recorded_on = first.date_input(t("follow_up.recorded_on"), value=dt.date.today(), max_value=dt.date.today(), format="YYYY-MM-DD")
    check_in = second.segmented_control(t("follow_up.check_in"), options=list(CHECK_IN_MONTHS),
                                        format_func=lambda m: i18n.t("follow_up.months", language, months=m))
    note = st.text_area(t("follow_up.note"), height=80)
    recorded_by = st.text_input(t("follow_up.recorded_by"))
    if st.form_submit_button(t("follow_up.record"), icon=":material/add_task:"):
        try:
            follow_ups.record_follow_up(company_id=company_id, use_case_id=use_case_id, status=status, recorded_on=recorded_on,
                                        check_in_months=check_in, note=note, recorded_by=recorded_by)
        except DomainError as error:
            st.error(error_text(error), icon=":material/error:")
        else:
            st.session_state[NOTICE_KEY] = t("follow_up.recorded", status=label("follow_up_status", status))
            st.rerun()

st.subheader(t("follow_up.history_heading"))
history = follow_ups.history_frame(company_id=company_id, language=language)
if history.empty:
    st.caption(t("follow_up.no_history"))
else:
    st.dataframe(history, hide_index=True)
