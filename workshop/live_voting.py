"""Live voting from participants' phones: join code, blind ballots, counts, reveal, re-vote.

A facilitator starts a voting session (a short join code, shown with a QR code) and opens
use cases; a phone joins with the code and gets a device token that identifies it from then
on (kept in its address, so a reload keeps identity and votes). Codes and tokens are stored
only as SHA-256 hashes. Voting is blind: until a use case is revealed, nobody — projector,
scoring step or matrix — sees its scores, only how many have voted.

Every function checks the state it needs inside its own transaction and raises a
`VotingError` (or a validation error) with nothing stored when the state does not allow it.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

import segno
from sqlalchemy import DateTime, func, literal, select, update
from sqlalchemy.orm import Session

from workshop import access, audit, codes, scoring, scoring_models, storage, throttle, validation
from workshop.errors import (
    EmptyName,
    InvalidJoinCode,
    NotFound,
    NotRevealed,
    StaleRound,
    UnknownCriterion,
    UnknownDevice,
    UseCaseNotOpen,
    VotingClosed,
    VotingTransition,
)
from workshop.models import Company, ConsensusScore, Criterion, Participant, UseCase, Vote, Workshop, as_utc
from workshop.votes import upsert_from_select

# 8 characters from codes.ALPHABET: about 40 bits, and wrong guesses are slowed down
# (throttle), so guessing a live code is out of reach.
CODE_LENGTH = 8
CODE_LIFETIME = dt.timedelta(hours=12)
JOIN_SCOPE = "join_code"
VOTING_STATUSES = ("idle", "open", "closed", "revealed")
# Spread (max − min) from which a criterion is worth discussing.
DISAGREEMENT_SPREAD = 2


def format_code(code: str) -> str:
    """Shown in two halves, easier to read from a projector: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _workshop(session: Session, workshop_id: int, *, lock: bool = False) -> Workshop:
    statement = select(Workshop).where(Workshop.id == workshop_id)
    if lock:
        statement = statement.with_for_update()
    workshop = session.scalar(statement)
    if workshop is None:
        raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
    return workshop


def _is_live(workshop: Workshop, now: dt.datetime) -> bool:
    expires = as_utc(workshop.join_code_expires_at)
    return bool(workshop.voting_open and workshop.join_code_hash and expires and expires > now)


# --- the facilitator's side -------------------------------------------------------------


@access.writes_workshop
def start_voting(*, workshop_id: int, actor: str, now: dt.datetime | None = None) -> str:
    """Open the workshop for phones and return a new join code (shown once; only its hash is
    kept). Starting again replaces the code: phones that joined keep working."""
    now = now or _now()
    code = codes.new_code(CODE_LENGTH)
    with storage.write() as session:
        workshop = _workshop(session, workshop_id, lock=True)
        workshop.voting_open = True
        workshop.join_code_hash = codes.digest(code)
        workshop.join_code_expires_at = now + CODE_LIFETIME
        audit.record(session, actor=actor, action="voting.code_issued", object_type="workshop", object_id=workshop_id)
    return code


@access.writes_workshop
def end_voting(*, workshop_id: int, actor: str) -> None:
    """Close voting: the code and every phone stop working, open use cases close."""
    with storage.write() as session:
        workshop = _workshop(session, workshop_id, lock=True)
        workshop.voting_open = False
        workshop.join_code_hash = None
        workshop.join_code_expires_at = None
        session.execute(
            update(UseCase)
            .where(UseCase.workshop_id == workshop_id, UseCase.voting_status == "open")
            .values(voting_status="closed")
        )
        audit.record(session, actor=actor, action="voting.ended", object_type="workshop", object_id=workshop_id)


@access.writes_workshop
def set_anonymous(*, workshop_id: int, anonymous: bool) -> None:
    """Whether phones join without a name; names given earlier are kept."""
    with storage.write() as session:
        _workshop(session, workshop_id).anonymous_voting = bool(anonymous)


def _use_cases(session: Session, workshop_id: int, use_case_ids: Iterable[int] | None) -> list[UseCase]:
    rows = list(
        session.scalars(
            select(UseCase).where(UseCase.workshop_id == workshop_id).order_by(UseCase.position, UseCase.id).with_for_update()
        )
    )
    if use_case_ids is None:
        return rows
    wanted = set(use_case_ids)
    found = [row for row in rows if row.id in wanted]
    missing = wanted - {row.id for row in found}
    if missing:
        raise NotFound(f"No use case {sorted(missing)} in workshop {workshop_id}.", kind="use_case", id=sorted(missing)[0])
    return found


