"""The applicant's side of the domain: apply, correct, withdraw, confirm; the status rules.

Every status change goes through `change_status`, which refuses what the transition table
does not allow, records the change and queues the email that tells the applicant. The
functions here check first and change last; they flush, never commit.
"""

from __future__ import annotations

import enum
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date, format_datetime
from flask import current_app
from sqlalchemy.orm.util import identity_key

from ..emails import Attachment, calendar_attachment, queue_email
from ..extensions import db
from ..models import (
    Activity,
    Application,
    ApplicationStatus,
    AudienceTier,
    AuditLog,
    EmailOutbox,
    Gender,
    PaymentSource,
    StaffUser,
    utcnow,
)
from ..models.applications import new_token
from ..models.base import plain
from . import audit
from .catalogue import VISIBLE
from .errors import DomainError

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
        {Status.CONFIRMED, Status.DECLINED, Status.WITHDRAWN, Status.CANCELLED}
    ),
    Status.CONFIRMED: frozenset({Status.ATTENDED, Status.WITHDRAWN, Status.CANCELLED}),
    Status.REJECTED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.ATTENDED: frozenset(),
}

# The statuses applicants may move their own application to; the rest are staff decisions.
APPLICANT_MAY = frozenset({Status.WITHDRAWN, Status.CONFIRMED, Status.DECLINED})

# An applicant may correct the application while it waits for a decision and the call is open.
CORRECTABLE = frozenset({Status.SUBMITTED, Status.UNDER_REVIEW})

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
    }
)

# Audit actions shown on the applicant's private page; staff-only entries stay hidden.
SUBMITTED_ACTION = "application.submitted"
CORRECTED_ACTION = "application.corrected"
STATUS_ACTION = "application.status_changed"
APPLICANT_VISIBLE_ACTIONS = (SUBMITTED_ACTION, CORRECTED_ACTION, STATUS_ACTION)

# The fields an applicant answers, in the order the form asks them.
ANSWER_FIELDS = (
    "title",
    "given_names",
    "family_name",
    "gender",
    "nationality",
    "country",
    "email",
    "phone",
    "language",
    "organisation",
    "organisation_type",
    "position",
    "proficiency",
    "motivation",
    "expectations",
    "payment_source",
    "sponsor_name",
    "costshare_requested",
    "costshare_component_ids",
    "sponsor_covers",
    "costshare_reason",
    "dietary_needs",
    "access_needs",
)

OTHER_ORGANISATION_TYPE = "Other"
PDF_MAGIC = b"%PDF-"


class ApplicationsClosed(DomainError):
    """The activity does not take applications at this moment."""


class AlreadyApplied(DomainError):
    """Someone already applied to this activity with this email address."""


class InvalidAnswer(DomainError):
    """An answer makes no sense for this activity (an unknown language, a foreign fee)."""


class InvalidUpload(DomainError):
    """The attached CV is not a PDF, or is too large."""


class ConsentMissing(DomainError):
    """The applicant did not agree to the processing of their data."""


class NotCorrectable(DomainError):
    """The application can no longer be corrected by the applicant."""


class InvalidTransition(DomainError):
    """The application cannot move from its status to the one asked for."""


class ResponseClosed(DomainError):
    """The date by which an accepted applicant had to confirm or decline has passed."""


@dataclass
class Answers:
    """What an applicant tells us on the form, already checked for shape."""

    given_names: str
    family_name: str
    email: str
    title: str = ""
    gender: Gender = Gender.UNDISCLOSED
    nationality: str = ""
    country: str = ""
    phone: str = ""
    language: str = "en"
    organisation: str = ""
    organisation_type: str = ""
    position: str = ""
    proficiency: str = ""
    motivation: str = ""
    expectations: str = ""
    payment_source: PaymentSource = PaymentSource.SELF
    sponsor_name: str = ""
    costshare_requested: bool = False
    costshare_component_ids: list[int] = field(default_factory=list)
    sponsor_covers: str = ""
    costshare_reason: str = ""
    dietary_needs: str = ""
    access_needs: str = ""

    @classmethod
    def of(cls, application: Application) -> Answers:
        """The answers an application holds now, e.g. to prefill the correction form."""
        values = {name: getattr(application, name) for name in ANSWER_FIELDS}
        values["costshare_component_ids"] = list(values["costshare_component_ids"] or [])
        return cls(**values)


