"""The funding catalogue's admin page and a demo workshop's pointers, in a real browser.

Screenshots go to test-artifacts/funding/ (or $OPPORTUNITY_MAP_ARTIFACTS/funding/).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, wait_for_script
from workshop.config import PROJECT_ROOT

ARTIFACTS = Path(os.environ.get("OPPORTUNITY_MAP_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "funding"


def _shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_catalogue_downloads_and_a_broken_import_changes_nothing(demo_server, page, tmp_path):
    page.set_default_timeout(30_000)
    page.goto(f"{demo_server.url}/funding_catalogue")
    sign_in(page)
    wait_for_script(page)
    expect(page.get_by_role("heading", name="Finansieringskatalog")).to_be_visible()
    expect(page.get_by_text("36 program. Äldsta kontrollerade uppgifter: 2026-11-01.")).to_be_visible()
    _shot(page, "catalogue")

    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner katalogen (CSV)").click()
    exported = Path(download.value.path()).read_bytes()
    frame = pd.read_csv(io.BytesIO(exported), encoding="utf-8-sig")
    assert len(frame) == 36 and frame["key"].iloc[0] == "EU-01"

    broken = exported.decode("utf-8-sig").replace("https://", "ftp://", 1)
    upload = tmp_path / "katalog.csv"
    upload.write_text(broken, encoding="utf-8")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    wait_for_script(page)
    # The upload reruns the page once it has arrived; the button opens then.
    expect(page.get_by_role("button", name="Ersätt katalogen med filen")).to_be_enabled()
    page.get_by_role("button", name="Ersätt katalogen med filen").click()
    wait_for_script(page)
    expect(page.get_by_text("Rader i katalogen att rätta: 1.")).to_be_visible()
    expect(page.get_by_text("Inget av ändringen sparades.")).to_be_visible()
    _shot(page, "catalogue-import-refused")
    expect(page.get_by_text("36 program.", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_the_action_plan_of_a_health_workshop_points_to_a_health_programme_first(demo_server, page):
    page.set_default_timeout(30_000)
    page.goto(f"{demo_server.url}/overview")  # the entry page sets up the top navigation
    sign_in(page)
    wait_for_script(page)
    page.goto(f"{demo_server.url}/action_plan?workshop=7")
    wait_for_script(page)
    expect(page.get_by_role("heading", name="6. Handlingsplan")).to_be_visible()
    cards = page.locator("[class*='st-key-plan_card_']")
    # The plans in the ranked list's order: the drop-out prediction ranks first.
    expect(cards.first).to_contain_text("Drop-out prediction and adherence alerts")
    # The triage assistant's plan is at the pre-study stage: the health hub for pre-studies comes first.
    triage_card = cards.filter(has_text="Triage assistant for patient messages")
    expect(triage_card.get_by_test_id("stExpander").first).to_contain_text("Health Data Sweden (europeisk digital innovationshubb)")
    expect(page.get_by_text("Inriktat på hälsa och vård").first).to_be_visible()
    page.get_by_text("Finansiering och stöd att undersöka").first.scroll_into_view_if_needed()
    _shot(page, "action-plan-health")
    expect(page.get_by_test_id("stException")).to_have_count(0)
