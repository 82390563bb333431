"""A participant's phone: join with the code on the screen, then score the open use cases.

No account. The code (typed, or filled in from the QR code's address) adds this phone as a
participant; its device token then stays in the address, so a reload keeps who it is and
what it voted. Voting is blind: the phone sees its own scores and nobody else's.
"""

import streamlit as st

from ui import PARTICIPANT_SESSION, choose_language, client_key, error_text, page_setup, plain, t
from ui.flow import ERROR_SUFFIX, criterion_scale, field_error
from workshop import live_voting, scoring_models
from workshop.errors import DomainError, StaleRound, UnknownDevice, UseCaseNotOpen, VotingClosed

DEVICE_PARAM = "device"
CODE_PARAM = "code"
# The use case on screen, in the address too, so a reload comes back to it.
USE_CASE_PARAM = "case"
# How often a phone asks whether the facilitator opened or closed something.
POLL_EVERY = "2s"

# The workshop's language, chosen at joining; applied before the language switch is drawn.
if "voter_language" in st.session_state:
    choose_language(st.session_state.pop("voter_language"))
st.session_state[PARTICIPANT_SESSION] = True
page_setup("join.title", phone=True)
token = st.query_params.get(DEVICE_PARAM, "")


def join_screen() -> None:
    st.title(t("join.title"))
    code = st.session_state.get("join_code") or st.query_params.get(CODE_PARAM, "")
    check = st.session_state.get("join_check")
    # A code from the QR code's address is checked once, not on every rerun.
    if check is None and code and st.session_state.get("join_code_tried") != code:
        st.session_state["join_code_tried"] = code
        try:
            check = live_voting.check_code(code, client_key=client_key())
        except DomainError as error:
            st.session_state["join_error"] = error_text(error)
        else:
            st.session_state.update(join_check=check, join_code=code, join_error="")
    if check is None:
        with st.form("join_code_form", border=False):
            typed = st.text_input(t("join.code"), value=code, max_chars=12, placeholder="ABCD-EFGH")
            submitted = st.form_submit_button(t("join.continue"), type="primary", width="stretch")
        if submitted:
            st.session_state.update(join_code=typed, join_code_tried=None)
            st.rerun()
        if st.session_state.get("join_error"):
            st.error(st.session_state["join_error"], icon=":material/error:")
        return
    st.markdown(t("join.company", company=plain(check.company_name)))
    with st.form("join_name_form", border=False):
        name = ""
        if check.anonymous:
            st.caption(t("join.anonymous"))
        else:
            name = st.text_input(t("field.voter_name"), max_chars=80)
        joined = st.form_submit_button(t("join.join"), type="primary", width="stretch")
    if joined:
        try:
            device = live_voting.join(code, name=name, client_key=client_key())
        except DomainError as error:
            st.error(error_text(error), icon=":material/error:")
            return
        for key in ("join_check", "join_code", "join_code_tried", "join_error"):
            st.session_state.pop(key, None)
        st.session_state["voter_language"] = check.language
        st.query_params.clear()
        st.query_params[DEVICE_PARAM] = device.device_token
        st.rerun()


@st.fragment(run_every=POLL_EVERY)
def watch(shown: str) -> None:
    """Redraw the whole screen once what the facilitator opened has changed."""
    try:
        now = live_voting.ballot_fingerprint(token)
    except DomainError:
        now = "gone"
    if now != shown:
        st.rerun(scope="app")


def _vote_key(use_case: live_voting.BallotUseCase, criterion_key: str) -> str:
    # The round is part of the key: a re-vote starts from empty controls.
    return f"vote_{use_case.id}_{use_case.round}_{criterion_key}"


