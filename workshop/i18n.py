"""The translation catalogue: every string a person reads, in Swedish (default) and English.

Keys are grouped by screen (`overview.title`); choice labels are `choice.<list>.<value>`
and error messages are the `message_key` of each domain error.
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path

from workshop.errors import DomainError

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
# A key with this suffix is the singular of the key without it, used when count is 1.
SINGULAR_SUFFIX = "_one"


class _KeepMissing(dict):
    """Leaves an unknown placeholder visible instead of failing on it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def catalogue(language: str) -> dict[str, str]:
    """The flat key → text mapping of one language."""
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported language {language!r}")
    return json.loads((LOCALES_DIR / f"{language}.json").read_text(encoding="utf-8"))


def t(key: str, language: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for `key` in `language`, with `{placeholders}` filled from `params`.

    A `count` of 1 takes the singular `<key>_one` where the catalogue has one ("1 rad",
    "3 rader"). Raises `KeyError` for a key missing from the catalogue (a test keeps them
    complete).
    """
    texts = catalogue(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    if params.get("count") == 1 and f"{key}{SINGULAR_SUFFIX}" in texts:
        key = f"{key}{SINGULAR_SUFFIX}"
    text = texts[key]
    return string.Formatter().vformat(text, (), _KeepMissing(params)) if params else text


def choice_label(list_name: str, value: object, language: str = DEFAULT_LANGUAGE) -> str:
    """The label of one value of a closed list, e.g. `choice_label("stage", "pilot", "sv")`."""
    if value in (None, ""):
        return ""
    return t(f"choice.{list_name}.{value}", language)


def field_label(field: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The label of a field as forms show it (`field.<name>`), or the name itself."""
    return catalogue(language).get(f"field.{field}", field)


def error_message(error: DomainError, language: str = DEFAULT_LANGUAGE) -> str:
    """A translated, actionable message for a domain error."""
    params = {key: ("" if value is None else value) for key, value in error.params.items()}
    if error.field:
        params["field"] = field_label(error.field, language)
    # Codes that name what was wrong with a file have a sentence of their own.
    for param, prefix in (("reason", "upload.reason."), ("problem", "bundle.problem.")):
        if param in params:
            params[param] = catalogue(language).get(f"{prefix}{params[param]}", params[param])
    for bound in ("minimum", "maximum"):
        if isinstance(params.get(bound), float) and params[bound].is_integer():
            params[bound] = int(params[bound])
    return t(error.message_key, language, **params)
