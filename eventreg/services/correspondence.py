"""What emails to an applicant say about them: the private link, dates in their language,
the activity's calendar file."""

from __future__ import annotations

from datetime import date, datetime
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import current_app

from ..emails import Attachment, calendar_attachment
from ..models import Activity, Application


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


def private_link(application: Application) -> str:
    """The address of the applicant's private page, as sent in emails."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/my/{application.token}"


def join_link(application: Application) -> str:
    """The online meeting link, for an applicant who holds a place; empty for anyone else."""
    online = application.activity.online_url
    return online if online and application.status.holds_place else ""


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
        "venue": activity.venue or "",
        "join_link": join_link(application),
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
