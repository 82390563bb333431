"""Votes and consensus scores, and the ranked result of a workshop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from workshop import access, audit, scoring, scoring_models, storage, validation
from workshop.errors import CrossWorkshopReference, NotFound, UnknownCriterion
from workshop.models import ConsensusScore, Criterion, Participant, UseCase, Vote, Workshop


HIDDEN_VOTING_STATUSES = ("open", "closed")


@dataclass(frozen=True)
class WorkshopResult:
    """Every use case of a workshop scored and ranked, with the thresholds used."""

    workshop_id: int
    value_threshold: float
    feasibility_threshold: float
    ranked: list[scoring.UseCaseScore]


def _criterion_id(session: Session, *, workshop: Workshop, criterion_key: str) -> int:
    criterion_id = session.scalar(
        select(Criterion.id).where(
            Criterion.scoring_model_id == workshop.scoring_model_id, Criterion.key == criterion_key
        )
    )
    if criterion_id is None:
        raise UnknownCriterion(
            f"{criterion_key!r} is not a criterion of this workshop's scoring model.",
            field="criterion",
            keys=criterion_key,
        )
    return criterion_id


def _checked_use_case(session: Session, *, workshop_id: int, use_case_id: int) -> Workshop:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
    use_case_workshop = session.scalar(select(UseCase.workshop_id).where(UseCase.id == use_case_id))
    if use_case_workshop is None:
        raise NotFound(f"No use case with id {use_case_id}.", kind="use_case", id=use_case_id)
    if use_case_workshop != workshop_id:
        raise CrossWorkshopReference(
            f"Use case {use_case_id} belongs to another workshop.", field="use_case_id", id=use_case_id
        )
    return workshop


def upsert(session: Session, table, values: dict, *, conflict: list[str], update: dict) -> None:  # noqa: ANN001
    """One INSERT … ON CONFLICT DO UPDATE: atomic under concurrent writers on both databases."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values)
    session.execute(statement.on_conflict_do_update(index_elements=conflict, set_=update))


