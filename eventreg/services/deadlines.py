"""What happens when a date passes: offers that lapse, reminders before dates, and
participants marked as having attended once the activity ends.

An accepted applicant who has not confirmed by the end of the confirm-by day (in the
activity's timezone) lapses, and the place goes to the first on the waiting list at once
(`decisions.offer_freed_places`). Reminders go before: the confirm-by date, a payment due
as the activity comes near, the first session tomorrow (with the .ics), an evaluation not
yet answered. Each reminder goes at most once per application and kind (a `Reminder` row,
unique), through the outbox, in the applicant's language, and is recorded in the history.

`process_activity` does one activity under its row lock, so two workers running at the
same moment take turns: the second finds the places already lapsed and the reminders
already recorded, and does nothing twice. The worker commits after each activity.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..emails import Attachment, queue_email
from ..extensions import db
from ..models import (
    PLACE_HOLDING,
    Activity,
    ActivitySession,
    ActivityStatus,
    Application,
    ApplicationStatus,
    EvaluationInvitation,
    Reminder,
    ReminderKind,
)
from ..models.money import amount_due_sql
from . import attendance, audit, followup
from .applicant import response_deadline
from .correspondence import calendar_for, email_context, local_date
from .decisions import offer_freed_places
from .lifecycle import change_status, lock_activity

Status = ApplicationStatus

REMINDER_ACTION = "application.reminder_sent"

# How long after an activity ends its evaluation reminders may still go.
EVALUATION_WINDOW = timedelta(days=30)


def activities_to_process(now: datetime) -> list[int]:
    """The activities where something may be due: published or closed, not long over."""
    return list(
        db.session.scalars(
            sa.select(Activity.id)
            .where(
                Activity.status.in_((ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)),
                Activity.ends_at > now - EVALUATION_WINDOW,
            )
            .order_by(Activity.id)
        )
    )


def process_activity(activity_id: int, *, now: datetime) -> tuple[list[Application], int]:
    """Lapse the overdue offers of one activity, offer their places, send what reminders are
    due; return (the applications that lapsed, the number of reminders queued). Flushes."""
    activity = lock_activity(activity_id)
    lapsed = lapse_overdue(activity, now=now)
    if lapsed:
        offer_freed_places(activity.id, now=now)
    if now >= activity.ends_at:
        record_attendance(activity, now=now)
    return lapsed, send_reminders(activity, now=now)


def record_attendance(activity: Activity, *, now: datetime) -> list[Application]:
    """Once the activity has ended, mark as ATTENDED each confirmed participant who reached
    the attendance the certificate asks (or whom staff declared eligible); return them."""
    attended = [
        row.application
        for row in attendance.summary(activity)
        if row.eligible and row.application.status == Status.CONFIRMED
    ]
    for application in attended:
        change_status(
            application,
            Status.ATTENDED,
            actor="system",
            note="Attendance reached the certificate's threshold",
            now=now,
        )
    return attended


def lapse_overdue(activity: Activity, *, now: datetime) -> list[Application]:
    """Move each accepted application whose confirm-by day has ended to LAPSED (with its
    email); the caller holds the activity's lock and offers the places."""
    candidates = db.session.scalars(
        sa.select(Application)
        .where(
            Application.activity_id == activity.id,
            Application.status == Status.ACCEPTED,
            Application.confirm_by.is_not(None),
            Application.confirm_by < now.date() + timedelta(days=1),
        )
        .order_by(Application.number)
    ).all()
    lapsed = []
    for application in candidates:
        deadline = response_deadline(application)
        if deadline is not None and now > deadline:
            change_status(
                application,
                Status.LAPSED,
                actor="system",
                note="Not confirmed by the confirm-by date",
                now=now,
            )
            lapsed.append(application)
    return lapsed


