"""Staff decisions on applications: review, accept within capacity, waitlist, reject.

The back office calls these; each checks the transition table (through
`applications.change_status`), records who decided, and queues the applicant's email.
Accepting takes the activity's row lock before counting places, so two assistants
accepting at the same moment can never overfill the activity.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import PLACE_HOLDING, Application, ApplicationStatus, StaffUser, utcnow
from .applications import change_status, check_transition, lock_application
from .errors import DomainError


class PlacesFull(DomainError):
    """No place is left; the applicant can only be waitlisted."""


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


def accept_application(
    application: Application, *, by: StaffUser, note: str = "", now: datetime | None = None
) -> None:
    """Accept, or raise PlacesFull when the activity's capacity is reached.

    Takes the activity's row lock first, then counts the places taken, so the count cannot
    change before the acceptance is saved. Sets `confirm_by` to today (in the activity's
    timezone) plus the activity's `confirm_within_days`. Raises InvalidTransition from a
    status that cannot be accepted (e.g. withdrawn).
    """
    now = now or utcnow()
    activity = lock_application(application)
    check_transition(application, ApplicationStatus.ACCEPTED)
    if places_taken(activity.id) >= activity.capacity:
        raise PlacesFull(
            f"All {activity.capacity} places are taken; put the applicant on the waiting list."
        )
    today = now.astimezone(activity.zone).date()
    change_status(
        application,
        ApplicationStatus.ACCEPTED,
        by=by,
        note=note,
        now=now,
        fields={"confirm_by": today + timedelta(days=activity.confirm_within_days)},
    )


def waitlist_application(
    application: Application, *, by: StaffUser, note: str = "", now: datetime | None = None
) -> None:
    """Put the application on the waiting list (its place in line is `waitlisted_at`)."""
    change_status(application, ApplicationStatus.WAITLISTED, by=by, note=note, now=now)


def reject_application(
    application: Application, *, by: StaffUser, note: str = "", now: datetime | None = None
) -> None:
    """Reject the application; the applicant is told by email. `note` stays internal."""
    change_status(application, ApplicationStatus.REJECTED, by=by, note=note, now=now)


def mark_under_review(
    application: Application, *, by: StaffUser, note: str = "", now: datetime | None = None
) -> None:
    """Record that staff are reviewing a submitted application (no email is sent)."""
    change_status(application, ApplicationStatus.UNDER_REVIEW, by=by, note=note, now=now)


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
