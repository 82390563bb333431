"""Step 6: for each chosen use case, the next step, owner, horizon, cost, needs and stage."""

import streamlit as st

from ui import label, language, plain, t
from ui.flow import field_error, next_step_link, open_step, save
from ui.funding import pointer_list, stale_warning
from workshop import cohorts, content, funding, triage, value_estimate, votes
from workshop.vocabulary import COST_BANDS, HORIZONS_DAYS, STAGES

workshop = open_step("action_plan")
lang = language()
use_cases = content.list_use_cases(workshop_id=workshop.id)
selected = [u for u in use_cases if u.selected]
if not selected:
    st.info(t("action_plan.none_selected"), icon=":material/info:")
    next_step_link(workshop.id, "action_plan")
    st.stop()

action_items = content.list_action_items(workshop_id=workshop.id)
plans = {item.use_case_id: item for item in action_items}
ranked = votes.workshop_result(workshop_id=workshop.id).ranked
scores = {score.use_case_id: score for score in ranked}
# In the order of the ranked list (unscored ones last), as the group chose them.
rank = {score.use_case_id: number for number, score in enumerate(ranked)}
selected.sort(key=lambda u: rank.get(u.id, len(rank)))
estimates = content.value_estimates(workshop_id=workshop.id)
screenings = triage.screenings(workshop_id=workshop.id)
# Matched after the plan fields' callbacks have saved, so a changed stage or cost band shows at once.
pointers = funding.pointers_for(
    company=cohorts.get_company(company_id=workshop.company_id), use_cases=use_cases, plans=action_items,
)
stale_warning(pointers.age)
PLAN_FIELDS = ("next_step", "owner", "horizon_days", "cost_band", "needs_competence", "needs_data", "needs_partner", "stage")


def plan_key(use_case_id: int, field: str) -> str:
    return f"plan_{use_case_id}_{field}"


def save_plan(use_case_id: int) -> None:
    """Every field of the plan is saved together, so each change keeps the others."""
    values = {field: st.session_state.get(plan_key(use_case_id, field)) for field in PLAN_FIELDS}
    content.set_action_item(workshop_id=workshop.id, use_case_id=use_case_id, **values)


for use_case in selected:
    plan = plans.get(use_case.id)
    defaults = {"stage": use_case.stage, "cost_band": use_case.cost_band or None, "horizon_days": None}
    for field in PLAN_FIELDS:
        key = plan_key(use_case.id, field)
        if key not in st.session_state:
            stored = getattr(plan, field) if plan else None
            st.session_state[key] = stored if stored not in (None, "") else defaults.get(field, "")
    score = scores.get(use_case.id)
    with st.container(border=True, key=f"plan_card_{use_case.id}"):
        st.subheader(plain(use_case.title))
        facts = [label("quadrant", score.quadrant) if score and score.quadrant else None,
                 value_estimate.format_range(estimates.get(use_case.id), lang) or None]
        st.caption(" · ".join(fact for fact in facts if fact))
        left, right = st.columns(2)
        with left:
            for field, widget, label_key, options in (
                ("next_step", st.text_area, "field.next_step", {"height": 90}),
                ("owner", st.text_input, "field.owner", {}),
                ("needs_competence", st.text_input, "field.needs_competence", {}),
                ("needs_data", st.text_input, "field.needs_data", {}),
                ("needs_partner", st.text_input, "field.needs_partner", {}),
            ):
                key = plan_key(use_case.id, field)
                widget(t(label_key), key=key, on_change=save, args=(key, lambda _v, u=use_case.id: save_plan(u)), **options)
                field_error(key)
        with right:
            key = plan_key(use_case.id, "horizon_days")
            st.segmented_control(
                t("field.horizon_days"), options=list(HORIZONS_DAYS), key=key,
                format_func=lambda days: label("horizon_days", str(days)),
                on_change=save, args=(key, lambda _v, u=use_case.id: save_plan(u)),
            )
            field_error(key)
            key = plan_key(use_case.id, "stage")
            st.segmented_control(
                t("field.stage"), options=list(STAGES), key=key, required=True,
                format_func=lambda stage: label("stage", stage),
                on_change=save, args=(key, lambda _v, u=use_case.id: save_plan(u)),
            )
            field_error(key)
            key = plan_key(use_case.id, "cost_band")
            st.selectbox(
                t("field.cost_band"), options=[None, *COST_BANDS], key=key,
                format_func=lambda band: label("cost_band", band) if band else "–",
                on_change=save, args=(key, lambda _v, u=use_case.id: save_plan(u)),
            )
            field_error(key)
        screening = screenings[use_case.id]
        if screening.triage.needs_legal_check:
            st.info(
                t("triage.legal_check", tier=label("triage_tier", screening.triage.tier))
                + "\n\n" + "\n".join(f"- {line}" for line in triage.flag_lines(screening.triage, lang)),
                icon=":material/gavel:",
            )
        st.markdown(f"**{t('funding.title')}**")
        st.caption(t("funding.order_note"))
        pointer_list(pointers.by_use_case[use_case.id], key=f"funding_{use_case.id}")

next_step_link(workshop.id, "action_plan")
