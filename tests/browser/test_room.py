"""The room as people use it: phones that open the QR address in a fresh browser as the
very first request after a server start, and reload; a company opening /results the same
way; a facilitator typing into tables at talking speed with Tab between cells; a language
switch followed by links and a reload. Real server, real Chromium; no fixed sleeps.

Screenshots go to test-artifacts/room/ (or $OPPORTUNITY_MAP_ARTIFACTS/room/).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import AppServer, sign_in, wait_for_script
from tests.factories import make_workshop
from workshop import access_codes, live_voting, storage
from workshop.config import DEFAULT_DATABASE_FILE, PROJECT_ROOT
from workshop.models import Participant, Process, UseCase

ARTIFACTS = Path(os.environ.get("OPPORTUNITY_MAP_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "room"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1280, "height": 720}}
# People type at 5–10 keys a second.
KEY_DELAY_MS = 120
# Glide data grid geometry in Streamlit: header and rows are 35 px, a 32 px row-marker column first.
ROW_HEIGHT = 35
MARKER_WIDTH = 32
PAGE_NOT_FOUND = "Page not found"


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _no_dialog(page: Page) -> None:
    expect(page.get_by_text(PAGE_NOT_FOUND)).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)


def _signed_in_desk(browser, server: AppServer, path: str) -> Page:  # noqa: ANN001
    """A facilitator's laptop in a fresh browser: the address opened first, then the sign-in it shows."""
    desk = browser.new_context(**DESK).new_page()
    desk.set_default_timeout(30_000)
    desk.goto(f"{server.url}{path}")
    sign_in(desk)
    return desk


@pytest.fixture
def prepared(tmp_path):
    """A migrated data folder with a workshop whose voting is open and whose company has an
    access code — made before the server starts, so a phone's visit can be its first request."""
    server = AppServer(tmp_path)
    server.cli("db", "upgrade")
    server.create_admin()
    storage.use_url(f"sqlite:///{tmp_path / DEFAULT_DATABASE_FILE}")
    ids = make_workshop(participants=0, use_cases=3)
    ids["join_code"] = live_voting.start_voting(workshop_id=ids["workshop_id"], actor="test")
    live_voting.open_use_cases(workshop_id=ids["workshop_id"], actor="test")
    ids["results_code"] = access_codes.issue(workshop_id=ids["workshop_id"], actor="test").code
    yield server, ids
    server.stop()
    storage.engine().dispose()


def _join_from_the_qr_code(browser, server: AppServer, code: str, name: str) -> Page:  # noqa: ANN001
    phone = browser.new_context(**PHONE).new_page()
    phone.set_default_timeout(30_000)
    phone.goto(f"{server.url}/join?code={code}")
    wait_for_script(phone)
    _no_dialog(phone)
    assert re.search(r"/join\?code=", phone.url), phone.url
    field = phone.get_by_label("Ditt namn")
    field.click()
    field.press_sequentially(name, delay=KEY_DELAY_MS)
    phone.get_by_role("button", name="Gå med").click()
    expect(phone.get_by_text(f"Du röstar som {name}")).to_be_visible()
    return phone


@pytest.mark.parametrize("staff_first", [False, True], ids=["phone-first", "facilitator-first"])
def test_a_phone_joins_from_the_qr_address_and_a_reload_keeps_its_ballot(prepared, browser, staff_first):
    server, ids = prepared
    server.start()
    if staff_first:  # the facilitator starts at the entry page, which runs the navigation, before any phone
        desk = _signed_in_desk(browser, server, "/")
        desk.goto(f"{server.url}/live_voting?workshop={ids['workshop_id']}")
        wait_for_script(desk)
        expect(desk.get_by_text("telefoner har gått med", exact=False)).to_be_visible()
    phone = _join_from_the_qr_code(browser, server, ids["join_code"], "Eva")
    _no_dialog(phone)
    assert re.search(r"/join\?device=[^&]+", phone.url), phone.url
    # Move on to the second use case, then reload: the same ballot, at the same use case.
    chosen = phone.get_by_role("combobox")
    expect(chosen).to_have_value(re.compile(r"^1\. Användningsfall"))
    phone.get_by_role("button", name="Nästa").click()
    expect(chosen).to_have_value(re.compile(r"^2\. Användningsfall"))
    second = chosen.input_value()
    expect(phone).to_have_url(re.compile(r"case=\d+"))
    phone.reload()
    wait_for_script(phone)
    _no_dialog(phone)
    expect(phone.get_by_text("Du röstar som Eva")).to_be_visible()
    expect(chosen).to_have_value(second)
    expect(phone.get_by_role("heading", name="Logga in")).to_have_count(0)
    _shot(phone, f"phone-after-reload-{'staff-first' if staff_first else 'phone-first'}")
    with storage.read() as session:
        names = session.scalars(select(Participant.name).where(Participant.workshop_id == ids["workshop_id"])).all()
    assert names == ["Eva"]


