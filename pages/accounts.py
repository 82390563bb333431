"""Administration: staff accounts — who may sign in, with which role, and which cohorts
(an advisor) or workshops (a facilitator) each one reads. Every change is saved when made."""

import datetime as dt

import streamlit as st

from ui import choice_formatter, error_text, label, page_setup, t
from ui.auth import current_account
from workshop import accounts, cohorts
from workshop.errors import DomainError
from workshop.vocabulary import STAFF_ROLES

# Edits noted by the widgets' callbacks, saved further down: callbacks run before
# `page_setup` has checked that an administrator is still signed in.
CHANGED_KEY = "accounts_changed"
# The account to select on the next run (a widget's value cannot be set once it is drawn).
SELECT_NEXT_KEY = "accounts_select_next"
SELECTED_KEY = "accounts_selected"
# What the last account creation did, shown after the rerun that clears its form.
NOTICE_KEY = "accounts_notice"
CREATE_KEYS = ("account_new_name", "account_new_email", "account_new_role", "account_new_password", "account_new_again")

page_setup("nav.accounts", roles=("admin",))
actor = current_account().email
st.title(t("nav.accounts"))
st.caption(t("accounts.intro"))
if notice := st.session_state.pop(NOTICE_KEY, None):
    st.success(notice, icon=":material/check_circle:")


def widget_key(account_id: int, field: str) -> str:
    return f"account_{account_id}_{field}"


def note_change(field: str, account_id: int) -> None:
    st.session_state.setdefault(CHANGED_KEY, set()).add((field, account_id))


def save_cohorts(account_id: int, chosen: list[int]) -> None:
    saved = set(accounts.assigned_cohorts(account_id))
    for cohort_id in sorted(set(chosen) - saved):
        accounts.assign_cohort(account_id=account_id, cohort_id=cohort_id, actor=actor)
    for cohort_id in sorted(saved - set(chosen)):
        accounts.unassign_cohort(account_id=account_id, cohort_id=cohort_id, actor=actor)


def save_workshops(account_id: int, chosen: list[int]) -> str | None:
    """Assign the added, unassign the removed; a workshop the account runs stays (who runs a
    workshop is not changed here), which the returned note says."""
    saved = set(accounts.assigned_workshops(account_id))
    for workshop_id in sorted(set(chosen) - saved):
        accounts.assign_workshop(account_id=account_id, workshop_id=workshop_id, actor=actor)
    removed = saved - set(chosen)
    for workshop_id in sorted(removed):
        accounts.unassign_workshop(account_id=account_id, workshop_id=workshop_id, actor=actor)
    kept = removed & set(accounts.assigned_workshops(account_id))
    return t("accounts.running_kept", count=len(kept)) if kept else None


SAVERS = {
    "role": lambda account_id, role: accounts.set_role(account_id=account_id, role=role, actor=actor),
    "active": lambda account_id, active: accounts.set_active(account_id=account_id, active=bool(active), actor=actor),
    "cohorts": save_cohorts,
    "workshops": save_workshops,
}
# Per widget key: the refusal (error) or remark (info) of the edit just saved.
refusals: dict[str, str] = {}
remarks: dict[str, str] = {}
for field, account_id in sorted(st.session_state.pop(CHANGED_KEY, set())):
    key = widget_key(account_id, field)
    if field in SAVERS and key in st.session_state:
        try:
            remark = SAVERS[field](account_id, st.session_state[key])
        except DomainError as error:
            refusals[key] = error_text(error)
        else:
            if remark:
                remarks[key] = remark


def saved_widget(widget, field: str, account_id: int, value: object, **options) -> None:
    """A widget showing what is saved, noting its edits for saving, with the edit's refusal
    or remark below it."""
    key = widget_key(account_id, field)
    st.session_state[key] = value
    widget(key=key, on_change=note_change, args=(field, account_id), **options)
    if key in refusals:
        st.error(refusals[key], icon=":material/error:")
    if key in remarks:
        st.info(remarks[key], icon=":material/info:")


def last_sign_in(moment: dt.datetime | None) -> str:
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M}" if moment else t("accounts.never_signed_in")


account_list = accounts.list_accounts()
st.dataframe(
    [
        {
            t("field.display_name"): account.display_name,
            t("field.email"): account.email,
            t("field.role"): label("staff_role", account.role),
            t("accounts.active"): account.active,
            t("accounts.last_sign_in"): last_sign_in(account.last_login_at),
        }
        for account in account_list
    ],
    hide_index=True,
)

