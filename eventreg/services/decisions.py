"""Staff decisions on applications: review, accept within capacity, waitlist, reject,
cancel; one application or a selection; and the waiting list.

Each decision goes through `lifecycle.change_status`, which checks the transition table,
records who decided and tells the applicant. Accepting takes the activity's row lock
before counting places, so two assistants accepting at the same moment can never overfill
the activity; accepting when every place is taken puts the applicant on the waiting list.
A decision may carry staff's own wording of the email (a `Letter`), sent instead of the
standard one.

A place that frees (the applicant withdraws or declines, staff cancel, a confirm-by date
passes, the capacity is raised) is offered to the first on the waiting list by an explicit
call to `offer_freed_places` from the operation that freed it, when the activity offers
freed places automatically; otherwise staff do it with one click (`offer_next_place`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .. import clock
from ..models import Activity, Application, ApplicationStatus, StaffUser
from . import messages
from .errors import DomainError
from .lifecycle import (
    TRANSITIONS,
    change_status,
    check_transition,
    lock_activity,
    lock_application,
    places_left,
    places_taken,
    waiting_list,
)
from .messages import Letter

Status = ApplicationStatus


class Decision(enum.StrEnum):
    """What staff may decide about an application."""

    REVIEW = "review"
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    REJECT = "reject"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        return {
            "review": "Mark as under review",
            "accept": "Accept",
            "waitlist": "Put on the waiting list",
            "reject": "Reject",
            "cancel": "Cancel participation",
        }[self.value]

    @property
    def sends_letter(self) -> bool:
        """Whether the applicant gets an email staff may edit first (being reviewed is not
        news to them: their private page says so)."""
        return self is not Decision.REVIEW


class DecisionResult(enum.StrEnum):
    """What a decision led to (an acceptance may end on the waiting list)."""

    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"  # put on the list, or accepted beyond capacity
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class PlacesFull(DomainError):
    """No place is left; the applicant can only be waitlisted."""


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
    Decision.REVIEW: Status.UNDER_REVIEW,
    Decision.ACCEPT: Status.ACCEPTED,
    Decision.WAITLIST: Status.WAITLISTED,
    Decision.REJECT: Status.REJECTED,
    Decision.CANCEL: Status.CANCELLED,
}


@dataclass(frozen=True)
class Decided:
    """What one decision led to, and who was offered a place it freed."""

    result: DecisionResult
    offered: list[Application] = field(default_factory=list)


@dataclass
class BulkResult:
    """What a bulk decision did to each application, and why some were refused."""

    decided: dict[DecisionResult, list[Application]] = field(default_factory=dict)
    refused: list[tuple[Application, str]] = field(default_factory=list)
    offered: list[Application] = field(default_factory=list)

    def add(self, result: DecisionResult, application: Application) -> None:
        self.decided.setdefault(result, []).append(application)

    def count(self, result: DecisionResult) -> int:
        return len(self.decided.get(result, []))


def default_letter(decision: Decision) -> Letter:
    """The standard wording of a decision's email, for staff to edit."""
    return DEFAULT_LETTERS[decision]


def edited(decision: Decision, letter: Letter | None) -> Letter | None:
    """The letter if staff changed the standard wording; None if they left it as it is."""
    if letter is None or not decision.sends_letter:
        return None
    if letter.normalised() == default_letter(decision).normalised():
        return None
    return letter


def possible_decisions(application: Application) -> list[Decision]:
    """The decisions the transition table allows for the application as it stands."""
    allowed = TRANSITIONS[application.status]
    return [decision for decision in Decision if TARGET[decision] in allowed]


def accept_application(
    application: Application,
    *,
    by: StaffUser | None,
    note: str = "",
    now: datetime | None = None,
    letter: Letter | None = None,
) -> None:
    """Accept, or raise PlacesFull when the activity's capacity is reached.

    Takes the activity's row lock first, then counts the places taken, so the count cannot
    change before the acceptance is saved. Sets `confirm_by` to today (in the activity's
    timezone) plus the activity's `confirm_within_days`. `by` None records the system (a
    freed place offered automatically). Raises InvalidTransition from a status that cannot
    be accepted (e.g. withdrawn).
    """
    now = now or clock.now()
    activity = lock_application(application)
    check_transition(application, Status.ACCEPTED)
    if places_taken(activity.id) >= activity.capacity:
        raise PlacesFull(
            f"All {activity.capacity} places are taken; put the applicant on the waiting list."
        )
    today = now.astimezone(activity.zone).date()
    change_status(
        application,
        Status.ACCEPTED,
        by=by,
        note=note,
        now=now,
        fields={"confirm_by": today + timedelta(days=activity.confirm_within_days)},
        letter=letter,
    )


