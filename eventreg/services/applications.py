"""Applying: the form's answers checked against the activity, a new application with its
reference number and acknowledgement, and corrections while the call is open.

The functions here check first and change last; they flush, never commit. What happens
to an application afterwards is in `lifecycle` (the statuses), `decisions` (staff) and
`applicant` (the applicant's own steps).
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from .. import files
from ..emails import queue_email, queue_email_later, written_later
from ..extensions import db
from ..models import (
    Activity,
    Application,
    ApplicationStatus,
    Gender,
    PaymentSource,
    StaffUser,
)
from ..models.base import plain
from . import audit, lifecycle, links, privacy
from .answers import read_by_applicant
from .calls import CallFacts, closed_message
from .catalogue import VISIBLE
from .correspondence import calendar_for, email_context
from .errors import DomainError
from .refusals import REFUSED, looks_like_email
from .uploads import UploadedCV, check_cv, store_cv

Status = ApplicationStatus

# An applicant may correct the application while it waits for a decision and the call is open.
CORRECTABLE = frozenset({Status.SUBMITTED, Status.UNDER_REVIEW})

# Audit actions of the applicant's own writing (shown in their history).
SUBMITTED_ACTION = "application.submitted"
CORRECTED_ACTION = "application.corrected"

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


class ApplicationsClosed(DomainError):
    """The activity does not take applications at this moment."""


class AlreadyApplied(DomainError):
    """Someone already applied to this activity with this email address."""


class InvalidAnswer(DomainError):
    """An answer makes no sense for this activity (an unknown language, a foreign fee)."""


class ConsentMissing(DomainError):
    """The applicant did not agree to the processing of their data."""


class NotCorrectable(DomainError):
    """The application can no longer be corrected by the applicant."""


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


class SubmissionResult(enum.StrEnum):
    """What submitting the form did."""

    CREATED = "created"
    RESUBMITTED = "resubmitted"  # the same form sent again: nothing new was created
    ALREADY_APPLIED = "already_applied"  # same email, other form: the link was sent again


@dataclass(frozen=True)
class Submission:
    """What submitting the form led to, and the application it concerns."""

    application: Application
    result: SubmissionResult


def activity_to_apply(slug: str) -> Activity | None:
    """A public activity, without its programme; fees, audience and contacts load when used."""
    query = sa.select(Activity).where(Activity.slug == slug, Activity.status.in_(VISIBLE))
    return db.session.scalars(query).first()


def new_submission_key() -> str:
    """A fresh one-time key for an application form."""
    return secrets.token_urlsafe(24)


def submit_application(
    activity: Activity | int,
    *,
    answers: Answers,
    submission_key: str,
    consent: bool,
    now: datetime,
    cv: UploadedCV | None = None,
    facts: CallFacts | None = None,
    late_by: StaffUser | None = None,
    record_answers: Callable[[Application], object] | None = None,
) -> Submission:
    """Create an application with the next reference number and queue its acknowledgement.

    `activity` is the activity or its id; `facts`, what its form was prepared from (read
    from the activity when not given). A form sent again with the same `submission_key`
    finds the application it created (RESUBMITTED). An email address that already applied
    gets its private link again instead of a second application (ALREADY_APPLIED). Refuses
    with ConsentMissing, InvalidAnswer, InvalidUpload, or ApplicationsClosed when `now` is
    outside the call, unless a staff member adds it after the deadline (`late_by`): it is
    then marked late and recorded as theirs, and the applicant hears as for any other.
    `record_answers` stores the answers to the activity's own questions of a new
    application, under the lock. The acknowledgement (`acknowledgement`) is queued to be
    written by the worker, so that the applicant does not wait for it.
    """
    if not consent:
        raise ConsentMissing(str(REFUSED["consent"]), field="consent")
    if facts is None:
        if not isinstance(activity, Activity):
            activity = db.session.get_one(Activity, activity)
        facts = CallFacts.of(activity)
    values = _checked(facts, answers)
    check_cv(cv)
    # Everything that does not depend on the activity's current state is prepared before
    # taking the lock, which every other submission to this activity waits for.
    row = {
        **values,
        "submission_key": submission_key,
        "status": Status.SUBMITTED,
        "consent_at": now,
        "submitted_at": now,
        "status_changed_at": now,
        "late": late_by is not None,
    }

    # The lock reads the activity's call only; the whole activity is loaded when needed.
    locked = lifecycle.lock_call(activity if isinstance(activity, int) else activity.id)
    # Statements of their own, through the connection: the session adds nothing to them.
    connection = db.session.connection()
    asked = {"key": submission_key, "activity": locked.id, "email": values["email"]}
    found, last_number = [], 0
    for row_read in connection.execute(_EARLIER_AND_LAST_NUMBER, asked):
        if row_read.id is None:  # the last number (None before the first application)
            last_number = row_read.number or 0
        else:
            found.append(row_read)
    for earlier in found:
        if earlier.submission_key == submission_key:
            if earlier.activity_id != locked.id:
                raise InvalidAnswer(gettext("This form has expired: please reload the page."))
            return Submission(
                db.session.get_one(Application, earlier.id), SubmissionResult.RESUBMITTED
            )
    if late_by is None and not locked.is_open(now):
        raise ApplicationsClosed(closed_message(db.session.get_one(Activity, locked.id), now))
    if found:
        links.resend_link(db.session.get_one(Activity, locked.id), email=values["email"])
        return Submission(
            db.session.get_one(Application, found[0].id), SubmissionResult.ALREADY_APPLIED
        )

    number = 1 + last_number
    row |= {
        "activity_id": locked.id,
        "number": number,
        "reference": f"{locked.reference}-{number:04d}",
    }
    if cv is not None:
        row["cv_filename"], row["cv_path"] = store_cv(locked.reference, cv)
    application = _insert_application(row)
    if record_answers is not None:
        record_answers(application)
    audit.record(
        SUBMITTED_ACTION,
        application,
        by=late_by,
        actor="applicant" if late_by is None else "",
        after={"status": Status.SUBMITTED.value, "reference": application.reference},
        note="" if late_by is None else "Added by staff after the deadline",
    )
    # The acknowledgement is written by the worker, not while the applicant waits.
    queue_email_later("application_received", application=application)
    return Submission(application, SubmissionResult.CREATED)


@written_later("application_received")
def acknowledgement(application: Application) -> dict[str, Any]:
    """What the acknowledgement of a submission shows besides the application: the
    calendar, the answers to the activity's own questions as given, the private link."""
    language = application.language
    return {
        "attachments": [calendar_for(application.activity, language)],
        "answers": read_by_applicant(application, language),
        **email_context(application),
    }


