"""Making user text safe for documents and spreadsheets (formula injection, control characters)."""

from __future__ import annotations

import re

# A text a spreadsheet would evaluate starts (after leading spaces) with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Control characters (Unicode category Cc) other than tab and newline, and lone surrogates
# (Cs): no document format can hold them. A character class is far faster than a per-character
# category lookup on long texts.
_REMOVED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def neutralise(value: object) -> object:
    """`value` made safe for any document or spreadsheet cell; non-text passes through.

    Line endings become "\\n"; control characters other than newline and tab (and lone
    surrogates) are removed; a text that then starts, after leading spaces, with one of
    FORMULA_STARTS gets a single quote in front, so a spreadsheet shows it as text instead
    of running it. Idempotent; never raises.
    """
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _REMOVED.sub("", text)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


# Characters Streamlit's markdown gives meaning to: emphasis, links and images, code, HTML,
# headings, lists, tables, strike-through, LaTeX ($), colours and icons (:red[…], :icon:).
_MARKDOWN_SIGNIFICANT = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:=^])")


def markdown_literal(value: object) -> str:
    """Text a person typed, made to show exactly as typed where Streamlit renders markdown:
    every character with a markdown meaning is escaped, and line breaks become spaces, so a
    name like "![x](https://…)" shows as those characters, never as an image, link, heading
    or colour. Never raises."""
    text = "" if value is None else str(value)
    text = _REMOVED.sub("", text.replace("\r\n", " ").replace("\r", " ").replace("\n", " "))
    return _MARKDOWN_SIGNIFICANT.sub(r"\\\1", text)
