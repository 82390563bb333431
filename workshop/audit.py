"""The append-only audit log: who did what to which object, in UTC.

Events are added in the transaction of the change they describe and read back for the
administrator; nothing here updates or deletes one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workshop import access, storage, validation
from workshop.errors import InvertedDates
from workshop.models import AuditEvent, as_utc, utc_now
from workshop.safe_text import neutralise

# The page shows a window of the log; more rows than this belong in the CSV file.
MAX_LIMIT = 5000
DEFAULT_LIMIT = 500
# The widths of the columns the text filters are compared with.
ACTOR_MAX_LENGTH = 200
OBJECT_MAX_LENGTH = 60
CSV_COLUMNS = ("at", "actor", "action", "object_type", "object_id", "detail")
# Rows fetched at a time while writing the CSV file, so a long log is not held twice.
CSV_BATCH = 1000


def log(*, action: str, object_type: str = "", object_id: object = "", **detail: object) -> None:
    """Record an event in a transaction of its own, in the current caller's name (for reads
    worth knowing about, such as downloads)."""
    with storage.write() as session:
        record(session, actor=access.actor(), action=action, object_type=object_type, object_id=object_id, **detail)


def record(session: Session, *, actor: str, action: str, object_type: str = "", object_id: object = "", **detail: object) -> None:
    """Add an event to the caller's transaction, so it is kept exactly when the change is.

    A signed-in person or a company's code is named as the access layer knows them (the
    account's e-mail), whatever `actor` says; `actor` names the others (command line,
    first run, a phone's address)."""
    caller = access.current()
    if caller.kind in ("staff", "company"):
        actor = caller.name or caller.kind
    session.add(
        AuditEvent(
            at=utc_now(),
            actor=(actor or "?")[:200],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail,
        )
    )


@dataclass(frozen=True)
class AuditFilters:
    """Which events to read, e.g. `AuditFilters(actions=("login.failed",), since=dt.date(2026, 11, 1))`.

    Empty values match everything; `since` and `until` are whole days in UTC, both included.
    """

    actions: tuple[str, ...] = ()
    # Part of the actor's name, in any case: "åsa" finds "Åsa Berg".
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any]




def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _any_case_pattern(text: str) -> str:
    """A regular expression finding `text` in any letter case, the same on both databases.

    SQLite's lower() and LIKE fold ASCII letters only, so "åsa" would miss "Åsa"; spelling
    out both cases of each letter ([Åå]) avoids depending on the database's locale.
    """
    parts = []
    for char in text:
        lower, upper = char.lower(), char.upper()
        parts.append(f"[{lower}{upper}]" if lower != upper and len(lower) == len(upper) == 1 else re.escape(char))
    return "".join(parts)


def _conditions(filters: AuditFilters) -> list:
    """The WHERE clauses of the filters; raises `InvertedDates` or `TooLong`."""
    if filters.since and filters.until and filters.since > filters.until:
        raise InvertedDates(
            f"The first day ({filters.since}) must not be after the last ({filters.until}).",
            field="since",
            since=filters.since.isoformat(),
            until=filters.until.isoformat(),
        )
    actor = validation.text(filters.actor, field="actor", max_length=ACTOR_MAX_LENGTH)
    object_type = validation.text(filters.object_type, field="object_type", max_length=OBJECT_MAX_LENGTH)
    object_id = validation.text(filters.object_id, field="object_id", max_length=OBJECT_MAX_LENGTH)
    conditions = []
    if filters.actions:
        conditions.append(AuditEvent.action.in_(filters.actions))
    if actor:
        conditions.append(AuditEvent.actor.regexp_match(_any_case_pattern(actor)))
    if object_type:
        conditions.append(AuditEvent.object_type == object_type)
    if object_id:
        conditions.append(AuditEvent.object_id == object_id)
    if filters.since:
        conditions.append(AuditEvent.at >= _day_start(filters.since))
    if filters.until:
        conditions.append(AuditEvent.at < _day_start(filters.until + dt.timedelta(days=1)))
    return conditions


def _newest_first(filters: AuditFilters) -> Select[tuple[AuditEvent]]:
    return select(AuditEvent).where(*_conditions(filters)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def _row(event: AuditEvent) -> AuditRow:
    return AuditRow(
        id=event.id, at=as_utc(event.at), actor=event.actor, action=event.action,
        object_type=event.object_type, object_id=event.object_id, detail=dict(event.detail or {}),
    )


@access.administers
def events(filters: AuditFilters) -> tuple[list[AuditRow], int]:
    """The newest `filters.limit` matching events, newest first, and how many match in all.

    Raises `InvertedDates` (since after until), `OutOfRange` (limit not 1–5000) or `TooLong`.
    """
    limit = validation.number(filters.limit, field="limit", minimum=1, maximum=MAX_LIMIT, optional=False, whole=True)
    # Counted in the same statement, so rows and total agree even while events are added.
    total = func.count().over().label("total")
    with storage.read() as session:
        result = session.execute(_newest_first(filters).add_columns(total).limit(limit)).all()
        return [_row(event) for event, _ in result], (result[0].total if result else 0)


@access.administers
def known_actions() -> list[str]:
    """Every action code the log holds, sorted (e.g. ["consensus.set", "voting.open"])."""
    with storage.read() as session:
        return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def _compact_json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


def table(rows: list[AuditRow]) -> pd.DataFrame:
    """The rows as a table for the screen: time (UTC, to the second), actor, action, object
    and detail as compact JSON, all text."""
    return pd.DataFrame(
        {
            "at": [f"{row.at:%Y-%m-%d %H:%M:%S}" for row in rows],
            "actor": [row.actor for row in rows],
            "action": [row.action for row in rows],
            "object": [f"{row.object_type} {row.object_id}".strip() for row in rows],
            "detail": [_compact_json(row.detail) for row in rows],
        },
        dtype=object,
    )


@access.administers
def events_csv(filters: AuditFilters) -> bytes:
    """Every event matching the filters (all of them: `limit` is ignored), newest first, as
    UTF-8 CSV with a byte-order mark; columns `CSV_COLUMNS`, `at` in ISO 8601 UTC, every text
    cell neutralised against spreadsheet formulas.

    Raises `InvertedDates` or `TooLong`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    statement = _newest_first(filters).execution_options(yield_per=CSV_BATCH)
    with storage.read() as session:
        for event in session.scalars(statement):
            row = _row(event)
            writer.writerow(
                neutralise(value)
                for value in (row.at.isoformat(timespec="seconds"), row.actor, row.action, row.object_type,
                              row.object_id, _compact_json(row.detail))
            )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
