"""The shipped scoring model and the rules for installing a model."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from workshop import scoring_models, storage
from workshop.errors import InvalidWeight, ValidationError
from workshop.models import ScoringModel

EXPECTED_CRITERIA = [
    ("business_impact", "value", "higher_is_better"),
    ("strategic_importance", "value", "higher_is_better"),
    ("customer_benefit", "value", "higher_is_better"),
    ("sustainability_benefit", "value", "higher_is_better"),
    ("data_availability", "feasibility", "higher_is_better"),
    ("technical_complexity", "feasibility", "lower_is_better"),
    ("competence_ownership", "feasibility", "higher_is_better"),
    ("cost_time_to_result", "feasibility", "lower_is_better"),
    ("risk_regulation", "feasibility", "lower_is_better"),
]


def _models() -> int:
    with storage.read() as session:
        return session.scalar(select(func.count(ScoringModel.id)))


def test_default_model_has_the_specified_criteria_with_anchors(db):
    model = scoring_models.get_model(scoring_models.default_model_id())
    assert [(c.key, c.axis, c.direction) for c in model.criteria] == EXPECTED_CRITERIA
    for criterion in model.criteria:
        assert sorted(criterion.levels) == [1, 2, 3, 4, 5]
        assert all(level["sv"] and level["en"] for level in criterion.levels.values())
        assert criterion.name["sv"] and criterion.name["en"] and criterion.weight > 0
    assert (model.value_threshold, model.feasibility_threshold) == (3.0, 3.0)


def test_installing_the_same_version_twice_keeps_one(db):
    first = scoring_models.install_default_model()
    assert scoring_models.install_default_model() == first
    assert _models() == 1


def test_new_version_is_stored_beside_the_old(db):
    document = scoring_models.load_model_document()
    document["version"] = 2
    document["criteria"][0]["weight"] = 5
    new_id = scoring_models.install_model(document)
    assert _models() == 2
    assert scoring_models.default_model_id() == new_id
    assert scoring_models.get_model(new_id).criteria[0].weight == 5.0


@pytest.mark.parametrize(
    ("breakage", "error"),
    [
        (lambda d: d["criteria"][0].update(weight=0), InvalidWeight),
        (lambda d: d["criteria"][0].update(weight=-2), InvalidWeight),
        (lambda d: d["criteria"][0]["levels"].pop(), ValidationError),
        (lambda d: d["criteria"][1].update(key=d["criteria"][0]["key"]), ValidationError),
        (lambda d: d["criteria"][0].update(axis="beauty"), ValidationError),
        (lambda d: d["criteria"][0]["name"].update(sv="  "), ValidationError),
        (lambda d: d.update(criteria=[c for c in d["criteria"] if c["axis"] == "value"]), ValidationError),
    ],
)
def test_malformed_model_raises_and_writes_nothing(db, breakage, error):
    document = copy.deepcopy(scoring_models.load_model_document())
    document["version"] = 99
    breakage(document)
    with pytest.raises(error):
        scoring_models.install_model(document)
    assert _models() == 1
