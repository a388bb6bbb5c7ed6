"""The applicant's own side of an application: their private page, withdrawing,
confirming or declining a place, and the history they see.

Withdrawing or declining frees a place: each offers it to the waiting list explicitly
(`decisions.offer_freed_places`), in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from ..extensions import db
from ..models import Application, ApplicationStatus, AuditLog
from .applications import CORRECTED_ACTION, SUBMITTED_ACTION
from .decisions import offer_freed_places
from .errors import DomainError
from .lifecycle import (
    STATUS_ACTION,
    TRANSITIONS,
    InvalidTransition,
    change_status,
    check_transition,
)

Status = ApplicationStatus

# Audit actions shown on the applicant's private page; staff-only entries stay hidden.
APPLICANT_VISIBLE_ACTIONS = (SUBMITTED_ACTION, CORRECTED_ACTION, STATUS_ACTION)


class ResponseClosed(DomainError):
    """The date by which an accepted applicant had to confirm or decline has passed."""


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history an applicant sees on their private page."""

    at: datetime
    text: str
    by_applicant: bool


def withdraw_application(application: Application, *, now: datetime, reason: str = "") -> None:
    """Withdraw at the applicant's request; a place it held is offered to the waiting list.

    Refuses with InvalidTransition when the application is already closed (rejected,
    declined, withdrawn, cancelled, attended) or once the activity has started.
    """
    check_transition(application, Status.WITHDRAWN, by_applicant=True)
    if now >= application.activity.starts_at:
        raise InvalidTransition(
            _("The activity has started: please write to its contacts instead.")
        )
    held = application.status.holds_place
    change_status(application, Status.WITHDRAWN, actor="applicant", note=reason, now=now)
    if held:
        offer_freed_places(application.activity_id, now=now)


def confirm_participation(application: Application, *, now: datetime) -> None:
    """Confirm that an accepted applicant will take part; refused after the confirm-by date."""
    _check_response_open(application, now)
    change_status(application, Status.CONFIRMED, actor="applicant", now=now)


def decline_participation(application: Application, *, now: datetime, reason: str = "") -> None:
    """Decline the place an accepted applicant was offered; refused after the confirm-by date.

    The place goes to the waiting list when the activity offers freed places automatically.
    """
    _check_response_open(application, now)
    change_status(application, Status.DECLINED, actor="applicant", note=reason, now=now)
    offer_freed_places(application.activity_id, now=now)


def applicant_history(application: Application) -> list[HistoryEntry]:
    """The history shown to the applicant: submission, corrections and status changes, in
    the reader's language."""
    entries = db.session.scalars(
        sa.select(AuditLog)
        .where(
            AuditLog.application_id == application.id,
            AuditLog.action.in_(APPLICANT_VISIBLE_ACTIONS),
        )
        .order_by(AuditLog.at, AuditLog.id)
    )
    history = []
    for entry in entries:
        by_applicant = entry.actor_id is None and entry.actor_label == "applicant"
        if entry.action == SUBMITTED_ACTION:
            text = STATUS_EVENTS[Status.SUBMITTED]
        elif entry.action == CORRECTED_ACTION:
            text = CORRECTED_EVENT
        else:
            status = ApplicationStatus(entry.after.get("status", application.status))
            text = STATUS_EVENTS[status]
        history.append(HistoryEntry(at=entry.at, text=str(text), by_applicant=by_applicant))
    return history


CORRECTED_EVENT = lazy_gettext("Application corrected")
STATUS_EVENTS = {
    Status.SUBMITTED: lazy_gettext("Application submitted"),
    Status.UNDER_REVIEW: lazy_gettext("Application under review"),
    Status.ACCEPTED: lazy_gettext("Application accepted"),
    Status.WAITLISTED: lazy_gettext("Put on the waiting list"),
    Status.REJECTED: lazy_gettext("Application not retained"),
    Status.CONFIRMED: lazy_gettext("Participation confirmed"),
    Status.DECLINED: lazy_gettext("Place declined"),
    Status.WITHDRAWN: lazy_gettext("Application withdrawn"),
    Status.CANCELLED: lazy_gettext("Participation cancelled"),
    Status.ATTENDED: lazy_gettext("Attended the activity"),
    Status.LAPSED: lazy_gettext("The date to confirm passed; the place went to the waiting list"),
}


def can_withdraw(application: Application, now: datetime) -> bool:
    """Whether the applicant may still withdraw."""
    return (
        Status.WITHDRAWN in TRANSITIONS[application.status] and now < application.activity.starts_at
    )


def can_respond(application: Application, now: datetime) -> bool:
    """Whether an accepted applicant may still confirm or decline."""
    deadline = response_deadline(application)
    return application.status == Status.ACCEPTED and (deadline is None or now <= deadline)


def response_deadline(application: Application) -> datetime | None:
    """The last moment to confirm or decline: the end of `confirm_by` in the activity's zone."""
    if application.confirm_by is None:
        return None
    zone = application.activity.zone
    return datetime.combine(application.confirm_by, time(23, 59, 59), zone)


def _check_response_open(application: Application, now: datetime) -> None:
    if application.status != Status.ACCEPTED:
        check_transition(application, Status.CONFIRMED, by_applicant=True)
    deadline = response_deadline(application)
    if deadline is not None and now > deadline:
        raise ResponseClosed(
            _(
                "The date to answer the offer has passed: "
                "please write to the contacts of the activity."
            )
        )
