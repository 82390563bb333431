"""Step 1: company profile, participants and the AI-maturity self-assessment. Saved as typed."""

import streamlit as st

from ui import auth, label, language, t
from ui.flow import field_error, next_step_link, open_step, save, table_editor, template_problems
from workshop import cohorts, content, maturity, sni, tables, template
from workshop.errors import DomainError
from workshop.vocabulary import SWEDISH_REGIONS, TURNOVER_BANDS

workshop = open_step("profile")
company = cohorts.get_company(company_id=workshop.company_id)
lang = language()


def company_saver(field: str):
    return lambda value: cohorts.update_company(company_id=company.id, **{field: value})


def save_section(section: str) -> None:
    """A new section clears a division that does not belong to it."""
    division = company.sni_division if company.sni_division in sni.sections().get(section, {}).get("divisions", {}) else ""
    cohorts.update_company(company_id=company.id, sni_section=section, sni_division=division)
    st.session_state[f"company_{company.id}_sni_division"] = division


def company_field(widget, field: str, label_key: str, saver=None, **options) -> None:
    key = f"company_{company.id}_{field}"
    if key not in st.session_state:
        st.session_state[key] = getattr(company, field)
    widget(t(label_key), key=key, on_change=save, args=(key, saver or company_saver(field)), **options)
    field_error(key)


with st.expander(t("profile.template_heading"), icon=":material/upload_file:"):
    st.caption(t("profile.template_help"))
    auth.download_button(
        t("profile.template_download"),
        lambda: template.template_bytes(language=workshop.language),
        file_name=f"mojlighetskartan-template-{workshop.id}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="template_download",
    )
    upload = st.file_uploader(t("profile.template_upload"), type=["xlsx"], key=f"template_upload_{workshop.id}")
    if upload is not None and st.button(t("profile.template_import"), key="template_import", icon=":material/upload:"):
        try:
            imported = template.import_template(upload.getvalue(), workshop_id=workshop.id)
        except DomainError as error:
            template_problems(error)
        else:
            st.success(t("profile.template_done", fields=imported.company_fields, processes=imported.processes_added), icon=":material/check:")
            for key in [k for k in st.session_state if str(k).startswith(f"company_{company.id}_")]:
                del st.session_state[key]
            st.rerun()

st.subheader(t("profile.company_heading"))
left, right = st.columns(2)
with left:
    company_field(st.text_input, "name", "field.company_name")
    company_field(st.text_input, "org_number", "field.org_number", placeholder="556677-8899")
    sections = sni.sections()
    company_field(
        st.selectbox, "sni_section", "field.sni_section", saver=save_section, options=["", *sections],
        format_func=lambda code: sni.label(code, "", lang) if code else "–",
    )
    divisions = sections.get(company.sni_section, {}).get("divisions", {})
    company_field(
        st.selectbox, "sni_division", "field.sni_division", options=["", *divisions],
        format_func=lambda code: sni.label(company.sni_section, code, lang) if code else "–",
    )
    company_field(st.number_input, "employees", "field.employees", min_value=0, step=1)
with right:
    company_field(
        st.selectbox, "turnover_band", "field.turnover_band", options=["", *TURNOVER_BANDS],
        format_func=lambda value: label("turnover_band", value) or "–",
    )
    company_field(st.number_input, "founded_year", "field.founded_year", min_value=1800, max_value=2100, step=1)
    company_field(st.text_input, "municipality", "field.municipality")
    company_field(st.selectbox, "region", "field.region", options=["", *SWEDISH_REGIONS], format_func=lambda value: value or "–")
    company_field(st.toggle, "consent_reporting", "field.consent_reporting", help=t("profile.consent_help"))
st.caption(t("profile.size_class", size=label("size_class", company.size_class)))

# --- participants ---------------------------------------------------------------------------
st.subheader(t("profile.participants_heading"))
st.caption(t("profile.participants_help"))
table_editor(
    lambda: tables.participants_frame(workshop_id=workshop.id),
    name="participants",
    workshop_id=workshop.id,
    apply=lambda changes: content.apply_participant_changes(workshop_id=workshop.id, changes=changes),
    num_rows="dynamic",
    column_order=["name", "role"],
    column_config={
        "id": None,
        "name": st.column_config.TextColumn(t("field.participant_name"), max_chars=200),
        "role": st.column_config.TextColumn(t("field.participant_role"), max_chars=200),
    },
    alt=t("profile.participants_heading"),
)

# --- maturity -------------------------------------------------------------------------------
st.subheader(t("profile.maturity_heading"))
st.caption(t("profile.maturity_help"))
for question in maturity.questions():
    key = f"maturity_{workshop.id}_{question.key}"
    if key not in st.session_state:
        st.session_state[key] = workshop.maturity_answers.get(question.key)
    with st.container(border=True):
        st.markdown(f"**{question.text[lang]}**")
        st.segmented_control(
            question.text[lang],
            options=[1, 2, 3, 4, 5],
            key=key,
            label_visibility="collapsed",
            on_change=save,
            args=(key, lambda level, q=question.key: cohorts.set_maturity_answer(workshop_id=workshop.id, question_key=q, level=level)),
        )
        chosen = st.session_state.get(key)
        st.caption(" · ".join(f"**{level}** {text[lang]}" if level == chosen else f"{level} {text[lang]}" for level, text in question.levels.items()))
        field_error(key)
average = maturity.average_level(cohorts.get_workshop(workshop_id=workshop.id).maturity_answers)
if average is not None:
    st.metric(t("profile.maturity_average"), f"{average:.1f} / 5")

next_step_link(workshop.id, "profile")