# action → (statuses it may start from, status it leads to)
_TRANSITIONS = {
    "open": (("idle",), "open"),
    "close": (("open",), "closed"),
    "reveal": (("open", "closed"), "revealed"),
}


def _move(*, workshop_id: int, use_case_ids: Iterable[int] | None, action: str, actor: str) -> list[int]:
    """Move the given use cases (all of the workshop's that can move, when None) by `action`.
    Naming a use case that cannot make the move raises `VotingTransition`; nothing changes."""
    sources, target = _TRANSITIONS[action]
    with storage.write() as session:
        _workshop(session, workshop_id)
        rows = _use_cases(session, workshop_id, use_case_ids)
        if use_case_ids is None:
            rows = [row for row in rows if row.voting_status in sources]
        for row in rows:
            if row.voting_status not in sources:
                raise VotingTransition(
                    f"Use case {row.id} is {row.voting_status}; it cannot {action}.",
                    status=row.voting_status, action=action, title=row.title,
                )
        for row in rows:
            row.voting_status = target
        moved = [row.id for row in rows]
        if moved:
            audit.record(session, actor=actor, action=f"voting.{action}", object_type="workshop", object_id=workshop_id, use_cases=moved)
        return moved


@access.writes_workshop
def open_use_cases(*, workshop_id: int, use_case_ids: Iterable[int] | None = None, actor: str) -> list[int]:
    """Open use cases for phone votes (every idle one when `use_case_ids` is None)."""
    return _move(workshop_id=workshop_id, use_case_ids=use_case_ids, action="open", actor=actor)


@access.writes_workshop
def close_use_cases(*, workshop_id: int, use_case_ids: Iterable[int] | None = None, actor: str) -> list[int]:
    """Stop taking votes on use cases; their scores stay hidden until revealed."""
    return _move(workshop_id=workshop_id, use_case_ids=use_case_ids, action="close", actor=actor)


@access.writes_workshop
def reveal(*, workshop_id: int, use_case_ids: Iterable[int] | None = None, actor: str) -> list[int]:
    """Close (if open) and reveal: the votes now count in the scores, matrix and ranking."""
    return _move(workshop_id=workshop_id, use_case_ids=use_case_ids, action="reveal", actor=actor)


@access.writes_workshop
def revote(*, workshop_id: int, use_case_id: int, actor: str) -> int:
    """Re-open a closed or revealed use case for a new, blind round: its votes are removed
    (their number is logged), ballots from the earlier round are refused. Returns how many
    votes were removed."""
    with storage.write() as session:
        _workshop(session, workshop_id)
        [row] = _use_cases(session, workshop_id, [use_case_id])
        if row.voting_status not in ("closed", "revealed"):
            raise VotingTransition(
                f"Use case {row.id} is {row.voting_status}; it cannot be re-voted.",
                status=row.voting_status, action="revote", title=row.title,
            )
        removed = session.execute(Vote.__table__.delete().where(Vote.use_case_id == use_case_id)).rowcount
        row.voting_status = "open"
        row.voting_round += 1
        audit.record(
            session, actor=actor, action="voting.revote", object_type="use_case", object_id=use_case_id,
            round=row.voting_round, votes_removed=removed,
        )
        return removed


# --- the phone's side -------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    workshop_id: int
    company_name: str
    language: str
    anonymous: bool


@dataclass(frozen=True)
class Joined:
    workshop_id: int
    participant_id: int
    device_token: str


def _workshop_for_code(session: Session, code: str, *, client_key: str, now: dt.datetime) -> Workshop | None:
    """The live workshop of `code`, or a recorded failure and `InvalidJoinCode` after commit."""
    throttle.check(session, scope=JOIN_SCOPE, client_key=client_key, now=now)
    clean = codes.normalise(code)
    workshop = None
    if len(clean) == CODE_LENGTH:
        workshop = session.scalar(select(Workshop).where(Workshop.join_code_hash == codes.digest(clean)))
    if workshop is None or not _is_live(workshop, now):
        throttle.record_failure(session, scope=JOIN_SCOPE, client_key=client_key, now=now)
        audit.record(session, actor=f"client:{client_key}", action="join.failed", object_type="join_code")
        return None
    return workshop


