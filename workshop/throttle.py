"""Slowing down repeated wrong codes and passwords, per client, across sessions and restarts.

A few mistakes are free; after that each try must wait twice as long as the last, up to a
cap. Failures age out of the window; a success does not wipe them (someone holding one
valid code could otherwise reset the count between guesses at others).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.errors import TooManyAttempts
from workshop.models import FailedAttempt, as_utc

FREE_ATTEMPTS = 3
WINDOW = dt.timedelta(minutes=15)
FIRST_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 120.0


def delay_after(failures: int) -> float:
    """Seconds a client must wait after its `failures`-th recent failure."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS))




def _key(client_key: str) -> str:
    # The column holds 200 characters; check and record must agree on the same key.
    return client_key[:200]


def check(session: Session, *, scope: str, client_key: str, now: dt.datetime) -> None:
    """Raise `TooManyAttempts` if this client must still wait before trying again."""
    client_key = _key(client_key)
    count, last = session.execute(
        select(func.count(FailedAttempt.id), func.max(FailedAttempt.at)).where(
            FailedAttempt.scope == scope,
            FailedAttempt.client_key == client_key,
            FailedAttempt.at > now - WINDOW,
        )
    ).one()
    wait = delay_after(count)
    if last is None or not wait:
        return
    remaining = (as_utc(last) + dt.timedelta(seconds=wait) - now).total_seconds()
    if remaining > 0:
        raise TooManyAttempts(
            f"Too many wrong attempts; try again in {remaining:.0f} s.", seconds=max(1, round(remaining))
        )


def record_failure(session: Session, *, scope: str, client_key: str, now: dt.datetime) -> None:
    client_key = _key(client_key)
    session.add(FailedAttempt(scope=scope, client_key=client_key, at=now))
    # Old rows only slow the count; drop this client's expired ones as we go.
    session.execute(
        FailedAttempt.__table__.delete().where(
            FailedAttempt.scope == scope,
            FailedAttempt.client_key == client_key,
            FailedAttempt.at <= now - WINDOW,
        )
    )
