"""The overview page through Streamlit's AppTest, on a real database with the demo cohort."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT, open_page
from workshop import migrate, storage
from workshop.config import PROJECT_ROOT


def _run(language: str | None = None) -> AppTest:
    return open_page("overview", language=language)


def test_overview_shows_demo_cohort_in_swedish_by_default(demo_db):
    at = _run()
    assert not at.exception
    assert at.title[0].value == "Kohorter och workshoppar"
    assert at.selectbox(key="overview_cohort").value is not None
    assert [m.value for m in at.metric][:4] == ["9", "9", "7", "48"]
    # 38 use cases of consenting companies: two chatbots (limited), one CV screen (high), the rest minimal.
    assert [(m.label, m.value) for m in at.metric][4:] == [("Förbjuden", "0"), ("Hög risk", "1"), ("Transparenskrav", "2"), ("Minimal risk", "35")]
    workshops = at.dataframe[0].value
    assert len(workshops) == 9
    assert "Hässlebro Plåt & Press AB" in list(workshops["Företag"])
    ranking = at.dataframe[2].value
    assert list(ranking.columns) == ["Rang", "Användningsfall", "Värde", "Genomförbarhet", "Prioritet", "Kvadrant", "Svar"]


def test_overview_in_english(demo_db):
    at = _run("en")
    assert not at.exception
    assert at.title[0].value == "Cohorts and workshops"
    assert "Company" in at.dataframe[0].value.columns


def test_language_switch_changes_the_page(demo_db):
    at = _run()
    at.segmented_control(key="language_switch").set_value("en").run()
    assert at.title[0].value == "Cohorts and workshops"


def test_empty_database_explains_how_to_start(sqlite_db):
    at = _run()
    assert not at.exception
    assert "python -m workshop demo" in at.info[0].value


def test_unmigrated_database_shows_a_clear_error(sqlite_db):
    migrate.downgrade("base")
    at = open_page("overview", role=None)
    assert not at.exception
    assert at.error[0].value.startswith("Databasen är inte redo")
    assert len(at.dataframe) == 0


def test_page_file_alone_runs_the_guard(sqlite_db):
    """A deep link right after a server start runs the page without app.py."""
    migrate.downgrade("base")
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "overview.py"), default_timeout=TIMEOUT).run()
    assert at.error[0].value.startswith("Databasen är inte redo")
    storage.engine().dispose()
