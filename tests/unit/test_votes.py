"""Votes, consensus and the ranked workshop result on a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import make_workshop
from workshop import scoring_models, storage, votes
from workshop.errors import CrossWorkshopReference, NotFound, ScoreOutOfRange, UnknownCriterion
from workshop.models import ConsensusScore, Vote


def _vote(ids, participant_index, use_case_index, criterion, score):
    votes.record_vote(
        workshop_id=ids["workshop_id"],
        participant_id=ids["participant_ids"][participant_index],
        use_case_id=ids["use_case_ids"][use_case_index],
        criterion_key=criterion,
        score=score,
    )


def _count(model) -> int:
    with storage.read() as session:
        return session.scalar(select(func.count(model.id)))


def test_votes_feed_medians_axes_and_ranking(db):
    ids = make_workshop(participants=3, use_cases=2)
    model = scoring_models.get_model(scoring_models.default_model_id())
    for criterion in model.criteria:
        good = 2 if criterion.direction == "lower_is_better" else 4
        bad = 4 if criterion.direction == "lower_is_better" else 2
        for p in range(3):
            _vote(ids, p, 0, criterion.key, bad)
            _vote(ids, p, 1, criterion.key, good)
    _vote(ids, 0, 1, "business_impact", 1)  # replaces the earlier 4
    result = votes.workshop_result(workshop_id=ids["workshop_id"])
    first, second = result.ranked
    assert (first.use_case_id, second.use_case_id) == (ids["use_case_ids"][1], ids["use_case_ids"][0])
    assert first.criteria["business_impact"].median == 4.0
    assert (first.criteria["business_impact"].minimum, first.criteria["business_impact"].responses) == (1, 3)
    assert (first.quadrant, second.quadrant) == ("quick_win", "deprioritise")
    assert first.feasibility == pytest.approx(4.0)
    assert first.responses == 3
    assert _count(Vote) == 2 * 3 * len(model.criteria)


def test_consensus_overrides_and_can_be_removed(db):
    ids = make_workshop(participants=2, use_cases=1)
    _vote(ids, 0, 0, "business_impact", 1)
    _vote(ids, 1, 0, "business_impact", 1)
    votes.set_consensus(workshop_id=ids["workshop_id"], use_case_id=ids["use_case_ids"][0], criterion_key="business_impact", score=5, set_by="Anna")
    votes.set_consensus(workshop_id=ids["workshop_id"], use_case_id=ids["use_case_ids"][0], criterion_key="business_impact", score=4, set_by="Anna")
    [score] = votes.workshop_result(workshop_id=ids["workshop_id"]).ranked
    assert (score.criteria["business_impact"].score, score.criteria["business_impact"].median) == (4.0, 1.0)
    assert _count(ConsensusScore) == 1
    votes.set_consensus(workshop_id=ids["workshop_id"], use_case_id=ids["use_case_ids"][0], criterion_key="business_impact", score=None)
    [score] = votes.workshop_result(workshop_id=ids["workshop_id"]).ranked
    assert score.criteria["business_impact"].score == 1.0


@pytest.mark.parametrize("score", [0, 6, 3.5, "4", None])
def test_vote_outside_scale_raises_and_writes_nothing(db, score):
    ids = make_workshop()
    with pytest.raises(ScoreOutOfRange):
        _vote(ids, 0, 0, "business_impact", score)
    assert _count(Vote) == 0


def test_vote_unknown_criterion_raises(db):
    ids = make_workshop()
    with pytest.raises(UnknownCriterion):
        _vote(ids, 0, 0, "charm", 3)
    assert _count(Vote) == 0


def test_vote_across_workshops_raises(db):
    first = make_workshop(cohort_name="A")
    second = make_workshop(cohort_name="B")
    with pytest.raises(CrossWorkshopReference):
        votes.record_vote(workshop_id=first["workshop_id"], participant_id=second["participant_ids"][0], use_case_id=first["use_case_ids"][0], criterion_key="business_impact", score=3)
    with pytest.raises(CrossWorkshopReference):
        votes.record_vote(workshop_id=first["workshop_id"], participant_id=first["participant_ids"][0], use_case_id=second["use_case_ids"][0], criterion_key="business_impact", score=3)
    with pytest.raises(NotFound):
        votes.record_vote(workshop_id=first["workshop_id"], participant_id=999_999, use_case_id=first["use_case_ids"][0], criterion_key="business_impact", score=3)
    assert _count(Vote) == 0


def test_workshop_result_unknown_workshop_raises(db):
    with pytest.raises(NotFound):
        votes.workshop_result(workshop_id=424242)
