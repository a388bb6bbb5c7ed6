"""The life of an application: which status may follow which, the locks, and the one
function that moves an application (`change_status`).

Every status change goes through `change_status`: it takes the activity's row lock,
refuses what `TRANSITIONS` does not allow, records the change and tells the applicant
(the standard email in their language, or staff's own letter when one is passed in).
The places an activity has are counted here too, under the same lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.util import identity_key

from .. import clock
from ..emails import Attachment, queue_email
from ..extensions import db
from ..models import (
    PLACE_HOLDING,
    Activity,
    Application,
    ApplicationStatus,
    StaffUser,
)
from ..models.applications import waiting_number
from . import audit, checkin, messages
from .calls import CALL_COLUMNS, Call
from .correspondence import calendar_for, email_context
from .errors import DomainError
from .messages import Letter

Status = ApplicationStatus

# Which status may follow which. Anything not listed is refused, whoever asks.
TRANSITIONS: Mapping[ApplicationStatus, frozenset[ApplicationStatus]] = {
    Status.SUBMITTED: frozenset(
        {
            Status.UNDER_REVIEW,
            Status.ACCEPTED,
            Status.WAITLISTED,
            Status.REJECTED,
            Status.WITHDRAWN,
            Status.CANCELLED,
        }
    ),
    Status.UNDER_REVIEW: frozenset(
        {Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED}
    ),
    Status.WAITLISTED: frozenset(
        {Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED}
    ),
    Status.ACCEPTED: frozenset(
        {Status.CONFIRMED, Status.DECLINED, Status.WITHDRAWN, Status.CANCELLED, Status.LAPSED}
    ),
    Status.CONFIRMED: frozenset({Status.ATTENDED, Status.WITHDRAWN, Status.CANCELLED}),
    Status.LAPSED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.ATTENDED: frozenset(),
}

# The statuses applicants may move their own application to; the rest are staff decisions.
APPLICANT_MAY = frozenset({Status.WITHDRAWN, Status.CONFIRMED, Status.DECLINED})

# Status changes the applicant hears about by email (being reviewed is not news to them).
ANNOUNCED = frozenset(
    {
        Status.ACCEPTED,
        Status.WAITLISTED,
        Status.REJECTED,
        Status.CONFIRMED,
        Status.DECLINED,
        Status.WITHDRAWN,
        Status.CANCELLED,
        Status.LAPSED,
    }
)

# The audit action of a status change (shown to the applicant in their history).
STATUS_ACTION = "application.status_changed"


class InvalidTransition(DomainError):
    """The application cannot move from its status to the one asked for."""


def lock_activity(activity_id: int) -> Activity:
    """Take the activity's row lock for the rest of the transaction, and reload it.

    PostgreSQL locks the row (SELECT ... FOR UPDATE). SQLite has no row locks, so a no-op
    UPDATE takes the database's write lock instead; as the transaction's first write it
    waits for the busy timeout rather than failing. Either way, decisions about one
    activity (reference numbers, places) are taken one at a time.
    """
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    loaded = db.session.identity_map.get(identity_key(Activity, activity_id))
    if sqlite:
        which = {"activity": activity_id}
        if not isinstance(loaded, Activity):  # one statement: take the lock, read the row
            return db.session.scalars(_TOUCH_AND_READ, which).one()
        db.session.execute(_TOUCH_LOADED, which)
    if isinstance(loaded, Activity):
        # Columns only: the fees, contacts and audience already loaded stay loaded.
        db.session.refresh(loaded, attribute_names=_activity_columns(), with_for_update=True)
        return loaded
    return db.session.scalars(_READ_LOCKED, {"activity": activity_id}).one()


def lock_call(activity_id: int) -> Call:
    """Take the activity's row lock as `lock_activity` does, reading only its call.

    For a submission, which takes the lock every time and needs no more: it runs through
    the connection, without loading the whole activity as an ORM entity.
    """
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    statement = _TOUCH_AND_READ_CALL if sqlite else _READ_CALL_LOCKED
    return Call(*db.session.connection().execute(statement, {"activity": activity_id}).one())


# Built once, as every submission takes the lock: PostgreSQL's, and SQLite's no-op UPDATE.
_READ_LOCKED = sa.select(Activity).where(Activity.id == sa.bindparam("activity")).with_for_update()
_TOUCH = (
    sa.update(Activity)
    .where(Activity.id == sa.bindparam("activity"))
    .values(updated_at=Activity.updated_at)
)
_TOUCH_AND_READ = _TOUCH.returning(Activity)
_TOUCH_LOADED = _TOUCH.execution_options(synchronize_session=False)
_TOUCH_AND_READ_CALL = _TOUCH.returning(*CALL_COLUMNS)
_READ_CALL_LOCKED = (
    sa.select(*CALL_COLUMNS).where(Activity.id == sa.bindparam("activity")).with_for_update()
)


@cache
def _activity_columns() -> tuple[str, ...]:
    return tuple(column.key for column in sa.inspect(Activity).column_attrs)


def lock_application(application: Application) -> Activity:
    """Lock the application's activity, then reload the application as now committed.

    Pending changes to the application are flushed first so that none is lost.
    """
    db.session.flush()
    activity = lock_activity(application.activity_id)
    db.session.refresh(application)
    return activity


def check_transition(
    application: Application, new_status: ApplicationStatus, *, by_applicant: bool = False
) -> None:
    """Raise InvalidTransition unless the table allows this change (for this kind of actor)."""
    current = application.status
    if new_status not in TRANSITIONS[current]:
        raise InvalidTransition(
            _(
                "An application that is %(current)s cannot become %(new)s.",
                current=current.label.lower(),
                new=new_status.label.lower(),
            )
        )
    if by_applicant and new_status not in APPLICANT_MAY:
        raise InvalidTransition(
            _(
                "Only the organisers can make an application %(status)s.",
                status=new_status.label.lower(),
            )
        )


def change_status(
    application: Application,
    new_status: ApplicationStatus,
    *,
    by: StaffUser | None = None,
    actor: str = "system",
    note: str = "",
    now: datetime | None = None,
    fields: Mapping[str, Any] | None = None,
    letter: Letter | None = None,
) -> None:
    """Move an application to a new status, if the transition table allows it.

    Locks the activity and reloads the application first, so two changes never cross.
    `by` is the staff member deciding; without one, `actor` says who acts ("applicant" may
    only withdraw, confirm or decline). `fields` are set along with the status (e.g.
    `confirm_by`). Sets `status_changed_at` and records the change. When the applicant
    should hear of it, queues the standard email in their language, or `letter` (staff's
    own wording, already checked, placeholders filled for this applicant) instead.
    Raises InvalidTransition.
    """
    now = now or clock.now()
    lock_application(application)
    check_transition(application, new_status, by_applicant=by is None and actor == "applicant")
    extra = dict(fields or {})
    if new_status == Status.WAITLISTED:
        extra.setdefault("waitlisted_at", now)
    old_status = application.status
    before = {"status": old_status.value, **audit.snapshot(application, extra)}
    application.status = new_status
    application.status_changed_at = now
    for name, value in extra.items():
        setattr(application, name, value)
    db.session.flush()
    audit.record(
        STATUS_ACTION,
        application,
        by=by,
        actor="" if by is not None else actor,
        before=before,
        after={"status": new_status.value, **audit.snapshot(application, extra)},
        note=note,
    )
    if new_status not in ANNOUNCED and letter is None:
        return
    attachments: list[Attachment] = []
    if new_status in (Status.ACCEPTED, Status.CONFIRMED):
        attachments.append(calendar_for(application.activity, application.language))
    if new_status == Status.CONFIRMED:
        attachments.append(checkin.qr_attachment(application))
    if letter is not None:
        messages.send_message(application, letter=letter, by=by, attachments=attachments)
        return
    queue_email(
        "application_status",
        to=application.email,
        application=application,
        attachments=attachments,
        previous_status=old_status.value,
        **email_context(application),
    )


def places_taken(activity_id: int) -> int:
    """How many applications hold a place: accepted, confirmed or attended."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Application)
            .where(Application.activity_id == activity_id, Application.status.in_(PLACE_HOLDING))
        )
        or 0
    )


def places_left(activity: Activity) -> int:
    """Places not held by an accepted, confirmed or attending applicant (never negative)."""
    return max(activity.capacity - places_taken(activity.id), 0)


def waiting_list(activity_id: int) -> list[Application]:
    """The waiting list in order: first waitlisted first."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(
                Application.activity_id == activity_id,
                Application.status == ApplicationStatus.WAITLISTED,
            )
            .order_by(Application.waitlisted_at, Application.id)
        )
    )


def waiting_position(application: Application) -> int | None:
    """Where the application stands on the waiting list; None when it is not waiting."""
    if application.status != Status.WAITLISTED:
        return None
    return db.session.scalar(sa.select(waiting_number()).where(Application.id == application.id))
