"""A facilitator in a real browser and server: the access layer as the running app applies it
— in the page, in the callbacks that save each edit, and in the download built when clicked."""

from __future__ import annotations

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ADMIN_PASSWORD, sign_in, wait_for_script
from tests.factories import org_number
from workshop import audit, cohorts, storage


@pytest.fixture
def facilitator_server(demo_server, tmp_path):
    password_file = tmp_path / "fia-password.txt"
    password_file.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    demo_server.cli("account", "create", "--email", "fia@example.se", "--name", "Fia Facilitator", "--role", "facilitator",
                    "--password-file", str(password_file))
    # The test reads the server's database through the service layer to check what was saved.
    storage.use_url(f"sqlite:///{demo_server.data_dir / 'opportunity_map.db'}")
    yield demo_server
    storage.engine().dispose()


def _settle(page) -> None:  # noqa: ANN001
    wait_for_script(page)
    page.wait_for_timeout(300)
    wait_for_script(page)


def test_a_facilitator_registers_works_downloads_and_reaches_nothing_else(facilitator_server, page):
    page.set_default_timeout(30_000)
    [cohort] = cohorts.list_cohorts()
    demo_companies = [company.name for company in cohorts.list_companies(cohort_id=cohort.id)]
    demo_workshop = cohorts.list_workshops(cohort_id=cohort.id)[0]
    assert demo_companies

    page.goto(facilitator_server.url)
    sign_in(page, email="fia@example.se")
    _settle(page)
    # The cohort is there to register a company in; none of its companies are.
    expect(page.get_by_role("heading", name="Välj eller skapa en workshop")).to_be_visible()
    for name in demo_companies:
        expect(page.get_by_text(name)).to_have_count(0)
    expect(page.get_by_role("button", name="Skapa kohort")).to_have_count(0)

    page.get_by_label("Företagsnamn").fill("Fias Verkstad AB")
    page.get_by_label("Organisationsnummer").fill(org_number())
    page.get_by_role("button", name="Skapa företag").click()
    _settle(page)
    page.get_by_role("button", name="Skapa och öppna workshop").click()
    _settle(page)
    expect(page.get_by_role("heading", name="1. Företagsprofil")).to_be_visible()

    # An edit is saved by its callback, as this facilitator.
    page.get_by_label("Kommun").fill("Lund")
    page.get_by_label("Kommun").press("Tab")
    _settle(page)
    [company] = [c for c in cohorts.list_companies(cohort_id=cohort.id) if c.name == "Fias Verkstad AB"]
    assert company.municipality == "Lund"

    # Each file is built when clicked, outside the page's run (in another thread), as this
    # facilitator — four in a row, as people do.
    page.get_by_role("link", name="7. Avslutning").first.click()
    _settle(page)
    for button, check in (
        ("Arbetsbok (Excel)", lambda path: bool(pd.read_excel(path, sheet_name=None))),
        ("Rapport (PDF)", lambda path: open(path, "rb").read().startswith(b"%PDF")),
        ("Hela workshoppen (JSON)", lambda path: open(path, "rb").read().startswith(b"{")),
        ("Ladda ner CSV", lambda path: bool(open(path, "rb").read())),
    ):
        with page.expect_download() as download:
            page.get_by_role("button", name=button).click()
        assert check(download.value.path()), button
    events = audit.events(audit.AuditFilters(actions=("export.download",)))[0]
    assert {(event.actor, event.detail["file"].split(":")[0]) for event in events} == {
        ("fia@example.se", kind) for kind in ("workbook", "report", "bundle", "csv")
    }

    # Another's workshop by its address: refused in words, nothing of it shown.
    page.goto(f"{facilitator_server.url}/scoring?workshop={demo_workshop.id}")
    _settle(page)
    expect(page.get_by_text("Du har inte behörighet till det här.", exact=False)).to_be_visible()
    expect(page.get_by_text(demo_workshop.company_name)).to_have_count(0)
    assert page.get_by_test_id("stException").count() == 0


def _open_results(page, url: str, code: str, company: str) -> None:  # noqa: ANN001
    page.goto(f"{url}/results")
    _settle(page)
    page.get_by_label("Åtkomstkod").fill(code)
    page.get_by_role("button", name="Visa resultaten").click()
    _settle(page)
    expect(page.get_by_role("heading", name=f"Resultat för {company}")).to_be_visible()


def test_a_company_reads_and_downloads_its_own_results_with_its_code_until_it_is_revoked(facilitator_server, page):
    from workshop import access_codes

    page.set_default_timeout(30_000)
    [cohort] = cohorts.list_cohorts()
    own, other = cohorts.list_workshops(cohort_id=cohort.id)[:2]
    issued = access_codes.issue(workshop_id=own.id, actor="test")

    _open_results(page, facilitator_server.url, access_codes.format_code(issued.code), own.company_name)
    expect(page.get_by_text(other.company_name)).to_have_count(0)
    # The file is built when clicked, as the company's code, checked again then.
    with page.expect_download() as download:
        page.get_by_role("button", name="Arbetsbok (Excel)").click()
    assert pd.read_excel(download.value.path(), sheet_name=None)
    with page.expect_download() as download:
        page.get_by_role("button", name="Rapport (PDF)").click()
    assert open(download.value.path(), "rb").read().startswith(b"%PDF")
    events = audit.events(audit.AuditFilters(actions=("export.download",)))[0]
    assert sorted((event.actor, event.object_id, event.detail["file"]) for event in events) == [
        ("access-code", str(own.id), "report"), ("access-code", str(own.id), "workbook"),
    ]

    # The session reaches no staff page, whatever address it asks for.
    page.goto(f"{facilitator_server.url}/overview")
    _settle(page)
    expect(page.get_by_text(other.company_name)).to_have_count(0)

    # Back at /results the browser still holds the code (a cookie): the results, no form.
    page.goto(f"{facilitator_server.url}/results")
    _settle(page)
    expect(page.get_by_role("heading", name=f"Resultat för {own.company_name}")).to_be_visible()
    expect(page.get_by_label("Åtkomstkod")).to_have_count(0)
    # Revoked while the page is open: its next run (here a language switch) closes it.
    access_codes.revoke(workshop_id=own.id, actor="test")
    page.get_by_text("English").click()
    _settle(page)
    expect(page.get_by_text("The code no longer works", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name=f"Results for {own.company_name}")).to_have_count(0)
    expect(page.get_by_text(own.company_name)).to_have_count(0)
