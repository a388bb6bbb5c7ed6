"""Retention: what is erased automatically, and when, after an activity ends.

Each activity keeps applicants who did not take part `keep_others_days` and participants
`keep_participants_days` after its end (None: the organisation's RETENTION_* settings). A
question may keep its answers a shorter time (`settings["keep_days"]`, e.g. a passport
number). The worker runs `run_retention` on the deadlines' interval; admins see `due()` as a
preview and may put a person on hold (`hold`), which the job respects. It also removes the
files of background jobs (exports, certificate ZIPs) JOB_RESULTS_KEEP_DAYS after they were
made (`remove_job_results`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from .. import files
from ..extensions import db
from ..models import TAKING_PART, Activity, Answer, Application, Job, Question, StaffUser
from . import audit, erasure
from .errors import DomainError


class HoldRefused(DomainError):
    """A hold needs a reason, and an erased person cannot be held."""


@dataclass
class Due:
    """What the next run erases: whole applications, and single answers."""

    applications: list[Application] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    held: list[Application] = field(default_factory=list)


def keep_days(activity: Activity, *, participant: bool) -> int:
    """Days after the end this activity keeps a participant's or another applicant's data."""
    if participant:
        own, setting = activity.keep_participants_days, "RETENTION_PARTICIPANTS_DAYS"
    else:
        own, setting = activity.keep_others_days, "RETENTION_OTHERS_DAYS"
    return int(own if own is not None else current_app.config[setting])


def erase_after(application: Application) -> datetime:
    """The moment from which the retention job erases this application."""
    participant = application.status in TAKING_PART
    days = keep_days(application.activity, participant=participant)
    return application.activity.ends_at + timedelta(days=days)


def due(now: datetime) -> Due:
    """What a run at `now` erases, and who is kept only by a hold."""
    result = Due()
    # Activity by activity, so only what is due is loaded (not every past application).
    for activity in db.session.scalars(
        sa.select(Activity).where(Activity.ends_at < now).order_by(Activity.ends_at)
    ):
        groups = []
        for participant in (False, True):
            if (
                activity.ends_at + timedelta(days=keep_days(activity, participant=participant))
                <= now
            ):
                taking_part = Application.status.in_(TAKING_PART)
                groups.append(taking_part if participant else sa.not_(taking_part))
        if not groups:
            continue
        for application in db.session.scalars(
            sa.select(Application)
            .where(
                Application.activity_id == activity.id,
                Application.erased_at.is_(None),
                sa.or_(*groups),
            )
            .order_by(Application.id)
        ):
            (result.held if application.retention_hold else result.applications).append(application)
    rows = db.session.execute(
        sa.select(Answer, Question, Activity)
        .join(Question, Question.id == Answer.question_id)
        .join(Activity, Activity.id == Question.activity_id)
        .join(Application, Application.id == Answer.application_id)
        .where(Activity.ends_at < now, Answer.shown != "", Application.erased_at.is_(None))
        .where(Application.retention_hold == "")
        .order_by(Answer.id)
    ).all()
    for answer, question, activity in rows:
        days = (question.settings or {}).get("keep_days")
        if isinstance(days, int) and activity.ends_at + timedelta(days=days) <= now:
            result.answers.append(answer)
    return result


def run_retention(now: datetime) -> tuple[int, int]:
    """Erase what is due at `now`; returns (applications erased, answers erased).

    Each application is erased in its own transaction (commits), so one failure does not
    stop the rest; a second worker running at once skips what the first has erased.
    """
    plan = due(now)
    answer_ids = [answer.id for answer in plan.answers]
    application_ids = [application.id for application in plan.applications]
    erased = 0
    for application_id in application_ids:
        application = db.session.get(Application, application_id)
        if application is None:
            continue
        note = f"Retention: kept until {erase_after(application).date().isoformat()}."
        erased += len(erasure.erase([application], actor="retention", reason=note))
        db.session.commit()
    answers = erase_answers(answer_ids)
    db.session.commit()
    return erased, answers


def remove_job_results(now: datetime) -> int:
    """Remove the files of the jobs that finished more than JOB_RESULTS_KEEP_DAYS before
    `now` (the job stays, and its page says so); returns how many. Commits."""
    keep = timedelta(days=int(current_app.config["JOB_RESULTS_KEEP_DAYS"]))
    done = db.session.scalars(
        sa.select(Job).where(Job.result_path.is_not(None), Job.finished_at < now - keep)
    ).all()
    for record in done:
        files.discard(record.result_path)  # with the commit, so no job names a lost file
        record.result_path = None
    db.session.commit()
    return len(done)


def erase_answers(answer_ids: Sequence[int]) -> int:
    """Blank these answers (and remove files they name), each once; returns how many."""
    done = 0
    for answer in db.session.scalars(
        sa.select(Answer)
        .where(Answer.id.in_(list(answer_ids)), Answer.shown != "")
        .with_for_update()
        .execution_options(populate_existing=True)
    ):
        for key in files.keys_in(answer.value):
            files.store().delete(key)
        label = answer.label
        answer.value, answer.shown = None, ""
        audit.record("answer.erased", answer, actor="retention", note=label, flush=False)
        done += 1
    db.session.flush()
    return done


def hold(application: Application, *, reason: str, by: StaffUser) -> None:
    """Keep this person's data past retention (a legal reason); refuses an empty reason."""
    reason = reason.strip()
    if not reason:
        raise HoldRefused("Say why the data must be kept.", field="reason")
    if application.erased_at is not None:
        raise HoldRefused("This person's data is already erased.")
    audit.record(
        "retention.hold",
        application,
        by=by,
        before={"retention_hold": application.retention_hold},
        after={"retention_hold": reason},
    )
    application.retention_hold = reason
    db.session.flush()


def release(application: Application, *, by: StaffUser) -> None:
    """Lift a hold: the next run erases the person when their time has come."""
    audit.record("retention.released", application, by=by, note=application.retention_hold)
    application.retention_hold = ""
    db.session.flush()