def _insert_application(row: dict[str, Any]) -> Application:
    """Write a new application with one INSERT through the connection, and give the session
    the application as written, without reading it back (the unit of work costs more than
    the row: see the README's "Applying under load").

    As in the unit of work, the columns' own defaults fill what the row does not give, or
    gives as None, and the version of the privacy notice is read as the row is written (it
    loads when first asked for). A new application has neither grants nor payments: saying
    so spares two queries for the amount due.
    """
    given = {name: value for name, value in row.items() if value is not None}
    result = db.session.connection().execute(_INSERT_APPLICATION, given)
    sent = result.last_inserted_params()  # the row's values, the defaults' among them
    assert not isinstance(sent, list)  # one row
    (new_id,) = result.inserted_primary_key or (None,)
    application = Application(id=new_id, **{name: sent.get(name) for name in _WRITTEN})
    make_transient_to_detached(application)  # as if read from the database
    db.session.add(application)
    set_committed_value(application, "grants", [])
    set_committed_value(application, "payments", [])
    return application


_APPLICATIONS = db.metadata.tables[Application.__tablename__]
_INSERT_APPLICATION = sa.insert(_APPLICATIONS).values(privacy_version=privacy.current_version_sql())
# What an INSERT knows of the row it wrote: every column but the id and the notice's version.
_WRITTEN = tuple(
    column.key for column in _APPLICATIONS.columns if column.key not in {"id", "privacy_version"}
)