def check_code(code: str, *, client_key: str, now: dt.datetime | None = None) -> CodeCheck:
    """What a phone needs before joining (whose workshop, whether names are asked).

    Raises `TooManyAttempts` while this client must wait, `InvalidJoinCode` for a code that
    is wrong, expired, revoked or of a workshop whose voting has closed."""
    now = now or _now()
    with storage.write() as session:
        workshop = _workshop_for_code(session, code, client_key=client_key, now=now)
        if workshop is not None:
            company_name = session.scalar(select(Company.name).where(Company.id == workshop.company_id))
            found = CodeCheck(workshop.id, company_name, workshop.language, workshop.anonymous_voting)
    if workshop is None:
        raise InvalidJoinCode("That code does not open any voting now.", field="join_code")
    return found


def join(code: str, *, name: str = "", client_key: str, now: dt.datetime | None = None) -> Joined:
    """Add a participant for this phone and return its device token (kept in its address).

    With names asked, `name` is required; with anonymous voting it is ignored. Raises as
    `check_code` does, and `EmptyName`/`TooLong` for the name."""
    now = now or _now()
    clean_name = validation.text(name, field="voter_name", max_length=80)
    token = secrets.token_urlsafe(24)
    with storage.write() as session:
        workshop = _workshop_for_code(session, code, client_key=client_key, now=now)
        if workshop is not None:
            if workshop.anonymous_voting:
                clean_name = ""
            elif not clean_name:
                raise EmptyName("Please give your name.", field="voter_name")
            # Someone listed in the profile who joins under that name is that participant, so
            # one person counts once (a second phone with the same name is a new one).
            participant = next(
                (
                    row for row in session.scalars(
                        select(Participant).where(
                            Participant.workshop_id == workshop.id, Participant.device_token_hash.is_(None)
                        ).order_by(Participant.id)
                    )
                    if clean_name and (row.name or "").casefold() == clean_name.casefold()
                ),
                None,
            )
            if participant is None:
                participant = Participant(workshop_id=workshop.id, name=clean_name)
                session.add(participant)
            participant.device_token_hash = codes.digest(token)
            session.flush()
            joined = Joined(workshop.id, participant.id, token)
    if workshop is None:
        raise InvalidJoinCode("That code does not open any voting now.", field="join_code")
    return joined


@dataclass(frozen=True)
class BallotUseCase:
    id: int
    title: str
    description: str
    round: int


@dataclass(frozen=True)
class Ballot:
    """What one phone may see: the open use cases and its own votes, nobody else's."""

    workshop_id: int
    participant_id: int
    participant_name: str
    company_name: str
    language: str
    scoring_model_id: int
    use_cases: list[BallotUseCase]
    my_votes: dict[tuple[int, str], int]
    fingerprint: str


def _participant(session: Session, device_token: str) -> tuple[Participant, Workshop]:
    row = session.execute(
        select(Participant, Workshop)
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .where(Participant.device_token_hash == codes.digest(str(device_token or "")))
    ).first()
    if row is None:
        raise UnknownDevice("This phone is not part of any voting; join with the code again.")
    return row


def _fingerprint(session: Session, workshop: Workshop, now: dt.datetime) -> str:
    if not _is_live(workshop, now):
        return "closed"
    rows = session.execute(
        select(UseCase.id, UseCase.voting_round)
        .where(UseCase.workshop_id == workshop.id, UseCase.voting_status == "open")
        .order_by(UseCase.id)
    ).all()
    return "open:" + ",".join(f"{use_case_id}.{round_}" for use_case_id, round_ in rows)


def ballot_fingerprint(device_token: str, *, now: dt.datetime | None = None) -> str:
    """A short string that changes when this phone's ballot does (use cases opened, closed
    or re-voted; voting ended): the phone polls it and redraws only on a change.

    Every phone asks every few seconds, so this is one plain query, no ORM objects."""
    now = now or _now()
    with storage.read() as session:
        rows = session.execute(
            select(
                Workshop.voting_open, Workshop.join_code_hash, Workshop.join_code_expires_at,
                UseCase.id, UseCase.voting_round,
            )
            .select_from(Participant)
            .join(Workshop, Workshop.id == Participant.workshop_id)
            .outerjoin(UseCase, (UseCase.workshop_id == Workshop.id) & (UseCase.voting_status == "open"))
            .where(Participant.device_token_hash == codes.digest(str(device_token or "")))
            .order_by(UseCase.id)
        ).all()
    if not rows:
        raise UnknownDevice("This phone is not part of any voting; join with the code again.")
    voting_open, code_hash, expires, _, _ = rows[0]
    if not (voting_open and code_hash and expires and as_utc(expires) > now):
        return "closed"
    return "open:" + ",".join(f"{use_case_id}.{round_}" for *_, use_case_id, round_ in rows if use_case_id is not None)