def test_a_company_opens_results_first_and_a_reload_keeps_them(prepared, browser):
    server, ids = prepared
    server.start()
    company = browser.new_context(**DESK).new_page()
    company.set_default_timeout(30_000)
    company.goto(f"{server.url}/results")
    wait_for_script(company)
    _no_dialog(company)
    assert company.url.endswith("/results"), company.url
    field = company.get_by_label("Åtkomstkod")
    field.click()
    field.press_sequentially(ids["results_code"], delay=KEY_DELAY_MS // 2)
    expect(field).to_have_value(ids["results_code"])
    company.get_by_role("button", name="Visa resultaten").click()
    expect(company.get_by_role("heading", name="Resultat för Testbolaget AB")).to_be_visible()
    company.reload()
    wait_for_script(company)
    _no_dialog(company)
    expect(company.get_by_role("heading", name="Resultat för Testbolaget AB")).to_be_visible()
    assert company.url.endswith("/results"), company.url
    _shot(company, "company-after-reload")


def test_a_staff_step_address_opens_first_and_a_reload_stays_on_the_step(prepared, browser):
    server, ids = prepared
    server.start()
    address = f"{server.url}/scoring?workshop={ids['workshop_id']}"
    desk = _signed_in_desk(browser, server, f"/scoring?workshop={ids['workshop_id']}")
    _no_dialog(desk)
    expect(desk.get_by_role("heading", name="4. Poängsättning")).to_be_visible()
    # The step adds the use case on screen to the address; the step and workshop stay.
    assert desk.url.startswith(address), desk.url
    before = desk.url
    desk.reload()
    wait_for_script(desk)
    expect(desk.get_by_role("heading", name="4. Poängsättning")).to_be_visible()
    assert desk.url == before


def _type_line(page: Page, first_field, cells: list[str]) -> None:  # noqa: ANN001
    """Click into the new-row line's first field, then type each field's text at talking
    speed and press Tab to the next, as a person does; Enter after the last."""
    first_field.click()
    for number, text in enumerate(cells):
        if text:
            page.keyboard.type(text, delay=KEY_DELAY_MS)
        page.keyboard.press("Enter" if number == len(cells) - 1 else "Tab")


def test_typing_new_rows_at_talking_speed_keeps_every_key(prepared, browser):
    server, ids = prepared
    server.start()
    workshop_id = ids["workshop_id"]
    desk = _signed_in_desk(browser, server, f"/processes?workshop={workshop_id}")
    name = desk.locator(f".st-key-processes_quick_add_{workshop_id}_name input")
    # Name, Tab, area (kept from the row above), Tab, hours per week, Enter.
    _type_line(desk, name, ["Reklamationer och returer", "", "14"])
    expect(desk.get_by_text("Sparat automatiskt · 2 rader").first).to_be_visible()
    expect(name).to_have_value("")
    _type_line(desk, name, ["Lönehantering", "", "6"])
    expect(desk.get_by_text("Sparat automatiskt · 3 rader").first).to_be_visible()
    _shot(desk, "processes-typed")
    with storage.read() as session:
        saved = session.execute(
            select(Process.name, Process.hours_per_week).where(Process.workshop_id == workshop_id).order_by(Process.id)
        ).all()
    assert [tuple(row) for row in saved[1:]] == [("Reklamationer och returer", 14.0), ("Lönehantering", 6.0)]

    desk.get_by_role("link", name="3. Användningsfall").click()
    wait_for_script(desk)
    title = desk.locator(f".st-key-use_cases_quick_add_{workshop_id}_title input")
    _type_line(desk, title, ["Chattbot för reklamationer"])
    expect(desk.get_by_text("Sparat automatiskt · 4 rader").first).to_be_visible()
    _type_line(desk, title, ["Prognos för returflöden"])
    expect(desk.get_by_text("Sparat automatiskt · 5 rader").first).to_be_visible()
    with storage.read() as session:
        titles = session.scalars(select(UseCase.title).where(UseCase.workshop_id == workshop_id).order_by(UseCase.id)).all()
    assert titles[-2:] == ["Chattbot för reklamationer", "Prognos för returflöden"]
    _shot(desk, "use-cases-typed")


def test_an_invalid_new_row_keeps_what_was_typed_and_saves_nothing(prepared, browser):
    server, ids = prepared
    server.start()
    workshop_id = ids["workshop_id"]
    desk = _signed_in_desk(browser, server, f"/processes?workshop={workshop_id}")
    name = desk.locator(f".st-key-processes_quick_add_{workshop_id}_name input")
    existing = desk.get_by_test_id("stDataFrame").get_by_test_id("glide-cell-1-0").inner_text()
    _type_line(desk, name, [existing])  # a name the table has already
    expect(desk.get_by_text("Rader att rätta: 1", exact=False)).to_be_visible()
    expect(name).to_have_value(existing)
    expect(desk.get_by_text("Sparat automatiskt · 1 rad", exact=True).first).to_be_visible()


def test_the_language_stays_across_links_the_next_step_and_a_reload(prepared, browser):
    server, ids = prepared
    server.start()
    desk = _signed_in_desk(browser, server, f"/profile?workshop={ids['workshop_id']}")
    desk.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(desk.get_by_role("heading", name="1. Company profile")).to_be_visible()
    desk.get_by_role("link", name="3. Use cases").click()
    expect(desk.get_by_role("heading", name="3. Use cases")).to_be_visible()
    desk.get_by_role("link", name="Next step: Scoring").click()
    expect(desk.get_by_role("heading", name="4. Scoring")).to_be_visible()
    desk.reload()
    wait_for_script(desk)
    expect(desk.get_by_role("heading", name="4. Scoring")).to_be_visible()
    _shot(desk, "english-after-reload")

    # A phone chooses its own language, and keeps it over a reload.
    phone = _join_from_the_qr_code(browser, server, ids["join_code"], "Olle")
    phone.get_by_text("English", exact=True).click()
    expect(phone.get_by_text("You are voting as Olle")).to_be_visible()
    phone.reload()
    wait_for_script(phone)
    expect(phone.get_by_text("You are voting as Olle")).to_be_visible()


def test_the_projector_collapses_the_code_once_phones_joined_reveals_all_and_undoes_a_consensus(prepared, browser):
    from workshop.models import ConsensusScore

    server, ids = prepared
    server.start()
    workshop_id, first = ids["workshop_id"], ids["use_case_ids"][0]
    desk = _signed_in_desk(browser, server, f"/live_voting?workshop={workshop_id}")
    desk.get_by_role("button", name="Ny kod").click()
    code = desk.locator(".st-key-join_code h1")
    expect(code).to_be_visible()  # large while no phone has joined
    shown_code = code.inner_text()  # "Ny kod" replaced the earlier one
    # Three phones join and score the first use case on business impact: 1, 3 and 5.
    for name, score in (("Eva", 1), ("Olle", 3), ("Sara", 5)):
        token = live_voting.join(shown_code, name=name, client_key="test").device_token
        live_voting.cast_vote(device_token=token, use_case_id=first, round=1, criterion_key="business_impact", score=score)
    # The counts rise by themselves; the code stays large while people are still joining.
    expect(desk.get_by_text("3 telefoner har gått med.")).to_be_visible()
    expect(code).to_be_visible()
    desk.get_by_role("button", name="Visa alla resultat").click()
    wait_for_script(desk)
    # Phones are in and the facilitator acts: the code folds away, the counts need the room.
    expect(code).to_be_hidden()
    expect(desk.get_by_text("Kod och QR-kod:", exact=False)).to_be_visible()
    _shot(desk, "projector-revealed")
    expect(desk.get_by_role("heading", name="Diskutera först")).to_be_visible()
    item = desk.get_by_text("Affärsnytta: median 3, spridning 4 steg", exact=False)
    expect(item).to_be_visible()
    expect(desk.get_by_text("1 █  2 ·  3 █  4 ·  5 █")).to_be_visible()
    desk.locator(f".st-key-live_consensus_{first}_business_impact").get_by_role("radio", name="3", exact=True).click()
    set_text = desk.get_by_text("gruppens poäng satt till 3", exact=False)
    expect(set_text).to_be_visible()
    _shot(desk, "projector-consensus-set")
    with storage.read() as session:
        assert session.scalars(select(ConsensusScore.score).where(ConsensusScore.use_case_id == first)).all() == [3]
    desk.get_by_role("button", name="Ångra").click()
    expect(set_text).to_have_count(0)
    expect(item).to_be_visible()  # back on the list to discuss
    with storage.read() as session:
        assert session.scalars(select(ConsensusScore.score).where(ConsensusScore.use_case_id == first)).all() == []


def test_page_down_steps_to_the_next_use_case_without_clicking_into_the_page(prepared, browser):
    server, ids = prepared
    server.start()
    desk = _signed_in_desk(browser, server, f"/use_cases?workshop={ids['workshop_id']}")
    desk.get_by_role("link", name="4. Poängsättning").click()
    expect(desk).to_have_url(re.compile(rf"use_case={ids['use_case_ids'][0]}"))
    wait_for_script(desk)
    desk.keyboard.press("PageDown")
    expect(desk).to_have_url(re.compile(rf"use_case={ids['use_case_ids'][1]}"))
