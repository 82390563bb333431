"""Step 4: score one use case at a time on every criterion, with the anchored scale in view.

The group agrees a score per criterion and the facilitator enters it here (the consensus).
Phone votes, where there are any, are shown beside it as median, spread and responses.
"""

import streamlit as st

from ui import auth, label, language, plain, t
from ui.flow import criterion_scale, field_error, next_step_link, open_step, save
from workshop import content, scoring_models, triage, value_estimate, votes

LIVE_PAGE = "pages/live_voting.py"

workshop = open_step("scoring")
lang = language()
use_cases = content.list_use_cases(workshop_id=workshop.id)
if not use_cases:
    st.info(t("scoring.no_use_cases"), icon=":material/info:")
    next_step_link(workshop.id, "scoring")
    st.stop()

model = scoring_models.get_model(workshop.scoring_model_id)
result = votes.workshop_result(workshop_id=workshop.id)
scores = {score.use_case_id: score for score in result.ranked}
estimates = content.value_estimates(workshop_id=workshop.id)
progress = votes.scoring_progress(result=result, criteria=[c.key for c in model.criteria])

st.progress(progress.share, text=t("scoring.progress", done=progress.complete, total=progress.total))
with st.container(horizontal=True, vertical_alignment="center"):
    st.caption(t("scoring.keyboard_help"))
    st.page_link(LIVE_PAGE, label=t("scoring.to_live"), icon=":material/how_to_vote:", query_params={"workshop": str(workshop.id)})

ids = [u.id for u in use_cases]
titles = {u.id: f"{index}. {u.title}" for index, u in enumerate(use_cases, start=1)}
selector_key = f"scoring_use_case_{workshop.id}"
if st.session_state.get(selector_key) not in ids:
    # A reload starts from the use case in the URL.
    from_url = st.query_params.get("use_case", "")
    st.session_state[selector_key] = int(from_url) if from_url.isdigit() and int(from_url) in ids else ids[0]


def step_use_case(offset: int) -> None:
    position = ids.index(st.session_state[selector_key])
    st.session_state[selector_key] = ids[(position + offset) % len(ids)]


with st.container(horizontal=True, vertical_alignment="bottom"):
    st.button(
        t("scoring.previous"), icon=":material/arrow_back:", on_click=step_use_case, args=(-1,),
        key="previous_use_case", shortcut="PageUp",
    )
    use_case_id = st.selectbox(t("column.use_case"), options=ids, format_func=titles.get, key=selector_key)
    st.button(
        t("scoring.next"), icon=":material/arrow_forward:", on_click=step_use_case, args=(1,),
        key="next_use_case", shortcut="PageDown",
    )

st.query_params["use_case"] = str(use_case_id)
current = scores[use_case_id]
use_case = next(u for u in use_cases if u.id == use_case_id)
summary = st.columns([1, 1, 3], vertical_alignment="center")
summary[0].metric(t("column.value"), "–" if current.value is None else f"{current.value:.1f}")
summary[1].metric(t("column.feasibility"), "–" if current.feasibility is None else f"{current.feasibility:.1f}")
summary[2].markdown(
    f"{t('column.quadrant')}: **{label('quadrant', current.quadrant) or '–'}**  \n"
    f"{t('use_cases.estimate_result')}: **{value_estimate.format_range(estimates.get(use_case_id), lang) or '–'}**"
)
if use_case.description:
    st.caption(plain(use_case.description))
if use_case.voting_status in votes.HIDDEN_VOTING_STATUSES:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.info(t("scoring.voting_hidden"), icon=":material/visibility_off:")
        st.page_link(LIVE_PAGE, label=t("scoring.to_live"), icon=":material/how_to_vote:", query_params={"workshop": str(workshop.id)})
screening = triage.screenings(workshop_id=workshop.id)[use_case_id]
with st.expander(t("triage.heading", tier=label("triage_tier", screening.triage.tier)), icon=":material/gavel:"):
    st.caption(triage.rules_document()["note"][lang])
    answer_columns = st.columns(2)
    for index, question in enumerate(triage.questions()):
        key = f"triage_{use_case_id}_{question.key}"
        if key not in st.session_state:
            st.session_state[key] = bool(screening.answers.get(question.key))
        with answer_columns[index % 2]:
            st.toggle(
                question.text[lang], key=key, on_change=save,
                args=(key, lambda answer, q=question.key: triage.set_answer(workshop_id=workshop.id, use_case_id=use_case_id, question=q, answer=answer)),
            )
            field_error(key)
    for line in triage.flag_lines(screening.triage, lang):
        st.warning(line, icon=":material/flag:")
    suggested = screening.triage.suggested_score
    risk_key = f"consensus_{use_case_id}_{triage.RISK_CRITERION}"

    def accept_suggestion() -> None:
        votes.set_consensus(workshop_id=workshop.id, use_case_id=use_case_id, criterion_key=triage.RISK_CRITERION, score=suggested, set_by=auth.current_account().display_name)
        st.session_state[risk_key] = suggested

    st.button(t("triage.use_suggestion", score=suggested), on_click=accept_suggestion, key=f"triage_accept_{use_case_id}", icon=":material/check:")

for axis in ("value", "feasibility"):
    st.subheader(label("axis", axis))
    for criterion in (c for c in model.criteria if c.axis == axis):
        aggregate = current.criteria[criterion.key]
        key = f"consensus_{use_case_id}_{criterion.key}"
        if key not in st.session_state:
            st.session_state[key] = aggregate.consensus
        with st.container(border=True):
            criterion_scale(
                criterion,
                key=key,
                heading_extra=f" · {t('scoring.weight', weight=f'{criterion.weight:g}')}",
                on_change=save,
                args=(
                    key,
                    lambda score, c=criterion.key: votes.set_consensus(
                        workshop_id=workshop.id, use_case_id=use_case_id, criterion_key=c, score=score,
                        set_by=auth.current_account().display_name,
                    ),
                ),
            )
            if aggregate.responses:
                st.caption(
                    t(
                        "scoring.votes_summary",
                        median=f"{aggregate.median:g}",
                        low=aggregate.minimum,
                        high=aggregate.maximum,
                        responses=aggregate.responses,
                    )
                )
            field_error(key)

next_step_link(workshop.id, "scoring")