@dataclass(frozen=True)
class UploadedCV:
    """A CV as the applicant sent it: the name they gave it and its bytes."""

    filename: str
    content: bytes


class Outcome(enum.StrEnum):
    """What submitting the form did."""

    CREATED = "created"
    RESUBMITTED = "resubmitted"  # the same form sent again: nothing new was created
    ALREADY_APPLIED = "already_applied"  # same email, other form: the link was sent again


@dataclass(frozen=True)
class Submission:
    """What submitting the form led to, and the application it concerns."""

    application: Application
    outcome: Outcome


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history an applicant sees on their private page."""

    at: datetime
    text: str
    by_applicant: bool


def clock() -> datetime:
    """The current moment as the applicant-facing views see it.

    Views ask this function rather than the system clock so that tests can freeze time
    (monkeypatch it) and walk an HTTP flow up to a deadline to the second.
    """
    return utcnow()


def activity_to_apply(slug: str) -> Activity | None:
    """A public activity, without its programme; fees, audience and contacts load when used."""
    query = sa.select(Activity).where(Activity.slug == slug, Activity.status.in_(VISIBLE))
    return db.session.scalars(query).first()


def calendar_for(activity: Activity) -> Attachment:
    """The activity's .ics, rebuilt at most once a minute per process for the same activity.

    Building it costs more than the rest of a submission; an edit of the activity (which
    bumps `updated_at`) is seen at once, an edit of a session alone within a minute.
    """
    key = (activity.id, activity.reference, activity.updated_at)
    cached = _calendars.get(key)
    if cached is not None and cached[0] > monotonic():
        return cached[1]
    attachment = calendar_attachment(activity)
    if len(_calendars) > 64:
        _calendars.clear()
    _calendars[key] = (monotonic() + CALENDAR_CACHE_SECONDS, attachment)
    return attachment


CALENDAR_CACHE_SECONDS = 60.0
_calendars: dict[tuple[Any, ...], tuple[float, Attachment]] = {}


def new_submission_key() -> str:
    """A fresh one-time key for an application form."""
    return secrets.token_urlsafe(24)


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
        touch = (
            sa.update(Activity)
            .where(Activity.id == activity_id)
            .values(updated_at=Activity.updated_at)
        )
        if not isinstance(loaded, Activity):  # one statement: take the lock, read the row
            return db.session.scalars(touch.returning(Activity)).one()
        db.session.execute(touch.execution_options(synchronize_session=False))
    if isinstance(loaded, Activity):
        # Columns only: the fees, contacts and audience already loaded stay loaded.
        db.session.refresh(loaded, attribute_names=_activity_columns(), with_for_update=True)
        return loaded
    return db.session.scalars(
        sa.select(Activity).where(Activity.id == activity_id).with_for_update()
    ).one()


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


def submit_application(
    activity: Activity | int,
    *,
    answers: Answers,
    submission_key: str,
    consent: bool,
    now: datetime,
    cv: UploadedCV | None = None,
    facts: CallFacts | None = None,
) -> Submission:
    """Create an application with the next reference number and queue its acknowledgement.

    `activity` is the activity or its id; `facts`, what its form was prepared from (read
    from the activity when not given). A form sent again with the same `submission_key`
    finds the application it created (RESUBMITTED). An email address that already applied
    gets its private link again instead of a second application (ALREADY_APPLIED). Refuses
    with ConsentMissing, InvalidAnswer, InvalidUpload, or ApplicationsClosed when `now` is
    outside the call.
    """
    if not consent:
        raise ConsentMissing(
            "Please agree to the processing of your data: we cannot consider the "
            "application without it.",
            field="consent",
        )
    if facts is None:
        if not isinstance(activity, Activity):
            activity = db.session.get_one(Activity, activity)
        facts = CallFacts.of(activity)
    values = _checked(facts, answers)
    _check_cv(cv)
    # Everything that does not depend on the activity's current state is prepared before
    # taking the lock, which every other submission to this activity waits for.
    application = Application(
        submission_key=submission_key,
        status=Status.SUBMITTED,
        consent_at=now,
        submitted_at=now,
        status_changed_at=now,
        # A new application has neither; saying so spares two queries for the amount due.
        grants=[],
        payments=[],
        **values,
    )

    locked = lock_activity(activity if isinstance(activity, int) else activity.id)
    found = db.session.execute(
        sa.select(Application.id, Application.activity_id, Application.submission_key).where(
            sa.or_(
                Application.submission_key == submission_key,
                sa.and_(
                    Application.activity_id == locked.id,
                    Application.email == values["email"],
                ),
            )
        )
    ).all()
    for earlier in found:
        if earlier.submission_key == submission_key:
            if earlier.activity_id != locked.id:
                raise InvalidAnswer("This form has expired: please reload the page.")
            return Submission(db.session.get_one(Application, earlier.id), Outcome.RESUBMITTED)
    if not locked.is_open_for_applications(now):
        raise ApplicationsClosed(closed_message(locked, now))
    if found:
        resend_link(locked, email=values["email"])
        return Submission(db.session.get_one(Application, found[0].id), Outcome.ALREADY_APPLIED)

    number = 1 + (
        db.session.scalar(
            sa.select(sa.func.max(Application.number)).where(Application.activity_id == locked.id)
        )
        or 0
    )
    application.activity = locked
    application.number = number
    application.reference = f"{locked.reference}-{number:04d}"
    if cv is not None:
        application.cv_filename, application.cv_path = _store_cv(locked, cv)
    db.session.add(application)
    db.session.flush()
    audit.record(
        SUBMITTED_ACTION,
        application,
        actor="applicant",
        after={"status": Status.SUBMITTED.value, "reference": application.reference},
        flush=False,  # written with the acknowledgement below, in one flush
    )
    # What the form was prepared from still holds unless the activity changed meanwhile.
    current = facts.updated_at == locked.updated_at
    queue_email(
        "application_received",
        to=application.email,
        application=application,
        attachments=[calendar_for(locked)],
        contacts=facts.contacts if current else None,
        amount_due=facts.fee_total if current else None,  # nothing granted or paid yet
        flush=False,
        **email_context(application),
    )
    db.session.flush()
    return Submission(application, Outcome.CREATED)


def correct_application(
    application: Application, *, answers: Answers, now: datetime, cv: UploadedCV | None = None
) -> list[str]:
    """Replace the applicant's answers (and CV, if one is given); return the changed fields.

    Refuses with NotCorrectable once a decision is taken or the call has closed, with
    AlreadyApplied when the new email is another application's, and with InvalidAnswer
    or InvalidUpload. A correction that changes something is recorded and acknowledged.
    """
    activity = application.activity
    if application.status not in CORRECTABLE:
        raise NotCorrectable(
            f"Your application is {application.status.label.lower()}: it can no longer be "
            "corrected here. Please write to the contacts of the activity."
        )
    if not activity.is_open_for_applications(now):
        raise NotCorrectable(
            "The call for applications has closed: the application can no longer be "
            "corrected. Please write to the contacts of the activity."
        )
    values = _checked(CallFacts.of(activity), answers)
    _check_cv(cv)
    if values["email"] != application.email:
        taken = db.session.scalar(
            sa.select(Application.id).where(
                Application.activity_id == activity.id,
                Application.email == values["email"],
                Application.id != application.id,
            )
        )
        if taken is not None:
            raise AlreadyApplied(
                "Another application to this activity uses this email address.", field="email"
            )
    before = audit.snapshot(application, values)
    after = {name: plain(value) for name, value in values.items()}
    changed = [name for name in values if before[name] != after[name]]
    for name, value in values.items():
        setattr(application, name, value)
    if cv is not None:
        application.cv_filename, application.cv_path = _store_cv(activity, cv)
        changed.append("cv")
    if not changed:
        return []
    application.updated_at = now
    db.session.flush()
    audit.record(
        CORRECTED_ACTION,
        application,
        actor="applicant",
        before=before,
        after=after,
        note=", ".join(changed),
    )
    queue_email(
        "application_corrected",
        to=application.email,
        application=application,
        changed=[field_label(name) for name in changed],
        **email_context(application),
    )
    return changed


def withdraw_application(application: Application, *, now: datetime, reason: str = "") -> None:
    """Withdraw at the applicant's request; a place it held is free again.

    Refuses with InvalidTransition when the application is already closed (rejected,
    declined, withdrawn, cancelled, attended) or once the activity has started.
    """
    check_transition(application, Status.WITHDRAWN, by_applicant=True)
    if now >= application.activity.starts_at:
        raise InvalidTransition("The activity has started: please write to its contacts instead.")
    change_status(application, Status.WITHDRAWN, actor="applicant", note=reason, now=now)


def confirm_participation(application: Application, *, now: datetime) -> None:
    """Confirm that an accepted applicant will take part; refused after the confirm-by date."""
    _check_response_open(application, now)
    change_status(application, Status.CONFIRMED, actor="applicant", now=now)


def decline_participation(application: Application, *, now: datetime, reason: str = "") -> None:
    """Decline the place an accepted applicant was offered; refused after the confirm-by date."""
    _check_response_open(application, now)
    change_status(application, Status.DECLINED, actor="applicant", note=reason, now=now)


def resend_link(activity: Activity, *, email: str) -> bool:
    """Send the private link of the application with this email again, if there is one.

    Says nothing to the caller's visitor about whether it exists (the view answers the same
    either way). Returns whether an email was queued: not for an unknown address, a revoked
    link, or when a link was already sent within LINK_RESEND_INTERVAL_SECONDS, so that the
    form cannot be used to flood someone's mailbox.
    """
    address = email.strip().lower()
    application = db.session.scalar(
        sa.select(Application).where(
            Application.activity_id == activity.id, Application.email == address
        )
    )
    if application is None or application.token_revoked_at is not None:
        return False
    interval = timedelta(seconds=float(current_app.config["LINK_RESEND_INTERVAL_SECONDS"]))
    recent = db.session.scalar(
        sa.select(EmailOutbox.id).where(
            EmailOutbox.application_id == application.id,
            EmailOutbox.template == "private_link",
            EmailOutbox.created_at > utcnow() - interval,
        )
    )
    if recent is not None:
        return False
    queue_email(
        "private_link", to=application.email, application=application, **email_context(application)
    )
    return True


def find_by_token(token: str) -> Application | None:
    """The application behind a private link; None for an unknown or revoked link."""
    if not 32 <= len(token) <= 64:
        return None
    return db.session.scalar(
        sa.select(Application).where(
            Application.token == token, Application.token_revoked_at.is_(None)
        )
    )


def revoke_link(application: Application, *, by: StaffUser | None = None) -> None:
    """Make the private link stop working and give the application a new, unsent one."""
    before = {"token_revoked_at": None}
    application.token_revoked_at = utcnow()
    db.session.flush()
    audit.record(
        "application.link_revoked",
        application,
        by=by,
        actor="system",
        before=before,
        after={"token_revoked_at": application.token_revoked_at.isoformat()},
    )


def reissue_link(application: Application, *, by: StaffUser | None = None) -> None:
    """Replace a (revoked or leaked) private link by a new one and send it to the applicant."""
    application.token = new_token()
    application.token_revoked_at = None
    db.session.flush()
    audit.record("application.link_reissued", application, by=by, actor="system")
    queue_email(
        "private_link", to=application.email, application=application, **email_context(application)
    )


def check_transition(
    application: Application, new_status: ApplicationStatus, *, by_applicant: bool = False
) -> None:
    """Raise InvalidTransition unless the table allows this change (for this kind of actor)."""
    current = application.status
    if new_status not in TRANSITIONS[current]:
        raise InvalidTransition(
            f"An application that is {current.label.lower()} cannot become "
            f"{new_status.label.lower()}."
        )
    if by_applicant and new_status not in APPLICANT_MAY:
        raise InvalidTransition(f"Only the organisers can make an application {new_status}.")


def change_status(
    application: Application,
    new_status: ApplicationStatus,
    *,
    by: StaffUser | None = None,
    actor: str = "system",
    note: str = "",
    now: datetime | None = None,
    fields: Mapping[str, Any] | None = None,
) -> None:
    """Move an application to a new status, if the transition table allows it.

    Locks the activity and reloads the application first, so two changes never cross.
    `by` is the staff member deciding; without one, `actor` says who acts ("applicant" may
    only withdraw, confirm or decline). `fields` are set along with the status (e.g.
    `confirm_by`). Sets `status_changed_at`, records the change and, when the applicant
    should hear of it, queues the email in their language. Raises InvalidTransition.
    """
    now = now or utcnow()
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
    if new_status in ANNOUNCED:
        attachments: list[Attachment] = []
        if new_status in (Status.ACCEPTED, Status.CONFIRMED):
            attachments.append(calendar_for(application.activity))
        queue_email(
            "application_status",
            to=application.email,
            application=application,
            attachments=attachments,
            previous_status=old_status.value,
            **email_context(application),
        )


def applicant_history(application: Application) -> list[HistoryEntry]:
    """The history shown to the applicant: submission, corrections and status changes."""
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
            text = "Application submitted"
        elif entry.action == CORRECTED_ACTION:
            text = "Application corrected"
        else:
            status = ApplicationStatus(entry.after.get("status", application.status))
            text = STATUS_EVENTS[status]
        history.append(HistoryEntry(at=entry.at, text=text, by_applicant=by_applicant))
    return history


STATUS_EVENTS = {
    Status.SUBMITTED: "Application submitted",
    Status.UNDER_REVIEW: "Application under review",
    Status.ACCEPTED: "Application accepted",
    Status.WAITLISTED: "Put on the waiting list",
    Status.REJECTED: "Application not retained",
    Status.CONFIRMED: "Participation confirmed",
    Status.DECLINED: "Place declined",
    Status.WITHDRAWN: "Application withdrawn",
    Status.CANCELLED: "Participation cancelled",
    Status.ATTENDED: "Attended the activity",
}


def can_correct(application: Application, now: datetime) -> bool:
    """Whether the correction form is open to this applicant at this moment."""
    return application.status in CORRECTABLE and application.activity.is_open_for_applications(now)


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


def private_link(application: Application) -> str:
    """The address of the applicant's private page, as sent in emails."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/my/{application.token}"


