"""The advisor's dashboard and follow-up page in a real browser, on the demo cohort.

Screenshots go to test-artifacts/cohort/ (or $OPPORTUNITY_MAP_ARTIFACTS/cohort/).
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import sign_in, wait_for_script
from workshop.config import PROJECT_ROOT

ARTIFACTS = Path(os.environ.get("OPPORTUNITY_MAP_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "cohort"


def _shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_dashboard_draws_every_view(demo_server, page):
    page.set_default_timeout(30_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo_server.url}/cohort_dashboard")
    sign_in(page)
    wait_for_script(page)
    expect(page.get_by_role("heading", name="Kohortdashboard")).to_be_visible()
    expect(page.get_by_text("2 företag har inte samtyckt till kohortrapportering", exact=False)).to_be_visible()
    # Each view is recognised by its own caption before its chart is checked and shot.
    for view, name, caption in (
        ("Fördelningar", "distribution", "Andelen av användningsfallen i varje grupp"),
        ("Hinder", "blockers", "Låg poäng: högst 2 av 5"),
        ("Finansieringsbehov", "funding", "Hur många valda användningsfall som har programmet"),
        ("Uppföljning", "follow-up", "Varje steg räknar de användningsfall"),
        ("Kalibrering", "calibration", "Medelpoängen (rå poäng 1–5)"),
    ):
        page.get_by_role("radio", name=view).click()
        expect(page.get_by_text(caption, exact=False)).to_be_visible()
        wait_for_script(page)
        expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first).to_be_visible()
        _shot(page, f"dashboard-{name}")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_the_follow_up_page_shows_a_company(demo_server, page):
    page.set_default_timeout(30_000)
    page.goto(f"{demo_server.url}/company_follow_up")
    sign_in(page)
    wait_for_script(page)
    expect(page.get_by_role("heading", name="Företag och uppföljning")).to_be_visible()
    expect(page.get_by_role("heading", name="Registrera uppföljning")).to_be_visible()
    _shot(page, "company-follow-up")
    expect(page.get_by_test_id("stException")).to_have_count(0)
