"""Background jobs: recorded with the request, run by a worker, progress visible, failures kept."""

from __future__ import annotations

import socket
import uuid

import pytest

from eventreg import files, jobs
from eventreg.models import Job, JobStatus

from .conftest import make_test_app

# How many times each job id was run by count_job: a job delivered twice must run once.
RUNS: dict[int, int] = {}


@jobs.job("test.count")
def count_job(job: Job, progress: jobs.Progress, *, upto: int, fail_at: int = -1) -> jobs.JobResult:
    """Counts to `upto`, reporting progress; writes the count to a file."""
    RUNS[job.id] = RUNS.get(job.id, 0) + 1
    for n in range(1, upto + 1):
        if n == fail_at:
            raise ValueError(f"stopped at {n}")
        progress(n, upto, f"counted {n}")
    return jobs.JobResult(data=str(upto).encode(), name="count.txt", message=f"counted to {upto}")


def test_a_submitted_job_waits_for_a_worker_then_runs_with_progress(app, db):
    record = jobs.submit("test.count", params={"upto": 5})
    db.session.commit()
    assert record.status == JobStatus.QUEUED
    assert jobs.run_pending() == 1
    db.session.refresh(record)
    assert record.status == JobStatus.DONE
    assert (record.done, record.total, record.percent) == (5, 5, 100)
    assert record.message == "counted to 5"
    assert files.store().read(record.result_path) == b"5"
    assert jobs.run_pending() == 0


def test_a_failing_job_is_recorded_with_its_error(app, db):
    record = jobs.submit("test.count", params={"upto": 10, "fail_at": 4})
    db.session.commit()
    jobs.run_pending()
    db.session.refresh(record)
    assert record.status == JobStatus.FAILED
    assert "stopped at 4" in record.error
    assert record.done == 3  # the progress it made before failing was kept


def test_a_job_delivered_twice_runs_once(app, db):
    RUNS.clear()  # job ids start again in each test's database
    record = jobs.submit("test.count", params={"upto": 2})
    db.session.commit()
    jobs.execute(record.id)
    jobs.execute(record.id)  # a duplicate queue message
    db.session.refresh(record)
    assert record.status == JobStatus.DONE
    assert RUNS[record.id] == 1


def test_unknown_job_kinds_are_refused(db):
    with pytest.raises(KeyError):
        jobs.submit("no.such.kind")


def test_the_cli_shows_a_jobs_progress(app, db):
    record = jobs.submit("test.count", params={"upto": 3})
    db.session.commit()
    runner = app.test_cli_runner()
    assert "queued" in runner.invoke(args=["jobs", "list"]).output
    jobs.run_pending()
    shown = runner.invoke(args=["jobs", "show", str(record.id), "--wait"])
    assert shown.exit_code == 0, shown.output
    assert "done 100% counted to 3" in shown.output


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_jobs_travel_through_redis_when_it_is_configured(tmp_path, db):
    from eventreg.extensions import db as database

    redis_app = make_test_app(
        tmp_path,
        DATABASE_URL=str(database.engine.url.render_as_string(hide_password=False)),
        JOBS_BACKEND=None,
        REDIS_URL="redis://127.0.0.1:6379/0",
        JOBS_QUEUE_NAME=f"eventreg-test-{uuid.uuid4().hex[:8]}",
    )
    with redis_app.app_context():
        queue = jobs.queue_for(redis_app)
        assert type(queue.huey).__name__ == "RedisHuey"
        record = jobs.submit("test.count", params={"upto": 2})
        database.session.commit()
        assert jobs.dispatch_waiting() == 1
        assert queue.huey.pending_count() == 1
        assert jobs.run_pending() == 1
        database.session.refresh(record)
        assert record.status == JobStatus.DONE
        queue.huey.flush()
        database.session.remove()
        database.engine.dispose()


def test_a_queue_message_naming_an_unknown_task_is_logged_and_dropped(app, db, caplog):
    # A message left by an older or newer release names a task this worker does not know.
    queue = jobs.queue_for(app)
    stranger = queue.huey.task(name="eventreg.retired_task")(lambda: None)
    stranger()
    queue.huey._registry.unregister(stranger.task_class)
    record = jobs.submit("test.count", params={"upto": 1})
    db.session.commit()
    with caplog.at_level("WARNING", logger="eventreg.jobs"):
        jobs.run_pending()
    assert "eventreg.retired_task" in caplog.text
    assert queue.huey.pending_count() == 0  # dropped, not left to crash the next pass
    db.session.refresh(record)
    assert record.status == JobStatus.DONE  # the worker went on with the real work


def test_a_jobs_file_is_removed_once_its_days_are_up(app, db, monkeypatch, sign_in_as):
    """Exports and certificate ZIPs hold people's data: the retention run removes a job's
    file JOB_RESULTS_KEEP_DAYS after the job finished (one finished since stays), and the
    job's page says so instead of offering a download that is gone."""
    from datetime import timedelta

    from eventreg import clock, worker
    from eventreg.models import Role

    admin = sign_in_as(Role.ADMIN)
    old, recent = (jobs.submit("test.count", params={"upto": n}) for n in (2, 3))
    db.session.commit()
    jobs.run_pending()
    db.session.refresh(old)
    db.session.refresh(recent)
    old_file, recent_file = old.result_path, recent.result_path
    keep = app.config["JOB_RESULTS_KEEP_DAYS"]
    recent.finished_at = old.finished_at + timedelta(days=2)
    db.session.commit()

    monkeypatch.setattr(clock, "now", lambda: old.finished_at + timedelta(days=keep - 1))
    worker.run_retention()
    assert files.store().read(old_file) == b"2"  # not yet
    monkeypatch.setattr(clock, "now", lambda: old.finished_at + timedelta(days=keep + 1))
    worker.run_retention()
    worker.run_retention()  # twice: nothing more to do

    with pytest.raises(files.MissingFile):
        files.store().read(old_file)
    assert files.store().read(recent_file) == b"3"
    db.session.expire_all()
    assert old.result_path is None and recent.result_path == recent_file
    page = admin.get(f"/staff/jobs/{old.id}").text
    assert f"removed {keep} days after the job finished" in page
    assert f"/staff/jobs/{old.id}/download" not in page
    assert admin.get(f"/staff/jobs/{old.id}/download").status_code == 404
    assert f"/staff/jobs/{recent.id}/download" in admin.get(f"/staff/jobs/{recent.id}").text