def email_context(application: Application) -> dict[str, Any]:
    """Values the applicant emails show, formatted in the applicant's language."""
    activity = application.activity
    language = application.language
    return {
        "private_link": private_link(application),
        "local_dates": local_date_range(activity.start_date, activity.end_date, language),
        "local_deadline": local_moment(activity.deadline_at, activity.timezone, language),
        "local_confirm_by": (
            local_date(application.confirm_by, language) if application.confirm_by else ""
        ),
        "venue": activity.venue or activity.online_url or "",
    }


# How each language writes a day: '15 June 2027', '15 juin 2027', '15 de junio de 2027'.
DAY_PATTERNS = {"en": "d MMMM y", "fr": "d MMMM y", "es": "d 'de' MMMM 'de' y"}


def local_date(day: date, language: str) -> str:
    """A day written in the applicant's language (English when we have no translation)."""
    language = _locale(language)
    return format_date(day, DAY_PATTERNS[language], locale=language)


def local_date_range(start: date, end: date, language: str) -> str:
    """'13\u201317 July 2009', '13\u201317 juillet 2009', '13\u201317 de julio de 2009'."""
    if start == end:
        return local_date(start, language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{local_date(end, language)}"
    return f"{local_date(start, language)} \u2013 {local_date(end, language)}"


def local_moment(moment: datetime, zone: str, language: str) -> str:
    """A moment as read in a timezone, e.g. '15 juin 2027, 23:59 (Europe/Rome)'."""
    language = _locale(language)
    pattern = DAY_PATTERNS[language] + ", HH:mm"
    there = format_datetime(moment, pattern, tzinfo=ZoneInfo(zone), locale=language)
    return f"{there} ({zone})"


FIELD_LABELS = {
    "title": "title",
    "given_names": "given names",
    "family_name": "family name",
    "gender": "gender",
    "nationality": "nationality",
    "country": "country of residence",
    "email": "email",
    "phone": "phone",
    "language": "language for correspondence",
    "organisation": "organisation",
    "organisation_type": "type of organisation",
    "position": "position",
    "proficiency": "language proficiency",
    "motivation": "motivation",
    "expectations": "expectations",
    "payment_source": "payment of the fee",
    "sponsor_name": "sponsor",
    "costshare_requested": "cost-sharing request",
    "costshare_component_ids": "cost-sharing request",
    "sponsor_covers": "what the sponsor covers",
    "costshare_reason": "reason for cost-sharing",
    "dietary_needs": "dietary needs",
    "access_needs": "access needs",
    "cv": "CV",
}


def field_label(name: str) -> str:
    """How a field is called in messages to the applicant."""
    return FIELD_LABELS.get(name, name.replace("_", " "))


def offers_costsharing(activity: Activity) -> bool:
    """Whether applicants may ask the organisers to cost-share their participation."""
    return activity.fee_total > 0 and bool(
        activity.costshare_offer or activity.costshare_budget > 0
    )


def organisation_types(activity: Activity) -> list[str]:
    """The organisation types applicants choose from: both audience tiers, then Other."""
    return CallFacts.of(activity).organisation_types


@dataclass(frozen=True)
class ContactCard:
    """A contact of the activity as the acknowledgement lists it."""

    role: str
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class CallFacts:
    """What applying to an activity needs to know of it, as plain values.

    The form's choices (languages, audience, fees) and what the acknowledgement lists
    (contacts), read from the activity as it was at `updated_at`. The public form keeps
    one per activity version, so that a submission does not load the parts again.
    """

    updated_at: datetime
    languages: tuple[str, ...]
    working_language: str
    audience: tuple[tuple[AudienceTier, str], ...]  # (tier, name), in the activity's order
    fee_total: int
    costsharing: bool
    fee_components: tuple[tuple[int, str], ...]  # (id, name)
    contacts: tuple[ContactCard, ...]

    @classmethod
    def of(cls, activity: Activity) -> CallFacts:
        return cls(
            updated_at=activity.updated_at,
            languages=tuple(activity.languages or ["en"]),
            working_language=activity.working_language,
            audience=tuple((group.tier, group.name) for group in activity.audience_groups),
            fee_total=activity.fee_total,
            costsharing=offers_costsharing(activity),
            fee_components=tuple((c.id, c.name) for c in activity.fee_components),
            contacts=tuple(
                ContactCard(c.role, c.name, c.email, c.phone) for c in activity.contacts
            ),
        )

    def audience_of(self, tier: AudienceTier) -> list[str]:
        return [name for group_tier, name in self.audience if group_tier == tier]

    @property
    def organisation_types(self) -> list[str]:
        return [name for _tier, name in self.audience] + [OTHER_ORGANISATION_TYPE]


def _checked(facts: CallFacts, answers: Answers) -> dict[str, Any]:
    """The answers as column values, refused (InvalidAnswer) where they do not fit the activity."""
    values = {name: getattr(answers, name) for name in ANSWER_FIELDS}
    values["email"] = answers.email.strip().lower()
    if not answers.given_names.strip() or not answers.family_name.strip():
        field_name = "given_names" if not answers.given_names.strip() else "family_name"
        raise InvalidAnswer("Please give your name.", field=field_name)
    if "@" not in values["email"]:
        raise InvalidAnswer("Please give a valid email address.", field="email")
    if answers.language not in facts.languages:
        raise InvalidAnswer(
            "Choose one of the languages the activity is held in.", field="language"
        )
    if answers.organisation_type and answers.organisation_type not in facts.organisation_types:
        raise InvalidAnswer(
            "Choose a type of organisation from the list.", field="organisation_type"
        )
    if facts.fee_total == 0:
        values.update(payment_source=PaymentSource.SELF, sponsor_name="")
    elif answers.payment_source == PaymentSource.SPONSOR and not answers.sponsor_name.strip():
        raise InvalidAnswer("Please give the name of the sponsor.", field="sponsor_name")
    elif answers.payment_source != PaymentSource.SPONSOR:
        values["sponsor_name"] = ""
    if not facts.costsharing or not answers.costshare_requested:
        values.update(
            costshare_requested=False,
            costshare_component_ids=[],
            sponsor_covers="",
            costshare_reason="",
        )
    else:
        known = {component_id for component_id, _name in facts.fee_components}
        chosen = sorted(set(answers.costshare_component_ids))
        if not chosen or not set(chosen) <= known:
            raise InvalidAnswer(
                "Choose the parts of the fee you ask the organisers to cover.",
                field="costshare_component_ids",
            )
        if not answers.costshare_reason.strip():
            raise InvalidAnswer(
                "Please explain why you ask for cost-sharing.", field="costshare_reason"
            )
        values["costshare_component_ids"] = chosen
    return values


def _check_cv(cv: UploadedCV | None) -> None:
    if cv is None:
        return
    limit = int(current_app.config["CV_MAX_BYTES"])
    if len(cv.content) > limit:
        raise InvalidUpload(
            f"The CV is larger than {limit // (1024 * 1024)} MB: please attach a smaller PDF.",
            field="cv",
        )
    if not cv.content.startswith(PDF_MAGIC):
        raise InvalidUpload(
            "The CV must be a PDF file; this file is not one, whatever its name says.",
            field="cv",
        )


def _store_cv(activity: Activity, cv: UploadedCV) -> tuple[str, str]:
    """Write the CV under a random name; return (name to show, path below UPLOAD_DIR)."""
    folder = Path(upload_dir()) / "cv" / activity.reference
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"cv/{activity.reference}/{secrets.token_hex(16)}.pdf"
    descriptor = os.open(Path(upload_dir()) / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(cv.content)
    shown = "".join(c for c in Path(cv.filename).name if c.isprintable())[:200] or "cv.pdf"
    return shown, relative


def upload_dir() -> str:
    """Where uploaded files are kept: UPLOAD_DIR, or instance/uploads."""
    return current_app.config.get("UPLOAD_DIR") or os.path.join(
        current_app.instance_path, "uploads"
    )


def _check_response_open(application: Application, now: datetime) -> None:
    if application.status != Status.ACCEPTED:
        check_transition(application, Status.CONFIRMED, by_applicant=True)
    deadline = response_deadline(application)
    if deadline is not None and now > deadline:
        raise ResponseClosed(
            "The date to answer the offer has passed: please write to the contacts of the activity."
        )


def closed_message(activity: Activity, now: datetime) -> str:
    """Why the form refuses applications at this moment."""
    if activity.opens_at is not None and now < activity.opens_at:
        return "The call for applications is not open yet."
    return (
        "The call for applications closed on "
        f"{local_moment(activity.deadline_at, activity.timezone, 'en')}; "
        "your application was not saved. Please write to the contacts of the activity."
    )


def _locale(language: str) -> str:
    return language if language in DAY_PATTERNS else "en"
