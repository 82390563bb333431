"""Neutralising user text for documents and spreadsheets."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.safe_text import FORMULA_STARTS, neutralise


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


