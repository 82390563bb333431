"""A whole workshop in a real browser, from an empty database to a completed plan.

Screenshots of every step are written to test-artifacts/workshop/ (or
$OPPORTUNITY_MAP_ARTIFACTS/workshop/).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import AppServer, wait_for_script
from tests.factories import org_number
from workshop import cohorts, content, scoring_models, storage, votes
from workshop.config import PROJECT_ROOT

ARTIFACTS = Path(os.environ.get("OPPORTUNITY_MAP_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "workshop"
# Glide data grid geometry in Streamlit: header and rows are 35 px, a 32 px row-marker column first.
ROW_HEIGHT = 35
MARKER_WIDTH = 32
SELECT_COLUMN_CENTRE = 37
PROCESSES = [("Offertarbete", 12), ("Orderplanering", 20), ("Fakturering", 6), ("Kundtjänst", 15), ("Inköp", 8)]
TYPED_USE_CASES = ["Prognos för materialbehov", "Automatisk offertkalkyl", "Chattbot för kundfrågor"]
LIBRARY_COPIES = 5
EDITOR_ATTEMPTS = 4
# (value criteria score, feasibility as it should count) per use case, in creation order.
TARGET_SCORES = [(5, 5), (4, 5), (4, 3), (3, 4), (3, 2), (2, 3), (2, 1), (1, 1)]


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _settle(page: Page) -> None:
    wait_for_script(page)
    page.wait_for_timeout(300)
    wait_for_script(page)


def _cell(box: dict, *, x: float, row: int) -> tuple[float, float]:
    return box["x"] + x, box["y"] + ROW_HEIGHT + row * ROW_HEIGHT + ROW_HEIGHT / 2


def _type_in_cell(page: Page, grid, *, x: float, row: int, text: str) -> None:  # noqa: ANN001
    """Open the cell's editor with a double click, type, and leave the cell with Tab."""
    editor = page.locator("#portal textarea, #portal input").first
    for _attempt in range(EDITOR_ATTEMPTS):
        # A grid that is still being replaced after the previous save ignores the click.
        _settle(page)
        page.mouse.dblclick(*_cell(grid.bounding_box(), x=x, row=row))
        try:
            editor.wait_for(timeout=2_000)
            break
        except PlaywrightTimeout:
            continue
    editor.fill(text)
    editor.press("Tab")
    _settle(page)


def _add_row(page: Page, grid, *, rows: int, text: str) -> None:  # noqa: ANN001
    """Click the empty row at the bottom (adds a row), then type into its first column."""
    box = grid.bounding_box()
    page.mouse.click(*_cell(box, x=MARKER_WIDTH + 60, row=rows))
    page.wait_for_timeout(300)
    _type_in_cell(page, grid, x=MARKER_WIDTH + 60, row=rows, text=text)


def _tick(page: Page, *, row: int) -> None:
    """Tick the checkbox in the first column of a row of the first table, until it shows ticked."""
    for _attempt in range(EDITOR_ATTEMPTS):
        _settle(page)
        grid = page.get_by_test_id("stDataFrame").first
        if grid.get_by_test_id(f"glide-cell-0-{row}").inner_text() == "true":
            return
        page.mouse.click(*_cell(grid.bounding_box(), x=SELECT_COLUMN_CENTRE, row=row))
    raise AssertionError(f"row {row} could not be ticked")


def _go_to_step(page: Page, label: str) -> None:
    page.get_by_role("link", name=label).first.click()
    _settle(page)


@pytest.fixture
def empty_server(tmp_path, monkeypatch):
    server = AppServer(tmp_path)
    server.cli("db", "upgrade")
    server.start()
    # The test reads the server's database through the service layer to check what was saved.
    storage.use_url(f"sqlite:///{tmp_path / 'opportunity_map.db'}")
    yield server
    server.stop()
    storage.engine().dispose()


