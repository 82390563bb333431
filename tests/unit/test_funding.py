"""Funding catalogue and matcher: the reference guide's situations, the exclusions, the file."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.factories import make_workshop
from workshop import content, funding, i18n
from workshop.editing import TableChanges
from workshop.errors import CatalogueFileRefused
from workshop.funding import CompanyFacts, PlanFacts

TODAY = dt.date(2026, 11, 23)
CATALOGUE = funding.shipped_catalogue().programmes

MANUFACTURER = CompanyFacts(region="Skåne län", employees=20, turnover_band="10m_50m", founded_year=1990,
                            sni_section="C", sni_division="25")
STARTUP = CompanyFacts(region="Skåne län", employees=4, turnover_band="under_2m", founded_year=2024,
                       sni_section="J", sni_division="62")
HEALTH_TECH = CompanyFacts(region="Skåne län", employees=15, turnover_band="2m_10m", founded_year=2018,
                           sni_section="J", sni_division="62")
ESTABLISHED = CompanyFacts(region="Skåne län", employees=60, turnover_band="50m_100m", founded_year=1995,
                           sni_section="C", sni_division="28")


def keys(matching: funding.Matching, *, count: int | None = None, next_stage: bool | None = None) -> list[str]:
    pointers = [p for p in matching.pointers if next_stage is None or p.for_next_stage == next_stage]
    return [p.programme.key for p in pointers][:count]


def match(company: CompanyFacts, stage: str, benefit: str, cost_band: str = "") -> funding.Matching:
    return funding.match(CATALOGUE, company, PlanFacts(stage=stage, benefit_kind=benefit, cost_band=cost_band), today=TODAY)


def test_the_shipped_catalogue_reads_without_problems():
    reading = funding.shipped_catalogue()
    assert reading.problems == ()
    assert len(reading.programmes) == 36
    assert all(p.source_url.startswith("http") and p.checked_on for p in reading.programmes)


# The quick guide of the reference file: situation → the first pointers it names.
GUIDE = [
    pytest.param(MANUFACTURER, "idea", "internal_efficiency", "", {"SK-02", "SK-04", "NAT-15"}, {"EU-01"}, id="idea-any-skane-sme"),
    pytest.param(MANUFACTURER, "pre_study", "internal_efficiency", "50k_250k", {"SK-01"}, {"NAT-02"}, id="feasibility-internal"),
    pytest.param(MANUFACTURER, "pilot", "internal_efficiency", "50k_250k", {"SK-01", "NAT-02"}, set(), id="20-employee-manufacturer-pilot"),
    pytest.param(STARTUP, "pre_study", "new_offering", "250k_1m", {"SK-07", "NAT-06"}, {"NAT-02", "NAT-05", "NAT-08", "EU-05"}, id="startup-new-product"),
    pytest.param(STARTUP, "pilot", "new_offering", "250k_1m", {"SK-07", "NAT-06"}, {"NAT-02", "NAT-05", "NAT-08", "EU-05"}, id="startup-new-product-pilot"),
    pytest.param(ESTABLISHED, "pilot", "new_offering", "250k_1m", {"NAT-02", "NAT-13"}, {"EU-06", "EU-07", "NAT-20"}, id="established-sme-new-product"),
    pytest.param(HEALTH_TECH, "pilot", "health", "250k_1m", {"SK-05", "EU-04", "NAT-18"}, set(), id="health-tech"),
    pytest.param(MANUFACTURER, "implementation", "sustainability", "250k_1m", {"NAT-04", "NAT-14"}, {"SK-06"}, id="energy-saving"),
]


@pytest.mark.parametrize(("company", "stage", "benefit", "cost_band", "first", "later"), GUIDE)
def test_the_guide_situations_give_the_guide_first_pointers(company, stage, benefit, cost_band, first, later):
    matching = match(company, stage, benefit, cost_band)
    ranked = keys(matching)
    assert set(ranked[: len(first)]) == first
    for key in later:
        assert key in ranked[len(first):], f"{key} should follow the first pointers"


def test_next_stage_pointers_come_after_the_planned_stage():
    matching = match(MANUFACTURER, "pre_study", "internal_efficiency", "50k_250k")
    flags = [p.for_next_stage for p in matching.pointers]
    assert flags == sorted(flags)
    nat02 = matching.pointer("NAT-02")
    assert nat02.for_next_stage and nat02.why[0] == funding.Reason("next_stage", {"stage": "pilot"})


def test_why_names_the_conditions_met():
    sk01 = match(MANUFACTURER, "pilot", "internal_efficiency", "50k_250k").pointer("SK-01")
    codes = [r.code for r in sk01.why]
    assert codes == ["stage", "benefit_focus", "region", "employees", "turnover", "cost"]
    text = [funding.reason_text(r, "why", "sv") for r in sk01.why]
    assert "20 anställda, villkoret är 2–100" in text
    assert "Gäller företag i Skåne län" in text
    english = [funding.reason_text(r, "why", "en") for r in sk01.why]
    assert "Estimated cost SEK 50,000–250,000 fits the amount SEK\u00a050,000–250,000" in english


def test_what_to_check_names_cofinancing_window_and_uncertainty():
    matching = match(MANUFACTURER, "idea", "internal_efficiency")
    sk02 = matching.pointer("SK-02")
    assert sk02.check[0].code == "status_uncertain"
    sk01 = match(MANUFACTURER, "pilot", "internal_efficiency", "50k_250k").pointer("SK-01")
    check = [r.code for r in sk01.check]
    assert {"funded_share", "cofinancing", "window", "note"} <= set(check)
    assert funding.reason_text(sk01.check[check.index("funded_share")], "check", "sv") == (
        "Täcker högst 50 % av kostnaden; resten står ni för."
    )


def test_de_minimis_is_a_thing_to_check():
    company = CompanyFacts(region="Uppsala län", employees=20, turnover_band="10m_50m", founded_year=2000)
    nat01 = match(company, "pre_study", "internal_efficiency").pointer("NAT-01")
    assert "de_minimis" in [r.code for r in nat01.check]


def test_unknown_company_facts_become_things_to_check_not_exclusions():
    unknown = CompanyFacts()
    sk01 = match(unknown, "pilot", "internal_efficiency").pointer("SK-01")
    assert sk01 is not None
    assert {"region_unknown", "employees_unknown", "turnover_unknown"} <= {r.code for r in sk01.check}
    nat06 = match(unknown, "pilot", "new_offering").pointer("NAT-06")
    assert "age_unknown" in {r.code for r in nat06.check}


# Edge cases: each programme left out, with the reason that leaves it out.
EXCLUSIONS = [
    pytest.param(CompanyFacts(region="Skåne län", employees=150, turnover_band="10m_50m", founded_year=1990),
                 "pilot", "internal_efficiency", "", "SK-01", "employees_above", id="above-size-limit"),
    pytest.param(CompanyFacts(region="Skåne län", employees=40, turnover_band="over_500m", founded_year=1990),
                 "pilot", "internal_efficiency", "", "SK-01", "turnover_above", id="above-turnover-limit"),
    pytest.param(CompanyFacts(region="Skåne län", employees=40, turnover_band="under_2m", founded_year=1990),
                 "pilot", "internal_efficiency", "", "SK-01", "turnover_below", id="below-turnover-limit"),
    pytest.param(CompanyFacts(region="Stockholms län", employees=20, turnover_band="10m_50m", founded_year=1990),
                 "pilot", "internal_efficiency", "", "SK-01", "region", id="outside-skane"),
    pytest.param(CompanyFacts(region="Skåne län", employees=20, turnover_band="10m_50m", founded_year=1990),
                 "pilot", "internal_efficiency", "", "NAT-19", "region", id="support-areas-not-skane"),
    pytest.param(CompanyFacts(region="Skåne län", employees=5, turnover_band="under_2m", founded_year=2008),
                 "pre_study", "new_offering", "", "NAT-06", "age_above", id="too-old-for-innovative-startups"),
    pytest.param(CompanyFacts(region="Skåne län", employees=5, turnover_band="under_2m", founded_year=2008),
                 "pre_study", "new_offering", "", "SK-07", "not_startup", id="too-old-for-an-incubator"),
    pytest.param(MANUFACTURER, "idea", "internal_efficiency", "", "SK-03", "ended", id="ended-programme"),
    pytest.param(MANUFACTURER, "pilot", "internal_efficiency", "under_50k", "NAT-09", "cost_below_minimum", id="project-smaller-than-minimum"),
    pytest.param(MANUFACTURER, "pilot", "internal_efficiency", "", "NAT-05", "benefit", id="equity-not-for-internal-efficiency"),
    pytest.param(MANUFACTURER, "idea", "internal_efficiency", "", "NAT-04", "stage", id="wrong-stage"),
    pytest.param(CompanyFacts(region="Skåne län", employees=20, founded_year=2025), "pilot", "new_offering", "", "EU-06", "age_below", id="too-young-for-two-annual-reports"),
]


@pytest.mark.parametrize(("company", "stage", "benefit", "cost_band", "key", "reason"), EXCLUSIONS)
def test_ineligible_programmes_are_left_out_with_the_right_reason(company, stage, benefit, cost_band, key, reason):
    matching = match(company, stage, benefit, cost_band)
    assert matching.pointer(key) is None
    assert reason in [r.code for r in matching.exclusion(key).reasons]


def test_ended_programmes_never_become_pointers():
    ended = {p.key for p in CATALOGUE if p.status == "ended"}
    assert ended == {"SK-03", "NAT-11", "NAT-12", "NAT-17", "NAT-22"}
    for company in (MANUFACTURER, STARTUP, HEALTH_TECH, ESTABLISHED, CompanyFacts()):
        for stage in ("idea", "pre_study", "pilot", "implementation"):
            for benefit in ("internal_efficiency", "new_offering", "customer_experience", "sustainability", "health"):
                assert not ended & set(keys(match(company, stage, benefit)))


def test_year_only_ages_at_the_limit_are_checked_not_decided():
    founded_2015 = CompanyFacts(region="Skåne län", employees=5, turnover_band="under_2m", founded_year=2015)  # 10 or 11 years old
    nat06 = match(founded_2015, "pre_study", "new_offering").pointer("NAT-06")
    assert "age_verify" in [r.code for r in nat06.check]


def test_a_stale_catalogue_is_flagged():
    fresh = funding.catalogue_age(CATALOGUE, today=TODAY)
    assert fresh == funding.CatalogueAge(dt.date(2026, 11, 1), False)
    later = dt.date(2027, 11, 2)
    assert funding.catalogue_age(CATALOGUE, today=later).stale
    sk01 = funding.match(CATALOGUE, MANUFACTURER, PlanFacts("pilot", "internal_efficiency"), today=later).pointer("SK-01")
    assert sk01.check[-1] == funding.Reason("stale", {"date": dt.date(2026, 11, 1)})


def test_every_reason_has_a_sentence_in_both_languages():
    expected = {f"funding.{group}.{code}" for group, codes in funding.REASON_CODES.items() for code in codes}
    for language in ("sv", "en"):
        present = {k for k in i18n.catalogue(language) if k.startswith(("funding.why.", "funding.check.", "funding.not."))}
        assert present == expected


def test_every_reason_the_matcher_gives_is_a_known_code():
    companies = (MANUFACTURER, STARTUP, HEALTH_TECH, ESTABLISHED, CompanyFacts(),
                 CompanyFacts(region="Gotlands län", employees=400, turnover_band="over_500m", founded_year=1900))
    for company in companies:
        for stage in ("idea", "pre_study", "pilot", "implementation"):
            for benefit in ("internal_efficiency", "new_offering", "health", "sustainability"):
                for cost_band in ("", "under_50k", "over_1m"):
                    matching = match(company, stage, benefit, cost_band)
                    for pointer in matching.pointers:
                        assert {r.code for r in pointer.why} <= set(funding.REASON_CODES["why"])
                        assert {r.code for r in pointer.check} <= set(funding.REASON_CODES["check"])
                        for language in ("sv", "en"):
                            assert all("{" not in funding.reason_text(r, "check", language) for r in pointer.check)
                    for exclusion in matching.excluded:
                        assert {r.code for r in exclusion.reasons} <= set(funding.REASON_CODES["not"])


# --- the catalogue file -------------------------------------------------------------------


def shipped_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(funding.CATALOGUE_FILE.read_text(encoding="utf-8"))))


def as_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=funding.CATALOGUE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "maybe"),
        ("kind", "gift"),
        ("stages", "pilot;launch"),
        ("regions", "Atlantis län"),
        ("amount_min_sek", "lots"),
        ("max_funded_percent", "150"),
        ("checked_on", "23/11/2026"),
        ("url", "javascript:alert(1)"),
        ("name_en", ""),
        ("min_employees", "500"),  # above max_employees 100
        ("startups_only", "perhaps"),
    ],
)
def test_a_broken_row_is_reported_by_file_row_and_field_and_the_rest_is_kept(field, value):
    rows = shipped_rows()
    rows[0][field] = value  # SK-01, row 2 of the file
    reading = funding.read_catalogue(as_csv(rows), file_name="funding_catalogue.csv")
    assert [(p.file, p.row, p.field) for p in reading.problems] == [("funding_catalogue.csv", 2, field)]
    assert len(reading.programmes) == 35
    assert "SK-01" not in {p.key for p in reading.programmes}


def test_a_regional_programme_without_regions_and_a_duplicate_key_are_reported():
    rows = shipped_rows()
    rows[0]["regions"] = ""
    rows[5]["key"] = rows[4]["key"]
    reading = funding.read_catalogue(as_csv(rows), file_name="f.csv")
    assert [(p.row, p.field) for p in reading.problems] == [(2, "regions"), (7, "key")]


def test_a_missing_column_is_reported_once():
    text = as_csv(shipped_rows()).replace("checked_on", "checked", 1)
    reading = funding.read_catalogue(text, file_name="f.csv")
    assert reading.programmes == ()
    assert [(p.row, p.field) for p in reading.problems] == [(1, "checked_on")]


def test_the_catalogue_csv_round_trips():
    exported = funding.catalogue_csv(CATALOGUE)
    assert exported.startswith("\ufeff".encode())
    again = funding.read_catalogue(exported.decode("utf-8"), file_name="export.csv")
    assert again.problems == ()
    assert again.programmes == CATALOGUE


# --- the stored catalogue -----------------------------------------------------------------


def test_the_installed_catalogue_is_the_shipped_one(db):
    assert tuple(funding.list_programmes()) == tuple(sorted(CATALOGUE, key=lambda p: p.key))
    # Installing again leaves an edited catalogue alone.
    funding.install_shipped_catalogue()
    assert len(funding.list_programmes()) == 36


def test_a_broken_shipped_row_is_reported_and_the_rest_installed(sqlite_db, tmp_path, monkeypatch):
    rows = shipped_rows()
    rows[4]["kind"] = "gift"
    broken = tmp_path / "funding_catalogue.csv"
    broken.write_text(as_csv(rows), encoding="utf-8")
    monkeypatch.setattr(funding, "CATALOGUE_FILE", broken)
    reading = funding.reset_to_shipped()
    assert [(p.file, p.row, p.field) for p in reading.problems] == [("funding_catalogue.csv", 6, "kind")]
    stored = {p.key for p in funding.list_programmes()}
    assert len(stored) == 35 and rows[4]["key"] not in stored


def test_db_upgrade_installs_the_catalogue_and_prints_problems(tmp_path, monkeypatch, capsys):
    from workshop import __main__ as cli
    from workshop import storage

    rows = shipped_rows()
    rows[0]["checked_on"] = "last spring"
    broken = tmp_path / "funding_catalogue.csv"
    broken.write_text(as_csv(rows), encoding="utf-8")
    monkeypatch.setattr(funding, "CATALOGUE_FILE", broken)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    storage.use_url(url)
    try:
        assert cli.main(["db", "upgrade"]) == 0
        assert len(funding.list_programmes()) == 35
    finally:
        storage.engine().dispose()
    err = capsys.readouterr().err
    assert "funding_catalogue.csv, row 2, checked_on:" in err and "left out of the funding catalogue" in err


def test_an_import_applies_completely_or_not_at_all(db):
    rows = shipped_rows()[:10]
    rows[3]["status"] = "sometimes"
    rows[7]["amount_max_sek"] = "-5"
    with pytest.raises(funding.CatalogueErrors) as caught:
        funding.import_catalogue(as_csv(rows).encode(), file_name="new.csv")
    assert [(row, field) for row, field, _error in caught.value.problems] == [(5, "status"), (9, "amount_max_sek")]
    assert len(funding.list_programmes()) == 36

    rows = shipped_rows()[:10]
    rows[0]["name_en"] = "Vouchers, renamed"
    assert funding.import_catalogue(as_csv(rows).encode("utf-8"), file_name="new.csv") == 10
    stored = {p.key: p for p in funding.list_programmes()}
    assert len(stored) == 10 and stored["SK-01"].name["en"] == "Vouchers, renamed"


def test_an_import_that_is_not_a_catalogue_is_refused(db):
    with pytest.raises(CatalogueFileRefused):
        funding.import_catalogue("key,status\n".encode("utf-16"), file_name="x.csv")
    with pytest.raises(CatalogueFileRefused):
        funding.import_catalogue(b"x" * (funding.MAX_IMPORT_BYTES + 1), file_name="x.csv")
    with pytest.raises(funding.CatalogueErrors):
        funding.import_catalogue(b"", file_name="x.csv")
    assert len(funding.list_programmes()) == 36


def test_table_edits_apply_all_or_nothing(db):
    rows = dict(funding.catalogue_rows())
    by_key = {p.key: row_id for row_id, p in rows.items()}
    bad = TableChanges(
        updated={by_key["SK-01"]: (1, {"max_employees": "99"}), by_key["NAT-02"]: (2, {"kind": "gift"})},
    )
    with pytest.raises(funding.CatalogueErrors) as caught:
        funding.apply_catalogue_changes(bad)
    assert [(row, field) for row, field, _e in caught.value.problems] == [(2, "kind")]
    assert {p.key: p for p in funding.list_programmes()}["SK-01"].max_employees == 100

    duplicate = funding.as_row(CATALOGUE[0]) | {"name_sv": "Kopia"}
    with pytest.raises(funding.CatalogueErrors) as caught:
        funding.apply_catalogue_changes(TableChanges(added=[(37, duplicate)]))
    assert [(row, field) for row, field, _e in caught.value.problems] == [(37, "key")]

    new = funding.as_row(CATALOGUE[0]) | {"key": "SK-99", "name_sv": "Ny check"}
    funding.apply_catalogue_changes(TableChanges(
        added=[(37, new)], updated={by_key["SK-01"]: (1, {"max_employees": 99})}, deleted=[by_key["NAT-22"]],
    ))
    stored = {p.key: p for p in funding.list_programmes()}
    assert stored["SK-01"].max_employees == 99 and stored["SK-99"].name["sv"] == "Ny check" and "NAT-22" not in stored


def test_a_workshop_gets_pointers_for_each_selected_use_case_from_its_plan(db):
    ids = make_workshop(use_cases=2)  # a Skåne manufacturer with 20 employees and 10–50 MSEK turnover
    workshop_id, (first, second) = ids["workshop_id"], ids["use_case_ids"]
    content.set_selection(workshop_id=workshop_id, selected={first: True})
    content.set_action_item(workshop_id=workshop_id, use_case_id=first, stage="pilot", cost_band="50k_250k")
    pointers = funding.workshop_pointers(workshop_id=workshop_id, today=TODAY)
    assert list(pointers.by_use_case) == [first]
    assert second not in pointers.by_use_case
    assert keys(pointers.by_use_case[first], count=2) == ["SK-01", "NAT-02"]
    assert pointers.age == funding.CatalogueAge(dt.date(2026, 11, 1), False)
