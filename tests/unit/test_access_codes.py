"""The company's access code: issued, opened, expired, revoked, throttled."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import make_workshop
from workshop import access_codes, codes, storage, throttle
from workshop.errors import InvalidAccessCode, OutOfRange, TooManyAttempts
from workshop.models import AuditEvent, Workshop


def test_a_code_opens_its_workshop_only_and_is_stored_hashed(db):
    mine = make_workshop(participants=0, use_cases=1, cohort_name="A")
    theirs = make_workshop(participants=0, use_cases=1, cohort_name="B")
    issued = access_codes.issue(workshop_id=mine["workshop_id"], actor="anna@example.se")
    other = access_codes.issue(workshop_id=theirs["workshop_id"], actor="anna@example.se")
    assert len(issued.code) == access_codes.LENGTH and set(issued.code) <= set(codes.ALPHABET)
    typed = access_codes.format_code(issued.code).lower()
    assert access_codes.open_with(typed, client_key="c") == mine["workshop_id"]
    assert access_codes.open_with(other.code, client_key="c") == theirs["workshop_id"]
    with storage.read() as session:
        stored = session.scalar(select(Workshop.access_code_hash).where(Workshop.id == mine["workshop_id"]))
    assert stored != issued.code and len(stored) == 64


def test_expired_revoked_and_replaced_codes_stop_working(db):
    ids = make_workshop(participants=0, use_cases=1)
    now = dt.datetime.now(dt.UTC)
    first = access_codes.issue(workshop_id=ids["workshop_id"], actor="a", days=1, now=now)
    assert access_codes.still_valid(workshop_id=ids["workshop_id"], code=first.code)
    with pytest.raises(InvalidAccessCode):
        access_codes.open_with(first.code, client_key="c1", now=now + dt.timedelta(days=1, seconds=1))
    second = access_codes.issue(workshop_id=ids["workshop_id"], actor="a")
    assert not access_codes.still_valid(workshop_id=ids["workshop_id"], code=first.code)
    with pytest.raises(InvalidAccessCode):
        access_codes.open_with(first.code, client_key="c2")
    access_codes.revoke(workshop_id=ids["workshop_id"], actor="a")
    assert access_codes.status(workshop_id=ids["workshop_id"]) is None
    assert not access_codes.still_valid(workshop_id=ids["workshop_id"], code=second.code)
    with storage.read() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["access_code.issued", "access_code.failed", "access_code.issued", "access_code.failed", "access_code.revoked"]


@pytest.mark.parametrize("days", [0, access_codes.MAX_DAYS + 1, 2.5, True])
def test_a_bad_lifetime_is_refused(db, days):
    ids = make_workshop(participants=0, use_cases=1)
    with pytest.raises(OutOfRange):
        access_codes.issue(workshop_id=ids["workshop_id"], actor="a", days=days)


def test_wrong_codes_are_slowed_down(db):
    ids = make_workshop(participants=0, use_cases=1)
    issued = access_codes.issue(workshop_id=ids["workshop_id"], actor="a")
    now = dt.datetime.now(dt.UTC)
    for _ in range(throttle.FREE_ATTEMPTS):
        with pytest.raises(InvalidAccessCode):
            access_codes.open_with("A" * access_codes.LENGTH, client_key="guesser", now=now)
    with pytest.raises(TooManyAttempts) as waiting:
        access_codes.open_with(issued.code, client_key="guesser", now=now)
    assert waiting.value.params["seconds"] == 2
    assert access_codes.open_with(issued.code, client_key="guesser", now=now + dt.timedelta(seconds=2)) == ids["workshop_id"]
