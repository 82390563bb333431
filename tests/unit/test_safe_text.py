"""Neutralising user text for documents and spreadsheets."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.safe_text import FORMULA_STARTS, markdown_literal, neutralise


def test_neutralise_non_text_passes_through():
    assert neutralise(3.5) == 3.5
    assert neutralise(None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd", "'+cmd"),
        ("-1+2", "'-1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("  =1+1", "'  =1+1"),
        ("\tindented", "'\tindented"),
        ("\nfirst line empty", "'\nfirst line empty"),
        ("\rcarriage", "'\ncarriage"),
    ],
)
def test_neutralise_formula_start_gets_a_quote(text, expected):
    assert neutralise(text) == expected


def test_neutralise_strips_control_characters_but_keeps_newline_and_tab():
    assert neutralise("a\x00b\x07c\x1bd\x7fe\x85f\ng\th") == "abcdef\ng\th"


def test_neutralise_crlf_becomes_newline():
    assert neutralise("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_neutralise_lone_surrogate_is_removed():
    assert neutralise("a\ud800b") == "ab"


def test_neutralise_ordinary_text_is_unchanged():
    text = "Hässlebro Plåt & Press AB – ≈ 99\u00a0000 kr, “offert” 3-5 dagar = bra"
    assert neutralise(text) == text


def test_neutralise_empty_text_stays_empty():
    assert neutralise("") == ""


def test_neutralise_formula_hidden_behind_control_characters_is_caught():
    assert neutralise("\x00=1+1") == "'=1+1"


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_neutralise_any_text_is_clean_unformulaic_and_stable(text):
    safe = neutralise(text)
    assert [c for c in safe if unicodedata.category(c) == "Cc" and c not in "\n\t"] == []
    assert safe.lstrip(" ").startswith(FORMULA_STARTS) is False
    assert neutralise(safe) == safe




HOSTILE_MARKDOWN = [
    "![spårning](https://example.org/pixel.png)",
    "[Klicka här](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "# Rubrik",
    ":red[röd text] :material/warning:",
    "**fet** _kursiv_ ~~struken~~ `kod`",
    "$x^2$ | tabell |",
    "rad ett\nrad två\r\n- lista",
]


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_markdown_literal_escapes_every_character_with_a_markdown_meaning(text):
    escaped = markdown_literal(text)
    # Removing the escapes gives back what was typed (line breaks as spaces).
    assert re.sub(r"\\(.)", r"\1", escaped) == " ".join(text.replace("\r\n", "\n").split("\n"))
    # No markdown-significant character stands unescaped.
    unescaped = re.sub(r"\\.", "", escaped)
    assert not set(unescaped) & set("\\`*_{}[]<>()#+-.!|~$:=^")
    assert "\n" not in escaped


def test_markdown_literal_keeps_plain_words_and_survives_anything():
    assert markdown_literal("Testbolaget AB") == "Testbolaget AB"
    assert markdown_literal("Åsa Öberg") == "Åsa Öberg"
    assert markdown_literal(None) == ""
    assert markdown_literal(42) == "42"
    assert markdown_literal("a\x00b\x1fc") == "abc"
