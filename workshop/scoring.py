"""The scoring engine: pure functions from criteria and scores to axes, quadrants and ranks.

Scores are on the anchored 1–5 scale. A `lower_is_better` criterion (complexity, cost,
risk) counts as 6 − score on its axis, so every axis reads "higher is better".
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from workshop.errors import InvalidWeight, ScoreOutOfRange, UnknownChoice, UnknownCriterion
from workshop.vocabulary import AXES, DIRECTIONS

SCALE_MIN = 1
SCALE_MAX = 5
DEFAULT_THRESHOLD = 3.0

QUADRANTS = ("quick_win", "strategic_bet", "fill_in", "deprioritise")


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    axis: str
    weight: float
    direction: str = "higher_is_better"

    def __post_init__(self) -> None:
        if self.axis not in AXES:
            raise UnknownChoice(f"Unknown axis {self.axis!r}.", field="axis", value=self.axis)
        if self.direction not in DIRECTIONS:
            raise UnknownChoice(
                f"Unknown direction {self.direction!r}.", field="direction", value=self.direction
            )
        if not (isinstance(self.weight, int | float) and math.isfinite(self.weight) and self.weight > 0):
            raise InvalidWeight(
                f"The weight of {self.key!r} must be a number above 0, not {self.weight!r}.",
                field="weight",
                criterion=self.key,
                value=self.weight,
            )


@dataclass(frozen=True)
class CriterionAggregate:
    """What the voters said about one criterion of one use case."""

    criterion: str
    median: float | None
    minimum: int | None
    maximum: int | None
    responses: int
    consensus: int | None = None

    @property
    def spread(self) -> int:
        """Max − min across voters: 0 is full agreement, 4 the widest possible gap."""
        if self.minimum is None or self.maximum is None:
            return 0
        return self.maximum - self.minimum

    @property
    def score(self) -> float | None:
        """The score that counts: the consensus where set, else the voters' median."""
        return float(self.consensus) if self.consensus is not None else self.median


@dataclass(frozen=True)
class UseCaseScore:
    use_case_id: int
    title: str
    value: float | None
    feasibility: float | None
    quadrant: str | None
    priority: float | None
    responses: int
    criteria: Mapping[str, CriterionAggregate] = field(default_factory=dict)


def check_score(score: object, *, criterion: str = "") -> int:
    """The score as an int if it is a whole number from 1 to 5, else `ScoreOutOfRange`."""
    if isinstance(score, bool) or not isinstance(score, int | float) or score != int(score):
        raise ScoreOutOfRange(
            f"A score must be a whole number from 1 to 5, not {score!r}.",
            field="score",
            criterion=criterion,
            value=score,
        )
    if not SCALE_MIN <= score <= SCALE_MAX:
        raise ScoreOutOfRange(
            f"A score must be from 1 to 5, not {score!r}.", field="score", criterion=criterion, value=score
        )
    return int(score)


def effective_score(score: float, direction: str) -> float:
    """The score as it counts on its axis: inverted (6 − score) for lower-is-better criteria."""
    return SCALE_MIN + SCALE_MAX - score if direction == "lower_is_better" else score


def axis_scores(
    criteria: Sequence[CriterionSpec], scores: Mapping[str, float | None]
) -> dict[str, float | None]:
    """Weighted mean per axis over the criteria that have a score; None for an axis with none.

    Raises `UnknownCriterion` for a score whose key is not among `criteria` and
    `ScoreOutOfRange` for a score outside 1–5.
    """
    by_key = {criterion.key: criterion for criterion in criteria}
    unknown = sorted(set(scores) - set(by_key))
    if unknown:
        raise UnknownCriterion(
            f"Unknown criteria: {', '.join(unknown)}.", field="criterion", keys=", ".join(unknown)
        )
    totals: dict[str, float] = defaultdict(float)
    weights: dict[str, float] = defaultdict(float)
    for key, score in scores.items():
        if score is None:
            continue
        if not SCALE_MIN <= score <= SCALE_MAX:
            raise ScoreOutOfRange(f"A score must be from 1 to 5, not {score!r}.", criterion=key, value=score)
        criterion = by_key[key]
        totals[criterion.axis] += criterion.weight * effective_score(score, criterion.direction)
        weights[criterion.axis] += criterion.weight
    # Clamp guards against float rounding pushing a mean a hair outside the scale.
    return {
        axis: (min(SCALE_MAX, max(SCALE_MIN, totals[axis] / weights[axis])) if weights[axis] else None)
        for axis in AXES
    }


