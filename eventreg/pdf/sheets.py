"""Sheets trainers print: attendance sheets to sign, and paper evaluation forms."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..formatting import country_name
from ..models import TAKING_PART, Activity, ActivitySession, Application
from ..services.errors import DomainError
from ..services.evaluations import questions_for, sections
from .render import branding_for, render_pdf

# Who is expected in the room: confirmed participants, and those already marked attended.

# A day with more sessions than this gets one signature box for the whole day.
MAX_SIGNATURE_COLUMNS = 4


class SheetOrder(enum.StrEnum):
    """How participants are listed on a sheet."""

    FAMILY_NAME = "family_name"
    COUNTRY = "country"
    ORGANISATION = "organisation"


class NoSuchSitting(DomainError):
    """The session or day asked for is not part of the activity."""


def _folded(text: str) -> str:
    """A sort key that puts 'Émile' with the Es: accents removed, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _sort_key(order: SheetOrder) -> Callable[[Application], tuple[str, ...]]:
    def by_name(application: Application) -> tuple[str, ...]:
        return (_folded(application.family_name), _folded(application.given_names))

    if order == SheetOrder.COUNTRY:
        return lambda a: (_folded(country_name(a.country)), *by_name(a))
    if order == SheetOrder.ORGANISATION:
        return lambda a: (_folded(a.organisation), *by_name(a))
    return by_name


def expected_participants(
    activity: Activity, order: SheetOrder | str = SheetOrder.FAMILY_NAME
) -> list[Application]:
    """Confirmed and attended participants of the activity, in the order asked for."""
    participants = list(
        db.session.scalars(
            sa.select(Application).where(
                Application.activity_id == activity.id, Application.status.in_(TAKING_PART)
            )
        )
    )
    participants.sort(key=_sort_key(SheetOrder(order)))
    return participants


def _sitting(
    activity: Activity, session: ActivitySession | None, day: date | None
) -> tuple[str, list[ActivitySession]]:
    """What the sheet covers, as a heading, and the sessions whose boxes it carries."""
    if (session is None) == (day is None):
        raise NoSuchSitting("Choose either one session or one day.")
    if session is not None:
        if session.activity_id != activity.id:
            raise NoSuchSitting("That session belongs to another activity.")
        return session.title, [session]
    sessions = dict(activity.days()).get(day) if day is not None else None
    if not sessions:
        raise NoSuchSitting(f"No session of this activity takes place on {day}.")
    return "", sessions


def attendance_sheet(
    activity: Activity,
    *,
    session: ActivitySession | None = None,
    day: date | None = None,
    order: SheetOrder | str = SheetOrder.FAMILY_NAME,
    walk_in_rows: int = 5,
) -> bytes:
    """An attendance sheet for one session or one day, with a signature box per participant.

    A day sheet has one box per session (up to four sessions, else one for the day), in
    landscape when it has more than one. `walk_in_rows` blank rows follow for walk-ins.
    Refuses (NoSuchSitting) a session of another activity or a day without sessions.
    """
    title, sessions = _sitting(activity, session, day)
    first = sessions[0]
    if session is None and 1 < len(sessions) <= MAX_SIGNATURE_COLUMNS:
        columns = [s.local_start.strftime("%H:%M") for s in sessions]
    else:
        columns = ["Signature"]
    participants = expected_participants(activity, order)
    return render_pdf(
        "pdf/attendance_sheet.html",
        activity=activity,
        branding=branding_for(activity),
        landscape=len(columns) > 1,
        sessions=sessions,
        sitting_title=title,
        sitting_day=first.local_start.date(),
        columns=columns,
        participants=participants,
        walk_in_rows=max(0, walk_in_rows),
        order=SheetOrder(order),
    )


def evaluation_sheets(
    activity: Activity, *, named: bool | None = None, blank_copies: int = 1
) -> bytes:
    """The evaluation questionnaire as paper forms.

    Named: one form per confirmed or attended participant with the name printed (the
    default when the activity does not evaluate anonymously). Blank: `blank_copies` forms
    with no name.
    """
    if named is None:
        named = not activity.evaluation_anonymous
    respondents: list[Application | None]
    if named:
        respondents = list(expected_participants(activity)) or [None]
    else:
        respondents = [None] * max(1, blank_copies)
    questions = questions_for(activity)
    return render_pdf(
        "pdf/evaluation_sheets.html",
        activity=activity,
        branding=branding_for(activity),
        respondents=respondents,
        sections=sections(questions),
    )
