"""The storage layer: connection settings and writes that lose nothing under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from tests.factories import make_workshop
from workshop import content, storage, votes
from workshop.models import Cohort, Vote

THREADS = 32
VOTES_PER_THREAD = 25


def test_sqlite_connection_settings(sqlite_db):
    with storage.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == storage.SQLITE_BUSY_TIMEOUT_MS


def test_write_rolls_back_everything_on_error(db):
    with pytest.raises(RuntimeError), storage.write() as session:
        session.add(Cohort(name="Halvfärdig"))
        session.flush()
        raise RuntimeError("boom")
    with storage.read() as session:
        assert session.scalar(select(func.count(Cohort.id))) == 0


def test_concurrent_votes_store_exactly_all(db):
    """32 voters × 25 votes each, all at once, through the service layer: exactly 800 rows."""
    ids = make_workshop(participants=THREADS, use_cases=5)
    criteria = ["business_impact", "strategic_importance", "customer_benefit", "data_availability", "risk_regulation"]
    ballots = [(use_case_id, criterion) for use_case_id in ids["use_case_ids"] for criterion in criteria]
    assert len(ballots) == VOTES_PER_THREAD

    def vote_all(participant_id: int) -> None:
        for index, (use_case_id, criterion) in enumerate(ballots):
            votes.record_vote(
                workshop_id=ids["workshop_id"],
                participant_id=participant_id,
                use_case_id=use_case_id,
                criterion_key=criterion,
                score=1 + (participant_id + index) % 5,
            )

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(vote_all, ids["participant_ids"]))
    with storage.read() as session:
        rows = session.execute(select(Vote.participant_id, Vote.use_case_id, Vote.score)).all()
    assert len(rows) == THREADS * VOTES_PER_THREAD
    assert len({(p, u) for p, u, _ in rows}) == THREADS * len(ids["use_case_ids"])


def test_concurrent_revotes_keep_one_row_with_a_submitted_score(db):
    """The same ballot re-cast from many threads: one row, never doubled."""
    ids = make_workshop(participants=1, use_cases=1)

    def revote(score: int) -> None:
        votes.record_vote(
            workshop_id=ids["workshop_id"],
            participant_id=ids["participant_ids"][0],
            use_case_id=ids["use_case_ids"][0],
            criterion_key="business_impact",
            score=score,
        )

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(revote, [1 + n % 5 for n in range(64)]))
    with storage.read() as session:
        assert session.execute(select(func.count(Vote.id))).scalar() == 1


def test_concurrent_process_additions_get_distinct_positions(db):
    """Read-modify-write (next position) under concurrency: no two processes share a position."""
    ids = make_workshop(participants=0, use_cases=0)

    def add(n: int) -> int:
        return content.add_process(workshop_id=ids["workshop_id"], area="production", name=f"P{n}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(add, range(24)))
    positions = [p.position for p in content.list_processes(workshop_id=ids["workshop_id"])]
    assert len(positions) == 25
    if storage.is_sqlite():
        assert sorted(positions) == list(range(1, 26))