def waitlist_application(
    application: Application,
    *,
    by: StaffUser,
    note: str = "",
    now: datetime | None = None,
    letter: Letter | None = None,
) -> None:
    """Put the application on the waiting list (its place in line is `waitlisted_at`)."""
    change_status(application, Status.WAITLISTED, by=by, note=note, now=now, letter=letter)


def reject_application(
    application: Application,
    *,
    by: StaffUser,
    note: str = "",
    now: datetime | None = None,
    letter: Letter | None = None,
) -> None:
    """Reject the application; the applicant is told by email. `note` stays internal."""
    change_status(application, Status.REJECTED, by=by, note=note, now=now, letter=letter)


def mark_under_review(
    application: Application, *, by: StaffUser, note: str = "", now: datetime | None = None
) -> None:
    """Record that staff are reviewing a submitted application (no email is sent)."""
    change_status(application, Status.UNDER_REVIEW, by=by, note=note, now=now)


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

    Accepting when every place is taken puts the applicant on the waiting list (result
    WAITLISTED, with the standard waiting-list email); one who is already waiting stays so
    and PlacesFull is raised. Cancelling a place offers it to the waiting list when the
    activity does that automatically. A `letter` that differs from the standard wording
    is sent instead of the standard email (placeholders filled for this applicant).
    Refuses with InvalidTransition (e.g. a withdrawn application), PlacesFull or
    MessageRefused; nothing is changed then.
    """
    letter = edited(decision, letter)
    if letter is not None:
        letter = messages.check_letter(letter)
    result = _apply(application, decision, by=by, note=note, now=now, letter=letter)
    offered = []
    if result is DecisionResult.CANCELLED:
        offered = offer_freed_places(application.activity_id, by=by, now=now)
    return Decided(result, offered)


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
    bulk = BulkResult()
    for application in chosen:
        try:
            result = _apply(application, decision, by=by, note=note, now=now, letter=letter)
        except DomainError as refusal:
            # Services check before they change anything: nothing to undo for this one.
            bulk.refused.append((application, str(refusal)))
            continue
        bulk.add(result, application)
    if bulk.count(DecisionResult.CANCELLED):
        # Offered once all are cancelled, so that nobody in the selection is offered a place.
        bulk.offered = offer_freed_places(chosen[0].activity_id, by=by, now=now)
    return bulk


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
    waiting = waiting_list(activity.id)
    if not waiting:
        raise WaitingListEmpty("Nobody is on the waiting list.")
    first = waiting[0]
    accept_application(first, by=by, note="Offered a place that was freed", now=now)
    return first


def offer_freed_places(
    activity_id: int, *, by: StaffUser | None = None, now: datetime | None = None
) -> list[Application]:
    """For an activity that offers freed places automatically, offer each free place to
    the next on the waiting list, in order; return those offered (none otherwise).

    Called by every operation that frees a place or adds one. `by` is the staff member
    whose decision freed the place, or None when the applicant gave it up or the system
    did (the offer is then recorded as the system's).
    """
    activity = lock_activity(activity_id)
    if not activity.waitlist_auto_offer:
        return []
    offered: list[Application] = []
    for candidate in waiting_list(activity.id):
        if places_left(activity) <= 0:
            break
        try:
            accept_application(candidate, by=by, note="Offered a place that was freed", now=now)
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
    letter: Letter | None,
) -> DecisionResult:
    if decision is Decision.ACCEPT:
        try:
            accept_application(application, by=by, note=note, now=now, letter=letter)
        except PlacesFull:
            if application.status == Status.WAITLISTED:
                raise PlacesFull(
                    f"Every place is taken: {application.full_name} stays on the waiting list."
                ) from None
            # The letter was written for an acceptance: the standard waiting-list email goes.
            waitlist_application(application, by=by, note=note, now=now)
            return DecisionResult.WAITLISTED
        return DecisionResult.ACCEPTED
    if decision is Decision.REVIEW:
        mark_under_review(application, by=by, note=note, now=now)
        return DecisionResult.UNDER_REVIEW
    if decision is Decision.WAITLIST:
        waitlist_application(application, by=by, note=note, now=now, letter=letter)
        return DecisionResult.WAITLISTED
    if decision is Decision.REJECT:
        reject_application(application, by=by, note=note, now=now, letter=letter)
        return DecisionResult.REJECTED
    change_status(application, Status.CANCELLED, by=by, note=note, now=now, letter=letter)
    return DecisionResult.CANCELLED
