"""The append-only audit log: who did what to which object, in UTC."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workshop.models import AuditEvent, utc_now


def record(session: Session, *, actor: str, action: str, object_type: str = "", object_id: object = "", **detail: object) -> None:
    """Add an event to the caller's transaction, so it is kept exactly when the change is."""
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
