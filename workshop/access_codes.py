"""The company's own access code: a read-only view of its workshop's results and downloads.

The facilitator issues it at the wrap-up; it is shown once (only its SHA-256 is stored),
expires, and can be revoked by issuing a new one or revoking it. Wrong codes are slowed
down per address like join codes and passwords.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from workshop import access, audit, codes, storage, throttle
from workshop.errors import InvalidAccessCode, NotFound, OutOfRange
from workshop.models import Workshop, as_utc

# 20 characters from codes.ALPHABET: about 99 bits, typed from an e-mail or pasted.
LENGTH = 20
SCOPE = "access_code"
DEFAULT_DAYS = 90
MAX_DAYS = 365






def format_code(code: str) -> str:
    """In groups of five, easier to read out: ABCDE-FGHJK-…"""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))




@dataclass(frozen=True)
class Issued:
    code: str
    expires_at: dt.datetime


@access.writes_workshop
def issue(*, workshop_id: int, actor: str, days: int = DEFAULT_DAYS, now: dt.datetime | None = None) -> Issued:
    """A new code for the workshop, replacing (revoking) any earlier one."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise OutOfRange(f"Days must be 1–{MAX_DAYS}.", field="access_days", minimum=1, maximum=MAX_DAYS)
    now = now or dt.datetime.now(dt.UTC)
    code = codes.new_code(LENGTH)
    expires = now + dt.timedelta(days=days)
    with storage.write() as session:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        workshop.access_code_hash = codes.digest(code)
        workshop.access_code_expires_at = expires
        audit.record(session, actor=actor, action="access_code.issued", object_type="workshop", object_id=workshop_id, days=days)
    return Issued(code, expires)


@access.writes_workshop
def revoke(*, workshop_id: int, actor: str) -> None:
    with storage.write() as session:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        workshop.access_code_hash = None
        workshop.access_code_expires_at = None
        audit.record(session, actor=actor, action="access_code.revoked", object_type="workshop", object_id=workshop_id)


@access.reads_workshop
def status(*, workshop_id: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the workshop's code expires, or None when it has no live code."""
    now = now or dt.datetime.now(dt.UTC)
    with storage.read() as session:
        expires = session.scalar(
            select(Workshop.access_code_expires_at).where(Workshop.id == workshop_id, Workshop.access_code_hash.is_not(None))
        )
    return as_utc(expires) if expires is not None and as_utc(expires) > now else None


def open_with(code: str, *, client_key: str, now: dt.datetime | None = None) -> int:
    """The workshop a live code opens. Raises `TooManyAttempts` while this client must wait,
    `InvalidAccessCode` for a wrong, expired or revoked code (recorded, then raised)."""
    now = now or dt.datetime.now(dt.UTC)
    clean = codes.normalise(code)
    with storage.write() as session:
        throttle.check(session, scope=SCOPE, client_key=client_key, now=now)
        found = None
        if len(clean) == LENGTH:
            found = session.execute(
                select(Workshop.id, Workshop.access_code_expires_at).where(Workshop.access_code_hash == codes.digest(clean))
            ).first()
        if found is not None and found.access_code_expires_at is not None and as_utc(found.access_code_expires_at) > now:
            audit.record(session, actor=f"client:{client_key}", action="access_code.opened", object_type="workshop", object_id=found.id)
            return found.id
        throttle.record_failure(session, scope=SCOPE, client_key=client_key, now=now)
        audit.record(session, actor=f"client:{client_key}", action="access_code.failed", object_type="access_code")
    raise InvalidAccessCode("That code opens no results now.", field="access_code")


def still_valid(*, workshop_id: int, code: str, now: dt.datetime | None = None) -> bool:
    """Whether a code that opened the workshop still does (not revoked, replaced or expired):
    every later page run checks, so revoking takes effect at once."""
    now = now or dt.datetime.now(dt.UTC)
    with storage.read() as session:
        expires = session.scalar(
            select(Workshop.access_code_expires_at).where(Workshop.id == workshop_id, Workshop.access_code_hash == codes.digest(codes.normalise(code)))
        )
    return expires is not None and as_utc(expires) > now
