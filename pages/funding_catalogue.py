"""Administration: the funding catalogue — edit it in place, export and import it as CSV."""

import datetime as dt

import streamlit as st

from ui import auth, error_text, label, page_setup, t
from ui.flow import restart_table, table_editor, table_problems
from ui.funding import stale_warning
from workshop import funding, i18n
from workshop.errors import DomainError
from workshop.vocabulary import BENEFIT_KINDS, FUNDING_KINDS, FUNDING_SCOPES, FUNDING_STATUSES, STAGES, SWEDISH_REGIONS

language = page_setup("nav.funding_catalogue")
TABLE = "funding_catalogue"
# The catalogue is not a workshop's; table_editor keys its state by this number.
CATALOGUE_ID = 0
# What an import or reset did, shown after the rerun that brings the table up to date.
NOTICE_KEY = "catalogue_notice"

st.title(t("catalogue.title"))
st.caption(t("catalogue.intro"))
notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    message, warnings = notice
    st.success(message, icon=":material/check_circle:")
    for warning in warnings:
        st.warning(warning)
programmes = funding.list_programmes()
age = funding.catalogue_age(programmes, today=dt.date.today())
if age.checked_on:
    st.caption(t("catalogue.age", count=len(programmes), date=age.checked_on.isoformat()))
stale_warning(age)


def column(name: str, kind=st.column_config.TextColumn, **options):  # noqa: ANN001, ANN201
    return kind(i18n.field_label(name, language), **options)


def choices(values: tuple[str, ...], list_name: str) -> dict:
    return {"options": list(values), "format_func": lambda value: label(list_name, value) if value else ""}


columns = {name: column(name) for name in funding.CATALOGUE_COLUMNS}
columns.update(
    key=column("key", required=True),
    status=column("status", st.column_config.SelectboxColumn, required=True, **choices(FUNDING_STATUSES, "funding_status")),
    scope=column("scope", st.column_config.SelectboxColumn, required=True, **choices(FUNDING_SCOPES, "funding_scope")),
    kind=column("kind", st.column_config.SelectboxColumn, required=True, **choices(FUNDING_KINDS, "funding_kind")),
    startups_only=column("startups_only", st.column_config.CheckboxColumn),
    de_minimis=column("de_minimis", st.column_config.CheckboxColumn),
    checked_on=column("checked_on", st.column_config.DateColumn, required=True, format="YYYY-MM-DD"),
    regions=column("regions", st.column_config.MultiselectColumn, width="medium", options=list(SWEDISH_REGIONS)),
    stages=column("stages", st.column_config.MultiselectColumn, width="medium", **choices(STAGES, "stage")),
    benefit_focus=column(
        "benefit_focus", st.column_config.MultiselectColumn, width="medium", **choices(BENEFIT_KINDS, "benefit_kind"),
    ),
    benefit_also=column(
        "benefit_also", st.column_config.MultiselectColumn, width="medium", options=[funding.ANY_BENEFIT, *BENEFIT_KINDS],
        format_func=lambda value: t("catalogue.any_benefit") if value == funding.ANY_BENEFIT else label("benefit_kind", value),
    ),
    url=column("url", st.column_config.LinkColumn),
    source_url=column("source_url", st.column_config.LinkColumn),
    **{name: column(name, st.column_config.NumberColumn, min_value=0, step=1)
       for name in ("min_employees", "max_employees", "min_age_years", "max_age_years", "amount_min_sek", "amount_max_sek")},
    **{name: column(name, st.column_config.NumberColumn, min_value=0)
       for name in ("min_turnover_msek", "max_turnover_msek", "max_funded_percent")},
)
table_editor(
    funding.catalogue_frame,
    name=TABLE,
    workshop_id=CATALOGUE_ID,
    apply=funding.apply_catalogue_changes,
    num_rows="dynamic",
    column_config={"id": None, **columns},
    height=520,
)

auth.download_button(
    t("catalogue.download"),
    lambda: funding.catalogue_csv(funding.list_programmes()),
    file_name=f"funding_catalogue_{dt.date.today().isoformat()}.csv",
    mime="text/csv",
    icon=":material/download:",
    key="catalogue_download",
)

left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(t("catalogue.import_heading"))
    st.caption(t("catalogue.import_help"))
    upload = st.file_uploader(t("catalogue.upload"), type=["csv"], key="catalogue_upload")
    if st.button(t("catalogue.import"), disabled=upload is None, key="catalogue_import"):
        try:
            count = funding.import_catalogue(upload.getvalue(), file_name=upload.name)
        except funding.CatalogueErrors as error:
            table_problems(error)
        except DomainError as error:
            st.error(error_text(error), icon=":material/error:")
        else:
            st.session_state[NOTICE_KEY] = (t("catalogue.imported", count=count), [])
            restart_table(TABLE, CATALOGUE_ID)
            st.rerun()
with right, st.container(border=True):
    st.subheader(t("catalogue.reset_heading"))
    st.caption(t("catalogue.reset_help"))
    confirmed = st.checkbox(t("catalogue.reset_confirm"), key="catalogue_reset_confirm")
    if st.button(t("catalogue.reset"), disabled=not confirmed, key="catalogue_reset"):
        reading = funding.reset_to_shipped()
        st.session_state[NOTICE_KEY] = (
            t("catalogue.reset_done", count=len(reading.programmes)),
            [
                t("catalogue.file_problem", file=problem.file, row=problem.row,
                  column=i18n.field_label(problem.field, language), message=error_text(problem.error))
                for problem in reading.problems
            ],
        )
        restart_table(TABLE, CATALOGUE_ID)
        st.rerun()
