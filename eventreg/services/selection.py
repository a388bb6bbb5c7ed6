"""Selecting participants: decisions one by one or in bulk, cancelling, and the waiting list.

The rules about places live in `decisions.accept_application`, which takes the activity's
row lock before counting places; this module builds on it:

- accepting when every place is taken puts the applicant on the waiting list instead;
- a decision may carry staff's own wording of the email (a `Letter`), which then replaces
  the standard one, in the same transaction;
- when a place frees (the applicant withdraws or declines, staff cancel), the first on the
  waiting list is offered it: automatically if the activity says so, otherwise staff do it
  with one click (`offer_next_place`).

Applicants withdraw and decline through `services.applications`, which does not know
about the waiting list; a session hook (see the end of this module) notices a place that
was given up and, for activities that offer freed places automatically, offers it before
the transaction commits, so the applicant's change and the offer are saved together.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from ..extensions import db
from ..models import (
    PLACE_HOLDING,
    Activity,
    Application,
    ApplicationStatus,
    EmailOutbox,
    OutboxAttachment,
    StaffUser,
)
from . import decisions, messages
from .applications import TRANSITIONS, change_status, lock_activity
from .decisions import PlacesFull
from .errors import DomainError
from .messages import Letter

Status = ApplicationStatus


class Decision(enum.StrEnum):
    """What staff may decide about an application."""

    ACCEPT = "accept"
    WAITLIST = "waitlist"
    REJECT = "reject"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        return {
            "accept": "Accept",
            "waitlist": "Put on the waiting list",
            "reject": "Reject",
            "cancel": "Cancel participation",
        }[self.value]


class Outcome(enum.StrEnum):
    """What a decision led to."""

    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"  # put on the list, or accepted beyond capacity
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class NoPlaceFree(DomainError):
    """Every place is taken: there is nothing to offer."""


class WaitingListEmpty(DomainError):
    """Nobody is waiting for a place."""


class TooMany(DomainError):
    """A bulk decision on more applications than one request should carry."""


# At most this many applications per bulk decision (each takes the activity's lock).
BULK_LIMIT = 300

# The standard wording of each decision's email, with placeholders; staff may edit it
# before sending. Left unchanged, each applicant gets the standard email in their own
# language instead (see `decide`).
DEFAULT_LETTERS: dict[Decision, Letter] = {
    Decision.ACCEPT: Letter(
        subject="You are selected: {activity} ({reference})",
        body=(
            "We are glad to tell you that you are selected to take part in {activity}.\n\n"
            "Please confirm your participation by {confirm_by} through your private link; "
            "after that date your place may go to someone on the waiting list:\n"
            "{status_link}\n\n"
            "Amount due: {amount_due}."
        ),
    ),
    Decision.WAITLIST: Letter(
        subject="Waiting list: {activity} ({reference})",
        body=(
            "All places in {activity} are taken for now, and your application is on the "
            "waiting list. If a place becomes free, we will offer it to you by email.\n\n"
            "You can follow your application here: {status_link}"
        ),
    ),
    Decision.REJECT: Letter(
        subject="Your application to {activity} ({reference})",
        body=(
            "Thank you for your interest in {activity}. We are sorry: your application was "
            "not retained this time.\n\n"
            "Your application: {status_link}"
        ),
    ),
    Decision.CANCEL: Letter(
        subject="Participation cancelled: {activity} ({reference})",
        body=(
            "Your participation in {activity} is cancelled. Please write to the contacts "
            "below if you have questions.\n\n"
            "Your application: {status_link}"
        ),
    ),
}

# The status each decision leads to, for checking a bulk selection before acting.
TARGET = {
    Decision.ACCEPT: Status.ACCEPTED,
    Decision.WAITLIST: Status.WAITLISTED,
    Decision.REJECT: Status.REJECTED,
    Decision.CANCEL: Status.CANCELLED,
}


@dataclass(frozen=True)
class Decided:
    """What one decision led to, and who was offered a place it freed."""

    outcome: Outcome
    offered: list[Application] = field(default_factory=list)


@dataclass
class BulkResult:
    """What a bulk decision did to each application, and why some were refused."""

    outcomes: dict[Outcome, list[Application]] = field(default_factory=dict)
    refused: list[tuple[Application, str]] = field(default_factory=list)
    offered: list[Application] = field(default_factory=list)

    def add(self, outcome: Outcome, application: Application) -> None:
        self.outcomes.setdefault(outcome, []).append(application)

    def count(self, outcome: Outcome) -> int:
        return len(self.outcomes.get(outcome, []))


def default_letter(decision: Decision) -> Letter:
    """The standard wording of a decision's email, for staff to edit."""
    return DEFAULT_LETTERS[decision]


