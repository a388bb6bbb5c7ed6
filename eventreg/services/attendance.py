"""Attendance: who was present at which session, marked in the room or imported from a sheet."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock
from ..extensions import db
from ..formatting import day_heading
from ..models import (
    TAKING_PART,
    Activity,
    ActivitySession,
    Application,
    Attendance,
    StaffUser,
    utcnow,
)
from . import audit
from .errors import DomainError, TooEarly


class NotAParticipant(DomainError):
    """Only confirmed participants of the session's activity can be marked."""


class ImportRefused(DomainError):
    """The tally file has errors; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"Nothing was imported: {len(problems)} problem(s) in the file.")
        self.problems = problems


def participants(activity: Activity) -> list[Application]:
    """Confirmed (or attended) participants, by family name."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.activity_id == activity.id, Application.status.in_(TAKING_PART))
            .order_by(
                sa.func.lower(Application.family_name), sa.func.lower(Application.given_names)
            )
        )
    )


def marks(session: ActivitySession) -> dict[int, bool]:
    """application id -> present, for the participants marked at this session."""
    rows = db.session.execute(
        sa.select(Attendance.application_id, Attendance.present).where(
            Attendance.session_id == session.id
        )
    )
    return {application_id: present for application_id, present in rows}


def why_no_marks(session: ActivitySession, *, now: datetime | None = None) -> TooEarly | None:
    """The refusal any mark at this session would meet today, or None.

    Attendance opens on the session's day (in the activity's timezone) and stays open, so
    staff may correct the past. Pages show it before the click; `mark` raises it.
    """
    today = (now or clock.now()).astimezone(session.activity.zone).date()
    day = session.local_start.date()
    if today < day:
        return TooEarly(
            _(
                "This session is on %(day)s: attendance can be marked from that day on.",
                day=day_heading(day),
            )
        )
    return None


def mark(
    application: Application, session: ActivitySession, *, present: bool, by: StaffUser | None
) -> None:
    """Record presence or absence; the last mark wins and every mark is audited.

    Refuses (NotAParticipant) someone who does not take part in the session's activity and
    (TooEarly) a session whose day has not come.

    An upsert (INSERT ... ON CONFLICT DO UPDATE), so two devices marking the same person
    at the same moment both succeed and the later one stands, instead of one failing on
    the unique constraint.
    """
    if application.activity_id != session.activity_id or not application.status.takes_part:
        raise NotAParticipant("Only confirmed participants of this activity can be marked.")
    refusal = why_no_marks(session)
    if refusal is not None:
        raise refusal
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    statement = insert(Attendance).values(
        application_id=application.id,
        session_id=session.id,
        present=present,
        marked_by_id=by.id if by else None,
        marked_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[Attendance.application_id, Attendance.session_id],
        set_={"present": present, "marked_by_id": by.id if by else None, "marked_at": now},
    )
    db.session.execute(statement)
    audit.record(
        "attendance_marked",
        application,
        by=by,
        after={"session": session.id, "present": present},
    )


def mark_all_present(session: ActivitySession, *, by: StaffUser | None) -> int:
    """Mark every participant not yet marked at this session as present; returns how many.

    Refuses (TooEarly) a session whose day has not come.
    """
    refusal = why_no_marks(session)
    if refusal is not None:
        raise refusal
    already = marks(session)
    count = 0
    for application in participants(session.activity):
        if application.id not in already:
            mark(application, session, present=True, by=by)
            count += 1
    return count


def session_count(activity_id: int) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count(ActivitySession.id)).where(
                ActivitySession.activity_id == activity_id
            )
        )
        or 0
    )


def attended_counts(activity_id: int) -> dict[int, int]:
    """application id -> sessions of the activity they were marked present at."""
    rows = db.session.execute(
        sa.select(Attendance.application_id, sa.func.count(Attendance.id))
        .join(ActivitySession, ActivitySession.id == Attendance.session_id)
        .where(ActivitySession.activity_id == activity_id, Attendance.present.is_(True))
        .group_by(Attendance.application_id)
    )
    return {application_id: int(count) for application_id, count in rows}


