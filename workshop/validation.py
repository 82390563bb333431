"""Field rules shared by every service: names, organisation numbers, choices, numbers."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from workshop.errors import (
    EmptyName,
    InvalidOrganisationNumber,
    NotANumber,
    OutOfRange,
    TooLong,
    UnknownChoice,
    ValidationError,
)

_ORG_NUMBER_PATTERN = re.compile(r"^(?:16)?(\d{6})-?(\d{4})$")


def luhn_valid(digits: str) -> bool:
    """True if the digit string passes the Luhn checksum (weights 2,1,2,1… from the left
    for a 10-digit Swedish number)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def organisation_number(raw: str) -> str:
    """The Swedish organisation number in its canonical form `NNNNNN-NNNN`.

    Accepts 10 digits with or without the hyphen, or the 12-digit form with the `16`
    prefix. Raises `InvalidOrganisationNumber` for a wrong length, a non-digit or a failed
    checksum.
    """
    text = (raw or "").strip().replace(" ", "")
    match = _ORG_NUMBER_PATTERN.match(text)
    if not match:
        raise InvalidOrganisationNumber(
            f"{raw!r} is not an organisation number: write ten digits, e.g. 556677-8899.",
            field="org_number",
            value=raw,
        )
    digits = match.group(1) + match.group(2)
    if not luhn_valid(digits):
        raise InvalidOrganisationNumber(
            f"{raw!r} fails the organisation number checksum: check for a typing error.",
            field="org_number",
            value=raw,
        )
    return f"{digits[:6]}-{digits[6:]}"


def name(raw: object, *, field: str = "name", max_length: int = 200) -> str:
    """The name stripped of surrounding space; `EmptyName` if nothing is left."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise EmptyName(f"The {field.replace('_', ' ')} must not be empty.", field=field)
    if len(text) > max_length:
        raise TooLong(
            f"The {field.replace('_', ' ')} is longer than {max_length} characters.",
            field=field,
            max_length=max_length,
        )
    return text


def text(raw: object, *, field: str, max_length: int = 5000) -> str:
    """Optional free text, stripped; None becomes empty."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raw = str(raw)
    value = raw.strip()
    if len(value) > max_length:
        raise TooLong(
            f"The {field.replace('_', ' ')} is longer than {max_length} characters.",
            field=field,
            max_length=max_length,
        )
    return value


def choice(raw: object, allowed: Iterable[object], *, field: str, optional: bool = False) -> object:
    """`raw` if it is one of `allowed` (or empty when `optional`), else `UnknownChoice`."""
    allowed = tuple(allowed)
    if optional and raw in (None, ""):
        return "" if all(isinstance(a, str) for a in allowed) else None
    if raw not in allowed:
        raise UnknownChoice(
            f"{raw!r} is not a valid {field.replace('_', ' ')}; choose one of: "
            + ", ".join(str(a) for a in allowed),
            field=field,
            value=raw,
        )
    return raw


def number(
    raw: object,
    *,
    field: str,
    minimum: float | None = None,
    maximum: float | None = None,
    optional: bool = True,
    whole: bool = False,
) -> float | int | None:
    """A finite number within bounds (None allowed when `optional`), else `ValidationError`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or (
        isinstance(raw, float) and math.isnan(raw) and optional
    ):
        if optional:
            return None
        raise ValidationError(f"The {field.replace('_', ' ')} is required.", field=field)
    try:
        value = float(raw) if not isinstance(raw, bool) else math.nan
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or (whole and value != int(value)):
        raise NotANumber(
            f"The {field.replace('_', ' ')} must be a {'whole ' if whole else ''}number, not {raw!r}.",
            field=field,
            value=raw,
        )
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise OutOfRange(
            f"The {field.replace('_', ' ')} must be between {minimum} and {maximum}, not {raw!r}.",
            field=field,
            value=raw,
            minimum=minimum,
            maximum=maximum,
        )
    return int(value) if whole else value