def upsert_from_select(session: Session, table, columns: list[str], rows, *, conflict: list[str], update: list[str]):  # noqa: ANN001, ANN201
    """INSERT … SELECT … ON CONFLICT DO UPDATE: writes the selected rows (none when the
    SELECT's conditions fail), replacing `update` columns of rows that exist."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).from_select(columns, rows)
    return statement.on_conflict_do_update(
        index_elements=conflict, set_={name: getattr(statement.excluded, name) for name in update}
    )


@access.writes_workshop
def record_vote(*, workshop_id: int, participant_id: int, use_case_id: int, criterion_key: str, score: int) -> None:
    """Store a participant's score (1–5) of a use case on a criterion, replacing an earlier one.

    One atomic upsert: concurrent voters never lose or double a row. Raises
    `ScoreOutOfRange`, `UnknownCriterion`, `CrossWorkshopReference` or `NotFound`; nothing
    is written then.
    """
    clean_score = scoring.check_score(score, criterion=criterion_key)
    with storage.write() as session:
        workshop = _checked_use_case(session, workshop_id=workshop_id, use_case_id=use_case_id)
        participant_workshop = session.scalar(select(Participant.workshop_id).where(Participant.id == participant_id))
        if participant_workshop is None:
            raise NotFound(f"No participant with id {participant_id}.", kind="participant", id=participant_id)
        if participant_workshop != workshop_id:
            raise CrossWorkshopReference(
                f"Participant {participant_id} belongs to another workshop.",
                field="participant_id",
                id=participant_id,
            )
        criterion_id = _criterion_id(session, workshop=workshop, criterion_key=criterion_key)
        now = dt.datetime.now(dt.UTC)
        upsert(
            session,
            Vote,
            {
                "workshop_id": workshop_id,
                "participant_id": participant_id,
                "use_case_id": use_case_id,
                "criterion_id": criterion_id,
                "score": clean_score,
                "voted_at": now,
            },
            conflict=["participant_id", "use_case_id", "criterion_id"],
            update={"score": clean_score, "voted_at": now},
        )


@access.writes_workshop
def set_consensus(
    *, workshop_id: int, use_case_id: int, criterion_key: str, score: int | None, set_by: str = ""
) -> None:
    """Set the group's agreed score for a criterion (None removes it), recording who and when.

    Raises `ScoreOutOfRange`, `UnknownCriterion`, `CrossWorkshopReference` or `NotFound`.
    """
    clean_score = None if score is None else scoring.check_score(score, criterion=criterion_key)
    who = validation.text(set_by, field="set_by", max_length=200)
    with storage.write() as session:
        workshop = _checked_use_case(session, workshop_id=workshop_id, use_case_id=use_case_id)
        criterion_id = _criterion_id(session, workshop=workshop, criterion_key=criterion_key)
        if clean_score is None:
            existing = session.scalar(
                select(ConsensusScore).where(
                    ConsensusScore.use_case_id == use_case_id, ConsensusScore.criterion_id == criterion_id
                )
            )
            if existing is not None:
                session.delete(existing)
                audit.record(
                    session, actor=who, action="consensus.removed", object_type="use_case", object_id=use_case_id,
                    criterion=criterion_key,
                )
            return
        now = dt.datetime.now(dt.UTC)
        upsert(
            session,
            ConsensusScore,
            {"use_case_id": use_case_id, "criterion_id": criterion_id, "score": clean_score, "set_by": who, "set_at": now},
            conflict=["use_case_id", "criterion_id"],
            update={"score": clean_score, "set_by": who, "set_at": now},
        )
        audit.record(
            session, actor=who, action="consensus.set", object_type="use_case", object_id=use_case_id,
            criterion=criterion_key, score=clean_score,
        )


@access.reads_workshop
def count_votes(*, workshop_id: int) -> int:
    with storage.read() as session:
        return session.scalar(select(func.count(Vote.id)).where(Vote.workshop_id == workshop_id)) or 0


@access.reads_workshop
def workshop_result(*, workshop_id: int) -> WorkshopResult:
    """Every use case of the workshop scored with its own model and thresholds, best first.

    Raises `NotFound` for a missing workshop.
    """
    with storage.read() as session:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        model_id = workshop.scoring_model_id
        thresholds = (workshop.value_threshold, workshop.feasibility_threshold)
        use_cases = session.execute(
            select(UseCase.id, UseCase.title).where(UseCase.workshop_id == workshop_id)
        ).all()
        # Phone votes stay blind until revealed: a use case still being voted on counts
        # only its consensus scores (HIDDEN_VOTING_STATUSES).
        vote_rows = session.execute(
            select(Vote.use_case_id, Vote.participant_id, Criterion.key, Vote.score)
            .join(Criterion, Criterion.id == Vote.criterion_id)
            .join(UseCase, UseCase.id == Vote.use_case_id)
            .where(Vote.workshop_id == workshop_id, UseCase.voting_status.not_in(HIDDEN_VOTING_STATUSES))
        ).all()
        consensus_rows = session.execute(
            select(ConsensusScore.use_case_id, Criterion.key, ConsensusScore.score)
            .join(Criterion, Criterion.id == ConsensusScore.criterion_id)
            .join(UseCase, UseCase.id == ConsensusScore.use_case_id)
            .where(UseCase.workshop_id == workshop_id)
        ).all()
    model = scoring_models.get_model(model_id)
    value_threshold = thresholds[0] if thresholds[0] is not None else model.value_threshold
    feasibility_threshold = thresholds[1] if thresholds[1] is not None else model.feasibility_threshold
    votes_by_use_case: dict[int, list[tuple[int, str, int]]] = {}
    for use_case_id, participant_id, key, score in vote_rows:
        votes_by_use_case.setdefault(use_case_id, []).append((participant_id, key, score))
    consensus_by_use_case: dict[int, dict[str, int]] = {}
    for use_case_id, key, score in consensus_rows:
        consensus_by_use_case.setdefault(use_case_id, {})[key] = score
    scores = [
        scoring.score_use_case(
            use_case_id=use_case_id,
            title=title,
            criteria=model.specs,
            votes=votes_by_use_case.get(use_case_id, []),
            consensus=consensus_by_use_case.get(use_case_id),
            value_threshold=value_threshold,
            feasibility_threshold=feasibility_threshold,
        )
        for use_case_id, title in use_cases
    ]
    return WorkshopResult(
        workshop_id=workshop_id,
        value_threshold=value_threshold,
        feasibility_threshold=feasibility_threshold,
        ranked=scoring.rank(scores),
    )


@dataclass(frozen=True)
class ScoringProgress:
    complete: int
    total: int

    @property
    def share(self) -> float:
        return self.complete / self.total if self.total else 0.0


def scoring_progress(*, result: WorkshopResult, criteria: list[str]) -> ScoringProgress:
    """How many use cases have a score (consensus or votes) on every criterion."""
    complete = sum(
        all(score.criteria[key].score is not None for key in criteria) for score in result.ranked
    )
    return ScoringProgress(complete=complete, total=len(result.ranked))


@dataclass(frozen=True)
class VoteRow:
    participant_id: int
    use_case_id: int
    criterion_key: str
    score: int


@access.reads_workshop
def list_votes(*, workshop_id: int) -> list[VoteRow]:
    """Every vote of the workshop that is not hidden by blind voting, by use case,
    participant and criterion order."""
    with storage.read() as session:
        rows = session.execute(
            select(Vote.participant_id, Vote.use_case_id, Criterion.key, Vote.score)
            .join(Criterion, Criterion.id == Vote.criterion_id)
            .join(UseCase, UseCase.id == Vote.use_case_id)
            .where(Vote.workshop_id == workshop_id, UseCase.voting_status.not_in(HIDDEN_VOTING_STATUSES))
            .order_by(UseCase.position, UseCase.id, Vote.participant_id, Criterion.position)
        ).all()
    return [VoteRow(*row) for row in rows]