def ballot(device_token: str, *, now: dt.datetime | None = None) -> Ballot:
    """This phone's ballot. Raises `UnknownDevice`, or `VotingClosed` once voting has ended."""
    now = now or _now()
    with storage.read() as session:
        participant, workshop = _participant(session, device_token)
        if not _is_live(workshop, now):
            raise VotingClosed("Voting has closed.")
        company_name = session.scalar(select(Company.name).where(Company.id == workshop.company_id))
        use_cases = [
            BallotUseCase(*row)
            for row in session.execute(
                select(UseCase.id, UseCase.title, UseCase.description, UseCase.voting_round)
                .where(UseCase.workshop_id == workshop.id, UseCase.voting_status == "open")
                .order_by(UseCase.position, UseCase.id)
            )
        ]
        mine = session.execute(
            select(Vote.use_case_id, Criterion.key, Vote.score)
            .join(Criterion, Criterion.id == Vote.criterion_id)
            .join(UseCase, UseCase.id == Vote.use_case_id)
            .where(Vote.participant_id == participant.id, UseCase.voting_status == "open")
        ).all()
        return Ballot(
            workshop_id=workshop.id,
            participant_id=participant.id,
            participant_name=participant.name,
            company_name=company_name,
            language=workshop.language,
            scoring_model_id=workshop.scoring_model_id,
            use_cases=use_cases,
            my_votes={(use_case_id, key): score for use_case_id, key, score in mine},
            fingerprint=_fingerprint(session, workshop, now),
        )


def cast_vote(
    *, device_token: str, use_case_id: int, round: int, criterion_key: str, score: object,
    now: dt.datetime | None = None,
) -> None:
    """Store this phone's score, replacing its earlier one for the same criterion.

    `round` is the use case's round the ballot was drawn for: a ballot from before a re-vote
    (or a replayed request) is refused with `StaleRound`. Raises `ScoreOutOfRange`,
    `UnknownDevice`, `VotingClosed`, `UseCaseNotOpen`, `UnknownCriterion`; nothing is
    stored then. Sending the same vote twice stores it once."""
    now = now or _now()
    clean_score = scoring.check_score(score, criterion=criterion_key)
    # One statement that writes only if every condition holds at that instant: the write
    # lock is held for it alone, and a vote can never slip in after voting closes.
    allowed = (
        select(Participant.workshop_id, Participant.id, UseCase.id, Criterion.id, literal(clean_score), literal(now, DateTime(timezone=True)))
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .join(UseCase, UseCase.workshop_id == Workshop.id)
        .join(Criterion, Criterion.scoring_model_id == Workshop.scoring_model_id)
        .where(
            Participant.device_token_hash == codes.digest(str(device_token or "")),
            UseCase.id == use_case_id,
            Criterion.key == criterion_key,
            Workshop.voting_open.is_(True),
            Workshop.join_code_hash.is_not(None),
            Workshop.join_code_expires_at > now,
            UseCase.voting_status == "open",
            UseCase.voting_round == round,
        )
    )
    with storage.write() as session:
        # RETURNING tells whether a row was written (psycopg reports no rowcount for this).
        written = session.connection().execute(
            upsert_from_select(
                session, Vote, ["workshop_id", "participant_id", "use_case_id", "criterion_id", "score", "voted_at"], allowed,
                conflict=["participant_id", "use_case_id", "criterion_id"], update=["score", "voted_at"],
            ).returning(Vote.id)
        ).first()
    if written is None:
        _why_not_stored(device_token=device_token, use_case_id=use_case_id, round=round, criterion_key=criterion_key, now=now)


