"""Live phone voting through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from sqlalchemy import func, select

from tests.factories import make_workshop
from workshop.deliverable import build_deliverable
from workshop import codes, exports, live_voting, scoring_models, storage, throttle, votes
from workshop.errors import (
    EmptyName,
    InvalidJoinCode,
    NotRevealed,
    ScoreOutOfRange,
    StaleRound,
    TooManyAttempts,
    UnknownCriterion,
    UnknownDevice,
    UseCaseNotOpen,
    VotingClosed,
    VotingTransition,
)
from workshop.models import AuditEvent, FailedAttempt, Participant, Vote

CLIENT = "192.0.2.10"
_cohorts = itertools.count(1)


def _criteria() -> list[str]:
    return [c.key for c in scoring_models.get_model(scoring_models.default_model_id()).criteria]


def _vote_count(**where) -> int:
    with storage.read() as session:
        statement = select(func.count(Vote.id))
        for name, value in where.items():
            statement = statement.where(getattr(Vote, name) == value)
        return session.scalar(statement)


def _live(use_cases: int = 2, *, anonymous: bool = False, open_all: bool = True) -> dict:
    ids = make_workshop(participants=0, use_cases=use_cases, cohort_name=f"Kohort {next(_cohorts)}")
    if anonymous:
        live_voting.set_anonymous(workshop_id=ids["workshop_id"], anonymous=True)
    ids["code"] = live_voting.start_voting(workshop_id=ids["workshop_id"], actor="Anna")
    if open_all:
        live_voting.open_use_cases(workshop_id=ids["workshop_id"], actor="Anna")
    return ids


def _phone(ids: dict, name: str = "Eva", client: str = CLIENT) -> str:
    return live_voting.join(ids["code"], name=name, client_key=client).device_token


def _cast(token: str, use_case_id: int, criterion: str, score, round_: int = 1) -> None:
    live_voting.cast_vote(device_token=token, use_case_id=use_case_id, round=round_, criterion_key=criterion, score=score)


def test_a_phone_joins_with_the_code_and_keeps_its_identity_and_votes(db):
    ids = _live()
    code = ids["code"]
    assert len(code) == live_voting.CODE_LENGTH and set(code) <= set(codes.ALPHABET)
    typed = live_voting.format_code(code).lower()  # "abcd-efgh" as someone types it
    checked = live_voting.check_code(typed, client_key=CLIENT)
    assert (checked.workshop_id, checked.company_name, checked.anonymous) == (ids["workshop_id"], "Testbolaget AB", False)
    token = _phone(ids, name="  Eva  ")
    _cast(token, ids["use_case_ids"][0], "business_impact", 4)
    _cast(token, ids["use_case_ids"][0], "business_impact", 2)  # changed mind: replaced, not added
    again = live_voting.ballot(token)  # what a reload shows
    assert again.participant_name == "Eva"
    assert [u.id for u in again.use_cases] == ids["use_case_ids"]
    assert again.my_votes == {(ids["use_case_ids"][0], "business_impact"): 2}
    assert _vote_count() == 1
    with storage.read() as session:
        stored = session.scalar(select(Participant.device_token_hash).where(Participant.name == "Eva"))
    assert stored != token and len(stored) == 64  # only the hash is kept


def test_names_are_asked_or_not_by_the_workshops_setting(db):
    named = _live()
    with pytest.raises(EmptyName):
        live_voting.join(named["code"], name="  ", client_key=CLIENT)
    anonymous = _live(anonymous=True)
    token = live_voting.join(anonymous["code"], name="Bo", client_key=CLIENT).device_token
    assert live_voting.ballot(token).participant_name == ""


def test_a_ballot_shows_only_open_use_cases_and_only_ones_own_votes(db):
    ids = _live(use_cases=3, open_all=False)
    first, second, third = ids["use_case_ids"]
    live_voting.open_use_cases(workshop_id=ids["workshop_id"], use_case_ids=[first, third], actor="Anna")
    eva, bo = _phone(ids, "Eva"), _phone(ids, "Bo")
    _cast(eva, first, "business_impact", 5)
    _cast(bo, first, "business_impact", 1)
    assert [u.id for u in live_voting.ballot(bo).use_cases] == [first, third]
    assert live_voting.ballot(bo).my_votes == {(first, "business_impact"): 1}
    with pytest.raises(UseCaseNotOpen):
        _cast(eva, second, "business_impact", 3)


def test_votes_stay_blind_until_revealed_then_feed_the_scores(db):
    ids = _live(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    phones = [_phone(ids, f"P{n}") for n in range(3)]
    for phone, score in zip(phones, (2, 4, 5), strict=True):
        _cast(phone, use_case_id, "business_impact", score)
    [hidden] = votes.workshop_result(workshop_id=ids["workshop_id"]).ranked
    assert hidden.criteria["business_impact"].responses == 0
    assert votes.list_votes(workshop_id=ids["workshop_id"]) == []
    with pytest.raises(NotRevealed):
        live_voting.reveal_summary(workshop_id=ids["workshop_id"], use_case_id=use_case_id)
    status = live_voting.live_status(workshop_id=ids["workshop_id"])
    assert not {"score", "median", "scores"} & set(vars(status.use_cases[0]))  # counts, never scores
    live_voting.reveal(workshop_id=ids["workshop_id"], actor="Anna")
    [shown] = votes.workshop_result(workshop_id=ids["workshop_id"]).ranked
    aggregate = shown.criteria["business_impact"]
    assert (aggregate.median, aggregate.minimum, aggregate.maximum, aggregate.responses) == (4.0, 2, 5, 3)
    assert len(votes.list_votes(workshop_id=ids["workshop_id"])) == 3


def test_projector_counts_who_started_and_finished(db):
    ids = _live(use_cases=2)
    first, second = ids["use_case_ids"]
    eva, bo, _ = _phone(ids, "Eva"), _phone(ids, "Bo"), _phone(ids, "Cai")
    for key in _criteria():
        _cast(eva, first, key, 3)
    _cast(bo, first, "business_impact", 3)
    status = live_voting.live_status(workshop_id=ids["workshop_id"])
    assert (status.voting_open, status.phones, status.criteria) == (True, 3, len(_criteria()))
    by_id = {u.id: u for u in status.use_cases}
    assert (by_id[first].started, by_id[first].finished, by_id[first].finished_names) == (2, 1, ["Eva"])
    assert (by_id[second].started, by_id[second].finished) == (0, 0)
    live_voting.set_anonymous(workshop_id=ids["workshop_id"], anonymous=True)
    assert live_voting.live_status(workshop_id=ids["workshop_id"]).use_cases[0].finished_names == []


def test_reveal_gives_medians_spread_and_the_largest_disagreements_first(db):
    ids = _live(use_cases=2)
    first, second = ids["use_case_ids"]
    phones = [_phone(ids, f"P{n}") for n in range(4)]
    plan = {
        (first, "business_impact"): (1, 2, 4, 5),  # spread 4
        (first, "customer_benefit"): (3, 3, 3, 4),  # spread 1: agreed
        (second, "business_impact"): (2, 2, 2, 5),  # spread 3
        (second, "data_availability"): (1, 3, 3, 4),  # spread 3, as scattered: then by criterion
    }
    for (use_case_id, key), scores in plan.items():
        for phone, score in zip(phones, scores, strict=True):
            _cast(phone, use_case_id, key, score)
    assert live_voting.disagreements(workshop_id=ids["workshop_id"]) == []  # nothing revealed yet
    live_voting.reveal(workshop_id=ids["workshop_id"], use_case_ids=[first, second], actor="Anna")
    summary = {row.key: row for row in live_voting.reveal_summary(workshop_id=ids["workshop_id"], use_case_id=first)}
    assert (summary["business_impact"].median, summary["business_impact"].spread) == (3.0, 4)
    assert summary["business_impact"].counts == {1: 1, 2: 1, 3: 0, 4: 1, 5: 1}
    assert (summary["customer_benefit"].median, summary["customer_benefit"].responses) == (3.0, 4)
    assert summary["risk_regulation"].responses == 0 and summary["risk_regulation"].median is None
    found = live_voting.disagreements(workshop_id=ids["workshop_id"])
    assert [(d.use_case_id, d.criterion_key, d.spread) for d in found] == [
        (first, "business_impact", 4),
        (second, "business_impact", 3),
        (second, "data_availability", 3),
    ]
    votes.set_consensus(workshop_id=ids["workshop_id"], use_case_id=first, criterion_key="business_impact", score=4, set_by="Anna")
    settled = {row.key: row for row in live_voting.reveal_summary(workshop_id=ids["workshop_id"], use_case_id=first)}
    assert (settled["business_impact"].consensus, settled["business_impact"].consensus_by) == (4, "Anna")
    assert settled["business_impact"].consensus_at is not None
    assert [d.criterion_key for d in live_voting.disagreements(workshop_id=ids["workshop_id"])] == ["business_impact", "data_availability"]


def test_revote_starts_a_new_blind_round_and_refuses_old_ballots(db):
    ids = _live(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    eva = _phone(ids)
    _cast(eva, use_case_id, "business_impact", 2)
    live_voting.reveal(workshop_id=ids["workshop_id"], actor="Anna")
    assert live_voting.revote(workshop_id=ids["workshop_id"], use_case_id=use_case_id, actor="Anna") == 1
    with pytest.raises(StaleRound):
        _cast(eva, use_case_id, "business_impact", 2, round_=1)  # replayed from the first round
    assert _vote_count() == 0
    _cast(eva, use_case_id, "business_impact", 5, round_=2)
    assert live_voting.ballot(eva).use_cases[0].round == 2
    assert _vote_count() == 1
    with storage.read() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["voting.code_issued", "voting.open", "voting.reveal", "voting.revote"]


@pytest.mark.parametrize(
    ("action", "status"),
    [("reveal", "idle"), ("close", "idle"), ("open", "open"), ("revote", "open")],
)
def test_moves_the_state_does_not_allow_are_refused(db, action, status):
    ids = _live(use_cases=1, open_all=status == "open")
    [use_case_id] = ids["use_case_ids"]
    with pytest.raises(VotingTransition) as refused:
        if action == "revote":
            live_voting.revote(workshop_id=ids["workshop_id"], use_case_id=use_case_id, actor="Anna")
        else:
            getattr(live_voting, {"reveal": "reveal", "close": "close_use_cases", "open": "open_use_cases"}[action])(
                workshop_id=ids["workshop_id"], use_case_ids=[use_case_id], actor="Anna"
            )
    assert refused.value.params["status"] == status


BAD_VOTES = {
    "score 0": (dict(score=0), ScoreOutOfRange),
    "score 6": (dict(score=6), ScoreOutOfRange),
    "score 2.5": (dict(score=2.5), ScoreOutOfRange),
    "score text": (dict(score="3"), ScoreOutOfRange),
    "score true": (dict(score=True), ScoreOutOfRange),
    "unknown criterion": (dict(criterion_key="beauty"), UnknownCriterion),
    "forged device": (dict(device_token="forged-token"), UnknownDevice),
    "empty device": (dict(device_token=""), UnknownDevice),
    "use case not open": (dict(use_case="idle"), UseCaseNotOpen),
    "other workshop's use case": (dict(use_case="other"), UseCaseNotOpen),
    "missing use case": (dict(use_case_id=10**9), UseCaseNotOpen),
    "future round": (dict(round=2), StaleRound),
}


@pytest.mark.parametrize("case", BAD_VOTES, ids=list(BAD_VOTES))
def test_bad_votes_are_refused_and_store_nothing(db, case):
    ids = _live(use_cases=2, open_all=False)
    open_id, idle_id = ids["use_case_ids"]
    live_voting.open_use_cases(workshop_id=ids["workshop_id"], use_case_ids=[open_id], actor="Anna")
    other = _live(use_cases=1)
    token = _phone(ids)
    changes, error = BAD_VOTES[case]
    arguments = dict(device_token=token, use_case_id=open_id, round=1, criterion_key="business_impact", score=3)
    arguments.update({k: v for k, v in changes.items() if k != "use_case"})
    if changes.get("use_case") == "idle":
        arguments["use_case_id"] = idle_id
    if changes.get("use_case") == "other":
        arguments["use_case_id"] = other["use_case_ids"][0]
    with pytest.raises(error):
        live_voting.cast_vote(**arguments)
    assert _vote_count() == 0


def test_after_voting_ends_codes_and_phones_stop_working(db):
    ids = _live(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    eva = _phone(ids)
    live_voting.end_voting(workshop_id=ids["workshop_id"], actor="Anna")
    with pytest.raises(VotingClosed):
        _cast(eva, use_case_id, "business_impact", 3)  # a late vote
    with pytest.raises(VotingClosed):
        live_voting.ballot(eva)
    assert live_voting.ballot_fingerprint(eva) == "closed"
    with pytest.raises(InvalidJoinCode):
        live_voting.check_code(ids["code"], client_key=CLIENT)
    assert _vote_count() == 0
    assert live_voting.live_status(workshop_id=ids["workshop_id"]).use_cases[0].status == "closed"


def test_a_code_expires_and_a_new_code_replaces_the_old(db):
    ids = _live(use_cases=1)
    later = dt.datetime.now(dt.UTC) + live_voting.CODE_LIFETIME + dt.timedelta(minutes=1)
    eva = _phone(ids)
    with pytest.raises(InvalidJoinCode):
        live_voting.check_code(ids["code"], client_key="other", now=later)
    with pytest.raises(VotingClosed):
        live_voting.cast_vote(device_token=eva, use_case_id=ids["use_case_ids"][0], round=1, criterion_key="business_impact", score=3, now=later)
    new_code = live_voting.start_voting(workshop_id=ids["workshop_id"], actor="Anna")
    assert new_code != ids["code"]
    with pytest.raises(InvalidJoinCode):
        live_voting.check_code(ids["code"], client_key="other-2")
    assert live_voting.check_code(new_code, client_key=CLIENT).workshop_id == ids["workshop_id"]
    _cast(eva, ids["use_case_ids"][0], "business_impact", 3)  # joined phones keep working
    assert _vote_count() == 1


def test_a_code_opens_only_its_own_workshop(db):
    mine, theirs = _live(use_cases=1), _live(use_cases=1)
    token = _phone(mine)
    ballot = live_voting.ballot(token)
    assert ballot.workshop_id == mine["workshop_id"]
    assert [u.id for u in ballot.use_cases] == mine["use_case_ids"]
    assert live_voting.check_code(theirs["code"], client_key=CLIENT).workshop_id == theirs["workshop_id"]
    with pytest.raises(UseCaseNotOpen):
        _cast(token, theirs["use_case_ids"][0], "business_impact", 3)


def test_repeated_wrong_codes_are_slowed_down_and_measured(db):
    ids = _live(use_cases=1)
    start = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    waits = []
    now = start
    for attempt in range(7):
        try:
            live_voting.check_code("WRONG234", client_key=CLIENT, now=now)
        except TooManyAttempts as exc:
            pytest.fail(f"attempt {attempt} was throttled too early ({exc.params})")
        except InvalidJoinCode:
            pass
        # How long must this client wait before the next try is even looked at?
        with pytest.raises(TooManyAttempts) if attempt >= throttle.FREE_ATTEMPTS - 1 else _nothing():
            live_voting.check_code(ids["code"], client_key=CLIENT, now=now)  # even the right code
        wait = throttle.delay_after(attempt + 1)
        waits.append(wait)
        now += dt.timedelta(seconds=wait)
    assert waits == [0, 0, 2, 4, 8, 16, 32]
    # Another client (another phone in the room) is not held up by this one's mistakes.
    assert live_voting.check_code(ids["code"], client_key="192.0.2.11", now=now).workshop_id == ids["workshop_id"]
    # Once the wait is over the right code works again; refusals while waiting were not counted.
    assert live_voting.check_code(ids["code"], client_key=CLIENT, now=now).workshop_id == ids["workshop_id"]
    with storage.read() as session:
        assert session.scalar(select(func.count(FailedAttempt.id)).where(FailedAttempt.client_key == CLIENT)) == 7
    # Failures age out of the window.
    assert live_voting.check_code(ids["code"], client_key=CLIENT, now=now + throttle.WINDOW).workshop_id == ids["workshop_id"]


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_right_code_while_throttled_does_not_join(db):
    ids = _live(use_cases=1)
    now = dt.datetime.now(dt.UTC)
    for _ in range(throttle.FREE_ATTEMPTS):
        with pytest.raises(InvalidJoinCode):
            live_voting.join("AAAAAAAA", name="X", client_key=CLIENT, now=now)
    with pytest.raises(TooManyAttempts) as waiting:
        live_voting.join(ids["code"], name="Eva", client_key=CLIENT, now=now)
    assert waiting.value.params["seconds"] == 2
    with storage.read() as session:
        assert session.scalar(select(func.count(Participant.id)).where(Participant.workshop_id == ids["workshop_id"])) == 0


def test_64_phones_voting_25_times_at_once_store_every_vote_exactly_once(db):
    writers, per_writer = 64, 25
    ids = _live(use_cases=5)
    keys = _criteria()[:5]
    ballots = [(u, k) for u in ids["use_case_ids"] for k in keys]
    assert len(ballots) == per_writer
    tokens = [_phone(ids, f"P{n}", client=f"10.0.0.{n}") for n in range(writers)]

    def vote_all(indexed: tuple[int, str]) -> None:
        n, token = indexed
        for index, (use_case_id, key) in enumerate(ballots):
            _cast(token, use_case_id, key, 1 + (n + index) % 5)
        # A replayed request from a flaky connection: stored once, not twice.
        _cast(token, ballots[0][0], ballots[0][1], 1 + n % 5)

    with ThreadPoolExecutor(max_workers=writers) as pool:
        list(pool.map(vote_all, enumerate(tokens)))
    assert _vote_count(workshop_id=ids["workshop_id"]) == writers * per_writer
    with storage.read() as session:
        rows = session.execute(select(Vote.participant_id, Vote.use_case_id, Vote.criterion_id, Vote.score)).all()
    assert len(set((p, u, c) for p, u, c, _ in rows)) == writers * per_writer
    live_voting.reveal(workshop_id=ids["workshop_id"], actor="Anna")
    result = votes.workshop_result(workshop_id=ids["workshop_id"])
    assert all(score.criteria[k].responses == writers for score in result.ranked for k in keys)


def test_deliverable_votes_sheet_leaves_out_hidden_votes(db):
    ids = _live(use_cases=1)
    _cast(_phone(ids), ids["use_case_ids"][0], "business_impact", 3)
    workbook = pd.read_excel(io.BytesIO(exports.workbook_bytes(build_deliverable(workshop_id=ids["workshop_id"]))), sheet_name=None)
    assert len(workbook["Röster"]) == 0


def test_a_long_client_key_is_throttled_like_any_other(db):
    ids = _live(use_cases=1)
    client = "x" * 300
    now = dt.datetime.now(dt.UTC)
    for _ in range(throttle.FREE_ATTEMPTS):
        with pytest.raises(InvalidJoinCode):
            live_voting.check_code("WRONG234", client_key=client, now=now)
    with pytest.raises(TooManyAttempts):
        live_voting.check_code(ids["code"], client_key=client, now=now)


def test_a_phone_under_a_profile_participants_name_is_that_participant(db):
    ids = make_workshop(participants=0, use_cases=1)
    from workshop import content

    listed = content.add_participant(workshop_id=ids["workshop_id"], name="Eva Berg", role="VD")
    code = live_voting.start_voting(workshop_id=ids["workshop_id"], actor="test")
    live_voting.join(code, name="eva berg", client_key=CLIENT)
    live_voting.join(code, name="Olle", client_key=CLIENT)
    live_voting.join(code, name="Eva Berg", client_key=CLIENT)  # a second phone under the name: a new one
    with storage.read() as session:
        rows = session.execute(
            select(Participant.id, Participant.name, Participant.device_token_hash.is_not(None))
            .where(Participant.workshop_id == ids["workshop_id"]).order_by(Participant.id)
        ).all()
    assert [(row[0] == listed, row[1], row[2]) for row in rows] == [
        (True, "Eva Berg", True), (False, "Olle", True), (False, "Eva Berg", True),
    ]