def edited(decision: Decision, letter: Letter | None) -> Letter | None:
    """The letter if staff changed the standard wording; None if they left it as it is."""
    if letter is None:
        return None
    if letter.normalised() == default_letter(decision).normalised():
        return None
    return letter


def possible_decisions(application: Application) -> list[Decision]:
    """The decisions the transition table allows for the application as it stands."""
    allowed = TRANSITIONS[application.status]
    return [decision for decision in Decision if TARGET[decision] in allowed]


def places_left(activity: Activity) -> int:
    """Places not held by an accepted, confirmed or attending applicant (never negative)."""
    return max(activity.capacity - decisions.places_taken(activity.id), 0)


def decide(
    application: Application,
    decision: Decision,
    *,
    by: StaffUser,
    note: str = "",
    letter: Letter | None = None,
    now: datetime | None = None,
) -> Decided:
    """Take a decision and tell the applicant; return what it led to.

    Accepting when every place is taken puts the applicant on the waiting list (Outcome
    WAITLISTED, with the standard waiting-list email); one who is already waiting stays so
    and PlacesFull is raised. Cancelling a place offers it to the waiting list when the
    activity does that automatically. A `letter` that differs from the standard wording
    replaces the standard email (placeholders filled for this applicant). Refuses with
    InvalidTransition (e.g. a withdrawn application), PlacesFull or MessageRefused; nothing
    is changed then.
    """
    letter = edited(decision, letter)
    if letter is not None:
        letter = messages.check_letter(letter)
    before = _last_email_id(application) if letter is not None else None
    outcome = _apply(application, decision, by=by, note=note, now=now)
    if letter is not None and _followed(decision, outcome):
        _replace_status_email(application, letter, after_id=before, by=by)
    offered = []
    if outcome is Outcome.CANCELLED:
        offered = offer_freed_places(application.activity_id, by=by, now=now)
    return Decided(outcome, offered)


def decide_many(
    applications: Iterable[Application],
    decision: Decision,
    *,
    by: StaffUser,
    note: str = "",
    letter: Letter | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """The same decision for several applications, in reference order.

    Each is decided as by `decide`; one that cannot be (a withdrawn application, a place
    that is not there) is listed in `refused` with the reason and left unchanged, and the
    others go ahead. Accepting more applicants than places accepts the first ones in
    reference order and puts the rest on the waiting list. Refuses with TooMany above
    BULK_LIMIT applications, and MessageRefused for a letter that cannot be sent.
    """
    chosen = sorted(applications, key=lambda a: a.number)
    if len(chosen) > BULK_LIMIT:
        raise TooMany(f"Decide on at most {BULK_LIMIT} applications at a time.")
    letter = edited(decision, letter)
    if letter is not None:
        letter = messages.check_letter(letter)
    result = BulkResult()
    for application in chosen:
        try:
            before = _last_email_id(application) if letter is not None else None
            outcome = _apply(application, decision, by=by, note=note, now=now)
        except DomainError as refusal:
            # Services check before they change anything: nothing to undo for this one.
            result.refused.append((application, str(refusal)))
            continue
        if letter is not None and _followed(decision, outcome):
            _replace_status_email(application, letter, after_id=before, by=by)
        result.add(outcome, application)
    if result.count(Outcome.CANCELLED) and chosen:
        result.offered = offer_freed_places(chosen[0].activity_id, by=by, now=now)
    return result


def offer_next_place(
    activity: Activity, *, by: StaffUser, now: datetime | None = None
) -> Application:
    """Offer a free place to the first on the waiting list (the "one click").

    Refuses with NoPlaceFree when every place is taken and WaitingListEmpty when nobody
    waits. The offer is an acceptance: the applicant is told and has to confirm.
    """
    lock_activity(activity.id)
    if places_left(activity) <= 0:
        raise NoPlaceFree(f"All {activity.capacity} places are taken: there is none to offer.")
    waiting = decisions.waiting_list(activity.id)
    if not waiting:
        raise WaitingListEmpty("Nobody is on the waiting list.")
    first = waiting[0]
    decisions.accept_application(first, by=by, note="Offered a place that was freed", now=now)
    return first


def offer_freed_places(
    activity_id: int, *, by: StaffUser | None = None, now: datetime | None = None
) -> list[Application]:
    """For an activity that offers freed places automatically, offer each free place to
    the next on the waiting list, in order; return those offered (none otherwise).

    `by` is the staff member whose decision freed the place, or None when the applicant
    gave it up (the offer is then recorded as the system's).
    """
    session = db.session()
    _pending(session).discard(activity_id)
    activity = lock_activity(activity_id)
    if not activity.waitlist_auto_offer:
        return []
    offered: list[Application] = []
    for candidate in decisions.waiting_list(activity.id):
        if places_left(activity) <= 0:
            break
        try:
            # accept_application records `by`; with None, change_status records "system".
            decisions.accept_application(
                candidate,
                by=by,  # type: ignore[arg-type]
                note="Offered a place that was freed",
                now=now,
            )
        except PlacesFull:
            break
        offered.append(candidate)
    return offered


def _apply(
    application: Application,
    decision: Decision,
    *,
    by: StaffUser,
    note: str,
    now: datetime | None,
) -> Outcome:
    if decision is Decision.ACCEPT:
        try:
            decisions.accept_application(application, by=by, note=note, now=now)
        except PlacesFull:
            if application.status == Status.WAITLISTED:
                raise PlacesFull(
                    f"Every place is taken: {application.full_name} stays on the waiting list."
                ) from None
            decisions.waitlist_application(application, by=by, note=note, now=now)
            return Outcome.WAITLISTED
        return Outcome.ACCEPTED
    if decision is Decision.WAITLIST:
        decisions.waitlist_application(application, by=by, note=note, now=now)
        return Outcome.WAITLISTED
    if decision is Decision.REJECT:
        decisions.reject_application(application, by=by, note=note, now=now)
        return Outcome.REJECTED
    change_status(application, Status.CANCELLED, by=by, note=note, now=now)
    return Outcome.CANCELLED


def _followed(decision: Decision, outcome: Outcome) -> bool:
    """Whether the decision went as asked (an acceptance may end on the waiting list)."""
    return TARGET[decision].value == outcome.value


def _last_email_id(application: Application) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.max(EmailOutbox.id)).where(
                EmailOutbox.application_id == application.id
            )
        )
        or 0
    )


