"""Cohorts, their companies and workshops, and one workshop's ranked use cases."""

import streamlit as st

from ui import auth, label, page_setup, t
from ui.auth import COHORT_ROLES
from workshop import tables, triage

language = page_setup("nav.overview", roles=COHORT_ROLES)

st.title(t("overview.title"))
st.caption(t("app.tagline"))

cohort_names = auth.readable_cohort_names()  # an advisor's: those assigned
cohort_id = st.selectbox(
    t("overview.cohort"), options=list(cohort_names), format_func=cohort_names.get, key="overview_cohort"
)

summary = tables.cohort_summary(cohort_id=cohort_id)
metrics = st.columns(4)
metrics[0].metric(t("overview.metric_companies"), summary.companies)
metrics[1].metric(t("overview.metric_workshops"), summary.workshops)
metrics[2].metric(t("overview.metric_completed"), summary.workshops_completed)
metrics[3].metric(t("overview.metric_use_cases"), summary.use_cases)

st.subheader(t("overview.workshops_heading"))
workshops = tables.workshops_frame(cohort_id=cohort_id, language=language)
st.dataframe(workshops, hide_index=True, width="stretch")

st.subheader(t("overview.triage_heading"))
tiers = triage.tier_distribution(cohort_id=cohort_id)
tier_columns = st.columns(len(tiers))
for column, (tier, count) in zip(tier_columns, tiers.items(), strict=True):
    column.metric(label("triage_tier", tier), count)
st.caption(t("overview.triage_note"))

st.subheader(t("overview.companies_heading"))
st.dataframe(tables.companies_frame(cohort_id=cohort_id, language=language), hide_index=True, width="stretch")

if not workshops.empty:
    st.subheader(t("overview.results_heading"))
    company_column = t("column.company")
    workshop_id = st.selectbox(
        t("overview.pick_workshop"),
        options=list(workshops.index),
        format_func=lambda wid: f"{workshops.at[wid, company_column]} · {workshops.at[wid, t('column.held_on')]}",
        key=f"overview_workshop_{cohort_id}",
    )
    ranking = tables.ranking_frame(workshop_id=workshop_id, language=language)
    if ranking.empty:
        st.info(t("overview.no_use_cases"), icon=":material/info:")
    else:
        st.dataframe(ranking, hide_index=True, width="stretch")
        st.caption(t("overview.responses_note"))
