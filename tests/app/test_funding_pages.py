"""Funding pointers in the action plan, and the catalogue's admin page."""

from __future__ import annotations

import datetime as dt

from tests.app.conftest import open_page, texts
from workshop import content, funding


def choose_first(ids: dict) -> int:
    use_case_id = ids["use_case_ids"][0]
    content.set_selection(workshop_id=ids["workshop_id"], selected={use_case_id: True})
    return use_case_id


def expander_labels(at) -> list[str]:  # noqa: ANN001
    return [e.label for e in at.expander]


def test_the_action_plan_shows_the_matched_programmes_and_why(small_workshop):
    use_case_id = choose_first(small_workshop)
    content.set_action_item(workshop_id=small_workshop["workshop_id"], use_case_id=use_case_id, stage="pilot", cost_band="50k_250k")
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"])
    assert not at.exception
    labels = expander_labels(at)
    assert labels[0].startswith("Affärsutvecklingscheckar (inkl. digitalisering) · Check · 50\u00a0000–250\u00a0000\u00a0kr")
    assert labels[1].startswith("Almi Innovationslån · Lån")
    assert len(labels) == 3
    markdown = " ".join(m.value for m in at.markdown)
    assert "Gäller företag i Skåne län" in markdown
    assert "Täcker högst 50 % av kostnaden; resten står ni för." in markdown


def test_changing_the_plan_stage_changes_the_pointers_at_once(small_workshop):
    use_case_id = choose_first(small_workshop)
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"])
    # The plan starts at the use case's stage (idea): advice and hubs, nothing for pilots.
    assert not any("Almi Innovationslån" in label for label in expander_labels(at))
    at.segmented_control(key=f"plan_{use_case_id}_stage").set_value("pilot").run()
    assert expander_labels(at)[1].startswith("Almi Innovationslån")


def test_more_programmes_and_the_left_out_ones_are_one_click_away(small_workshop):
    use_case_id = choose_first(small_workshop)
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"], language="en")
    shown = len(at.expander)
    at.toggle(key=f"funding_{use_case_id}_more").set_value(True).run()
    assert len(at.expander) > shown
    at.toggle(key=f"funding_{use_case_id}_excluded").set_value(True).run()
    markdown = " ".join(m.value for m in at.markdown)
    assert "**DigIT Hub AI (REACT-EU project)**: The programme has ended." in markdown
    [regional_aid] = [line for line in markdown.split("\n") if "**Regional investment aid**" in line]
    assert "Only for Norrbottens län, Västerbottens län" in regional_aid and "the company is in Skåne län" in regional_aid


def test_a_stale_catalogue_is_flagged_on_the_action_plan(small_workshop, monkeypatch):
    choose_first(small_workshop)
    real_age = funding.catalogue_age
    monkeypatch.setattr(funding, "catalogue_age", lambda programmes, today: real_age(programmes, today=today + dt.timedelta(days=400)))
    at = open_page("action_plan", workshop_id=small_workshop["workshop_id"])
    assert texts(at.warning)[0].startswith("Finansieringskatalogens uppgifter kontrollerades senast 2026-11-01")


# --- the catalogue's admin page -------------------------------------------------------------


def edit_catalogue(at, version: int = 0, **state):  # noqa: ANN001, ANN003
    """Seed the catalogue editor's edit state the way the browser sends it, then rerun."""
    at.session_state[f"funding_catalogue_0_{version}"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []} | state
    return at.run()


def row_of(key: str) -> int:
    return [p.key for p in funding.list_programmes()].index(key)


def test_the_catalogue_page_lists_every_programme(sqlite_db):
    at = open_page("funding_catalogue")
    assert not at.exception
    assert at.title[0].value == "Finansieringskatalog"
    assert "36 program. Äldsta kontrollerade uppgifter: 2026-11-01." in texts(at.caption)


