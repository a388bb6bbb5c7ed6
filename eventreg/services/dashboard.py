"""The staff dashboard: what each person should do next, read in a fixed number of statements.

Every figure is counted for all the person's current activities at once (grouped by
activity), so the page costs the same with 5 activities or 50, 100 applications or 10,000.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from ..extensions import db
from ..models import (
    PLACE_HOLDING,
    Activity,
    ActivitySession,
    ActivityStatus,
    Application,
    ApplicationStatus,
    EmailOutbox,
    Job,
    JobStatus,
    OutboxStatus,
    Role,
    StaffAssignment,
    StaffUser,
    session_trainers,
)
from . import costshare, followup

# An activity stays on the to-do list this long after it ended (certificates, evaluation).
CURRENT_AFTER_END = timedelta(days=14)
OFFICE_ROLES = frozenset({Role.ACTIVITY_MANAGER, Role.COURSE_ASSISTANT})


@dataclass
class ActivityFigures:
    """What one current activity asks of the person: the office's figures if they run it."""

    activity: Activity
    roles: set[Role]
    runs_admissions: bool
    call_open: bool = False
    days_left: int = 0
    this_week: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    budget_granted: int = 0
    follow_up_unanswered: int | None = None  # None: the activity asks no follow-up question

    @property
    def new(self) -> int:
        return self.by_status[ApplicationStatus.SUBMITTED.value]

    @property
    def under_review(self) -> int:
        return self.by_status[ApplicationStatus.UNDER_REVIEW.value]

    @property
    def pending(self) -> int:
        return self.new + self.under_review

    @property
    def places_taken(self) -> int:
        return sum(self.by_status[status.value] for status in PLACE_HOLDING)

    @property
    def places_left(self) -> int:
        return max(self.activity.capacity - self.places_taken, 0)

    @property
    def waiting(self) -> int:
        return self.by_status[ApplicationStatus.WAITLISTED.value]

    @property
    def budget_percent(self) -> int:
        budget = self.activity.costshare_budget
        return round(100 * self.budget_granted / budget) if budget else 0

    @property
    def has_work(self) -> bool:
        """Whether anything here asks the office to act."""
        return bool(self.call_open or self.pending or self.waiting or self.follow_up_unanswered)


@dataclass(frozen=True)
class SessionSoon:
    session: ActivitySession
    day: date  # in the activity's timezone
    is_today: bool
    yours: bool


@dataclass
class Dashboard:
    """Everything the dashboard shows for one person."""

    activities: list[Activity]  # every activity they may open, newest first
    current: list[ActivityFigures]
    sessions: list[SessionSoon]
    jobs: list[Job]
    mail_failed: int | None  # None: not an admin, the outbox is not theirs to watch
    mail_retrying: int | None

    @property
    def office(self) -> list[ActivityFigures]:
        return [figures for figures in self.current if figures.runs_admissions]


def visible_activities(user: StaffUser) -> list[Activity]:
    """The activities the person may open: all for admins, else those they hold a role on."""
    query = sa.select(Activity).order_by(Activity.starts_at.desc())
    if not user.is_admin:
        query = query.where(
            Activity.id.in_(
                sa.select(StaffAssignment.activity_id).where(
                    StaffAssignment.staff_user_id == user.id
                )
            )
        )
    return list(db.session.scalars(query))


def is_current(activity: Activity, now: datetime) -> bool:
    """Not archived, and not ended more than a fortnight ago."""
    return (
        activity.status != ActivityStatus.ARCHIVED and activity.ends_at + CURRENT_AFTER_END >= now
    )


def days_left(activity: Activity, now: datetime) -> int:
    """Whole days until the deadline's day, counted in the activity's timezone (0: today)."""
    zone = activity.zone
    return (activity.deadline_at.astimezone(zone).date() - now.astimezone(zone).date()).days


def applications_by_status(activity_ids: list[int], *, since: datetime) -> dict[int, tuple]:
    """Per activity: its applications counted by status, and how many arrived `since`."""
    if not activity_ids:
        return {}
    recent = sa.func.sum(sa.case((Application.submitted_at >= since, 1), else_=0))
    rows = db.session.execute(
        sa.select(
            Application.activity_id,
            sa.cast(Application.status, sa.String),
            sa.func.count(),
            recent,
        )
        .where(Application.activity_id.in_(activity_ids))
        .group_by(Application.activity_id, Application.status)
    ).all()
    found: dict[int, tuple[Counter[str], int]] = {}
    for activity_id, status, number, arrived in rows:
        counts, week = found.get(activity_id, (Counter(), 0))
        counts[str(status)] += int(number)
        found[activity_id] = (counts, week + int(arrived or 0))
    return found