# Built once, as every submission asks it under the activity's lock, in one statement: the
# applications sent before with this form's one-time key or this email, and a row without
# an id that holds the last number given in the activity.
_EARLIER_AND_LAST_NUMBER: sa.CompoundSelect[Any] = sa.union_all(
    sa.select(
        Application.id, Application.activity_id, Application.submission_key, Application.number
    ).where(
        sa.or_(
            Application.submission_key == sa.bindparam("key"),
            sa.and_(
                Application.activity_id == sa.bindparam("activity"),
                Application.email == sa.bindparam("email"),
            ),
        )
    ),
    sa.select(
        sa.null().label("id"),
        sa.null().label("activity_id"),
        sa.null().label("submission_key"),
        sa.func.max(Application.number),
    ).where(Application.activity_id == sa.bindparam("activity")),
)


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
            gettext(
                "Your application is %(status)s: it can no longer be corrected here. "
                "Please write to the contacts of the activity.",
                status=application.status.label.lower(),
            )
        )
    if not activity.is_open_for_applications(now):
        raise NotCorrectable(
            gettext(
                "The call for applications has closed: the application can no longer be "
                "corrected. Please write to the contacts of the activity."
            )
        )
    values = _checked(CallFacts.of(activity), answers)
    check_cv(cv)
    if values["email"] != application.email:
        taken = db.session.scalar(
            sa.select(Application.id).where(
                Application.activity_id == activity.id,
                Application.email == values["email"],
                Application.id != application.id,
            )
        )
        if taken is not None:
            refusal = gettext("Another application to this activity uses this email address.")
            raise AlreadyApplied(refusal, field="email")
    before = audit.snapshot(application, values)
    after = {name: plain(value) for name, value in values.items()}
    changed = [name for name in values if before[name] != after[name]]
    for name, value in values.items():
        setattr(application, name, value)
    if cv is not None:
        files.discard(application.cv_path)  # the CV it replaces, once this is committed
        application.cv_filename, application.cv_path = store_cv(activity.reference, cv)
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


def can_correct(application: Application, now: datetime) -> bool:
    """Whether the correction form is open to this applicant at this moment."""
    return application.status in CORRECTABLE and application.activity.is_open_for_applications(now)


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


def _checked(facts: CallFacts, answers: Answers) -> dict[str, Any]:
    """The answers as column values, refused (InvalidAnswer) where they do not fit the activity."""
    values = {name: getattr(answers, name) for name in ANSWER_FIELDS}
    values["email"] = answers.email.strip().lower()
    refused = [
        ("given_names", not answers.given_names.strip()),
        ("family_name", not answers.family_name.strip()),
        ("email", not looks_like_email(values["email"])),
        ("language", answers.language not in facts.languages),
        (
            "organisation_type",
            bool(answers.organisation_type)
            and answers.organisation_type not in facts.organisation_types,
        ),
    ]
    for name, wrong in refused:
        if wrong:
            raise InvalidAnswer(str(REFUSED[name]), field=name)
    if facts.fee_total == 0:
        values.update(payment_source=PaymentSource.SELF, sponsor_name="")
    elif answers.payment_source == PaymentSource.SPONSOR and not answers.sponsor_name.strip():
        raise InvalidAnswer(str(REFUSED["sponsor_name"]), field="sponsor_name")
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
            field_name = "costshare_component_ids"
            raise InvalidAnswer(str(REFUSED[field_name]), field=field_name)
        if not answers.costshare_reason.strip():
            raise InvalidAnswer(str(REFUSED["costshare_reason"]), field="costshare_reason")
        values["costshare_component_ids"] = chosen
    return values