def test_a_valid_catalogue_edit_is_saved_at_once(sqlite_db):
    at = open_page("funding_catalogue")
    edit_catalogue(at, edited_rows={
        str(row_of("SK-01")): {"max_employees": 120, "status": "uncertain", "stages": ["pilot", "implementation"]},
    })
    assert not at.exception and not at.error
    sk01 = next(p for p in funding.list_programmes() if p.key == "SK-01")
    assert (sk01.max_employees, sk01.status, sk01.stages) == (120, "uncertain", ("pilot", "implementation"))


def test_an_invalid_catalogue_edit_saves_nothing_and_names_row_and_column(sqlite_db):
    at = open_page("funding_catalogue")
    edit_catalogue(at, edited_rows={
        str(row_of("SK-01")): {"max_employees": 99},
        str(row_of("NAT-02")): {"stages": "pilot;launch"},
    })
    [error] = texts(at.error)
    assert error.startswith("Rader i katalogen att rätta: 1.")
    assert f"Rad {row_of('NAT-02') + 1}, Skeden:" in error
    assert next(p for p in funding.list_programmes() if p.key == "SK-01").max_employees == 100


def test_a_new_programme_row_is_validated_and_added(sqlite_db):
    at = open_page("funding_catalogue", language="en")
    new = {"key": "SK-50", "status": "current", "scope": "regional", "regions": "Skåne län", "kind": "grant",
           "name_sv": "Testcheck", "name_en": "Test voucher", "provider": "Region Skåne", "stages": "pilot",
           "benefit_focus": "internal_efficiency", "source_url": "https://example.org/source", "checked_on": "2026-11-20"}
    edit_catalogue(at, added_rows=[new])
    assert not at.error
    assert "SK-50" in {p.key for p in funding.list_programmes()}


def exported_lines() -> list[str]:
    return funding.catalogue_csv(funding.list_programmes()).decode("utf-8-sig").splitlines()


def test_importing_a_broken_csv_changes_nothing_and_lists_every_problem(sqlite_db):
    lines = exported_lines()
    lines[1] = lines[1].replace(",current,", ",someday,", 1)
    at = open_page("funding_catalogue")
    at.file_uploader(key="catalogue_upload").upload("katalog.csv", "\n".join(lines[:5]).encode("utf-8"), "text/csv").run()
    at.button(key="catalogue_import").click().run()
    [error] = texts(at.error)
    assert error.startswith("Rader i katalogen att rätta: 1.") and "Rad 2, Status:" in error
    assert len(funding.list_programmes()) == 36


def test_importing_a_valid_csv_replaces_the_catalogue(sqlite_db):
    lines = exported_lines()
    at = open_page("funding_catalogue", language="en")
    at.file_uploader(key="catalogue_upload").upload("catalogue.csv", "\n".join(lines[:5]).encode("utf-8"), "text/csv").run()
    at.button(key="catalogue_import").click().run()
    assert "The catalogue was replaced: 4 programmes." in texts(at.success)
    assert len(funding.list_programmes()) == 4


def test_importing_a_file_that_is_not_utf8_is_refused(sqlite_db):
    at = open_page("funding_catalogue", language="en")
    at.file_uploader(key="catalogue_upload").upload("catalogue.csv", "\n".join(exported_lines()).encode("utf-16"), "text/csv").run()
    at.button(key="catalogue_import").click().run()
    assert texts(at.error) == [
        "The file was refused (the file is not UTF-8 text). Save the catalogue as CSV in UTF-8 and try again. Nothing was saved."
    ]
    assert len(funding.list_programmes()) == 36


def test_resetting_brings_back_the_shipped_catalogue(sqlite_db):
    funding.import_catalogue("\n".join(exported_lines()[:3]).encode(), file_name="two.csv")
    assert len(funding.list_programmes()) == 2
    at = open_page("funding_catalogue")
    at.checkbox(key="catalogue_reset_confirm").check().run()
    at.button(key="catalogue_reset").click().run()
    assert len(funding.list_programmes()) == 36
    assert "Katalogen återställdes: 36 program." in texts(at.success)
