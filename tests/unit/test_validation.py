"""Field rules: organisation numbers, names, SNI codes, numbers."""

from __future__ import annotations

import pytest

from workshop import sni, validation
from workshop.errors import EmptyName, InvalidOrganisationNumber, UnknownChoice, ValidationError
from workshop.vocabulary import size_class_for


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("556036-0793", "556036-0793"),
        ("5560360793", "556036-0793"),
        (" 556036-0793 ", "556036-0793"),
        ("16556036-0793", "556036-0793"),
        ("212000-1355", "212000-1355"),
    ],
)
def test_organisation_number_valid_forms_canonicalised(raw, expected):
    assert validation.organisation_number(raw) == expected


@pytest.mark.parametrize("raw", ["556036-0794", "55603607", "abcdef-ghij", "", "556036+0793", "19556036-0793"])
def test_organisation_number_invalid_raises(raw):
    with pytest.raises(InvalidOrganisationNumber):
        validation.organisation_number(raw)


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", None, 5])
def test_name_empty_or_whitespace_raises(raw):
    with pytest.raises(EmptyName):
        validation.name(raw)


def test_name_is_stripped():
    assert validation.name("  Acme AB ") == "Acme AB"


def test_name_too_long_raises():
    with pytest.raises(ValidationError):
        validation.name("x" * 201)


@pytest.mark.parametrize("raw", ["abc", float("inf"), -1, True])
def test_number_rejects_non_numbers_and_out_of_range(raw):
    with pytest.raises(ValidationError):
        validation.number(raw, field="hours_per_week", minimum=0)


def test_number_optional_empty_is_none():
    assert validation.number("", field="hours_per_week") is None


def test_choice_rejects_unknown():
    with pytest.raises(UnknownChoice):
        validation.choice("galaxy", ("a", "b"), field="area")


def test_sni_check_accepts_section_and_division():
    assert sni.check_sni("c", "25") == ("C", "25")
    assert sni.check_sni("A", "1") == ("A", "01")
    assert sni.check_sni("", "") == ("", "")


@pytest.mark.parametrize(("section", "division"), [("Z", ""), ("C", "47"), ("", "25"), ("C", "34")])
def test_sni_check_rejects_unknown_or_mismatched(section, division):
    with pytest.raises(UnknownChoice):
        sni.check_sni(section, division)


def test_sni_has_all_sections_and_divisions():
    sections = sni.sections()
    assert sorted(sections) == list("ABCDEFGHIJKLMNOPQRSTU")
    assert sum(len(s["divisions"]) for s in sections.values()) == 88


@pytest.mark.parametrize(("employees", "expected"), [(0, "micro"), (9, "micro"), (10, "small"), (49, "small"), (50, "medium"), (249, "medium"), (250, "large")])
def test_size_class_follows_eu_definition(employees, expected):
    assert size_class_for(employees) == expected