def percent(attended: int, sessions: int) -> Fraction:
    """Exact percentage: a Fraction, so 4 of 5 is exactly 80 and 79.9 is never rounded up."""
    return Fraction(100 * attended, sessions) if sessions else Fraction(0)


def earns_certificate(application: Application, share: Fraction) -> bool:
    """Whether the applicant has earned a certificate: the one rule, used everywhere.

    A staff decision (`certificate_eligible` True or False) wins; otherwise the attendance
    share must reach the activity's threshold (80% passes, 79.9% does not).
    """
    if application.certificate_eligible is not None:
        return application.certificate_eligible
    return share >= application.activity.certificate_threshold


@dataclass(frozen=True)
class ParticipantAttendance:
    application: Application
    attended: int
    sessions: int
    percent: Fraction
    eligible: bool


def summary(activity: Activity) -> list[ParticipantAttendance]:
    """Per participant: sessions attended, percentage, and certificate eligibility."""
    sessions = session_count(activity.id)
    counts = attended_counts(activity.id)
    rows = []
    for application in participants(activity):
        share = percent(counts.get(application.id, 0), sessions)
        rows.append(
            ParticipantAttendance(
                application,
                counts.get(application.id, 0),
                sessions,
                share,
                earns_certificate(application, share),
            )
        )
    return rows


def head_counts(activity: Activity) -> dict[int, int]:
    """session id -> participants marked present."""
    rows = db.session.execute(
        sa.select(Attendance.session_id, sa.func.count(Attendance.id))
        .join(ActivitySession, ActivitySession.id == Attendance.session_id)
        .where(ActivitySession.activity_id == activity.id, Attendance.present.is_(True))
        .group_by(Attendance.session_id)
    )
    return {session_id: int(count) for session_id, count in rows}


@dataclass
class ImportReport:
    marked: int = 0
    problems: list[str] = field(default_factory=list)


PRESENT = {"1", "x", "yes", "y", "present", "p", "true"}
ABSENT = {"0", "", "no", "n", "absent", "a", "false", "-"}


def import_tally(activity: Activity, text: str, *, by: StaffUser | None) -> ImportReport:
    """Import a tally typed from a scanned sheet: one row per participant, one column per session.

    The first column is the application reference; each other column is headed by a
    session's start in the activity's timezone ("2027-07-12 09:00"); cells say present
    (1, x, yes) or absent (0, empty, no). Every row is checked first: with any problem,
    nothing is imported (ImportRefused lists the problems with their line numbers).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportRefused(["The file is empty."])
    header, *body = rows
    by_start = {
        s.starts_at.astimezone(activity.zone).strftime("%Y-%m-%d %H:%M"): s
        for s in activity.sessions
    }
    problems: list[str] = []
    columns: list[ActivitySession | None] = [None]
    for label in header[1:]:
        found = by_start.get(_normalise_moment(label))
        if found is None:
            problems.append(f"Line 1: no session starts at {label.strip()!r}.")
        elif (refusal := why_no_marks(found)) is not None:
            problems.append(f"Line 1, {label.strip()}: {refusal}")
        columns.append(found)
    people = {a.reference: a for a in participants(activity)}
    planned: list[tuple[Application, ActivitySession, bool]] = []
    for number, row in enumerate(body, start=2):
        application = people.get(row[0].strip()) if row else None
        if application is None:
            problems.append(f"Line {number}: {row[0].strip()!r} is not a confirmed participant.")
            continue
        for column, cell in enumerate(row[1:], start=1):
            value = cell.strip().lower()
            session = columns[column] if column < len(columns) else None
            if session is None:
                if value:
                    problems.append(f"Line {number}: a mark in a column without a session.")
                continue
            if value in PRESENT:
                planned.append((application, session, True))
            elif value in ABSENT:
                planned.append((application, session, False))
            else:
                problems.append(f"Line {number}: {cell.strip()!r} is neither present nor absent.")
    if problems:
        raise ImportRefused(problems)
    for application, session, present in planned:
        mark(application, session, present=present, by=by)
    return ImportReport(marked=len(planned))


def _normalise_moment(label: str) -> str:
    text = label.strip().replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            return datetime.strptime(text, pattern).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            continue
    return text
