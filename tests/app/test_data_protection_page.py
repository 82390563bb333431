"""The data-protection page: export, confirmed deletion, retention."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.app.conftest import open_page, texts
from workshop import storage
from workshop.models import Company


def _companies() -> int:
    with storage.read() as session:
        return session.scalar(select(func.count(Company.id)))


def test_the_page_offers_the_company_record_for_download(small_workshop):
    at = open_page("data_protection")
    assert not at.exception
    assert [b.proto.label for b in at.get("download_button")] == ["Ladda ner (JSON)"]
    assert at.selectbox[1].value == small_workshop["company_id"]


def test_deletion_refuses_a_wrong_name_and_deletes_with_the_right_one(small_workshop):
    at = open_page("data_protection")
    at.text_input[0].input("Testbolaget").run()
    [button for button in at.button if button.label == "Radera företaget och allt om det"][0].click().run()
    assert "Namnet stämmer inte med företagets namn; inget raderades." in texts(at.error)
    assert _companies() == 1
    at.text_input[0].input("Testbolaget AB").run()
    [button for button in at.button if button.label == "Radera företaget och allt om det"][0].click().run()
    assert not at.exception
    assert any("Raderat: 1 workshoppar, 2 deltagare, 2 användningsfall" in text for text in texts(at.success))
    assert _companies() == 0


def test_retention_lists_nothing_when_unset_and_due_companies_when_set(small_workshop, monkeypatch):
    at = open_page("data_protection")
    assert any("Ingen lagringstid är satt" in text for text in texts(at.info))
    monkeypatch.setenv("OPPORTUNITY_MAP_RETENTION_MONTHS", "12")
    at = open_page("data_protection", language="en")
    assert any("Retention period 12 months: 0 companies" in text for text in texts(at.caption))
    monkeypatch.setenv("OPPORTUNITY_MAP_RETENTION_MONTHS", "zero")
    at = open_page("data_protection", language="en")
    assert not at.exception and at.error
