"""Erasure: a person's applications anonymised across every activity, as personal_data says.

The figures stay right: the rows that counts, the budget and the evaluation report are made
of remain, and only what identifies the person goes. Safe twice and on two workers at once:
the application rows are locked first, and an application already erased is skipped.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from .. import files
from ..clock import now
from ..extensions import db
from ..models import Application, EmailOutbox, OutboxStatus, StaffUser
from ..personal_data import TABLES, Table, Treat, no_address, pseudonym
from . import audit
from .errors import DomainError

# Identity fields whose values are searched for inside free text, notes and audit entries.
IDENTITY_FIELDS = ("given_names", "family_name", "email", "phone", "organisation", "sponsor_name")
SHORTEST_NEEDLE = 3  # shorter strings ("Li", "No") would erase unrelated words


class ErasureRefused(DomainError):
    """This application may not be erased now (e.g. it is on hold for a legal reason)."""


def applications_of(email: str) -> list[Application]:
    """Every application made with this email address, in any activity (case-insensitive)."""
    address = email.strip().lower()
    if not address:
        return []
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(sa.func.lower(Application.email) == address)
            .order_by(Application.id)
        )
    )


def erase(
    applications: Iterable[Application],
    *,
    by: StaffUser | None = None,
    actor: str = "system",
    reason: str = "",
    respect_hold: bool = True,
) -> list[int]:
    """Anonymise these applications (one person's) everywhere; returns the ids erased now.

    Claims the rows first; skips those already erased (so a second run, or a second worker,
    does nothing) and, unless told otherwise, those on hold. Flushes; never commits.
    """
    ids = sorted({application.id for application in applications})
    if not ids:
        return []
    # Claim each application with one conditional UPDATE: it waits for a concurrent eraser's
    # commit (a row lock on PostgreSQL, the write lock on SQLite) and then finds it erased.
    claimed = []
    for application_id in ids:
        conditions = [Application.id == application_id, Application.erased_at.is_(None)]
        if respect_hold:
            conditions.append(Application.retention_hold == "")
        result = db.session.execute(
            sa.update(Application).where(*conditions).values(erased_at=now())
        )
        if getattr(result, "rowcount", 0):
            claimed.append(application_id)
    if not claimed:
        return []
    ids = claimed
    locked = list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.id.in_(ids))
            .order_by(Application.id)
            .execution_options(populate_existing=True)
        )
    )
    needles = _needles(locked)
    outbox_ids = list(
        db.session.scalars(sa.select(EmailOutbox.id).where(EmailOutbox.application_id.in_(ids)))
    )
    _cancel_undelivered(outbox_ids)
    for table in TABLES:
        _apply(table, ids, needles)
    _remove_delivered_files(outbox_ids)
    db.session.expire_all()
    for application in db.session.scalars(sa.select(Application).where(Application.id.in_(ids))):
        application.token = secrets.token_urlsafe(32)
        application.token_revoked_at = application.token_revoked_at or now()
        application.erasure_refusal = ""
        audit.record("application.erased", application, by=by, actor=actor, note=reason)
    db.session.flush()
    return ids


def _needles(applications: Sequence[Application]) -> list[str]:
    """The person's identifying strings, longest first (so a full name goes before a part)."""
    found: set[str] = set()
    for application in applications:
        found.add(application.full_name)
        for name in IDENTITY_FIELDS:
            value = getattr(application, name) or ""
            found.add(value)
            found.update(part for part in re.split(r"\s+", value) if "@" not in part)
        found.add(f"{application.family_name} {application.given_names}")
    return sorted((n for n in found if len(n.strip()) >= SHORTEST_NEEDLE), key=len, reverse=True)


def scrub(value: Any, needles: Sequence[str], replacement: str) -> Any:
    """`value` (text, or JSON of dicts and lists) with every needle replaced, ignoring case."""
    if isinstance(value, str):
        for needle in needles:
            value = re.sub(re.escape(needle), replacement, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {key: scrub(item, needles, replacement) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item, needles, replacement) for item in value]
    return value


def _apply(table: Table, ids: Sequence[int], needles: Sequence[str]) -> None:
    """Carry out one table's treatments on the rows about these applications."""
    t = table.table
    where = table.rows_of(ids)
    if table.delete_rows:
        db.session.execute(sa.delete(t).where(where))
        return
    key = list(t.primary_key.columns)[0]
    # Which application each row is about, for its pseudonym.
    owner = t.c.id if table.name == "applications" else t.c.get("application_id", key)
    columns = [name for name, treat in table.columns.items() if treat != Treat.KEEP]
    if not columns:
        return
    rows = db.session.execute(sa.select(key, owner, *(t.c[n] for n in columns)).where(where))
    for row in rows.all():
        row_key, owner_id, *values = row
        owner_id = owner_id if owner_id in ids else ids[0]
        changes = {
            name: _treated(table.columns[name], t.c[name], value, needles, owner_id)
            for name, value in zip(columns, values, strict=True)
        }
        db.session.execute(sa.update(t).where(key == row_key).values(**changes))


def _treated(
    treat: Treat, column: sa.Column[Any], value: Any, needles: Sequence[str], owner_id: int
) -> Any:
    """A column's new value under its treatment (removing any file it names first)."""
    name_for = pseudonym(owner_id)
    if treat == Treat.DELETE_FILE and value:
        files.store().delete(value)
    if treat == Treat.FILE_IN_JSON:
        for stored in files.keys_in(value):
            files.store().delete(stored)
    if treat == Treat.PSEUDONYM:
        return name_for
    if treat == Treat.NO_ADDRESS:
        return no_address(owner_id)
    if treat == Treat.SCRUB:
        return scrub(value, needles, name_for)
    if treat == Treat.UNLINK or column.nullable:
        return None
    if isinstance(column.type, sa.JSON):
        return {}
    return ""


def _cancel_undelivered(outbox_ids: Sequence[int]) -> None:
    """Mail to the person not yet delivered is never sent: it names someone who is gone."""
    db.session.execute(
        sa.update(EmailOutbox)
        .where(
            EmailOutbox.id.in_(list(outbox_ids)),
            EmailOutbox.status.in_(
                [OutboxStatus.QUEUED, OutboxStatus.RETRYING, OutboxStatus.SENDING]
            ),
        )
        .values(status=OutboxStatus.FAILED, last_error="Not sent: the person was erased.")
    )


def _remove_delivered_files(outbox_ids: Sequence[int]) -> None:
    """The .eml copies the folder transport wrote for the person's mail (no SMTP server)."""
    folder = Path(str(current_app.config.get("OUTBOX_DIR") or ""))
    if not outbox_ids or not folder.is_dir():
        return
    for email_id in outbox_ids:
        for path in folder.glob(f"{email_id:08d}-*.eml"):
            path.unlink(missing_ok=True)


def request_erasure(application: Application, *, now: datetime) -> None:
    """The applicant asks that everything about them be erased; staff confirm or refuse.

    Refuses (ErasureRefused) a request already waiting. The request covers every
    application made with the same email address.
    """
    people = applications_of(application.email) or [application]
    if any(a.erasure_requested_at is not None for a in people):
        raise ErasureRefused(_("Your request is already with us; we will write to you."))
    for each in people:
        each.erasure_requested_at = now
        each.erasure_refusal = ""
    audit.record("erasure.requested", application, actor="applicant")
    _tell(application, "erasure_requested")


def refuse_erasure(applications: Sequence[Application], *, reason: str, by: StaffUser) -> None:
    """Staff refuse a request, saying why (e.g. a payment record the law requires to keep).

    Refuses (ErasureRefused) without a reason or without a request waiting.
    """
    reason = reason.strip()
    if not reason:
        raise ErasureRefused(_("Say why the data must be kept."), field="reason")
    waiting = [a for a in applications if a.erasure_requested_at and a.erased_at is None]
    if not waiting:
        raise ErasureRefused(_("No request for erasure is waiting."))
    for application in waiting:
        application.erasure_requested_at = None
        application.erasure_refusal = reason
        audit.record("erasure.refused", application, by=by, note=reason)
    _tell(waiting[0], "erasure_refused", reason=reason)


def _tell(application: Application, template: str, **context: Any) -> None:
    """Write to the applicant about their request, in the same transaction."""
    from ..emails import queue_email
    from .correspondence import email_context

    queue_email(
        template,
        to=application.email,
        application=application,
        **email_context(application),
        **context,
    )


def requests_waiting() -> list[Application]:
    """Applications whose person asked for erasure, oldest request first."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.erasure_requested_at.is_not(None), Application.erased_at.is_(None))
            .order_by(Application.erasure_requested_at, Application.id)
        )
    )
