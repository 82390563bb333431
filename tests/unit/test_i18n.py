"""The catalogue: both languages complete, every key used, every choice and error labelled."""

from __future__ import annotations

import re

import pytest

from workshop import errors, i18n, live_voting, triage, vocabulary
from workshop.config import PROJECT_ROOT

SOURCE_DIRS = ("app.py", "pages", "ui", "workshop")
# Choice lists whose labels are looked up as `choice.<list>.<value>` with a computed value.
CHOICE_LISTS = {
    "workshop_status": vocabulary.WORKSHOP_STATUSES,
    "workshop_step": vocabulary.WORKSHOP_STEPS,
    "language": vocabulary.LANGUAGES,
    "size_class": vocabulary.SIZE_CLASSES,
    "turnover_band": vocabulary.TURNOVER_BANDS,
    "process_area": vocabulary.PROCESS_AREAS,
    "data_availability": vocabulary.DATA_AVAILABILITY,
    "ai_capability": vocabulary.AI_CAPABILITIES,
    "benefit_kind": vocabulary.BENEFIT_KINDS,
    "stage": vocabulary.STAGES,
    "cost_band": vocabulary.COST_BANDS,
    "horizon_days": tuple(str(d) for d in vocabulary.HORIZONS_DAYS),
    "follow_up_status": vocabulary.FOLLOW_UP_STATUSES,
    "staff_role": vocabulary.STAFF_ROLES,
    "axis": vocabulary.AXES,
    "direction": vocabulary.DIRECTIONS,
    "quadrant": ("quick_win", "strategic_bet", "fill_in", "deprioritise"),
    "funding_kind": vocabulary.FUNDING_KINDS,
    "funding_status": vocabulary.FUNDING_STATUSES,
    "funding_scope": vocabulary.FUNDING_SCOPES,
    "triage_tier": triage.TIERS,
}


def _source_text() -> str:
    files = []
    for entry in SOURCE_DIRS:
        path = PROJECT_ROOT / entry
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def _error_keys() -> set[str]:
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.DomainError)]
    from workshop import backup, bundle, template

    classes += [backup.BackupError, bundle.InvalidBundle, template.TemplateErrors, triage.ProhibitedWithoutOverride]
    return {c.message_key for c in classes}


def test_both_languages_have_the_same_keys():
    assert set(i18n.catalogue("sv")) == set(i18n.catalogue("en"))


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_no_empty_text(language):
    assert [k for k, v in i18n.catalogue(language).items() if not v.strip()] == []


def test_every_choice_has_a_label_and_no_stray_choice_keys():
    expected = {f"choice.{name}.{value}" for name, values in CHOICE_LISTS.items() for value in values}
    present = {k for k in i18n.catalogue("sv") if k.startswith("choice.")}
    assert present == expected


def test_every_domain_error_has_a_message():
    assert _error_keys() <= set(i18n.catalogue("sv"))


def test_every_key_is_used():
    source = _source_text()
    literal = set(re.findall(r"[\"']([a-z_]+(?:\.[a-z0-9_]+)+)[\"']", source))
    # Looked up with a computed part: choice labels, language names, step titles, field labels.
    dynamic_prefixes = (
        "choice.", "language.", "step.", "field.", "upload.reason.", "bundle.problem.",
        "funding.why.", "funding.check.", "funding.not.",  # every code is checked in test_funding
        "live.status.",  # checked below
    )
    unused = [
        key
        for key in i18n.catalogue("sv")
        if key.removesuffix(i18n.SINGULAR_SUFFIX) not in literal and key not in _error_keys()
        and not key.startswith(dynamic_prefixes)
    ]
    assert unused == []


def test_a_count_of_one_takes_the_singular():
    assert i18n.t("flow.saved", "sv", count=1) == "Sparat automatiskt · 1 rad"
    assert i18n.t("flow.saved", "sv", count=3) == "Sparat automatiskt · 3 rader"
    assert i18n.t("flow.saved", "en", count=1) == "Saved automatically · 1 row"
    assert i18n.t("flow.saved", "en", count=0) == "Saved automatically · 0 rows"


def test_every_literal_key_in_code_exists():
    source = _source_text()
    catalogue = i18n.catalogue("sv")
    prefixes = {key.split(".")[0] for key in catalogue}
    looked_up = set(re.findall(r"\bt\(\s*[\"']([a-z_]+(?:\.[a-z0-9_]+)+)[\"']", source))
    missing = sorted(k for k in looked_up if k.split(".")[0] in prefixes and k not in catalogue)
    assert missing == []


def test_placeholders_match_between_languages():
    pattern = re.compile(r"\{(\w+)\}")
    sv, en = i18n.catalogue("sv"), i18n.catalogue("en")
    assert [k for k in sv if set(pattern.findall(sv[k])) != set(pattern.findall(en[k]))] == []


def test_error_message_is_translated():
    error = errors.InvalidOrganisationNumber("x", field="org_number", value="123")
    assert i18n.error_message(error, "sv").startswith("”123” är inget giltigt organisationsnummer")
    assert i18n.error_message(error, "en").startswith("“123” is not a valid organisation number")


def test_every_workshop_step_has_a_title():
    assert {k for k in i18n.catalogue("sv") if k.startswith("step.")} == {f"step.{s}" for s in vocabulary.WORKSHOP_STEPS}


def test_every_upload_refusal_reason_has_a_message():
    from workshop import funding, upload_safety

    reasons = {*upload_safety.REASONS, *funding.FILE_REFUSAL_REASONS}
    for language in ("sv", "en"):
        assert {k for k in i18n.catalogue(language) if k.startswith("upload.reason.")} == {f"upload.reason.{r}" for r in reasons}


def test_upload_refusal_message_is_translated():
    error = errors.UnsafeUpload("x", field="upload", reason="legacy_xls")
    assert i18n.error_message(error, "sv") == "Filen avvisades (det är en äldre .xls-fil). Spara den som en vanlig .xlsx-fil och försök igen. Inget har sparats."


def test_every_bundle_problem_has_a_message():
    from workshop import bundle

    assert {k for k in i18n.catalogue("sv") if k.startswith("bundle.problem.")} == {f"bundle.problem.{p}" for p in bundle.PROBLEMS}


def test_every_voting_status_has_a_label():
    for language in i18n.LANGUAGES:
        for status in live_voting.VOTING_STATUSES:
            assert f"live.status.{status}" in i18n.catalogue(language)