def _why_not_stored(*, device_token: str, use_case_id: int, round: int, criterion_key: str, now: dt.datetime) -> None:
    """Raise the error that says why a vote was not written."""
    with storage.read() as session:
        _, workshop = _participant(session, device_token)
        if not _is_live(workshop, now):
            raise VotingClosed("Voting has closed; the vote was not stored.")
        use_case = session.execute(
            select(UseCase.workshop_id, UseCase.voting_status, UseCase.voting_round).where(UseCase.id == use_case_id)
        ).first()
        if use_case is None or use_case.workshop_id != workshop.id or use_case.voting_status != "open":
            raise UseCaseNotOpen("That use case is not open for voting; the vote was not stored.")
        if use_case.voting_round != round:
            raise StaleRound("Voting on this use case has started again; the vote was not stored.")
        criterion_id = session.scalar(
            select(Criterion.id).where(Criterion.scoring_model_id == workshop.scoring_model_id, Criterion.key == criterion_key)
        )
        if criterion_id is None:
            raise UnknownCriterion(f"{criterion_key!r} is not a criterion here.", field="criterion", keys=criterion_key)
    # Everything holds now: the state changed while the vote was on its way.
    raise VotingClosed("Voting changed while the vote was sent; it was not stored.")


# --- the projector ----------------------------------------------------------------------


@dataclass(frozen=True)
class UseCaseProgress:
    id: int
    title: str
    status: str
    round: int
    started: int
    finished: int
    finished_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LiveStatus:
    """What the projector may show while voting is blind: counts, never scores."""

    voting_open: bool
    expires_at: dt.datetime | None
    anonymous: bool
    phones: int
    criteria: int
    use_cases: list[UseCaseProgress]


@access.reads_workshop
def live_status(*, workshop_id: int, now: dt.datetime | None = None) -> LiveStatus:
    """Per use case, how many phones have voted on some and on every criterion (and, with
    names on, who has finished). Cheap enough to run every second."""
    now = now or _now()
    with storage.read() as session:
        workshop = _workshop(session, workshop_id)
        criteria = session.scalar(
            select(func.count(Criterion.id)).where(Criterion.scoring_model_id == workshop.scoring_model_id)
        )
        use_cases = session.execute(
            select(UseCase.id, UseCase.title, UseCase.voting_status, UseCase.voting_round)
            .where(UseCase.workshop_id == workshop_id)
            .order_by(UseCase.position, UseCase.id)
        ).all()
        per_voter = session.execute(
            select(Vote.use_case_id, Participant.name, func.count(Vote.id))
            .join(Participant, Participant.id == Vote.participant_id)
            .join(UseCase, UseCase.id == Vote.use_case_id)
            .where(Vote.workshop_id == workshop_id, UseCase.voting_status != "idle")
            .group_by(Vote.use_case_id, Participant.id, Participant.name)
        ).all()
        phones = session.scalar(
            select(func.count(Participant.id)).where(
                Participant.workshop_id == workshop_id, Participant.device_token_hash.is_not(None)
            )
        )
        live = _is_live(workshop, now)
        anonymous = workshop.anonymous_voting
        expires = as_utc(workshop.join_code_expires_at) if live else None
    started: dict[int, int] = {}
    finished: dict[int, list[str]] = {}
    for use_case_id, name, count in per_voter:
        started[use_case_id] = started.get(use_case_id, 0) + 1
        if count >= criteria:
            finished.setdefault(use_case_id, []).append(name)
    return LiveStatus(
        voting_open=live,
        expires_at=expires,
        anonymous=anonymous,
        phones=phones,
        criteria=criteria,
        use_cases=[
            UseCaseProgress(
                id=use_case_id, title=title, status=status, round=round_,
                started=started.get(use_case_id, 0),
                finished=len(finished.get(use_case_id, [])),
                finished_names=[] if anonymous else sorted(n for n in finished.get(use_case_id, []) if n),
            )
            for use_case_id, title, status, round_ in use_cases
        ],
    )


# --- the reveal -------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionReveal:
    key: str
    responses: int
    median: float | None
    minimum: int | None
    maximum: int | None
    counts: dict[int, int]
    consensus: int | None
    consensus_by: str
    consensus_at: dt.datetime | None

    @property
    def spread(self) -> int:
        return 0 if self.minimum is None else self.maximum - self.minimum


@dataclass(frozen=True)
class Disagreement:
    use_case_id: int
    title: str
    criterion_key: str
    spread: int
    median: float
    responses: int
    counts: dict[int, int]