def send_reminders(activity: Activity, *, now: datetime) -> int:
    """Queue every reminder due in this activity that was not sent before; return how many."""
    config = current_app.config
    today = now.astimezone(activity.zone).date()
    due: list[tuple[ReminderKind, sa.ColumnElement[bool]]] = [
        (
            ReminderKind.CONFIRM_BY,
            sa.and_(
                Application.status == Status.ACCEPTED,
                Application.confirm_by.is_not(None),
                Application.confirm_by >= today,
                Application.confirm_by <= today + timedelta(days=config["CONFIRM_REMINDER_DAYS"]),
            ),
        ),
    ]
    days_to_start = activity.starts_at - now
    if timedelta(0) < days_to_start <= timedelta(days=config["PAYMENT_REMINDER_DAYS"]):
        due.append(
            (
                ReminderKind.PAYMENT_DUE,
                sa.and_(
                    Application.status.in_(PLACE_HOLDING),
                    amount_due_sql(activity.fee_total) > 0,
                ),
            )
        )
    first = first_session_start(activity)
    if first.astimezone(activity.zone).date() == today + timedelta(days=1):
        due.append((ReminderKind.FIRST_SESSION, Application.status == Status.CONFIRMED))
    unanswered = (
        sa.select(EvaluationInvitation.id)
        .where(
            EvaluationInvitation.application_id == Application.id,
            EvaluationInvitation.used_at.is_(None),
            EvaluationInvitation.sent_at
            <= now - timedelta(days=config["EVALUATION_REMINDER_DAYS"]),
        )
        .exists()
    )
    due.append((ReminderKind.EVALUATION, unanswered))
    follow_up_by = activity.follow_up_by
    if (
        follow_up_by is not None
        and today <= follow_up_by <= today + timedelta(days=config["FOLLOW_UP_REMINDER_DAYS"])
        and followup.questions(activity)
    ):
        due.append(
            (
                ReminderKind.FOLLOW_UP,
                sa.and_(Application.status.in_(PLACE_HOLDING), followup.unanswered()),
            )
        )
    sent = 0
    for kind, condition in due:
        already = (
            sa.select(Reminder.id)
            .where(Reminder.application_id == Application.id, Reminder.kind == kind)
            .exists()
        )
        for application in db.session.scalars(
            sa.select(Application)
            .where(Application.activity_id == activity.id, condition, ~already)
            .order_by(Application.number)
        ):
            remind(application, kind, now=now)
            sent += 1
    return sent


def first_session_start(activity: Activity) -> datetime:
    """When the first session starts (the activity's start when it has no sessions)."""
    first = db.session.scalar(
        sa.select(sa.func.min(ActivitySession.starts_at)).where(
            ActivitySession.activity_id == activity.id
        )
    )
    return first if first is not None else activity.starts_at


def remind(application: Application, kind: ReminderKind, *, now: datetime) -> None:
    """Record and queue one reminder, in the applicant's language, and note it in the history."""
    db.session.add(Reminder(application_id=application.id, kind=kind, sent_at=now))
    audit.record(REMINDER_ACTION, application, actor="system", after={"kind": kind.value})
    if kind is ReminderKind.FOLLOW_UP:
        followup.queue_reminder(application)
        return
    attachments: list[Attachment] = []
    if kind is ReminderKind.FIRST_SESSION:
        attachments.append(calendar_for(application.activity, application.language))
    context = email_context(application)
    first = first_session_start(application.activity)
    queue_email(
        "reminder",
        to=application.email,
        application=application,
        attachments=attachments,
        kind=kind.value,
        local_first_day=local_date(
            first.astimezone(application.activity.zone).date(), application.language
        ),
        local_first_time=first.astimezone(application.activity.zone).strftime("%H:%M"),
        evaluation_links=_evaluation_links(application) if kind is ReminderKind.EVALUATION else [],
        **context,
    )


def _evaluation_links(application: Application) -> list[str]:
    base = current_app.config["BASE_URL"].rstrip("/")
    tokens = db.session.scalars(
        sa.select(EvaluationInvitation.token).where(
            EvaluationInvitation.application_id == application.id,
            EvaluationInvitation.used_at.is_(None),
        )
    )
    return [f"{base}/evaluate/{token}" for token in tokens]