def test_a_whole_workshop_from_an_empty_database(empty_server, page):
    page.set_default_timeout(30_000)
    page.goto(empty_server.url)
    _settle(page)

    # First run: the empty installation asks for its first administrator.
    expect(page.get_by_text("Det finns inget konto ännu.", exact=False)).to_be_visible()
    page.get_by_label("Namn som visas").fill("Anna Lindqvist")
    page.get_by_label("E-postadress").fill("anna@example.se")
    page.get_by_label("Lösenord", exact=True).fill("ett-långt-lösenord")
    page.get_by_label("Lösenordet igen").fill("ett-långt-lösenord")
    page.get_by_role("button", name="Skapa administratören och logga in").click()
    _settle(page)

    # 0. Set-up: cohort, company, workshop.
    page.get_by_label("Kohortens namn").fill("Kickstart AI Skåne – test")
    page.get_by_role("button", name="Skapa kohort").click()
    _settle(page)
    page.get_by_label("Företagsnamn").fill("Kvarnby Mekaniska AB")
    page.get_by_label("Organisationsnummer").fill(org_number())
    page.get_by_label("Antal anställda").fill("18")
    page.get_by_role("button", name="Skapa företag").click()
    _settle(page)
    page.get_by_label("Processledare").fill("Anna Lindqvist")
    page.get_by_role("button", name="Skapa och öppna workshop").click()
    _settle(page)
    expect(page.get_by_role("heading", name="1. Företagsprofil")).to_be_visible()
    _shot(page, "1-profile")

    # 2. Processes, typed into the table as a facilitator would.
    _go_to_step(page, "2. Processer")
    grid = page.get_by_test_id("stDataFrame").first
    for number, (name, _hours) in enumerate(PROCESSES):
        _add_row(page, grid, rows=number, text=name)
    hours_x = MARKER_WIDTH + 400 + 200 + 60  # name (large), area (medium), then hours
    for number, (_name, hours) in enumerate(PROCESSES):
        _type_in_cell(page, grid, x=hours_x, row=number, text=str(hours))
    expect(page.get_by_text("Sparat automatiskt · 5 rader").first).to_be_visible()  # first: the main table
    _shot(page, "2-processes")
    [workshop] = cohorts.list_workshops(cohort_id=cohorts.list_cohorts()[0].id)
    assert [(p.name, p.hours_per_week) for p in content.list_processes(workshop_id=workshop.id)] == [
        (name, float(hours)) for name, hours in PROCESSES
    ]

    # 3. Use cases: three typed, five copied from the library (tied to the first process).
    _go_to_step(page, "3. Användningsfall")
    grid = page.get_by_test_id("stDataFrame").first
    for number, title in enumerate(TYPED_USE_CASES):
        _add_row(page, grid, rows=number, text=title)
    page.get_by_label("Koppla kopierat exempel till process").click()
    page.get_by_role("option", name=PROCESSES[0][0]).click()
    _settle(page)
    for _ in range(LIBRARY_COPIES):
        page.get_by_role("button", name="Lägg till i workshoppen").first.click()
        _settle(page)
    use_cases = content.list_use_cases(workshop_id=workshop.id)
    assert len(use_cases) == len(TYPED_USE_CASES) + LIBRARY_COPIES
    assert [u.title for u in use_cases[:3]] == TYPED_USE_CASES
    assert all(u.process_id is not None for u in use_cases[3:])
    _shot(page, "3-use-cases")

    # 4. Scoring: every criterion of every use case, one use case at a time.
    _go_to_step(page, "4. Poängsättning")
    model = scoring_models.get_model(scoring_models.default_model_id())
    for use_case, (value, feasibility) in zip(use_cases, TARGET_SCORES, strict=True):
        for criterion in model.criteria:
            wanted = value if criterion.axis == "value" else feasibility
            raw = 6 - wanted if criterion.direction == "lower_is_better" else wanted
            control = page.locator(f".st-key-consensus_{use_case.id}_{criterion.key}")
            control.get_by_role("radio", name=str(raw), exact=True).click()
            _settle(page)
        if use_case is use_cases[0]:
            _shot(page, "4-scoring")
        page.get_by_role("button", name="Nästa").click()
        _settle(page)
    expect(page.get_by_text("8 av 8 användningsfall har poäng på alla kriterier")).to_be_visible()

    # 5. Prioritisation: the ranked order follows the scores; the group picks the top two.
    _go_to_step(page, "5. Prioritering")
    expected = sorted(
        zip(use_cases, TARGET_SCORES, strict=True),
        key=lambda item: (-math.sqrt(item[1][0] * item[1][1]), -item[1][0], -item[1][1], item[0].title.casefold(), item[0].id),
    )
    ranked = votes.workshop_result(workshop_id=workshop.id).ranked
    assert [s.use_case_id for s in ranked] == [u.id for u, _ in expected]
    ranked_grid = page.get_by_test_id("stDataFrame").first
    # A fixed-rows editor has no row-marker column: the title is its third column (index 2).
    shown_titles = [ranked_grid.get_by_test_id(f"glide-cell-2-{row}").inner_text() for row in range(len(use_cases))]
    assert shown_titles == [u.title for u, _ in expected]
    for row in (0, 1):
        _tick(page, row=row)
    assert {u.id for u in content.list_use_cases(workshop_id=workshop.id) if u.selected} == {expected[0][0].id, expected[1][0].id}
    expect(page.get_by_text("2 valda att gå vidare med")).to_be_visible()
    _shot(page, "5-prioritisation")

    # 6. Action plan for the chosen two.
    _go_to_step(page, "6. Handlingsplan")
    for use_case, _ in expected[:2]:
        page.locator(f".st-key-plan_{use_case.id}_next_step textarea").fill("Boka förstudie med en leverantör")
        page.locator(f".st-key-plan_{use_case.id}_owner input").fill("Karin Persson")
        page.locator(f".st-key-plan_{use_case.id}_owner input").press("Enter")
        _settle(page)
        page.locator(f".st-key-plan_{use_case.id}_horizon_days").get_by_role("radio", name="90 dagar").click()
        _settle(page)
    # The first is headed for a pilot: the funding pointers follow the plan at once.
    first = expected[0][0]
    page.locator(f".st-key-plan_{first.id}_stage").get_by_role("radio", name="Pilot").click()
    _settle(page)
    # Almi's innovation loan is for pilots on: it shows only for the use case now headed there.
    expect(page.get_by_text("Almi Innovationslån · Lån")).to_have_count(1)
    expect(page.get_by_text("Passar skedet pilot").first).to_be_visible()
    expect(page.get_by_text("Affärsutvecklingscheckar (inkl. digitalisering) · Check").first).to_be_visible()
    _shot(page, "6-action-plan")
    plans = content.list_action_items(workshop_id=workshop.id)
    assert sorted((p.use_case_id, p.owner, p.horizon_days) for p in plans) == sorted(
        (u.id, "Karin Persson", 90) for u, _ in expected[:2]
    )

    # 7. Wrap-up.
    _go_to_step(page, "7. Avslutning")
    page.get_by_role("button", name="Markera workshoppen som avslutad").click()
    _settle(page)
    expect(page.get_by_text("Workshoppen är avslutad.")).to_be_visible()
    _shot(page, "7-wrap-up")
    assert cohorts.get_workshop(workshop_id=workshop.id).status == "completed"

    # The company leaves with its files: the workbook reads back, the report is a PDF.
    with page.expect_download() as workbook_download:
        page.get_by_role("button", name="Arbetsbok (Excel)").click()
    sheets = pd.read_excel(workbook_download.value.path(), sheet_name=None)
    assert list(sheets["Rangordning"]["Användningsfall"]) == [u.title for u, _ in expected]
    assert "Affärsutvecklingscheckar (inkl. digitalisering)" in set(sheets["Finansiering"]["Program"])
    with page.expect_download() as report_download:
        page.get_by_role("button", name="Rapport (PDF)").click()
    assert Path(report_download.value.path()).read_bytes().startswith(b"%PDF")
    assert page.get_by_test_id("stException").count() == 0