def cast(key: str, use_case: live_voting.BallotUseCase, criterion_key: str) -> None:
    saved = st.session_state.setdefault("saved_votes", {})
    try:
        live_voting.cast_vote(
            device_token=token, use_case_id=use_case.id, round=use_case.round,
            criterion_key=criterion_key, score=st.session_state[key],
        )
    except DomainError as error:
        # What the control shows must be what is stored.
        st.session_state[key] = saved.get(key)
        st.session_state[key + ERROR_SUFFIX] = error_text(error)
        if isinstance(error, StaleRound | UseCaseNotOpen | VotingClosed):
            st.session_state["ballot_outdated"] = True
    else:
        saved[key] = st.session_state[key]
        st.session_state.pop(key + ERROR_SUFFIX, None)


@st.fragment
def ballot_form(use_case: live_voting.BallotUseCase, model: scoring_models.ScoringModelInfo) -> None:
    """One use case's criteria; a tap saves that score and reruns only this part."""
    if st.session_state.pop("ballot_outdated", False):
        st.rerun(scope="app")
    keys = [_vote_key(use_case, c.key) for c in model.criteria]
    done = sum(st.session_state.get(key) is not None for key in keys)
    st.progress(done / len(keys), text=t("join.progress", done=done, total=len(keys)))
    for criterion, key in zip(model.criteria, keys, strict=True):
        with st.container(border=True):
            criterion_scale(criterion, key=key, on_change=cast, args=(key, use_case, criterion.key), width="stretch")
            field_error(key)
    if done == len(keys):
        st.success(t("join.use_case_done"), icon=":material/check_circle:")


def ballot_screen() -> None:
    try:
        ballot = live_voting.ballot(token)
    except UnknownDevice as error:
        st.error(error_text(error), icon=":material/error:")
        if st.button(t("join.join_again"), type="primary"):
            st.query_params.clear()
            st.rerun()
        return
    except VotingClosed:
        st.title(t("join.title"))
        st.success(t("join.closed"), icon=":material/how_to_vote:")
        watch("closed")
        return
    watch(ballot.fingerprint)
    greeting = t("join.hello", name=plain(ballot.participant_name)) if ballot.participant_name else t("join.hello_anonymous")
    st.markdown(f"**{plain(ballot.company_name)}** · {greeting}")
    if not ballot.use_cases:
        st.info(t("join.waiting"), icon=":material/hourglass_top:")
        return
    model = scoring_models.get_model(ballot.scoring_model_id)
    saved = st.session_state.setdefault("saved_votes", {})
    for use_case in ballot.use_cases:
        for criterion in model.criteria:
            key = _vote_key(use_case, criterion.key)
            if key not in st.session_state:
                st.session_state[key] = ballot.my_votes.get((use_case.id, criterion.key))
                saved[key] = st.session_state[key]
    ids = [u.id for u in ballot.use_cases]
    by_id = {u.id: u for u in ballot.use_cases}
    if st.session_state.get("ballot_use_case") not in ids:
        from_address = st.query_params.get(USE_CASE_PARAM, "")
        st.session_state["ballot_use_case"] = next((i for i in ids if str(i) == from_address), ids[0])
    titles = {}
    for number, use_case in enumerate(ballot.use_cases, start=1):
        complete = all(st.session_state.get(_vote_key(use_case, c.key)) is not None for c in model.criteria)
        titles[use_case.id] = f"{'✓ ' if complete else ''}{number}. {use_case.title}"
    chosen = st.selectbox(t("join.use_case", count=len(ids)), options=ids, format_func=titles.get, key="ballot_use_case")
    use_case = by_id[chosen]
    if st.query_params.get(USE_CASE_PARAM) != str(chosen):
        st.query_params[USE_CASE_PARAM] = str(chosen)
    if use_case.description:
        st.caption(plain(use_case.description))
    ballot_form(use_case, model)
    position = ids.index(chosen)
    if position + 1 < len(ids):

        def next_use_case() -> None:
            st.session_state["ballot_use_case"] = ids[position + 1]

        st.button(t("join.next"), on_click=next_use_case, icon=":material/arrow_forward:", width="stretch")


if token:
    ballot_screen()
else:
    join_screen()
