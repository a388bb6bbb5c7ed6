"""The follow-up form: a second set of questions accepted participants answer before they
come (travel, passport, arrival, diet), by its own deadline; staff see who has not."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import gettext as _

from ..emails import queue_email
from ..extensions import db
from ..models import PLACE_HOLDING, Activity, Application, StaffUser, utcnow
from ..models.questions import Answer, FormKind, Question
from ..questions import QuestionView
from . import audit
from .answering import Checked, correct_answers
from .correspondence import email_context, local_date
from .errors import DomainError
from .questions import views_of

FORM = FormKind.FOLLOW_UP


class FollowUpClosed(DomainError):
    """The follow-up form is not open to this application (now)."""


def deadline(activity: Activity) -> datetime | None:
    """The last moment to answer: the end of `follow_up_by` in the activity's timezone."""
    if activity.follow_up_by is None:
        return None
    return datetime.combine(activity.follow_up_by, time(23, 59, 59), activity.zone)


def questions(activity: Activity) -> tuple[QuestionView, ...]:
    """The follow-up form's questions, in order."""
    return views_of(activity, FORM)


def is_open(application: Application, now: datetime) -> bool:
    """Whether this applicant may answer the follow-up form now: holding a place, before
    the deadline, and the activity asks something."""
    closes = deadline(application.activity)
    return (
        application.status in PLACE_HOLDING
        and (closes is None or now <= closes)
        and bool(questions(application.activity))
    )


def save_answers(
    application: Application,
    asked: Sequence[QuestionView],
    checked: Checked,
    *,
    now: datetime,
) -> None:
    """Store (or replace) the follow-up answers; refuses with FollowUpClosed when the form
    is not open to the applicant, and as the questions refuse an answer."""
    if not is_open(application, now):
        raise FollowUpClosed(
            _("The follow-up form is closed: please write to the contacts of the activity.")
        )
    correct_answers(application, asked, checked)
    audit.record("follow_up_answered", application, actor="applicant")


def set_deadline(activity: Activity, day: date | None, *, by: StaffUser) -> None:
    """Set (or clear) the last day to answer the follow-up form."""
    activity.follow_up_by = day
    activity.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "follow_up_deadline_set", activity, by=by, after={"day": day.isoformat() if day else None}
    )


def unanswered() -> sa.ColumnElement[bool]:
    """SQL: the application has answered no follow-up question yet."""
    answered = (
        sa.select(Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.application_id == Application.id, Question.form == FORM)
    )
    return ~sa.exists(answered)


def not_answered(activity: Activity) -> list[Application]:
    """The applications holding a place that have answered no follow-up question yet."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(
                Application.activity_id == activity.id,
                Application.status.in_(PLACE_HOLDING),
                unanswered(),
            )
            .order_by(Application.family_name, Application.given_names)
        )
    )


def unanswered_by_activity(activity_ids: list[int]) -> dict[int, int]:
    """Per activity that asks follow-up questions, how many applications holding a place
    have answered none yet (as `not_answered` lists them), in one statement."""
    if not activity_ids:
        return {}
    asks = (
        sa.select(Question.activity_id)
        .where(Question.activity_id.in_(activity_ids), Question.form == FORM)
        .distinct()
        .subquery()
    )
    answered = (
        sa.select(Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.application_id == Application.id, Question.form == FORM)
    )
    rows = db.session.execute(
        sa.select(asks.c.activity_id, sa.func.count(Application.id))
        .select_from(asks)
        .outerjoin(
            Application,
            sa.and_(
                Application.activity_id == asks.c.activity_id,
                Application.status.in_(PLACE_HOLDING),
                ~sa.exists(answered),
            ),
        )
        .group_by(asks.c.activity_id)
    ).all()
    return {activity_id: int(number) for activity_id, number in rows}


def remind(activity: Activity, *, by: StaffUser, now: datetime) -> int:
    """Email everyone who has not answered yet a reminder with their link and the deadline;
    returns how many. Refuses when the form asks nothing or its deadline has passed."""
    closes = deadline(activity)
    if not questions(activity):
        raise FollowUpClosed("The follow-up form asks nothing yet: add its questions first.")
    if closes is not None and now > closes:
        raise FollowUpClosed("The follow-up form's deadline has passed.")
    waiting = not_answered(activity)
    for application in waiting:
        queue_reminder(application)
    audit.record("follow_up_reminded", activity, by=by, after={"count": len(waiting)})
    return len(waiting)


def queue_reminder(application: Application) -> None:
    """Queue the email asking one applicant to answer the follow-up form (their private
    link and the deadline, in their language). Staff send it from the back office; the
    worker sends it once on its own as the deadline comes near (services/deadlines.py)."""
    activity = application.activity
    queue_email(
        "follow_up_reminder",
        to=application.email,
        application=application,
        local_follow_up_by=(
            local_date(activity.follow_up_by, application.language) if activity.follow_up_by else ""
        ),
        **email_context(application),
    )
