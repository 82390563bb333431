"""What a person sees in a real browser on a freshly started server."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in, wait_for_script

DEMO_METRICS = ["9", "9", "7", "48"]


def test_home_offers_the_demo_cohort_and_its_workshops(demo_server, page):
    page.goto(demo_server.url)
    sign_in(page)
    wait_for_script(page)
    expect(page.get_by_role("heading", name="Välj eller skapa en workshop")).to_be_visible()
    expect(page.get_by_role("combobox", name="Kohort")).to_have_value("Kickstart AI Skåne – demo")
    expect(page.get_by_role("button", name="Öppna")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_deep_link_right_after_start_runs_the_guard_and_shows_data(demo_server, page):
    page.goto(f"{demo_server.url}/overview")
    sign_in(page)
    wait_for_script(page)
    expect(page.get_by_role("heading", name="Kohorter och workshoppar")).to_be_visible()
    for index, value in enumerate(DEMO_METRICS):
        expect(page.get_by_test_id("stMetricValue").nth(index)).to_have_text(value)


def test_deep_link_to_a_step_reopens_the_workshop(demo_server, page):
    page.goto(f"{demo_server.url}/scoring?workshop=1")
    sign_in(page)
    wait_for_script(page)
    expect(page.get_by_role("heading", name="4. Poängsättning")).to_be_visible()
    expect(page.get_by_text("Hässlebro Plåt & Press AB")).to_be_visible()


def test_switch_to_english(demo_server, page):
    page.goto(f"{demo_server.url}/overview")
    sign_in(page)
    wait_for_script(page)
    expect(page.get_by_role("heading", name="Kohorter och workshoppar")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Cohorts and workshops")).to_be_visible()
    expect(page.get_by_test_id("stMetricLabel").first).to_have_text("Companies")


def test_a_deep_link_without_signing_in_shows_no_data(demo_server, page):
    """A fresh server, and a protected page opened straight from its address."""
    for address, secret in (
        ("/scoring?workshop=1", "Hässlebro Plåt & Press AB"),
        ("/cohort_dashboard", "Kickstart AI Skåne – demo"),
        ("/company_follow_up", "Hässlebro"),
        ("/audit_log", "voting"),
        ("/data_protection", "Hässlebro"),
    ):
        page.goto(f"{demo_server.url}{address}")
        wait_for_script(page)
        expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
        expect(page.get_by_text(secret, exact=False)).to_have_count(0)
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
