"""Signed-in staff sessions: started at sign-in, resumed from the browser's cookie after a
reload, ended at sign-out, and expired after a spell of idleness."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update

from workshop import accounts, audit, codes, storage
from workshop.models import StaffAccount, StaffSession, as_utc

IDLE_TIMEOUT = dt.timedelta(minutes=30)
# A session's last use is written at most this often (every page run would be a write).
TOUCH_EVERY = dt.timedelta(minutes=1)


def start(*, account_id: int, now: dt.datetime | None = None) -> str:
    """A new session for the account; its token (kept by the browser, hashed here)."""
    now = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(32)
    with storage.write() as session:
        session.add(StaffSession(token_hash=codes.digest(token), staff_account_id=account_id, created_at=now, last_seen_at=now))
    return token


def resume(token: str | None, *, now: dt.datetime | None = None) -> accounts.AccountInfo | None:
    """The active account of a live session, or None (unknown, ended, idle too long, or the
    account deactivated). Marks the session as used."""
    if not token:
        return None
    now = now or dt.datetime.now(dt.UTC)
    with storage.read() as session:
        row = session.execute(
            select(StaffSession.id, StaffSession.last_seen_at, StaffSession.ended_at, StaffAccount)
            .join(StaffAccount, StaffAccount.id == StaffSession.staff_account_id)
            .where(StaffSession.token_hash == codes.digest(token))
        ).first()
        if row is None:
            return None
        session_id, last_seen, ended, account = row
        info = accounts.account_info(account)
    if ended is not None or not info.active or now - as_utc(last_seen) > IDLE_TIMEOUT:
        return None
    if now - as_utc(last_seen) > TOUCH_EVERY:
        with storage.write() as session:
            session.execute(update(StaffSession).where(StaffSession.id == session_id).values(last_seen_at=now))
    return info


def end(token: str | None, *, now: dt.datetime | None = None) -> None:
    """Sign out: the token can never be resumed again."""
    if not token:
        return
    now = now or dt.datetime.now(dt.UTC)
    with storage.write() as session:
        row = session.execute(
            select(StaffSession.id, StaffSession.staff_account_id, StaffAccount.email)
            .join(StaffAccount, StaffAccount.id == StaffSession.staff_account_id)
            .where(StaffSession.token_hash == codes.digest(token), StaffSession.ended_at.is_(None))
        ).first()
        if row is None:
            return
        session.execute(update(StaffSession).where(StaffSession.id == row.id).values(ended_at=now))
        audit.record(session, actor=row.email, action="logout", object_type="staff_account", object_id=row.staff_account_id)
