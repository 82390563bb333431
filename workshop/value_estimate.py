"""Order-of-magnitude annual value of a use case from its process's figures.

annual value = hours per week × working weeks × hourly cost × share of the time AI can save.
The share is a range (low–high), so the result is a range too, rounded to two significant
figures: an estimate to compare use cases with, never a budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workshop import validation
from workshop.errors import InvertedRange

# Full cost of an employee hour in a Swedish SME (salary, social fees, overhead), SEK.
DEFAULT_HOURLY_COST_SEK = 500.0
# Working weeks a year after holidays, leave and public holidays.
DEFAULT_WEEKS_PER_YEAR = 45.0
# A first AI step rarely saves less than a fifth or more than half of a process's time.
DEFAULT_SHARE_LOW = 0.2
DEFAULT_SHARE_HIGH = 0.5
MAX_HOURLY_COST_SEK = 10_000.0
SIGNIFICANT_FIGURES = 2


@dataclass(frozen=True)
class Assumptions:
    hours_per_week: float | None
    weeks_per_year: float = DEFAULT_WEEKS_PER_YEAR
    hourly_cost_sek: float = DEFAULT_HOURLY_COST_SEK
    share_low: float = DEFAULT_SHARE_LOW
    share_high: float = DEFAULT_SHARE_HIGH


@dataclass(frozen=True)
class ValueEstimate:
    low_sek: float
    high_sek: float
    hours_saved_low: float
    hours_saved_high: float
    assumptions: Assumptions

    @property
    def midpoint_sek(self) -> float:
        """The geometric middle of the range, for sizing bubbles on the matrix."""
        return math.sqrt(self.low_sek * self.high_sek) if self.low_sek > 0 else self.high_sek / 2


def round_significant(amount: float, figures: int = SIGNIFICANT_FIGURES) -> float:
    """`amount` rounded to `figures` significant figures (123 456 → 120 000)."""
    if amount == 0:
        return 0.0
    digits = figures - int(math.floor(math.log10(abs(amount)))) - 1
    return float(round(amount, digits))


def check_assumptions(
    *,
    weeks_per_year: object = None,
    hourly_cost_sek: object = None,
    share_low: object = None,
    share_high: object = None,
) -> dict[str, float | None]:
    """The assumptions as numbers (None keeps the default), or `ValidationError` naming the field.

    Shares are fractions from 0 to 1 and low must not exceed high.
    """
    values = {
        "weeks_per_year": validation.number(weeks_per_year, field="weeks_per_year", minimum=1, maximum=52),
        "hourly_cost_sek": validation.number(
            hourly_cost_sek, field="hourly_cost_sek", minimum=0, maximum=MAX_HOURLY_COST_SEK
        ),
        "share_low": validation.number(share_low, field="share_low", minimum=0, maximum=1),
        "share_high": validation.number(share_high, field="share_high", minimum=0, maximum=1),
    }
    low = values["share_low"] if values["share_low"] is not None else DEFAULT_SHARE_LOW
    high = values["share_high"] if values["share_high"] is not None else DEFAULT_SHARE_HIGH
    if low > high:
        raise InvertedRange(
            "The low share of time saved must not be above the high share.", field="share_low"
        )
    return values


def estimate(assumptions: Assumptions) -> ValueEstimate | None:
    """The annual value range in SEK, or None when the process has no hours per week."""
    if assumptions.hours_per_week is None or assumptions.hours_per_week <= 0:
        return None
    hours_a_year = assumptions.hours_per_week * assumptions.weeks_per_year
    hours_low = hours_a_year * assumptions.share_low
    hours_high = hours_a_year * assumptions.share_high
    return ValueEstimate(
        low_sek=round_significant(hours_low * assumptions.hourly_cost_sek),
        high_sek=round_significant(hours_high * assumptions.hourly_cost_sek),
        hours_saved_low=round_significant(hours_low),
        hours_saved_high=round_significant(hours_high),
        assumptions=assumptions,
    )


def format_sek(amount: float, language: str) -> str:
    """'120 000 kr' in Swedish, 'SEK 120,000' in English."""
    whole = f"{round(amount):,}"
    if language == "sv":
        return whole.replace(",", "\u00a0") + "\u00a0kr"
    return f"SEK {whole}"


def format_range(value: ValueEstimate | None, language: str) -> str:
    """'≈ 90 000–220 000 kr', or an empty string when there is no estimate."""
    if value is None:
        return ""
    if language == "sv":
        low = f"{round(value.low_sek):,}".replace(",", "\u00a0")
        return f"≈ {low}–{format_sek(value.high_sek, language)}"
    return f"≈ SEK {round(value.low_sek):,}–{round(value.high_sek):,}"
