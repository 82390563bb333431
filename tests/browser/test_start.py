"""What a person sees in a real browser on a freshly started server."""

from __future__ import annotations

from tests.browser.conftest import wait_for_script


def test_home_shows_the_demo_cohort(demo_server, page):
    page.goto(demo_server.url)
    wait_for_script(page)
    page.get_by_role("heading", name="Kohorter och workshoppar").wait_for()
    assert page.get_by_role("combobox", name="Kohort").input_value() == "Kickstart AI Skåne – demo"
    metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert metrics == ["9", "9", "7", "48"]
    assert page.get_by_test_id("stException").count() == 0


def test_deep_link_right_after_start_runs_the_guard_and_shows_data(demo_server, page):
    page.goto(f"{demo_server.url}/overview")
    wait_for_script(page)
    page.get_by_role("heading", name="Kohorter och workshoppar").wait_for()
    assert page.get_by_test_id("stMetricValue").all_inner_texts() == ["9", "9", "7", "48"]


def test_switch_to_english(demo_server, page):
    page.goto(demo_server.url)
    wait_for_script(page)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Cohorts and workshops").wait_for()
    assert page.get_by_test_id("stMetricLabel").all_inner_texts()[0] == "Companies"
