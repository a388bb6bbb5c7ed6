"""The trainer's "My sessions": today's sessions, then each activity's, a page at a time."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..auth.access import TEAM
from ..extensions import db
from ..models import Activity, ActivitySession, StaffAssignment, StaffUser

PER_PAGE = 10
# An activity that ended longer ago than this is listed under "Earlier", without sessions.
RECENT = timedelta(days=60)

Entry = tuple[ActivitySession, bool]  # a session, and whether this trainer trains in it


@dataclass(frozen=True)
class Course:
    """One activity's sessions on one page: `entries` are numbers `first` to `last` of `total`."""

    activity: Activity
    entries: list[Entry]
    page: int
    pages: int
    first: int
    total: int

    @property
    def last(self) -> int:
        return self.first + len(self.entries) - 1


@dataclass(frozen=True)
class Schedule:
    today: list[Entry]
    courses: list[Course]
    earlier: list[Activity]


def activities_of(user: StaffUser) -> list[Activity]:
    """The activities the user works on as any team member (an admin: all), by start."""
    query = sa.select(Activity).order_by(Activity.starts_at)
    if not user.is_admin:
        query = query.where(
            Activity.id.in_(
                sa.select(StaffAssignment.activity_id).where(
                    StaffAssignment.staff_user_id == user.id,
                    StaffAssignment.role.in_(TEAM),
                )
            )
        )
    return list(db.session.scalars(query))


def course_page(
    activity: Activity, sessions: Sequence[Entry], *, now: datetime, page: int | None
) -> Course:
    """The asked page of the activity's sessions; by default the one with the next session."""
    pages = max(1, math.ceil(len(sessions) / PER_PAGE))
    if page is None:
        upcoming = next((i for i, (s, _) in enumerate(sessions) if s.ends_at > now), None)
        page = pages if upcoming is None else upcoming // PER_PAGE + 1
    page = min(max(page, 1), pages)
    start = (page - 1) * PER_PAGE
    return Course(
        activity=activity,
        entries=list(sessions[start : start + PER_PAGE]),
        page=page,
        pages=pages,
        first=start + 1,
        total=len(sessions),
    )


def schedule(
    user: StaffUser, *, now: datetime, paged: int | None = None, page: int | None = None
) -> Schedule:
    """What the trainer's start page shows; `page` applies to the activity `paged` only."""
    today: list[Entry] = []
    courses: list[Course] = []
    earlier: list[Activity] = []
    for activity in activities_of(user):
        if activity.ends_at < now - RECENT or not activity.sessions:
            earlier.append(activity)
            continue
        local_today = now.astimezone(activity.zone).date()
        sessions = sorted(
            ((session, user in session.trainers) for session in activity.sessions),
            key=lambda entry: entry[0].starts_at,
        )
        today.extend(entry for entry in sessions if entry[0].local_start.date() == local_today)
        asked = page if paged == activity.id else None
        courses.append(course_page(activity, sessions, now=now, page=asked))
    today.sort(key=lambda entry: entry[0].starts_at)
    earlier.reverse()  # the most recent first
    return Schedule(today=today, courses=courses, earlier=earlier)
