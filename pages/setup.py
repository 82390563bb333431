"""Before the workshop: pick or create the cohort, the company and the workshop, then open it."""

import datetime as dt

import streamlit as st

from ui import auth, error_text, label, page_setup, plain, t
from ui.auth import WORKSHOP_ROLES
from ui.flow import STEP_PAGES, WORKSHOP_PARAM
from workshop import bundle, cohorts
from workshop.errors import DomainError
from workshop.vocabulary import LANGUAGES, SWEDISH_REGIONS

language = page_setup("nav.setup", roles=WORKSHOP_ROLES)
st.title(t("setup.title"))
st.caption(t("setup.intro"))


def open_workshop(workshop: cohorts.WorkshopRow) -> None:
    st.session_state["workshop_id"] = workshop.id
    st.switch_page(STEP_PAGES[workshop.current_step], query_params={WORKSHOP_PARAM: str(workshop.id)})


# --- cohort ---------------------------------------------------------------------------------
st.subheader(t("setup.cohort_heading"))
cohort_rows = cohorts.list_cohorts()
cohort_names = {row.id: row.name for row in cohort_rows}
cohort_id = None
if "setup_cohort_created" in st.session_state:
    st.session_state["setup_cohort"] = st.session_state.pop("setup_cohort_created")
if cohort_rows:
    cohort_id = st.selectbox(
        t("overview.cohort"), options=list(cohort_names), format_func=cohort_names.get, key="setup_cohort",
        persist_state="session",
    )
# Cohorts are set up by administrators; a facilitator registers companies and workshops.
if auth.current_account().role == "admin":
    with st.expander(t("setup.new_cohort"), expanded=not cohort_rows, icon=":material/add:"):
        with st.form("new_cohort", clear_on_submit=True, border=False):
            new_cohort_name = st.text_input(t("field.cohort_name"), key="new_cohort_name")
            new_cohort_region = st.selectbox(
                t("field.region"), options=["", *SWEDISH_REGIONS], index=SWEDISH_REGIONS.index("Skåne län") + 1,
                key="new_cohort_region",
            )
            if st.form_submit_button(t("setup.create_cohort"), icon=":material/add:", key="create_cohort"):
                try:
                    created = cohorts.create_cohort(name=new_cohort_name, region=new_cohort_region)
                except DomainError as error:
                    st.error(error_text(error), icon=":material/error:")
                else:
                    st.session_state["setup_cohort_created"] = created
                    st.rerun()
elif not cohort_rows:
    st.info(t("setup.no_cohort_ask_admin"), icon=":material/info:")

if cohort_id is None:
    st.stop()

with st.expander(t("setup.import_bundle"), icon=":material/upload_file:"):
    upload = st.file_uploader(t("setup.import_bundle_help"), type=["json"], key=f"bundle_upload_{cohort_id}")
    if upload is not None and st.button(t("setup.import_bundle_button"), key="import_bundle", icon=":material/upload:"):
        try:
            imported = bundle.import_bundle(upload.getvalue(), cohort_id=cohort_id)
        except DomainError as error:
            st.error(error_text(error), icon=":material/error:")
        else:
            st.success(t("setup.import_bundle_done"), icon=":material/check:")
            st.session_state["workshop_id"] = imported
            st.switch_page(STEP_PAGES["profile"], query_params={WORKSHOP_PARAM: str(imported)})

# --- company --------------------------------------------------------------------------------
st.subheader(t("setup.company_heading"))
company_rows = cohorts.list_companies(cohort_id=cohort_id)
company_names = {row.id: f"{row.name} ({row.org_number})" for row in company_rows}
company_id = None
if "setup_company_created" in st.session_state:
    st.session_state[f"setup_company_{cohort_id}"] = st.session_state.pop("setup_company_created")
if company_rows:
    company_id = st.selectbox(
        t("column.company"), options=list(company_names), format_func=company_names.get,
        key=f"setup_company_{cohort_id}", persist_state="session",
    )
with st.expander(t("setup.new_company"), expanded=not company_rows, icon=":material/add:"):
    with st.form(f"new_company_{cohort_id}", border=False):
        columns = st.columns(2)
        new_name = columns[0].text_input(t("field.company_name"), key="new_company_name")
        new_org_number = columns[1].text_input(t("field.org_number"), placeholder="556677-8899", key="new_company_org_number")
        new_employees = columns[0].number_input(t("field.employees"), min_value=0, step=1, value=None, key="new_company_employees")
        new_region = columns[1].selectbox(
            t("field.region"), options=["", *SWEDISH_REGIONS], index=SWEDISH_REGIONS.index("Skåne län") + 1,
            key="new_company_region",
        )
        if st.form_submit_button(t("setup.create_company"), icon=":material/add:", key="create_company"):
            try:
                created = cohorts.create_company(
                    cohort_id=cohort_id, name=new_name, org_number=new_org_number,
                    employees=new_employees or 0, region=new_region,
                )
            except DomainError as error:
                st.error(error_text(error), icon=":material/error:")
            else:
                st.session_state["setup_company_created"] = created
                st.rerun()

if company_id is None:
    st.stop()

# --- workshops ------------------------------------------------------------------------------
st.subheader(t("setup.workshop_heading"))
workshops = [w for w in cohorts.list_workshops(cohort_id=cohort_id) if w.company_id == company_id]
for workshop in workshops:
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.markdown(
            f"**{workshop.held_on or t('setup.no_date')}** · {plain(workshop.facilitator_name)} · "
            f"{label('workshop_status', workshop.status)} · {t('setup.at_step', step=t(f'step.{workshop.current_step}'))}"
        )
        if st.button(t("setup.open_workshop"), key=f"open_{workshop.id}", icon=":material/play_arrow:", type="primary"):
            open_workshop(workshop)

with st.expander(t("setup.new_workshop"), expanded=not workshops, icon=":material/add:"):
    with st.form(f"new_workshop_{company_id}", border=False):
        columns = st.columns(3)
        held_on = columns[0].date_input(t("field.held_on"), value=dt.date.today(), format="YYYY-MM-DD", key="new_workshop_date")
        signed_in = auth.current_account()
        facilitator = columns[1].text_input(
            t("field.facilitator_name"), key="new_workshop_facilitator", value=signed_in.display_name if signed_in else "",
        )
        workshop_language = columns[2].segmented_control(
            t("field.language"), options=list(LANGUAGES), default="sv",
            format_func=lambda code: label("language", code), required=True, key="new_workshop_language",
        )
        if st.form_submit_button(t("setup.create_workshop"), icon=":material/add:", type="primary", key="create_workshop"):
            try:
                # A facilitator who creates a workshop runs it (cohorts.create_workshop).
                new_id = cohorts.create_workshop(
                    company_id=company_id, held_on=held_on, facilitator_name=facilitator, language=workshop_language,
                )
            except DomainError as error:
                st.error(error_text(error), icon=":material/error:")
            else:
                st.session_state["workshop_id"] = new_id
                st.switch_page(STEP_PAGES["profile"], query_params={WORKSHOP_PARAM: str(new_id)})
