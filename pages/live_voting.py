"""Step 4 with phones: the projector shows the join code and who has voted, never a score,
until the facilitator reveals a use case; then medians, spread and what to discuss first.

The facilitator does not vote here; to vote, they join with the code like everyone else.
"""

import streamlit as st

from ui import auth, error_text, is_today, language, local_time, plain, t
from ui.flow import ERROR_SUFFIX, STEP_PAGES, WORKSHOP_PARAM, field_error, open_step, save
from workshop import config, live_voting, scoring_models, votes
from workshop.errors import DomainError

# The projector's counts refresh on their own at this pace (the 2-second promise).
REFRESH_EVERY = "1s"
# Cards per row on the projector: at 1280×720 nine use cases and their counts fit in view.
PANEL_COLUMNS = 3
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
    if any(u.status in ("open", "closed") for u in status.use_cases):
        st.button(t("live.reveal_all"), on_click=act, args=(live_voting.reveal,), type="primary", icon=":material/visibility:")
    if status.voting_open:
        st.button(t("live.new_code"), on_click=start, icon=":material/refresh:")
        st.button(t("live.end"), on_click=end, icon=":material/stop_circle:")
    else:
        st.button(t("live.start"), on_click=start, type="primary", icon=":material/qr_code_2:")
field_error(anonymous_key)



def join_code_block(code: str) -> None:
    address = live_voting.join_url(config.public_url(st.context.url), code)
    code_column, qr_column = st.columns([3, 2], vertical_alignment="center")
    with code_column:
        st.markdown(t("live.join_how", address=address.split("?")[0]))
        with st.container(key="join_code"):
            st.markdown(f"# {live_voting.format_code(code)}")
        st.caption(t("live.expires", time=local_time(status.expires_at, date=not is_today(status.expires_at))))
    qr_column.image(live_voting.qr_png(address), width=300, caption=address, alt=t("live.qr_alt"))
    st.html(JOIN_CODE_STYLE)


if status.voting_open:
    code = st.session_state.get(code_key)
    if code and status.phones == 0:
        join_code_block(code)
    elif code:  # the phones are in: the room needs the counts more than the code
        with st.expander(t("live.code_again", code=live_voting.format_code(code)), icon=":material/qr_code_2:"):
            join_code_block(code)
    else:
        st.info(t("live.code_hidden"), icon=":material/visibility_off:")
else:
    st.info(t("live.not_started"), icon=":material/info:")

def _status_label(use_case: live_voting.UseCaseProgress) -> str:
    return t(f"live.status.{use_case.status}") + (f" · {t('live.round', round=use_case.round)}" if use_case.round > 1 else "")


@st.fragment(run_every=REFRESH_EVERY)
def live_panel(workshop_id: int) -> None:
    """Counts only — how many phones have started and finished each use case."""
    now = live_voting.live_status(workshop_id=workshop_id)
    shown = [u for u in now.use_cases if u.status != "idle"]
    st.markdown(t("live.phones", count=now.phones))
    # A grid of compact cards: every open use case's count in view at once at 1280×720.
    columns = st.columns(PANEL_COLUMNS)
    for index, use_case in enumerate(shown):
        with columns[index % PANEL_COLUMNS], st.container(border=True, key=f"progress_{use_case.id}", gap="small"):
            st.markdown(f"**{plain(use_case.title)}** · {_status_label(use_case)}")
            total = max(now.phones, use_case.started)
            st.progress(
                use_case.finished / total if total else 0.0,
                text=t("live.finished", finished=use_case.finished, total=total, started=use_case.started),
            )
            if use_case.finished_names:
                st.caption(t("live.finished_names", names=", ".join(plain(name) for name in use_case.finished_names)))
            with st.container(horizontal=True, gap="small"):
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


revealed = [u for u in status.use_cases if u.status == "revealed"]
CONSENSUS_SET_KEY = f"consensus_set_{workshop.id}"


def histogram(counts: dict[int, int]) -> str:
    """Each score with a bar as long as its count, readable from the back of the room."""
    return "  ".join(f"{level} {'█' * count if count else '·'}" for level, count in counts.items())


def set_consensus(key: str, item: live_voting.Disagreement) -> None:
    score = st.session_state[key]
    try:
        votes.set_consensus(workshop_id=workshop.id, use_case_id=item.use_case_id, criterion_key=item.criterion_key,
                            score=score, set_by=actor)
    except DomainError as error:
        st.session_state[key + ERROR_SUFFIX] = error_text(error)
        return
    st.session_state.pop(key + ERROR_SUFFIX, None)
    st.session_state.setdefault(CONSENSUS_SET_KEY, {})[(item.use_case_id, item.criterion_key)] = (item.title, score)


def undo_consensus(use_case_id: int, criterion_key: str) -> None:
    set_here = st.session_state.get(CONSENSUS_SET_KEY, {})
    try:
        votes.set_consensus(workshop_id=workshop.id, use_case_id=use_case_id, criterion_key=criterion_key, score=None, set_by=actor)
    except DomainError as error:
        st.session_state["live_error"] = error_text(error)
        return
    set_here.pop((use_case_id, criterion_key), None)
    st.session_state.pop(f"live_consensus_{use_case_id}_{criterion_key}", None)


if revealed:
    st.subheader(t("live.discuss_first"))
    for (use_case_id, criterion_key), (title, score) in list(st.session_state.get(CONSENSUS_SET_KEY, {}).items()):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.success(t("live.consensus_set", use_case=plain(title), criterion=criterion_names[criterion_key], score=score),
                       icon=":material/check_circle:")
            st.button(t("live.undo"), key=f"undo_{use_case_id}_{criterion_key}", icon=":material/undo:",
                      on_click=undo_consensus, args=(use_case_id, criterion_key))
    items = live_voting.disagreements(workshop_id=workshop.id)
    if not items and not st.session_state.get(CONSENSUS_SET_KEY):
        st.caption(t("live.no_disagreements"))
    for item in items:
        with st.container(border=True):
            words, control = st.columns([3, 2], vertical_alignment="center")
            words.markdown(
                t(
                    "live.disagreement", use_case=plain(item.title), criterion=criterion_names[item.criterion_key],
                    median=f"{item.median:g}", spread=item.spread, responses=item.responses,
                    counts=" · ".join(f"{level}: {count}" for level, count in item.counts.items()),
                )
            )
            words.markdown(f"`{histogram(item.counts)}`")
            key = f"live_consensus_{item.use_case_id}_{item.criterion_key}"
            with control:
                st.segmented_control(
                    t("live.set_consensus"), options=[1, 2, 3, 4, 5], key=key, on_change=set_consensus, args=(key, item),
                )
                field_error(key)

live_panel(workshop.id)

idle = [u for u in status.use_cases if u.status == "idle"]
if idle:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        titles = {u.id: u.title for u in idle}
        chosen = st.multiselect(
            t("live.choose_use_cases"), options=list(titles), default=list(titles), format_func=titles.get,
            key=f"open_choice_{workshop.id}", placeholder=t("live.choose_placeholder"),
        )
        if st.button(t("live.open_chosen"), disabled=not chosen, icon=":material/how_to_vote:"):
            act(live_voting.open_use_cases, use_case_ids=chosen)
            st.rerun()


if revealed:
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
