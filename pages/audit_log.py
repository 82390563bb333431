"""Administration: the audit log — who did what to which object and when (UTC); filter it and
download it as CSV. Names and details are people's text: they go into the table, never markdown."""

import datetime as dt

import streamlit as st

from ui import auth, error_text, page_setup, t
from workshop import audit
from workshop.errors import DomainError

language = page_setup("nav.audit_log")
# The date filter opens on this many days up to today; older events are a change of dates away.
DEFAULT_DAYS = 30

st.title(t("nav.audit_log"))
st.caption(t("audit.intro"))
today = dt.datetime.now(dt.UTC).date()
with st.container(border=True):
    columns = st.columns([3, 2, 2, 2, 3])
    actions = columns[0].multiselect(t("audit.filter_actions"), options=audit.known_actions(), key="audit_actions",
                                     placeholder=t("audit.all_actions"))
    actor = columns[1].text_input(t("field.actor"), key="audit_actor")
    object_type = columns[2].text_input(t("field.object_type"), key="audit_object_type")
    object_id = columns[3].text_input(t("field.object_id"), key="audit_object_id")
    days = columns[4].date_input(t("audit.filter_dates"), value=(today - dt.timedelta(days=DEFAULT_DAYS - 1), today),
                                 key="audit_dates", format="YYYY-MM-DD")
# While only the first day of the range is picked, the widget returns one date.
since, until = (tuple(days) + (None, None))[:2] if isinstance(days, (tuple, list)) else (days, None)
filters = audit.AuditFilters(actions=tuple(actions), actor=actor, object_type=object_type, object_id=object_id,
                             since=since, until=until)
try:
    rows, total = audit.events(filters)
except DomainError as error:
    st.error(error_text(error), icon=":material/error:")
    st.stop()


def count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0" if language == "sv" else ",")


st.caption(t("audit.shown", shown=count(len(rows)), total=count(total)))
st.dataframe(
    audit.table(rows),
    hide_index=True,
    column_config={
        "at": st.column_config.TextColumn(t("audit.column_time")),
        "actor": st.column_config.TextColumn(t("field.actor")),
        "action": st.column_config.TextColumn(t("audit.column_action")),
        "object": st.column_config.TextColumn(t("audit.column_object")),
        "detail": st.column_config.TextColumn(t("audit.column_detail"), width="large"),
    },
)
auth.download_button(
    t("audit.download"),
    lambda: audit.events_csv(filters),
    file_name=f"audit_log_{today.isoformat()}.csv",
    mime="text/csv",
    icon=":material/download:",
    help=t("audit.download_help"),
    key="audit_download",
)
