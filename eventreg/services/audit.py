"""Recording decisions: who did what, when, and what changed, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Activity, Application, AuditLog, StaffUser
from ..models.base import plain


def snapshot(entity: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of an object as JSON-friendly values."""
    return {name: plain(getattr(entity, name)) for name in fields}


def record(
    action: str,
    entity: Any,
    *,
    by: StaffUser | None = None,
    actor: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    flush: bool = True,
) -> AuditLog:
    """Add an audit row for `entity` (flushes unless told not to; never commits).

    `by` is the staff member who acted; otherwise `actor` says who did ("applicant",
    "system", "cli"). Only the fields that differ between before and after are kept.
    """
    before, after = dict(before or {}), dict(after or {})
    for key in set(before) & set(after):
        if before[key] == after[key]:
            del before[key], after[key]
    activity_id = application_id = None
    if isinstance(entity, Application):
        application_id, activity_id = entity.id, entity.activity_id
    elif isinstance(entity, Activity):
        activity_id = entity.id
    else:
        application_id = getattr(entity, "application_id", None)
        activity_id = getattr(entity, "activity_id", None)
        if activity_id is None and application_id is not None:
            activity_id = db.session.scalar(
                sa.select(Application.activity_id).where(Application.id == application_id)
            )
    entry = AuditLog(
        action=action,
        entity_type=type(entity).__name__,
        entity_id=getattr(entity, "id", None),
        activity_id=activity_id,
        application_id=application_id,
        actor_id=by.id if by is not None else None,
        actor_label=actor if by is None else "",
        before=before,
        after=after,
        note=note,
    )
    db.session.add(entry)
    if flush:
        db.session.flush()
    return entry


def history(application: Application) -> list[AuditLog]:
    """An application's audit trail, oldest first."""
    return list(
        db.session.scalars(
            sa.select(AuditLog)
            .where(AuditLog.application_id == application.id)
            .order_by(AuditLog.at, AuditLog.id)
        )
    )