def quadrant(
    value: float | None,
    feasibility: float | None,
    *,
    value_threshold: float = DEFAULT_THRESHOLD,
    feasibility_threshold: float = DEFAULT_THRESHOLD,
) -> str | None:
    """Quick win (both high), strategic bet (high value), fill-in (easy), or deprioritise.

    A score equal to its threshold counts as high. None when either axis has no score.
    """
    if value is None or feasibility is None:
        return None
    high_value = value >= value_threshold
    high_feasibility = feasibility >= feasibility_threshold
    if high_value and high_feasibility:
        return "quick_win"
    if high_value:
        return "strategic_bet"
    if high_feasibility:
        return "fill_in"
    return "deprioritise"


def priority(value: float | None, feasibility: float | None) -> float | None:
    """One number to rank by: the geometric mean of the axes, which favours balance."""
    if value is None or feasibility is None:
        return None
    return math.sqrt(value * feasibility)


def aggregate_votes(
    votes: Iterable[tuple[object, str, int]],
    *,
    criteria: Sequence[str],
    consensus: Mapping[str, int] | None = None,
) -> dict[str, CriterionAggregate]:
    """Per criterion: median, min, max and response count of `(voter, criterion, score)` votes.

    A voter's later vote on the same criterion replaces the earlier one. `consensus` scores
    override the median where set. Raises `UnknownCriterion` or `ScoreOutOfRange` on bad votes.
    """
    known = set(criteria)
    latest: dict[tuple[object, str], int] = {}
    for voter, criterion, score in votes:
        if criterion not in known:
            raise UnknownCriterion(f"Unknown criterion {criterion!r}.", field="criterion", keys=criterion)
        latest[(voter, criterion)] = check_score(score, criterion=criterion)
    by_criterion: dict[str, list[int]] = defaultdict(list)
    for (_voter, criterion), score in latest.items():
        by_criterion[criterion].append(score)
    consensus = dict(consensus or {})
    for criterion, score in consensus.items():
        if criterion not in known:
            raise UnknownCriterion(f"Unknown criterion {criterion!r}.", field="criterion", keys=criterion)
        check_score(score, criterion=criterion)
    result = {}
    for criterion in criteria:
        scores = by_criterion.get(criterion, [])
        result[criterion] = CriterionAggregate(
            criterion=criterion,
            median=float(statistics.median(scores)) if scores else None,
            minimum=min(scores) if scores else None,
            maximum=max(scores) if scores else None,
            responses=len(scores),
            consensus=consensus.get(criterion),
        )
    return result


def score_use_case(
    *,
    use_case_id: int,
    title: str,
    criteria: Sequence[CriterionSpec],
    votes: Iterable[tuple[object, str, int]],
    consensus: Mapping[str, int] | None = None,
    value_threshold: float = DEFAULT_THRESHOLD,
    feasibility_threshold: float = DEFAULT_THRESHOLD,
) -> UseCaseScore:
    """Axis scores, quadrant and priority of one use case from its votes and consensus.

    `responses` is the number of distinct voters.
    """
    votes = list(votes)
    aggregates = aggregate_votes(votes, criteria=[c.key for c in criteria], consensus=consensus)
    axes = axis_scores(criteria, {key: aggregate.score for key, aggregate in aggregates.items()})
    return UseCaseScore(
        use_case_id=use_case_id,
        title=title,
        value=axes["value"],
        feasibility=axes["feasibility"],
        quadrant=quadrant(
            axes["value"],
            axes["feasibility"],
            value_threshold=value_threshold,
            feasibility_threshold=feasibility_threshold,
        ),
        priority=priority(axes["value"], axes["feasibility"]),
        responses=len({voter for voter, _criterion, _score in votes}),
        criteria=aggregates,
    )


def rank(scores: Iterable[UseCaseScore]) -> list[UseCaseScore]:
    """Best first: priority, then value, then feasibility, then title, then id.

    Unscored use cases come last. The order depends only on the scores, never on input order.
    """

    def key(score: UseCaseScore) -> tuple:
        missing = score.priority is None
        return (
            missing,
            -(score.priority or 0.0),
            -(score.value or 0.0),
            -(score.feasibility or 0.0),
            score.title.casefold(),
            score.use_case_id,
        )

    return sorted(scores, key=key)


def disagreements(aggregates: Mapping[str, CriterionAggregate], *, minimum_spread: int = 2) -> list[str]:
    """Criteria whose spread is at least `minimum_spread`, widest first, then by key."""
    wide = [a for a in aggregates.values() if a.responses > 1 and a.spread >= minimum_spread]
    return [a.criterion for a in sorted(wide, key=lambda a: (-a.spread, a.criterion))]