def _replace_status_email(
    application: Application, letter: Letter, *, after_id: int | None, by: StaffUser
) -> None:
    """Put staff's letter in place of the standard status email just queued.

    The standard email was written to the outbox in this transaction (nothing is sent
    before it commits); it gives way to the letter, which keeps its attachments (the
    calendar file). The letter is recorded in the application's history.
    """
    standard = db.session.scalars(
        sa.select(EmailOutbox)
        .where(
            EmailOutbox.application_id == application.id,
            EmailOutbox.template == "application_status",
            EmailOutbox.id > (after_id or 0),
        )
        .order_by(EmailOutbox.id.desc())
    ).first()
    email = messages.send_message(application, letter=letter, by=by)
    if standard is None:
        return
    email.attachments = [
        OutboxAttachment(filename=a.filename, content_type=a.content_type, content=a.content)
        for a in standard.attachments
    ]
    db.session.delete(standard)
    db.session.flush()


# -- Places given up by the applicant ------------------------------------------------------

PENDING_KEY = "eventreg.selection.freed"


def _pending(session: Session) -> set[int]:
    found: set[int] = session.info.setdefault(PENDING_KEY, set())
    return found


def _note_freed_place(target: Application, value: Any, oldvalue: Any, _initiator: Any) -> None:
    """Attribute hook: an application stops holding a place; remember its activity."""
    if oldvalue in PLACE_HOLDING and value not in PLACE_HOLDING:
        session = object_session(target)
        if session is not None and target.activity_id is not None:
            _pending(session).add(target.activity_id)


def _offer_before_commit(session: Session) -> None:
    """Session hook: offer the places freed in this transaction, then let it commit."""
    pending = session.info.get(PENDING_KEY)
    if pending and session is not db.session():
        return  # a session of our own making, not the app's: not ours to extend
    while pending:
        offer_freed_places(pending.pop())


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(PENDING_KEY, None)


if not event.contains(Application.status, "set", _note_freed_place):
    event.listen(Application.status, "set", _note_freed_place, active_history=True)
    event.listen(FlaskSession, "before_commit", _offer_before_commit)
    event.listen(FlaskSession, "after_commit", _forget)
    event.listen(FlaskSession, "after_rollback", _forget)