by_id = {account.id: account for account in account_list}
if (chosen_next := st.session_state.pop(SELECT_NEXT_KEY, None)) in by_id:
    st.session_state[SELECTED_KEY] = chosen_next
edit, create = st.columns(2, gap="large")

with edit, st.container(border=True):
    st.subheader(t("accounts.edit_heading"))
    account_id = st.selectbox(
        t("accounts.account"), options=list(by_id), key=SELECTED_KEY,
        format_func=lambda i: f"{by_id[i].display_name} <{by_id[i].email}>" if i in by_id else "",
    )
    account = by_id.get(account_id)
    if account is not None:
        saved_widget(
            st.selectbox, "role", account.id, account.role, label=t("field.role"), options=STAFF_ROLES,
            format_func=choice_formatter("staff_role"), help=t("accounts.role_help"),
        )
        saved_widget(
            st.toggle, "active", account.id, account.active, label=t("accounts.active"), help=t("accounts.active_help"),
        )

        if account.role == "advisor":
            cohort_names = {cohort.id: cohort.name for cohort in cohorts.list_cohorts()}
            if cohort_names:
                saved_widget(
                    st.multiselect, "cohorts", account.id, accounts.assigned_cohorts(account.id),
                    label=t("accounts.cohorts"), options=list(cohort_names),
                    format_func=lambda i: cohort_names.get(i, ""), placeholder=t("accounts.none_chosen"),
                )
            else:
                st.info(t("accounts.no_cohorts"), icon=":material/info:")
        elif account.role == "facilitator":
            no_date = t("accounts.no_date")
            workshop_names = {
                workshop.id: " · ".join(
                    (cohort.name, workshop.company_name, workshop.held_on.isoformat() if workshop.held_on else no_date)
                )
                for cohort in cohorts.list_cohorts()
                for workshop in cohorts.list_workshops(cohort_id=cohort.id)
            }
            if workshop_names:
                saved_widget(
                    st.multiselect, "workshops", account.id, accounts.assigned_workshops(account.id),
                    label=t("accounts.workshops"), options=list(workshop_names),
                    format_func=lambda i: workshop_names.get(i, ""), help=t("accounts.workshops_help"),
                    placeholder=t("accounts.none_chosen"),
                )
            else:
                st.info(t("accounts.no_workshops"), icon=":material/info:")
        else:
            st.caption(t("accounts.admin_assignments"))

        with st.form(widget_key(account.id, "password_form"), clear_on_submit=True):
            st.markdown(f"**{t('accounts.password_heading')}**")
            new_password = st.text_input(
                t("field.password"), type="password", key=widget_key(account.id, "password"),
            )
            new_again = st.text_input(
                t("accounts.password_again"), type="password", key=widget_key(account.id, "again"),
            )
            if st.form_submit_button(t("accounts.set_password"), icon=":material/key:"):
                if new_password != new_again:
                    st.error(t("accounts.passwords_differ"), icon=":material/error:")
                else:
                    try:
                        accounts.set_password(account_id=account.id, password=new_password, actor=actor)
                    except DomainError as error:
                        st.error(error_text(error), icon=":material/error:")
                    else:
                        st.success(t("accounts.password_set"), icon=":material/check_circle:")

with create, st.form("account_create"):
    st.subheader(t("accounts.create_heading"))
    name = st.text_input(t("field.display_name"), key="account_new_name")
    email = st.text_input(t("field.email"), key="account_new_email")
    role = st.selectbox(
        t("field.role"), options=STAFF_ROLES, format_func=choice_formatter("staff_role"), key="account_new_role",
    )
    password = st.text_input(t("field.password"), type="password", key="account_new_password")
    again = st.text_input(t("accounts.password_again"), type="password", key="account_new_again")
    st.caption(t("accounts.password_rule", min_length=accounts.PASSWORD_MIN_LENGTH))
    if st.form_submit_button(t("accounts.create"), icon=":material/person_add:"):
        if password != again:
            st.error(t("accounts.passwords_differ"), icon=":material/error:")
        else:
            try:
                new_id = accounts.create_account(
                    email=email, display_name=name, role=role, password=password, actor=actor,
                )
            except DomainError as error:
                st.error(error_text(error), icon=":material/error:")
            else:
                for key in CREATE_KEYS:
                    st.session_state.pop(key, None)
                st.session_state[NOTICE_KEY] = t("accounts.created")
                st.session_state[SELECT_NEXT_KEY] = new_id
                st.rerun()
