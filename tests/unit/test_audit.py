"""Reading the audit log back: filters, order, counts and the CSV file, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

from tests.factories import make_workshop
from workshop import audit, i18n, live_voting, storage, votes
from workshop.audit import AuditFilters
from workshop.errors import InvalidJoinCode, InvertedDates, OutOfRange, TooLong

FORMULA = '=HYPERLINK("https://example.org/steal","klicka")'


def utc(day: int, hour: int = 12, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    """The moment every new audit event gets: set `clock.now` before an action."""

    class Clock:
        now = utc(1)

    monkeypatch.setattr(audit, "utc_now", lambda: Clock.now)
    return Clock


def write(clock: type, moment: dt.datetime, **event: object) -> None:
    clock.now = moment
    with storage.write() as session:
        audit.record(session, **event)


@pytest.fixture
def log(db, clock) -> None:
    """Five events over four days, written directly; the ids in comments name them in tests."""
    write(clock, utc(1, 8), actor="Anna Lind", action="voting.code_issued", object_type="workshop", object_id=1)  # e1
    write(clock, utc(1, 23, 59, 59), actor="Åsa Berg", action="consensus.set", object_type="use_case", object_id=7,
          criterion="business_impact", score=4)  # e2
    write(clock, utc(2, 0), actor="client:192.0.2.10", action="join.failed", object_type="join_code")  # e3
    write(clock, utc(3), actor="anna lind", action="voting.open", object_type="workshop", object_id=12, use_cases=[7, 8])  # e4
    write(clock, utc(4), actor="ÅSA BERG", action="consensus.removed", object_type="use_case", object_id=7,
          criterion="business_impact")  # e5


def names(rows: list[audit.AuditRow]) -> list[str]:
    """Each row as the name of the `log` event it is (e1…e5), found by its time."""
    moments = {utc(1, 8): "e1", utc(1, 23, 59, 59): "e2", utc(2, 0): "e3", utc(3): "e4", utc(4): "e5"}
    return [moments[row.at] for row in rows]


def test_events_written_by_the_services_read_back_newest_first(db, clock):
    ids = make_workshop(participants=0, use_cases=2)
    workshop_id, use_case_id = ids["workshop_id"], ids["use_case_ids"][0]
    clock.now = utc(5, 9)
    live_voting.start_voting(workshop_id=workshop_id, actor="Anna")
    clock.now = utc(5, 9, 1)
    live_voting.open_use_cases(workshop_id=workshop_id, actor="Anna")
    clock.now = utc(5, 9, 2)
    with pytest.raises(InvalidJoinCode):
        live_voting.check_code("AAAA-AAAA", client_key="192.0.2.10")
    clock.now = utc(5, 10)
    votes.set_consensus(workshop_id=workshop_id, use_case_id=use_case_id, criterion_key="business_impact", score=4, set_by="Bo")

    rows, total = audit.events(AuditFilters())

    assert total == 4
    assert [row.action for row in rows] == ["consensus.set", "join.failed", "voting.open", "voting.code_issued"]
    assert rows[0] == audit.AuditRow(
        id=rows[0].id, at=utc(5, 10), actor="Bo", action="consensus.set", object_type="use_case",
        object_id=str(use_case_id), detail={"criterion": "business_impact", "score": 4},
    )
    assert rows[1].actor == "client:192.0.2.10"
    assert rows[2].detail == {"use_cases": ids["use_case_ids"]}
    assert (rows[3].object_type, rows[3].object_id) == ("workshop", str(workshop_id))


def test_times_come_back_in_utc_with_their_zone(log):
    rows, _ = audit.events(AuditFilters())
    assert [row.at.utcoffset() for row in rows] == [dt.timedelta(0)] * 5
    assert rows[-1].at == utc(1, 8)


def test_events_of_the_same_moment_come_newest_written_first(db, clock):
    write(clock, utc(1), actor="Anna", action="first")
    write(clock, utc(1), actor="Anna", action="second")
    rows, _ = audit.events(AuditFilters())
    assert [row.action for row in rows] == ["second", "first"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (AuditFilters(), ["e5", "e4", "e3", "e2", "e1"]),
        (AuditFilters(actions=("consensus.set", "consensus.removed")), ["e5", "e2"]),
        (AuditFilters(actions=("login.failed",)), []),
        (AuditFilters(actor="ANNA"), ["e4", "e1"]),
        (AuditFilters(actor="åsa b"), ["e5", "e2"]),
        (AuditFilters(actor="  lind "), ["e4", "e1"]),
        (AuditFilters(actor="192.0.2"), ["e3"]),
        # Characters that mean something to LIKE or a regular expression match only themselves.
        (AuditFilters(actor="1.2"), []),
        (AuditFilters(actor="%"), []),
        (AuditFilters(actor="a.*"), []),
        (AuditFilters(object_type="use_case"), ["e5", "e2"]),
        (AuditFilters(object_type="use"), []),
        (AuditFilters(object_id="1"), ["e1"]),
        (AuditFilters(object_type="workshop", object_id="12"), ["e4"]),
        (AuditFilters(since=dt.date(2026, 11, 2)), ["e5", "e4", "e3"]),
        (AuditFilters(until=dt.date(2026, 11, 1)), ["e2", "e1"]),
        (AuditFilters(since=dt.date(2026, 11, 1), until=dt.date(2026, 11, 1)), ["e2", "e1"]),
        (AuditFilters(since=dt.date(2026, 11, 2), until=dt.date(2026, 11, 3)), ["e4", "e3"]),
        (AuditFilters(since=dt.date(2026, 11, 5)), []),
        (AuditFilters(actions=("voting.open", "voting.code_issued"), actor="anna", since=dt.date(2026, 11, 2)), ["e4"]),
        (AuditFilters(actor="berg", object_type="use_case", object_id="7", until=dt.date(2026, 11, 3)), ["e2"]),
    ],
)
def test_filters_narrow_the_events(log, filters, expected):
    rows, total = audit.events(filters)
    assert (names(rows), total) == (expected, len(expected))


def test_limit_keeps_the_newest_and_total_counts_all_that_match(log):
    rows, total = audit.events(AuditFilters(limit=2))
    assert (names(rows), total) == (["e5", "e4"], 5)
    rows, total = audit.events(AuditFilters(actor="anna", limit=1))
    assert (names(rows), total) == (["e4"], 2)
    rows, total = audit.events(AuditFilters(limit=audit.MAX_LIMIT))
    assert (len(rows), total) == (5, 5)


def test_an_empty_log_has_no_events_and_no_actions(db):
    assert audit.events(AuditFilters()) == ([], 0)
    assert audit.known_actions() == []


def test_a_first_day_after_the_last_is_refused(log):
    with pytest.raises(InvertedDates) as raised:
        audit.events(AuditFilters(since=dt.date(2026, 11, 3), until=dt.date(2026, 11, 2)))
    assert (raised.value.field, raised.value.params) == ("since", {"since": "2026-11-03", "until": "2026-11-02"})
    assert i18n.error_message(raised.value, "sv") == "Startdatumet 2026-11-03 ligger efter slutdatumet 2026-11-02."
    with pytest.raises(InvertedDates):
        audit.events_csv(AuditFilters(since=dt.date(2026, 11, 3), until=dt.date(2026, 11, 2)))


@pytest.mark.parametrize("limit", [0, -1, audit.MAX_LIMIT + 1])
def test_a_limit_outside_1_to_5000_is_refused(log, limit):
    with pytest.raises(OutOfRange) as raised:
        audit.events(AuditFilters(limit=limit))
    assert (raised.value.field, raised.value.params["minimum"], raised.value.params["maximum"]) == ("limit", 1, 5000)


def test_a_text_filter_longer_than_its_column_is_refused(log):
    with pytest.raises(TooLong) as raised:
        audit.events(AuditFilters(actor="x" * 201))
    assert raised.value.field == "actor"


def test_known_actions_are_the_distinct_stored_ones_sorted(log, clock):
    write(clock, utc(5), actor="Bo", action="consensus.set")
    assert audit.known_actions() == ["consensus.removed", "consensus.set", "join.failed", "voting.code_issued", "voting.open"]


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_the_csv_holds_every_matching_event_in_utc_and_reads_back(log):
    data = audit.events_csv(AuditFilters(actor="åsa", limit=1))
    assert data.startswith("\ufeff".encode())
    frame = read_csv(data)
    assert list(frame.columns) == ["at", "actor", "action", "object_type", "object_id", "detail"]
    assert frame.to_dict("records") == [
        {"at": "2026-11-04T12:00:00+00:00", "actor": "ÅSA BERG", "action": "consensus.removed", "object_type": "use_case",
         "object_id": "7", "detail": '{"criterion":"business_impact"}'},
        {"at": "2026-11-01T23:59:59+00:00", "actor": "Åsa Berg", "action": "consensus.set", "object_type": "use_case",
         "object_id": "7", "detail": '{"criterion":"business_impact","score":4}'},
    ]
    assert json.loads(frame.loc[1, "detail"]) == {"criterion": "business_impact", "score": 4}
    assert pd.to_datetime(frame["at"]).tolist() == [pd.Timestamp(utc(4)), pd.Timestamp(utc(1, 23, 59, 59))]


def test_the_csv_neutralises_text_a_spreadsheet_would_run(db, clock):
    write(clock, utc(1), actor=FORMULA, action="login.failed", object_type="@staff", object_id="+1", note="-2+3")
    [row] = read_csv(audit.events_csv(AuditFilters())).to_dict("records")
    assert (row["actor"], row["object_type"], row["object_id"]) == ("'" + FORMULA, "'@staff", "'+1")
    assert json.loads(row["detail"]) == {"note": "-2+3"}
    # What the screen shows stays exactly what was recorded.
    assert audit.events(AuditFilters())[0][0].actor == FORMULA


def test_the_screen_table_shows_every_row_as_text(log):
    rows, _ = audit.events(AuditFilters(limit=2))
    assert audit.table(rows).to_dict("records") == [
        {"at": "2026-11-04 12:00:00", "actor": "ÅSA BERG", "action": "consensus.removed", "object": "use_case 7",
         "detail": '{"criterion":"business_impact"}'},
        {"at": "2026-11-03 12:00:00", "actor": "anna lind", "action": "voting.open", "object": "workshop 12",
         "detail": '{"use_cases":[7,8]}'},
    ]
    assert list(audit.table([]).columns) == ["at", "actor", "action", "object", "detail"]


def test_a_signed_in_caller_is_named_by_their_account_and_downloads_and_deleted_rows_are_logged(db):
    from workshop import access, content, downloads
    from workshop.editing import TableChanges

    ids = make_workshop(use_cases=1)
    second = content.add_process(workshop_id=ids["workshop_id"], area="finance_admin", name="Fakturering")
    staff = access.Caller("staff", role="admin", account_id=1, name="anna@example.se")
    with access.acting_as(staff):
        # The page's own words for the actor do not matter: the account names the event.
        live_voting.start_voting(workshop_id=ids["workshop_id"], actor="Anna Lind")
        workbook = downloads.workbook(workshop_id=ids["workshop_id"])
        content.apply_process_changes(workshop_id=ids["workshop_id"], changes=TableChanges(deleted=[second]))
    rows, _total = audit.events(AuditFilters())
    by_action = {row.action: row for row in rows}
    assert by_action["voting.code_issued"].actor == "anna@example.se"
    download = by_action["export.download"]
    assert (download.actor, download.object_type, download.object_id) == ("anna@example.se", "workshop", str(ids["workshop_id"]))
    assert download.detail == {"file": "workbook", "size": len(workbook)}
    deleted = by_action["rows.deleted"]
    assert deleted.actor == "anna@example.se" and deleted.detail == {"table": "process", "ids": [second]}
    # The command line and the system keep the name they give.
    live_voting.end_voting(workshop_id=ids["workshop_id"], actor="cli:root")
    assert audit.events(AuditFilters(actions=("voting.ended",)))[0][0].actor == "cli:root"
