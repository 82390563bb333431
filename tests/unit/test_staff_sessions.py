"""Signed-in sessions: resumed by token, ended by sign-out, idleness or deactivation."""

from __future__ import annotations

import datetime as dt

from tests.factories import staff_account
from workshop import accounts, staff_sessions


def test_a_session_resumes_until_signed_out(db):
    account_id = staff_account(role="facilitator")
    token = staff_sessions.start(account_id=account_id)
    assert staff_sessions.resume(token).id == account_id
    assert staff_sessions.resume(token + "x") is None
    assert staff_sessions.resume(None) is None
    staff_sessions.end(token)
    assert staff_sessions.resume(token) is None


def test_an_idle_session_expires_and_use_keeps_it_alive(db):
    token = staff_sessions.start(account_id=staff_account())
    now = dt.datetime.now(dt.UTC)
    step = staff_sessions.IDLE_TIMEOUT - dt.timedelta(minutes=1)
    assert staff_sessions.resume(token, now=now + step) is not None  # used: the clock restarts
    assert staff_sessions.resume(token, now=now + 2 * step) is not None
    assert staff_sessions.resume(token, now=now + 3 * step + staff_sessions.IDLE_TIMEOUT) is None


def test_a_deactivated_account_loses_its_sessions(db):
    admin = staff_account(role="admin")
    facilitator = staff_account(role="facilitator")
    token = staff_sessions.start(account_id=facilitator)
    accounts.set_active(account_id=facilitator, active=False, actor="admin@example.se")
    assert staff_sessions.resume(token) is None
    assert staff_sessions.resume(staff_sessions.start(account_id=admin)).role == "admin"
