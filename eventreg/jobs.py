"""Background jobs: a Job row that pages and the CLI read for progress, carried by huey.

The queue is huey's: a SQLite file in instance/ by default, Redis when REDIS_URL is set
(several machines). The Job row, not the queue, is the record: a job whose queue message
was lost (Redis restarted, the enqueue failed) is dispatched again by the next worker pass.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.exceptions import HueyException

from . import files
from .extensions import db
from .models import Job, JobStatus, StaffUser, utcnow
from .worker import worker_name

log = logging.getLogger("eventreg.jobs")


@dataclass(frozen=True)
class JobResult:
    """A file a job produced (its bytes and name), for staff to download, and a line saying
    what it did. The file goes to the file store, where every node can serve it."""

    data: bytes | None = None
    name: str | None = None
    message: str = ""


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


JobFunction = Callable[..., JobResult | None]
REGISTRY: dict[str, JobFunction] = {}


def job(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register `fn(job, progress, **params)` as the code behind jobs of this kind."""

    def register(fn: JobFunction) -> JobFunction:
        REGISTRY[kind] = fn
        return fn

    return register


def submit(
    kind: str,
    *,
    params: dict[str, Any] | None = None,
    activity_id: int | None = None,
    by: StaffUser | None = None,
) -> Job:
    """Record a job in the caller's transaction; a worker picks it up once that commits.

    Refuses (KeyError) a kind nobody registered. Nothing runs inside the request.
    """
    if kind not in REGISTRY:
        raise KeyError(f"no job kind {kind!r}")
    record = Job(
        kind=kind,
        params=params or {},
        activity_id=activity_id,
        created_by_id=by.id if by is not None else None,
        message="waiting for a worker",
    )
    db.session.add(record)
    db.session.flush()
    return record


@dataclass(frozen=True)
class JobQueue:
    """A huey instance and the one task it carries: "run the job with this id"."""

    huey: Huey
    run_job: Any  # huey's TaskWrapper: calling it enqueues


def queue_for(app: Flask) -> JobQueue:
    """This app's job queue, made on first use."""
    queue = app.extensions.get("eventreg_jobs")
    if queue is None:
        huey = _make_queue(app)
        queue = JobQueue(huey=huey, run_job=huey.task(name="eventreg.run_job")(_run_job_task))
        app.extensions["eventreg_jobs"] = queue
    return queue


def _make_queue(app: Flask) -> Huey:
    backend = app.config.get("JOBS_BACKEND") or (
        "redis" if app.config.get("REDIS_URL") else "sqlite"
    )
    name = app.config.get("JOBS_QUEUE_NAME", "eventreg")
    if backend == "redis":
        return RedisHuey(name, url=app.config["REDIS_URL"], results=False)
    if backend == "memory":
        return MemoryHuey(name, results=False)
    path = app.config.get("JOBS_SQLITE_PATH") or os.path.join(
        app.instance_path, "jobs-queue.sqlite3"
    )
    return SqliteHuey(name, filename=path, results=False)


def _run_job_task(job_id: int) -> None:
    execute(job_id)


def dispatch_waiting(*, older_than_seconds: float = 60) -> int:
    """Put on the queue every job not dispatched yet, or dispatched long ago and never started."""
    now = utcnow()
    waiting = db.session.scalars(
        sa.select(Job).where(
            Job.status == JobStatus.QUEUED,
            sa.or_(
                Job.dispatched_at.is_(None),
                Job.dispatched_at < now - timedelta(seconds=older_than_seconds),
            ),
        )
    ).all()
    queue = queue_for(current_app._get_current_object())  # type: ignore[attr-defined]
    for record in waiting:
        queue.run_job(record.id)
        record.dispatched_at = now
    db.session.commit()
    return len(waiting)


def run_pending(*, limit: int = 5) -> int:
    """Dispatch waiting jobs, then run up to `limit` from the queue here; returns how many ran."""
    dispatch_waiting()
    huey = queue_for(current_app._get_current_object()).huey  # type: ignore[attr-defined]
    ran = 0
    while ran < limit:
        try:
            task = huey.dequeue()
        except HueyException as error:
            # A message naming a task this release does not know (left by an older or newer
            # one): it is already off the queue; say so and go on, never stop the worker.
            log.warning("dropped a queue message: %s", error)
            continue
        if task is None:
            break
        huey.execute(task)
        ran += 1
    return ran


def execute(job_id: int) -> None:
    """Run one job: claim it (only one worker can), report progress, record the outcome."""
    claimed = db.session.scalars(
        sa.update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow(), message="started")
        .returning(Job.id)
    ).first()
    db.session.commit()
    if not claimed:
        return  # already run or running elsewhere: the queue delivered it twice
    found = db.session.get(Job, job_id)
    assert found is not None
    record: Job = found
    function = REGISTRY.get(record.kind)
    # One line per run, whichever worker claimed it: operators (and tests) count them.
    log.info("job %s (%s) started in %s", job_id, record.kind, worker_name())

    def progress(done: int, total: int, message: str = "") -> None:
        # Commits: the page polling this job reads it from another connection.
        record.done, record.total = max(done, 0), max(total, 0)
        if message:
            record.message = message[:300]
        db.session.commit()

    try:
        if function is None:
            raise LookupError(f"no code registered for jobs of kind {record.kind!r}")
        result = function(record, progress, **record.params) or JobResult()
    except Exception as error:  # a job's failure is recorded, never lost in a log
        db.session.rollback()
        record = db.session.get(Job, job_id) or record
        record.status = JobStatus.FAILED
        record.error = "".join(traceback.format_exception_only(type(error), error)).strip()[:4000]
        record.message = "failed"
        record.finished_at = utcnow()
        db.session.commit()
        log.exception("job %s (%s) failed", job_id, record.kind)
        return
    record.status = JobStatus.DONE
    if result.data is not None:
        record.result_name = result.name or "result"
        record.result_path = f"jobs/{job_id}/{record.result_name}"
        files.store().save(record.result_path, result.data)
    record.message = result.message or "done"
    record.done = max(record.done, record.total)
    record.finished_at = utcnow()
    db.session.commit()
