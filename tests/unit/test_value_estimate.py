"""The annual value estimate: an honest range from the process figures."""

from __future__ import annotations

import pytest

from tests.factories import make_workshop
from workshop import content, value_estimate
from workshop.editing import TableChanges
from workshop.errors import ValidationError
from workshop.value_estimate import Assumptions


def test_estimate_multiplies_the_figures_and_rounds_to_two_significant_figures():
    estimate = value_estimate.estimate(Assumptions(hours_per_week=12, weeks_per_year=45, hourly_cost_sek=480, share_low=0.2, share_high=0.5))
    # 12 × 45 = 540 h; × 0.2 = 108 h → 51 840 kr; × 0.5 = 270 h → 129 600 kr
    assert (estimate.low_sek, estimate.high_sek) == (52_000.0, 130_000.0)
    assert (estimate.hours_saved_low, estimate.hours_saved_high) == (110.0, 270.0)


@pytest.mark.parametrize("hours", [None, 0])
def test_no_estimate_without_hours(hours):
    assert value_estimate.estimate(Assumptions(hours_per_week=hours)) is None


@pytest.mark.parametrize(("amount", "expected"), [(123_456, 120_000), (987, 990), (0, 0), (1.234, 1.2)])
def test_round_significant(amount, expected):
    assert value_estimate.round_significant(amount) == expected


def test_format_range_in_both_languages():
    estimate = value_estimate.estimate(Assumptions(hours_per_week=10, weeks_per_year=45, hourly_cost_sek=500, share_low=0.2, share_high=0.4))
    assert value_estimate.format_range(estimate, "sv") == "≈ 45\u00a0000–90\u00a0000\u00a0kr"
    assert value_estimate.format_range(estimate, "en") == "≈ SEK 45,000–90,000"
    assert value_estimate.format_range(None, "sv") == ""


@pytest.mark.parametrize(
    "fields",
    [{"share_low": 0.6, "share_high": 0.3}, {"share_low": -0.1}, {"share_high": 1.5}, {"weeks_per_year": 60}, {"hourly_cost_sek": "dyr"}],
)
def test_bad_assumptions_raise(fields):
    with pytest.raises(ValidationError):
        value_estimate.check_assumptions(**fields)


def test_service_uses_process_hours_and_stored_assumptions(db):
    ids = make_workshop(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    assert content.value_estimates(workshop_id=ids["workshop_id"]) == {use_case_id: None}
    process = content.list_processes(workshop_id=ids["workshop_id"])[0]
    content.apply_process_changes(workshop_id=ids["workshop_id"], changes=TableChanges(updated={process.id: (1, {"hours_per_week": 20})}))
    content.set_estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id, hourly_cost_sek=600, share_low=0.1, share_high=0.3)
    estimate = content.value_estimates(workshop_id=ids["workshop_id"])[use_case_id]
    assert (estimate.low_sek, estimate.high_sek) == (54_000.0, 160_000.0)
    assert content.estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id) == Assumptions(
        hours_per_week=20, weeks_per_year=45, hourly_cost_sek=600, share_low=0.1, share_high=0.3
    )


def test_bad_assumption_writes_nothing(db):
    ids = make_workshop(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    with pytest.raises(ValidationError):
        content.set_estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id, hourly_cost_sek=600, share_low=0.9, share_high=0.3)
    assert content.estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id).hourly_cost_sek == value_estimate.DEFAULT_HOURLY_COST_SEK


def test_changing_one_assumption_keeps_the_others(db):
    ids = make_workshop(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    content.set_estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id, hourly_cost_sek=700, share_high=0.6)
    content.set_estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id, share_low=0.3)
    assumptions = content.estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id)
    assert (assumptions.hourly_cost_sek, assumptions.share_low, assumptions.share_high) == (700, 0.3, 0.6)
    with pytest.raises(ValidationError):
        content.set_estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id, share_low=0.7)
    with pytest.raises(ValidationError):
        content.set_estimate_assumptions(workshop_id=ids["workshop_id"], use_case_id=use_case_id, colour=1)
