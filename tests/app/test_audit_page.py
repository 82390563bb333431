"""The audit log's admin page through AppTest: what it shows, its filters, counts and download."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT, texts, sign_in
from tests.factories import make_workshop
from workshop import audit, live_voting, storage
from workshop.config import PROJECT_ROOT
from workshop.models import AuditEvent

PAGE = str(PROJECT_ROOT / "pages" / "audit_log.py")


def open_audit_log(language: str | None = None) -> AppTest:
    # Not in app.py's navigation yet, so opened directly rather than through open_page.
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    sign_in(at)
    if language:
        at.session_state["language"] = language
    return at.run()


def record(**event: object) -> None:
    with storage.write() as session:
        audit.record(session, **event)


def shown(at: AppTest) -> list[tuple[str, str, str]]:
    table = at.dataframe[0].value
    return list(zip(table["actor"], table["action"], table["object"], strict=True))


def test_the_page_shows_recent_events_newest_first(sqlite_db):
    ids = make_workshop(participants=0, use_cases=1)
    live_voting.start_voting(workshop_id=ids["workshop_id"], actor="Anna")
    record(actor="Bo", action="consensus.set", object_type="use_case", object_id=ids["use_case_ids"][0], score=4)
    at = open_audit_log()
    assert not at.exception and not at.error
    assert at.title[0].value == "Granskningslogg"
    assert shown(at) == [("Bo", "consensus.set", f"use_case {ids['use_case_ids'][0]}"),
                         ("Anna", "voting.code_issued", f"workshop {ids['workshop_id']}")]
    assert at.dataframe[0].value["detail"].tolist() == ['{"score":4}', "{}"]
    assert "Visar 2 av 2 händelser (UTC)." in texts(at.caption)
    assert at.multiselect(key="audit_actions").options == ["consensus.set", "voting.code_issued"]


def test_events_older_than_30_days_are_left_out_until_the_dates_change(sqlite_db):
    record(actor="Anna", action="voting.open")
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=45)
    with storage.write() as session:
        session.add(AuditEvent(at=old, actor="Gammal", action="voting.ended"))
    at = open_audit_log()
    assert [actor for actor, _, _ in shown(at)] == ["Anna"]
    at.date_input(key="audit_dates").set_value((old.date(), dt.datetime.now(dt.UTC).date())).run()
    assert [actor for actor, _, _ in shown(at)] == ["Anna", "Gammal"]


def test_filters_narrow_the_table_and_the_count(sqlite_db):
    for n in range(3):
        record(actor=f"Anna {n}", action="voting.open", object_type="workshop", object_id=n)
    record(actor="Bo", action="consensus.set", object_type="use_case", object_id=1)
    at = open_audit_log()
    assert "Visar 4 av 4 händelser (UTC)." in texts(at.caption)
    at.multiselect(key="audit_actions").set_value(["voting.open"]).run()
    assert "Visar 3 av 3 händelser (UTC)." in texts(at.caption)
    at.text_input(key="audit_actor").input("anna 1").run()
    assert shown(at) == [("Anna 1", "voting.open", "workshop 1")]
    at.multiselect(key="audit_actions").set_value([]).run()
    at.text_input(key="audit_actor").input("").run()
    at.text_input(key="audit_object_type").input("workshop").run()
    at.text_input(key="audit_object_id").input("2").run()
    assert shown(at) == [("Anna 2", "voting.open", "workshop 2")]
    assert "Visar 1 av 1 händelser (UTC)." in texts(at.caption)


def test_the_download_button_offers_the_csv(sqlite_db):
    record(actor="Anna", action="voting.open")
    at = open_audit_log()
    [download] = at.get("download_button")
    assert download.proto.label == "Ladda ner som CSV"
    # Built only when clicked, so each run of the page does not write the whole log out.
    assert download.proto.HasField("deferred_file_id")


def test_bad_filter_input_shows_a_translated_message(sqlite_db):
    record(actor="Anna", action="voting.open")
    at = open_audit_log()
    at.text_input(key="audit_actor").input("x" * 201).run()
    assert not at.exception
    assert texts(at.error) == ["Fältet Aktör får vara högst 200 tecken."]
    assert len(at.dataframe) == 0


def test_the_page_in_english(sqlite_db):
    record(actor="Anna", action="voting.open")
    at = open_audit_log("en")
    assert at.title[0].value == "Audit log"
    assert "Showing 1 of 1 events (UTC)." in texts(at.caption)
    assert at.get("download_button")[0].proto.label == "Download as CSV"


def test_markup_in_an_actor_shows_literally(sqlite_db):
    record(actor="<b>Eva</b> **bold**", action="login.failed", note="<script>alert(1)</script>")
    at = open_audit_log()
    assert shown(at) == [("<b>Eva</b> **bold**", "login.failed", "")]
    assert at.dataframe[0].value["detail"].tolist() == ['{"note":"<script>alert(1)</script>"}']
    rendered = [*texts(at.markdown), *texts(at.caption), *texts(at.title)]
    assert [text for text in rendered if "Eva" in text or "bold" in text or "script" in text] == []
