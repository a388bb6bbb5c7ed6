"""Writing to applicants: placeholders filled safely, one message or a bulk mailing.

Staff text is never a template. Placeholders such as {given_names} are replaced by a
single pass of a regular expression over the text, so neither the staff's text nor an
applicant's answers can run Jinja or `str.format` code, and a value that itself looks
like a placeholder is left as it is. The result goes to the `message` email template as
plain data (escaped in the HTML part).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from ..emails import Attachment, queue_email
from ..extensions import db
from ..formatting import money
from ..jobs import JobResult, Progress, job, submit
from ..models import Activity, Application, AuditLog, EmailOutbox, Job, StaffUser
from . import audit, review
from .correspondence import local_date, private_link
from .errors import DomainError
from .review import Filters, Sort

# Every placeholder staff may use, with what it stands for.
PLACEHOLDERS: dict[str, str] = {
    "given_names": "the applicant's given names",
    "family_name": "the applicant's family name",
    "reference": "the application's reference, e.g. A901357-0042",
    "status": "the application's status, e.g. Accepted",
    "amount_due": "what the applicant still has to pay, e.g. EUR 960",
    "status_link": "the applicant's private link",
    "activity": "the activity's title",
    "confirm_by": "the date by which an accepted applicant confirms",
}

# Anything in braces that could be meant as a placeholder: a word without spaces.
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")

SUBJECT_MAX = 200
BODY_MAX = 20_000
# A bulk mailing renders and queues this many messages per commit.
BATCH = 50

MESSAGE_ACTION = "application.message_sent"


class MessageRefused(DomainError):
    """The message cannot be sent as written (empty, too long, an unknown placeholder)."""


class NoRecipients(DomainError):
    """Nobody matches: there is no one to write to."""


@dataclass(frozen=True)
class Letter:
    """A subject and body as staff wrote them, placeholders not yet filled."""

    subject: str
    body: str

    def normalised(self) -> Letter:
        """The same text with line endings and outer blanks tidied, for comparing."""
        return Letter(
            subject=" ".join(self.subject.split()),
            body=self.body.replace("\r\n", "\n").strip(),
        )


def check_letter(letter: Letter) -> Letter:
    """The letter tidied, or MessageRefused: empty, too long, or an unknown placeholder."""
    letter = letter.normalised()
    if not letter.subject:
        raise MessageRefused("Give the message a subject.", field="subject")
    if len(letter.subject) > SUBJECT_MAX:
        raise MessageRefused(f"Keep the subject under {SUBJECT_MAX} characters.", field="subject")
    if not letter.body:
        raise MessageRefused("Write the message.", field="body")
    if len(letter.body) > BODY_MAX:
        raise MessageRefused(f"Keep the message under {BODY_MAX:,} characters.", field="body")
    for name, text in (("subject", letter.subject), ("body", letter.body)):
        unknown = sorted({m for m in PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})
        if unknown:
            known = ", ".join("{" + key + "}" for key in PLACEHOLDERS)
            raise MessageRefused(
                f"{', '.join('{' + u + '}' for u in unknown)} is not a placeholder; use {known}.",
                field=name,
            )
    return letter


def placeholder_values(application: Application) -> dict[str, str]:
    """What each placeholder stands for in a message to this applicant."""
    activity = application.activity
    return {
        "given_names": application.given_names,
        "family_name": application.family_name,
        "reference": application.reference,
        "status": application.status.label,
        "amount_due": money(application.amount_due, activity.currency),
        "status_link": private_link(application),
        "activity": activity.content("title", application.language),
        "confirm_by": (
            local_date(application.confirm_by, application.language)
            if application.confirm_by
            else ""
        ),
    }


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each known placeholder by its value, in one pass; leave anything else."""
    return PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def personalise(letter: Letter, application: Application) -> Letter:
    """The letter as this applicant will read it."""
    values = placeholder_values(application)
    return Letter(subject=fill(letter.subject, values), body=fill(letter.body, values))


def preview(letter: Letter, application: Application) -> Letter:
    """Check the letter and show it filled in for one applicant; nothing is sent."""
    return personalise(check_letter(letter), application)


def send_message(
    application: Application,
    *,
    letter: Letter,
    by: StaffUser | None,
    attachments: Sequence[Attachment] = (),
) -> EmailOutbox:
    """Queue the letter, filled in for this applicant, and record it in their history.

    Refuses (MessageRefused) an empty letter or one with an unknown placeholder.
    """
    letter = check_letter(letter)
    return _send(application, letter, by=by, attachments=attachments)


def _send(
    application: Application,
    letter: Letter,
    *,
    by: StaffUser | None,
    job_id: int | None = None,
    attachments: Sequence[Attachment] = (),
) -> EmailOutbox:
    filled = personalise(letter, application)
    email = queue_email(
        "message",
        to=application.email,
        application=application,
        attachments=attachments,
        subject=filled.subject,
        body=filled.body,
    )
    after: dict[str, Any] = {"subject": filled.subject, "email": email.id}
    if job_id is not None:
        after["job"] = job_id
    audit.record(
        MESSAGE_ACTION,
        application,
        by=by,
        actor="system" if by is None else "",
        after=after,
        note=filled.body[:2000],
    )
    return email


def send_to_set(activity: Activity, *, filters: Filters, letter: Letter, by: StaffUser) -> Job:
    """Start a background job that writes to every application matching the filters.

    The recipients are fixed now (their ids go into the job), so the mailing reaches the
    people staff previewed even if the list changes meanwhile; the job queues the messages
    through the outbox and records each one in the application's history. Refuses with
    MessageRefused, or NoRecipients when nobody matches.
    """
    letter = check_letter(letter)
    ids = review.matching_ids(activity, replace(filters, sort=Sort.REFERENCE, descending=False))
    if not ids:
        raise NoRecipients("No application matches: there is nobody to write to.")
    return submit(
        BULK_MESSAGE,
        params={
            "application_ids": ids,
            "subject": letter.subject,
            "body": letter.body,
            "by_id": by.id,
        },
        activity_id=activity.id,
        by=by,
    )


BULK_MESSAGE = "bulk_message"


@job(BULK_MESSAGE)
def run_bulk_message(
    record: Job,
    progress: Progress,
    *,
    application_ids: list[int],
    subject: str,
    body: str,
    by_id: int | None = None,
    **_ignored: Any,
) -> JobResult:
    """The job behind `send_to_many`: queue each message, committing every BATCH.

    An application that was deleted meanwhile is skipped. A job run again (after a crash)
    does not write twice to someone it already wrote to in this job.
    """
    letter = Letter(subject=subject, body=body)
    by = db.session.get(StaffUser, by_id) if by_id else None
    already = _already_sent(record)
    total = len(application_ids)
    done = 0
    for start in range(0, total, BATCH):
        chunk = application_ids[start : start + BATCH]
        found = db.session.scalars(
            sa.select(Application).where(Application.id.in_(chunk)).order_by(Application.number)
        ).all()
        for application in found:
            if application.id not in already:
                _send(application, letter, by=by, job_id=record.id)
        done += len(chunk)
        progress(done, total, f"{done} of {total} messages queued")
    return JobResult(message=f"{total} message{'s' if total != 1 else ''} queued.")


def _already_sent(record: Job) -> set[int]:
    """Applications this job already wrote to, should it run a second time after a crash."""
    entries = db.session.scalars(
        sa.select(AuditLog).where(
            AuditLog.activity_id == record.activity_id, AuditLog.action == MESSAGE_ACTION
        )
    )
    return {
        entry.application_id
        for entry in entries
        if entry.application_id is not None and entry.after.get("job") == record.id
    }