def upcoming_sessions(
    user: StaffUser, team_ids: list[int], office_ids: set[int], now: datetime
) -> list[SessionSoon]:
    """Today's and tomorrow's sessions (each in its activity's timezone): every session of
    an activity the person runs, and for a trainer the sessions they train."""
    if not team_ids:
        return []
    query = (
        sa.select(ActivitySession)
        .join(ActivitySession.activity)
        .options(contains_eager(ActivitySession.activity), selectinload(ActivitySession.trainers))
        .where(
            ActivitySession.activity_id.in_(team_ids),
            # A window wide enough for every timezone; the exact days are kept below.
            ActivitySession.starts_at >= now - timedelta(days=1),
            ActivitySession.starts_at < now + timedelta(days=3),
        )
        .order_by(ActivitySession.starts_at)
    )
    if not user.is_admin:
        theirs = sa.exists().where(
            session_trainers.c.session_id == ActivitySession.id,
            session_trainers.c.staff_user_id == user.id,
        )
        query = query.where(sa.or_(ActivitySession.activity_id.in_(office_ids or [-1]), theirs))
    found = []
    for session in db.session.scalars(query).unique():
        today = now.astimezone(session.activity.zone).date()
        day = session.local_start.date()
        if day in (today, today + timedelta(days=1)):
            yours = any(trainer.id == user.id for trainer in session.trainers)
            found.append(SessionSoon(session, day, day == today, yours))
    return found


def running_jobs(user: StaffUser) -> list[Job]:
    """Jobs queued or running: all of them for admins, else the person's own."""
    query = (
        sa.select(Job)
        .where(Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
        .order_by(Job.created_at.desc())
        .limit(20)
    )
    if not user.is_admin:
        query = query.where(Job.created_by_id == user.id)
    return list(db.session.scalars(query))


def mail_trouble() -> tuple[int, int]:
    """How many emails failed for good, and how many wait for another attempt."""
    counts = dict(
        db.session.execute(
            sa.select(EmailOutbox.status, sa.func.count())
            .where(EmailOutbox.status.in_([OutboxStatus.FAILED, OutboxStatus.RETRYING]))
            .group_by(EmailOutbox.status)
        ).all()
    )
    return counts.get(OutboxStatus.FAILED, 0), counts.get(OutboxStatus.RETRYING, 0)


def dashboard(user: StaffUser, *, now: datetime) -> Dashboard:
    """The person's dashboard at `now`: figures only for the activities and roles they hold."""
    activities = visible_activities(user)
    current = []
    for activity in activities:
        if not is_current(activity, now):
            continue
        roles = user.roles_for(activity.id)
        figures = ActivityFigures(activity, roles, runs_admissions=bool(roles & OFFICE_ROLES))
        if figures.runs_admissions and activity.is_open_for_applications(now):
            figures.call_open = True
            figures.days_left = days_left(activity, now)
        current.append(figures)
    current.sort(key=lambda figures: figures.activity.starts_at)
    office_ids = [figures.activity.id for figures in current if figures.runs_admissions]
    counted = applications_by_status(office_ids, since=now - timedelta(days=7))
    granted = costshare.granted_by_activity(office_ids)
    unanswered = followup.unanswered_by_activity(office_ids)
    for figures in current:
        counts, week = counted.get(figures.activity.id, (Counter(), 0))
        figures.by_status, figures.this_week = counts, week
        figures.budget_granted = granted.get(figures.activity.id, 0)
        figures.follow_up_unanswered = unanswered.get(figures.activity.id)
    failed, retrying = mail_trouble() if user.is_admin else (None, None)
    return Dashboard(
        activities=activities,
        current=current,
        sessions=upcoming_sessions(
            user, [figures.activity.id for figures in current], set(office_ids), now
        ),
        jobs=running_jobs(user),
        mail_failed=failed,
        mail_retrying=retrying,
    )
