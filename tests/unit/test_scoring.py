"""The scoring engine: worked examples and property-based invariants."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import scoring
from workshop.errors import InvalidWeight, ScoreOutOfRange, UnknownChoice, UnknownCriterion
from workshop.scoring import CriterionSpec

CRITERIA = [
    CriterionSpec("impact", "value", 3),
    CriterionSpec("strategy", "value", 1),
    CriterionSpec("data", "feasibility", 2),
    CriterionSpec("cost", "feasibility", 1, "lower_is_better"),
]
KEYS = [c.key for c in CRITERIA]


def test_axis_scores_weighted_mean_with_inverted_cost():
    axes = scoring.axis_scores(CRITERIA, {"impact": 5, "strategy": 1, "data": 4, "cost": 5})
    assert axes == {"value": pytest.approx((3 * 5 + 1 * 1) / 4), "feasibility": pytest.approx((2 * 4 + 1 * 1) / 3)}


def test_axis_scores_none_when_axis_unscored():
    assert scoring.axis_scores(CRITERIA, {"impact": 4}) == {"value": 4.0, "feasibility": None}


def test_axis_scores_unknown_criterion_raises():
    with pytest.raises(UnknownCriterion):
        scoring.axis_scores(CRITERIA, {"impact": 4, "charm": 5})


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "3", None, True])
def test_check_score_rejects_outside_scale(bad):
    with pytest.raises(ScoreOutOfRange):
        scoring.check_score(bad)


@pytest.mark.parametrize("weight", [0, -1, float("nan"), float("inf")])
def test_criterion_weight_must_be_positive(weight):
    with pytest.raises(InvalidWeight):
        CriterionSpec("x", "value", weight)


def test_criterion_axis_must_be_known():
    with pytest.raises(UnknownChoice):
        CriterionSpec("x", "beauty", 1)


@pytest.mark.parametrize(
    ("value", "feasibility", "expected"),
    [
        (4, 4, "quick_win"),
        (3.0, 3.0, "quick_win"),
        (4, 2, "strategic_bet"),
        (2, 4, "fill_in"),
        (2, 2, "deprioritise"),
        (None, 4, None),
    ],
)
def test_quadrant_default_threshold(value, feasibility, expected):
    assert scoring.quadrant(value, feasibility) == expected


def test_quadrant_configurable_thresholds():
    assert scoring.quadrant(3.5, 3.5, value_threshold=4.0, feasibility_threshold=3.0) == "fill_in"


def test_aggregate_median_spread_and_responses():
    votes = [("a", "impact", 1), ("b", "impact", 5), ("c", "impact", 4), ("a", "data", 3)]
    aggregates = scoring.aggregate_votes(votes, criteria=KEYS)
    assert aggregates["impact"] == scoring.CriterionAggregate("impact", 4.0, 1, 5, 3)
    assert aggregates["impact"].spread == 4
    assert aggregates["data"].responses == 1
    assert aggregates["cost"].median is None and aggregates["cost"].responses == 0


def test_aggregate_later_vote_replaces_earlier():
    aggregates = scoring.aggregate_votes([("a", "impact", 1), ("a", "impact", 4)], criteria=KEYS)
    assert (aggregates["impact"].median, aggregates["impact"].responses) == (4.0, 1)


def test_consensus_overrides_median():
    result = scoring.score_use_case(
        use_case_id=1,
        title="x",
        criteria=CRITERIA,
        votes=[("a", "impact", 1), ("b", "impact", 1), ("a", "strategy", 1)],
        consensus={"impact": 5},
    )
    assert result.criteria["impact"].score == 5.0
    assert result.value == pytest.approx((3 * 5 + 1) / 4)
    assert result.responses == 2


def test_disagreements_widest_first():
    votes = [("a", "impact", 1), ("b", "impact", 5), ("a", "data", 2), ("b", "data", 4), ("a", "cost", 3), ("b", "cost", 3)]
    assert scoring.disagreements(scoring.aggregate_votes(votes, criteria=KEYS)) == ["impact", "data"]


def test_rank_tie_breaks_by_value_then_title_then_id():
    def s(id_, title, value, feas):
        return scoring.UseCaseScore(id_, title, value, feas, None, scoring.priority(value, feas), 1)

    ranked = scoring.rank([s(3, "b", 4, 1), s(2, "b", 2, 2), s(1, "a", 2, 2), s(4, "z", None, None), s(5, "c", 1, 4)])
    assert [r.use_case_id for r in ranked] == [3, 1, 2, 5, 4]


# --- invariants -------------------------------------------------------------------------

score_strategy = st.integers(min_value=1, max_value=5)
weights = st.floats(min_value=0.1, max_value=10, allow_nan=False)


@st.composite
def models(draw):
    count = draw(st.integers(min_value=2, max_value=8))
    criteria = []
    for index in range(count):
        axis = "value" if index == 0 else "feasibility" if index == 1 else draw(st.sampled_from(["value", "feasibility"]))
        direction = draw(st.sampled_from(["higher_is_better", "lower_is_better"]))
        criteria.append(CriterionSpec(f"c{index}", axis, draw(weights), direction))
    return criteria


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_axis_scores_bounded(data):
    criteria = data.draw(models())
    scores = {c.key: data.draw(score_strategy) for c in criteria}
    for value in scoring.axis_scores(criteria, scores).values():
        assert 1 <= value <= 5


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_axis_scores_monotonic_in_each_criterion(data):
    criteria = data.draw(models())
    scores = {c.key: data.draw(st.integers(1, 4)) for c in criteria}
    target = data.draw(st.sampled_from(criteria))
    before = scoring.axis_scores(criteria, scores)[target.axis]
    after = scoring.axis_scores(criteria, {**scores, target.key: scores[target.key] + 1})[target.axis]
    if target.direction == "higher_is_better":
        assert after > before
    else:
        assert after < before


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_score_invariant_to_voter_order(data):
    criteria = data.draw(models())
    voters = data.draw(st.integers(1, 6))
    votes = [(v, c.key, data.draw(score_strategy)) for v in range(voters) for c in criteria]
    shuffled = data.draw(st.permutations(votes))
    first = scoring.score_use_case(use_case_id=1, title="x", criteria=criteria, votes=votes)
    second = scoring.score_use_case(use_case_id=1, title="x", criteria=criteria, votes=shuffled)
    assert first == second


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_rank_invariant_to_use_case_order(data):
    criteria = data.draw(models())
    count = data.draw(st.integers(1, 10))
    scores = [
        scoring.score_use_case(
            use_case_id=uc,
            title=data.draw(st.sampled_from(["A", "B", "b"])),
            criteria=criteria,
            votes=[(0, c.key, data.draw(score_strategy)) for c in criteria],
        )
        for uc in range(count)
    ]
    shuffled = list(scores)
    random.Random(data.draw(st.integers())).shuffle(shuffled)
    assert [s.use_case_id for s in scoring.rank(scores)] == [s.use_case_id for s in scoring.rank(shuffled)]
