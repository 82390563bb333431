"""Step 4 with phones: the projector shows the join code and who has voted, never a score,
until the facilitator reveals a use case; then medians, spread and what to discuss first.

The facilitator does not vote here; to vote, they join with the code like everyone else.
"""

import streamlit as st

from ui import auth, error_text, language, local_time, plain, t
from ui.flow import STEP_PAGES, WORKSHOP_PARAM, field_error, open_step, save
from workshop import config, live_voting, scoring_models, votes
from workshop.errors import DomainError

# The projector's counts refresh on their own at this pace (the 2-second promise).
REFRESH_EVERY = "1s"
# Read from the back of the room.
JOIN_CODE_STYLE = "<style>.st-key-join_code h1{font-size:4.5rem;letter-spacing:.08em;font-family:monospace;white-space:nowrap}</style>"

workshop = open_step("scoring", title=t("live.title"))
lang = language()
# Who opens, reveals and sets consensus: the signed-in person, as the log and the results show.
actor = auth.current_account().display_name
model = scoring_models.get_model(workshop.scoring_model_id)
criterion_names = {c.key: c.name[lang] for c in model.criteria}
code_key = f"join_code_{workshop.id}"
status = live_voting.live_status(workshop_id=workshop.id)


def act(action, **arguments) -> None:  # noqa: ANN001
    """Run a voting action; show its refusal at the top of the page instead of failing."""
    try:
        return action(workshop_id=workshop.id, actor=actor, **arguments)
    except DomainError as error:
        st.session_state["live_error"] = error_text(error)
    return None


def start() -> None:
    code = act(live_voting.start_voting)
    if code:
        st.session_state[code_key] = code


def end() -> None:
    act(live_voting.end_voting)
    st.session_state.pop(code_key, None)


if message := st.session_state.pop("live_error", None):
    st.error(message, icon=":material/error:")

with st.container(horizontal=True, vertical_alignment="center"):
    anonymous_key = f"anonymous_voting_{workshop.id}"
    st.session_state.setdefault(anonymous_key, status.anonymous)
    st.toggle(
        t("live.anonymous"), key=anonymous_key, help=t("live.anonymous_help"), on_change=save,
        args=(anonymous_key, lambda value: live_voting.set_anonymous(workshop_id=workshop.id, anonymous=value)),
    )
    if status.voting_open:
        st.button(t("live.new_code"), on_click=start, icon=":material/refresh:")
        st.button(t("live.end"), on_click=end, icon=":material/stop_circle:")
    else:
        st.button(t("live.start"), on_click=start, type="primary", icon=":material/qr_code_2:")
field_error(anonymous_key)

if status.voting_open:
    code = st.session_state.get(code_key)
    if code:
        address = live_voting.join_url(config.public_url(st.context.url), code)
        code_column, qr_column = st.columns([3, 2], vertical_alignment="center")
        with code_column:
            st.markdown(t("live.join_how", address=address.split("?")[0]))
            with st.container(key="join_code"):
                st.markdown(f"# {live_voting.format_code(code)}")
            st.caption(t("live.expires", time=local_time(status.expires_at)))
        qr_column.image(live_voting.qr_png(address), width=300, caption=address, alt=t("live.qr_alt"))
        st.html(JOIN_CODE_STYLE)
    else:
        st.info(t("live.code_hidden"), icon=":material/visibility_off:")
else:
    st.info(t("live.not_started"), icon=":material/info:")

idle = [u for u in status.use_cases if u.status == "idle"]
if idle:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        titles = {u.id: u.title for u in idle}
        chosen = st.multiselect(
            t("live.choose_use_cases"), options=list(titles), default=list(titles), format_func=titles.get,
            key=f"open_choice_{workshop.id}",
        )
        if st.button(t("live.open_chosen"), disabled=not chosen, icon=":material/how_to_vote:"):
            act(live_voting.open_use_cases, use_case_ids=chosen)
            st.rerun()


def _status_label(use_case: live_voting.UseCaseProgress) -> str:
    return t(f"live.status.{use_case.status}") + (f" · {t('live.round', round=use_case.round)}" if use_case.round > 1 else "")


