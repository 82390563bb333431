"""Five phones vote at the same time while the projector's counts rise by themselves; the
reveal shows the medians. Real server, real Chromium.

Screenshots go to test-artifacts/voting/ (or $OPPORTUNITY_MAP_ARTIFACTS/voting/).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from playwright.sync_api import expect

from tests.browser.conftest import AppServer, sign_in, wait_for_script
from tests.factories import make_workshop
from workshop import scoring_models, storage, votes
from workshop.config import DEFAULT_DATABASE_FILE, PROJECT_ROOT
from workshop.models import Vote

ARTIFACTS = Path(os.environ.get("OPPORTUNITY_MAP_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "voting"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Each phone's scores for the first use case: criterion → one score per phone.
PLAN = {"business_impact": (1, 2, 3, 4, 5), "customer_benefit": (2, 2, 4, 4, 5)}
OTHER_SCORE = 3


def _shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def server(tmp_path):
    app = AppServer(tmp_path)
    app.cli("db", "upgrade")
    app.create_admin()
    app.start()
    storage.use_url(f"sqlite:///{tmp_path / DEFAULT_DATABASE_FILE}")
    yield app
    storage.engine().dispose()
    app.stop()


def _score(phone, use_case_id: int, criterion: str, score: int, *, wait: bool = True) -> None:  # noqa: ANN001
    choice = phone.locator(f".st-key-vote_{use_case_id}_1_{criterion}").get_by_role("radio", name=str(score), exact=True)
    choice.click()
    if wait:  # as a person does: the next tap after this one shows as chosen
        expect(choice).to_have_attribute("aria-checked", "true")


def test_five_phones_vote_while_the_projector_counts_and_the_reveal_shows_medians(server, browser):
    ids = make_workshop(participants=0, use_cases=2)
    first = ids["use_case_ids"][0]
    criteria = [c.key for c in scoring_models.get_model(scoring_models.default_model_id()).criteria]

    projector_context = browser.new_context(viewport={"width": 1280, "height": 720})
    projector = projector_context.new_page()
    projector.set_default_timeout(30_000)
    projector.goto(f"{server.url}/live_voting?workshop={ids['workshop_id']}")
    sign_in(projector)
    projector.get_by_role("button", name="Starta röstning").click()
    code_heading = projector.locator(".st-key-join_code h1")
    expect(code_heading).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    code = code_heading.inner_text()
    expect(projector.get_by_role("img", name="QR-kod till röstningen")).to_be_visible()
    projector.get_by_role("button", name="Öppna för röstning").click()
    expect(projector.get_by_text("0 av 0 klara · 0 har börjat").first).to_be_visible()
    _shot(projector, "projector-open")

    phones = []
    for number in range(5):
        context = browser.new_context(**PHONE)
        phone = context.new_page()
        phone.set_default_timeout(30_000)
        phone.goto(f"{server.url}/join?code={code}")  # what the QR code holds
        phones.append(phone)
    for number, phone in enumerate(phones, start=1):
        phone.get_by_label("Ditt namn").fill(f"Deltagare {number}")
        phone.get_by_role("button", name="Gå med").click()
    for number, phone in enumerate(phones, start=1):
        expect(phone.get_by_text(f"Du röstar som Deltagare {number}")).to_be_visible()
    # The projector learns of the phones by itself, nobody reloads it.
    expect(projector.get_by_text("5 telefoner har gått med.")).to_be_visible(timeout=5_000)
    expect(projector.get_by_text("0 av 5 klara · 0 har börjat").first).to_be_visible(timeout=5_000)

    # All five tap their first score at the same time (no waiting between them).
    for index, phone in enumerate(phones):
        _score(phone, first, "business_impact", PLAN["business_impact"][index], wait=False)
    expect(projector.get_by_text("0 av 5 klara · 5 har börjat")).to_be_visible(timeout=5_000)
    _shot(phones[0], "phone-ballot")

    # Then each finishes the use case in turn, and the projector's count rises by itself.
    for index, phone in enumerate(phones):
        for criterion in criteria[1:]:
            _score(phone, first, criterion, PLAN.get(criterion, (OTHER_SCORE,) * 5)[index])
        expect(projector.get_by_text(f"{index + 1} av 5 klara · 5 har börjat")).to_be_visible(timeout=5_000)
    expect(projector.get_by_text("Klara: Deltagare 1, Deltagare 2, Deltagare 3, Deltagare 4, Deltagare 5")).to_be_visible()
    expect(projector.get_by_text("Median")).to_have_count(0)  # blind until revealed
    with storage.read() as session:
        stored = session.execute(select(Vote.participant_id, func.count(Vote.id)).group_by(Vote.participant_id)).all()
    assert sorted(count for _, count in stored) == [len(criteria)] * 5
    _shot(projector, "projector-counts")

    projector.locator(f".st-key-progress_{first}").get_by_role("button", name="Visa resultat").click()
    wait_for_script(projector)
    expect(projector.get_by_text("Diskutera först")).to_be_visible()
    expect(projector.get_by_text("Affärsnytta: median 3, spridning 4 steg (5 svar")).to_be_visible()
    expect(projector.get_by_text("Kundnytta: median 4, spridning 3 steg (5 svar")).to_be_visible()
    _shot(projector, "projector-reveal")

    [result] = [s for s in votes.workshop_result(workshop_id=ids["workshop_id"]).ranked if s.use_case_id == first]
    assert (result.criteria["business_impact"].median, result.criteria["customer_benefit"].median) == (3.0, 4.0)
    assert result.responses == 5
    # The first use case closed with the reveal; the phones now see only the second one.
    expect(phones[0].get_by_text("Användningsfall (1 öppet)")).to_be_visible(timeout=5_000)
    for phone in phones:
        expect(phone.get_by_test_id("stException")).to_have_count(0)
    expect(projector.get_by_test_id("stException")).to_have_count(0)
