"""The worker killed mid-batch and restarted: every email arrives, none is lost."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventreg.emails import queue_email
from eventreg.extensions import db as database
from eventreg.models import EmailOutbox, OutboxStatus

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 300


def start_worker(app, sink_port: int, log: Path) -> subprocess.Popen:
    url = database.engine.url.render_as_string(hide_password=False)
    env = {
        **os.environ,
        "EVENTREG_DATABASE_URL": url,
        "EVENTREG_SECRET_KEY": "test-only",
        "EVENTREG_MAIL_SERVER": "127.0.0.1",
        "EVENTREG_MAIL_PORT": str(sink_port),
        "EVENTREG_MAIL_CLAIM_STALE_SECONDS": "2",
        "EVENTREG_MAIL_RETRY_BASE_SECONDS": "0",
        "EVENTREG_JOBS_SQLITE_PATH": app.config["JOBS_SQLITE_PATH"],
        "EVENTREG_LOG_LEVEL": "WARNING",
    }
    with log.open("ab") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "eventreg",
                "worker",
                "--interval",
                "0.2",
                "--batch",
                "50",
                "--no-jobs",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=handle,
            start_new_session=True,
        )


def sent_count() -> int:
    database.session.expire_all()
    return (
        database.session.scalar(
            sa.select(sa.func.count(EmailOutbox.id)).where(EmailOutbox.status == OutboxStatus.SENT)
        )
        or 0
    )


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def queued(db, make_activity):
    activity = make_activity()
    for n in range(MESSAGES):
        queue_email(
            "message", activity=activity, to=f"p{n}@example.net", subject=f"N{n}", body="Hello"
        )
    db.session.commit()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_worker_killed_mid_batch_and_restarted_delivers_everything(
    app, queued, smtp, how, tmp_path
):
    log = tmp_path / "worker.log"
    worker = start_worker(app, smtp.port, log)
    try:
        assert wait_until(lambda: sent_count() >= 40, 60), log.read_text()
        os.killpg(worker.pid, how)
        worker.wait(20)
        stopped_at = sent_count()
        assert stopped_at < MESSAGES, "the worker finished before it could be stopped"
        worker = start_worker(app, smtp.port, log)
        assert wait_until(lambda: sent_count() == MESSAGES, 90), log.read_text()
        assert wait_until(lambda: len(smtp.messages) >= MESSAGES, 10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
    arrived = collections.Counter(m.message["Subject"] for m in smtp.messages)
    assert set(arrived) == {f"N{n}" for n in range(MESSAGES)}  # nothing lost
    repeated = {subject: n for subject, n in arrived.items() if n > 1}
    if how == signal.SIGTERM:
        # A graceful stop finishes the message in hand: exactly once.
        assert repeated == {}
    else:
        # A hard kill between the server's "250 OK" and our commit can repeat that one
        # message; it then carries the same Message-ID, so mail systems see one message.
        assert len(repeated) <= 1 and all(n == 2 for n in repeated.values())
        for subject in repeated:
            ids = {
                m.message["Message-ID"] for m in smtp.messages if m.message["Subject"] == subject
            }
            assert len(ids) == 1