@st.fragment(run_every=REFRESH_EVERY)
def live_panel(workshop_id: int) -> None:
    """Counts only — how many phones have started and finished each use case."""
    now = live_voting.live_status(workshop_id=workshop_id)
    shown = [u for u in now.use_cases if u.status != "idle"]
    st.markdown(t("live.phones", count=now.phones))
    for use_case in shown:
        with st.container(border=True, key=f"progress_{use_case.id}"):
            top = st.columns([4, 2], vertical_alignment="center")
            top[0].markdown(f"**{plain(use_case.title)}** · {_status_label(use_case)}")
            with top[1], st.container(horizontal=True, horizontal_alignment="right"):
                if use_case.status == "open" and st.button(t("live.close"), key=f"close_{use_case.id}"):
                    act(live_voting.close_use_cases, use_case_ids=[use_case.id])
                    st.rerun()
                if use_case.status in ("open", "closed") and st.button(t("live.reveal"), key=f"reveal_{use_case.id}", type="primary"):
                    act(live_voting.reveal, use_case_ids=[use_case.id])
                    st.rerun()
                if use_case.status in ("closed", "revealed"):
                    with st.popover(t("live.revote"), icon=":material/replay:"):
                        st.caption(t("live.revote_help"))
                        if st.button(t("live.revote_confirm"), key=f"revote_{use_case.id}", type="primary"):
                            act(live_voting.revote, use_case_id=use_case.id)
                            st.rerun()
            total = max(now.phones, use_case.started)
            st.progress(
                use_case.finished / total if total else 0.0,
                text=t("live.finished", finished=use_case.finished, total=total, started=use_case.started),
            )
            if use_case.finished_names:
                st.caption(t("live.finished_names", names=", ".join(plain(name) for name in use_case.finished_names)))


live_panel(workshop.id)

revealed = [u for u in status.use_cases if u.status == "revealed"]
if revealed:
    st.subheader(t("live.discuss_first"))
    items = live_voting.disagreements(workshop_id=workshop.id)
    if not items:
        st.caption(t("live.no_disagreements"))
    for item in items:
        with st.container(border=True):
            st.markdown(
                t(
                    "live.disagreement", use_case=plain(item.title), criterion=criterion_names[item.criterion_key],
                    median=f"{item.median:g}", spread=item.spread, responses=item.responses,
                    counts=" · ".join(f"{level}: {count}" for level, count in item.counts.items()),
                )
            )
            key = f"live_consensus_{item.use_case_id}_{item.criterion_key}"
            st.segmented_control(
                t("live.set_consensus"), options=[1, 2, 3, 4, 5], key=key, on_change=save,
                args=(
                    key,
                    lambda score, u=item.use_case_id, c=item.criterion_key: votes.set_consensus(
                        workshop_id=workshop.id, use_case_id=u, criterion_key=c, score=score, set_by=actor,
                    ),
                ),
            )
            field_error(key)

    st.subheader(t("live.results"))
    titles = {u.id: u.title for u in revealed}
    shown_id = st.selectbox(t("column.use_case"), options=list(titles), format_func=titles.get, key=f"reveal_choice_{workshop.id}")
    summary = live_voting.reveal_summary(workshop_id=workshop.id, use_case_id=shown_id)
    st.dataframe(
        [
            {
                t("live.column.criterion"): criterion_names[row.key],
                t("live.column.median"): row.median,
                t("live.column.spread"): "–" if row.minimum is None else f"{row.minimum}–{row.maximum}",
                t("live.column.responses"): row.responses,
                **{str(level): count for level, count in row.counts.items()},
                t("live.column.consensus"): (
                    "" if row.consensus is None
                    else t("live.consensus_by", score=row.consensus, who=row.consensus_by, time=local_time(row.consensus_at))
                ),
            }
            for row in summary
        ],
        hide_index=True,
        width="stretch",
    )
    st.page_link(
        STEP_PAGES["scoring"], label=t("live.to_scoring"), icon=":material/star_rate:",
        query_params={WORKSHOP_PARAM: str(workshop.id), "use_case": str(shown_id)},
    )