def _revealed(session: Session, workshop_id: int, use_case_id: int) -> UseCase:
    row = session.get(UseCase, use_case_id)
    if row is None or row.workshop_id != workshop_id:
        raise NotFound(f"No use case {use_case_id} in workshop {workshop_id}.", kind="use_case", id=use_case_id)
    if row.voting_status != "revealed":
        raise NotRevealed("The scores are hidden until the facilitator reveals them.", title=row.title)
    return row


def _mean_distance(scores: list[int], median: float) -> float:
    return sum(abs(score - median) for score in scores) / len(scores)


@access.reads_workshop
def reveal_summary(*, workshop_id: int, use_case_id: int) -> list[CriterionReveal]:
    """Per criterion (model order): responses, median, min–max, how many gave each score,
    and the consensus with who set it and when. Raises `NotRevealed` before the reveal."""
    with storage.read() as session:
        workshop = _workshop(session, workshop_id)
        _revealed(session, workshop_id, use_case_id)
        model = scoring_models.get_model(workshop.scoring_model_id)
        scores: dict[str, list[int]] = {c.key: [] for c in model.criteria}
        for key, score in session.execute(
            select(Criterion.key, Vote.score).join(Criterion, Criterion.id == Vote.criterion_id).where(Vote.use_case_id == use_case_id)
        ):
            scores[key].append(score)
        consensus = {
            key: (score, by, at)
            for key, score, by, at in session.execute(
                select(Criterion.key, ConsensusScore.score, ConsensusScore.set_by, ConsensusScore.set_at)
                .join(Criterion, Criterion.id == ConsensusScore.criterion_id)
                .where(ConsensusScore.use_case_id == use_case_id)
            )
        }
    summary = []
    for criterion in model.criteria:
        given = scores[criterion.key]
        agreed = consensus.get(criterion.key)
        summary.append(
            CriterionReveal(
                key=criterion.key,
                responses=len(given),
                median=float(statistics.median(given)) if given else None,
                minimum=min(given) if given else None,
                maximum=max(given) if given else None,
                counts={level: given.count(level) for level in range(scoring.SCALE_MIN, scoring.SCALE_MAX + 1)},
                consensus=agreed[0] if agreed else None,
                consensus_by=agreed[1] if agreed else "",
                consensus_at=as_utc(agreed[2]) if agreed else None,
            )
        )
    return summary


@access.reads_workshop
def disagreements(*, workshop_id: int, limit: int = 8) -> list[Disagreement]:
    """The revealed criteria the group disagreed on most (spread of at least two steps) and
    has not yet settled with a consensus: widest spread first, then the more scattered."""
    with storage.read() as session:
        _workshop(session, workshop_id)
        rows = session.execute(
            select(UseCase.id, UseCase.title, Criterion.key, Vote.score)
            .join(Vote, Vote.use_case_id == UseCase.id)
            .join(Criterion, Criterion.id == Vote.criterion_id)
            .outerjoin(
                ConsensusScore,
                (ConsensusScore.use_case_id == UseCase.id) & (ConsensusScore.criterion_id == Criterion.id),
            )
            .where(UseCase.workshop_id == workshop_id, UseCase.voting_status == "revealed", ConsensusScore.id.is_(None))
        ).all()
    grouped: dict[tuple[int, str, str], list[int]] = {}
    for use_case_id, title, key, score in rows:
        grouped.setdefault((use_case_id, title, key), []).append(score)
    found = []
    for (use_case_id, title, key), scores in grouped.items():
        spread = max(scores) - min(scores)
        if spread >= DISAGREEMENT_SPREAD:
            median = float(statistics.median(scores))
            found.append(
                (
                    (-spread, -_mean_distance(scores, median), use_case_id, key),
                    Disagreement(
                        use_case_id, title, key, spread, median, len(scores),
                        {level: scores.count(level) for level in range(scoring.SCALE_MIN, scoring.SCALE_MAX + 1)},
                    ),
                )
            )
    return [item for _, item in sorted(found, key=lambda pair: pair[0])][:limit]


def join_url(base_url: str, code: str) -> str:
    """The address a phone opens (what the QR code holds): the code fills itself in."""
    return f"{base_url.rstrip('/')}/join?code={format_code(code)}"


def qr_png(text: str, *, scale: int = 12) -> bytes:
    """A QR code for `text` as PNG, with enough quiet zone and error correction to scan
    from a projector across a room."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
