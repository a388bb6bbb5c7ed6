"""What emails to an applicant say about them: the private link, dates in their language,
the activity's calendar file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date, format_datetime
from flask import current_app

from ..emails import Attachment, calendar_attachment
from ..extensions import db
from ..models import Activity, Application, Certificate


def calendar_for(activity: Activity, language: str | None = None) -> Attachment:
    """The activity's .ics (its title in `language`, see `calendar_attachment`), rebuilt at
    most once a minute per process for the same activity and language.

    Building it costs more than the rest of a submission; an edit of the activity (which
    bumps `updated_at`) is seen at once, an edit of a session alone within a minute.
    """
    key = (activity.id, activity.reference, activity.updated_at, language)
    cached = _calendars.get(key)
    if cached is not None and cached[0] > monotonic():
        return cached[1]
    attachment = calendar_attachment(activity, language)
    if len(_calendars) > 64:
        _calendars.clear()
    _calendars[key] = (monotonic() + CALENDAR_CACHE_SECONDS, attachment)
    return attachment


CALENDAR_CACHE_SECONDS = 60.0
_calendars: dict[tuple[Any, ...], tuple[float, Attachment]] = {}


def private_link(application: Application) -> str:
    """The address of the applicant's private page, as sent in emails."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/my/{application.token}"


@dataclass(frozen=True)
class Documents:
    """The documents an applicant is offered: only those that apply to them now."""

    acceptance_letter: bool
    statement: bool
    certificate: Certificate | None
    calendar: bool


def documents_for(application: Application, *, new: bool = False) -> Documents:
    """What the private page (and the emails) offer: the acceptance letter while the
    applicant holds a place, the statement of account (a receipt once paid in full) when
    there is a fee to pay or something was paid, the certificate once issued and not
    revoked, and the calendar file unless the application has ended. `new`: the
    application was made in this transaction, so no certificate was issued to it."""
    holds_place = application.status.holds_place
    certificate = (
        None
        if new
        else db.session.scalar(
            sa.select(Certificate).where(
                Certificate.application_id == application.id, Certificate.revoked_at.is_(None)
            )
        )
    )
    return Documents(
        acceptance_letter=holds_place,
        statement=(holds_place and application.activity.fee_total > 0)
        or application.paid_total > 0,
        certificate=certificate,
        calendar=not application.status.is_closed,
    )


def document_links(application: Application, *, new: bool = False) -> dict[str, str]:
    """The addresses of the documents that apply now (see `documents_for`), for emails:
    "letter", "statement" and "certificate", each present only when it applies."""
    documents = documents_for(application, new=new)
    base = private_link(application)
    links = {}
    if documents.acceptance_letter:
        links["letter"] = f"{base}/acceptance-letter.pdf"
    if documents.statement:
        links["statement"] = f"{base}/statement.pdf"
    if documents.certificate is not None:
        links["certificate"] = f"{base}/certificate.pdf"
    return links


def join_link(application: Application) -> str:
    """The online meeting link, for an applicant who holds a place; empty for anyone else."""
    online = application.activity.online_url
    return online if online and application.status.holds_place else ""


def email_context(application: Application, *, new: bool = False) -> dict[str, Any]:
    """Values the applicant emails show, formatted in the applicant's language (`new`:
    of an application made in this transaction, see `documents_for`)."""
    activity = application.activity
    language = application.language
    return {
        "private_link": private_link(application),
        "local_dates": local_date_range(activity.start_date, activity.end_date, language),
        "local_deadline": local_moment(activity.deadline_at, activity.timezone, language),
        "local_confirm_by": (
            local_date(application.confirm_by, language) if application.confirm_by else ""
        ),
        "venue": activity.venue or "",
        "join_link": join_link(application),
        "documents": document_links(application, new=new),
        "paid_in_full": application.paid_in_full,
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


def _locale(language: str) -> str:
    return language if language in DAY_PATTERNS else "en"
