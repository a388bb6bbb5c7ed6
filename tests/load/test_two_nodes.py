"""Two web nodes and two workers on one PostgreSQL database and Redis, as in production.

Two gunicorn nodes (deploy/gunicorn.conf.py) on two ports and two `flask worker`
processes share one PostgreSQL database, one Redis (database 9, queue and keys of this
run only) and a real SMTP sink. Applicants and staff use both nodes alternately: a form
fetched from one node is posted to the other. Then: no application or email lost or
doubled, each job run once although queued twice, a certificate ZIP made by a job on
one node downloaded from the other, a rate limit counted across both nodes, a staff
session valid on both and ended on both by sign-out. Bounded in time; skipped on SQLite
and without Redis.
"""

from __future__ import annotations

import collections
import http.cookiejar
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventreg.extensions import db as database
from eventreg.models import (
    Application,
    ApplicationStatus,
    EmailOutbox,
    Job,
    JobStatus,
    OutboxStatus,
    Role,
    StaffAssignment,
)

from ..conftest import PASSWORD
from ..mailsink import MailSink
from .processes import stop
from .test_concurrent_office import free_port, token

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/9"
APPLICANTS, CAPACITY, GRADUATES, RESET_LIMIT = 24, 8, 3, 4
TIME_LIMIT = 300


class Person:
    """A cookie-keeping HTTP client that may talk to either node."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.codes: list[int] = []

    def open(self, url: str, data: dict | None = None) -> tuple[int, str, bytes]:
        """(status, final URL, body); redirects are followed."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=60) as response:
                self.codes.append(response.status)
                return response.status, response.url, response.read()
        except urllib.error.HTTPError as error:
            self.codes.append(error.code)
            return error.code, url, error.read()


def redis_answers() -> bool:
    import redis

    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as handle:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=handle, start_new_session=True
        )


def wait_ready(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base} never became ready")


def application_form(page: str, n: int) -> dict[str, str]:
    form = {
        "csrf_token": token(page),
        "title": "Ms",
        "given_names": f"Node{n}",
        "family_name": "Twin",
        "gender": "female",
        "nationality": "GH",
        "country": "GH",
        "email": f"twin{n}@example.net",
        "email_confirm": f"twin{n}@example.net",
        "phone": "+233 30 2123456",
        "language": "en",
        "organisation": "Union",
        "organisation_type": "Other",
        "position": "Organiser",
        "proficiency": "advanced",
        "motivation": "To learn.",
        "payment_source": "self",
        "consent": "y",
    }
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page)
    if key:
        form["submission_key"] = key.group(1)
    return form


def test_two_nodes_and_two_workers_share_everything(app, db, factories, make_staff, tmp_path):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("two nodes share a PostgreSQL database (set EVENTREG_TEST_DATABASE_URL)")
    if not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    now = datetime.now(UTC)
    open_call = factories.activity(
        slug="twin-nodes",
        capacity=CAPACITY,
        opens_at=now - timedelta(days=1),
        deadline_at=now + timedelta(days=20),
    )
    factories.contact(open_call, email="assistant@example.org")
    ended = factories.activity(
        starts_at=now - timedelta(days=30), opens_at=now - timedelta(days=90),
        deadline_at=now - timedelta(days=60),
    )  # fmt: skip
    for n in range(GRADUATES):
        factories.application(
            ended, status=ApplicationStatus.ATTENDED, certificate_eligible=True,
            email=f"graduate{n}@example.net",
        )  # fmt: skip
    assistant = make_staff(Role.COURSE_ASSISTANT, open_call)
    database.session.add(
        StaffAssignment(
            staff_user_id=assistant.id, activity_id=ended.id, role=Role.COURSE_ASSISTANT
        )
    )
    open_id, ended_id, assistant_email = open_call.id, ended.id, assistant.email
    database.session.commit()

    sink = MailSink().start()
    run = uuid.uuid4().hex[:10]
    env = {
        **os.environ,
        "EVENTREG_DATABASE_URL": database.engine.url.render_as_string(hide_password=False),
        "EVENTREG_SECRET_KEY": f"two-nodes-{run}",
        "EVENTREG_REDIS_URL": REDIS_URL,
        "EVENTREG_JOBS_QUEUE_NAME": f"eventreg-two-nodes-{run}",
        "EVENTREG_RATELIMIT_KEY_PREFIX": f"two-nodes-{run}",
        # Every client here is 127.0.0.1: the applicants get room, the reset form does not.
        "EVENTREG_RATE_LIMITS": json.dumps(
            {"auth.reset_request": f"{RESET_LIMIT} per minute", "public.apply": "500 per minute"}
        ),
        "EVENTREG_MAIL_SERVER": "127.0.0.1",
        "EVENTREG_MAIL_PORT": str(sink.port),
        "EVENTREG_BASE_URL": "http://127.0.0.1",
        "EVENTREG_PDF_PROCESSES": "1",
        "EVENTREG_LOG_LEVEL": "INFO",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    ports = [free_port(), free_port()]
    nodes = [f"http://127.0.0.1:{port}" for port in ports]
    processes = [
        start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "deploy/gunicorn.conf.py",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "eventreg:create_app()",
            ],
            env,
            tmp_path / f"node{i}.log",
        )  # fmt: skip
        for i, port in enumerate(ports)
    ]
    processes += [
        start(
            [sys.executable, "-m", "flask", "--app", "eventreg", "worker", "--interval", "0.3"],
            env,
            tmp_path / f"worker{i}.log",
        )  # fmt: skip
        for i in range(2)
    ]
    deadline = time.monotonic() + TIME_LIMIT
    people: list[Person] = []
    try:
        for node in nodes:
            wait_ready(node, deadline)

        # A staff session made on one node is valid on the other.
        office = Person()
        people.append(office)
        _, _, page = office.open(nodes[0] + "/staff/sign-in")
        status, landed, _ = office.open(
            nodes[0] + "/staff/sign-in",
            {"email": assistant_email, "password": PASSWORD, "csrf_token": token(page.decode())},
        )
        assert status == 200 and "/sign-in" not in landed
        for node in nodes:
            status, landed, _ = office.open(node + f"/staff/activities/{open_id}/applications")
            assert status == 200 and "/sign-in" not in landed, (node, landed)

        # Applicants: the form from one node, posted to the other; some click twice.
        errors: list[BaseException] = []

        def applicant(n: int) -> None:
            try:
                person = Person()
                people.append(person)
                _, _, page = person.open(nodes[n % 2] + "/activities/twin-nodes/apply")
                form = application_form(page.decode(), n)
                person.open(nodes[(n + 1) % 2] + "/activities/twin-nodes/apply", form)
                if n % 5 == 0:
                    person.open(nodes[n % 2] + "/activities/twin-nodes/apply", form)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=applicant, args=(n,)) for n in range(APPLICANTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(1, deadline - time.monotonic()))
        assert errors == []

        # Decisions: every application accepted, alternately through each node, two at once.
        with database.engine.connect() as connection:
            ids = list(
                connection.execute(
                    sa.text("SELECT id FROM applications WHERE activity_id = :a ORDER BY id"),
                    {"a": open_id},
                ).scalars()
            )
        _, _, page = office.open(nodes[1] + "/staff/")
        csrf = token(page.decode())

        def decide(half: list[int], node: str) -> None:
            try:
                for application_id in half:
                    office.open(
                        node + f"/staff/applications/{application_id}/decide/accept",
                        {"csrf_token": csrf, "decision": "accept"},
                    )
            except BaseException as error:
                errors.append(error)

        deciders = [threading.Thread(target=decide, args=(ids[i::2], nodes[i])) for i in range(2)]
        for thread in deciders:
            thread.start()
        for thread in deciders:
            thread.join(max(1, deadline - time.monotonic()))
        assert errors == []

        # Jobs: issued and emailed certificates, then a ZIP, both started on node 0.
        certificates = f"/staff/activities/{ended_id}/certificates"
        _, _, page = office.open(nodes[0] + certificates)
        form = token(page.decode())
        _, issued_at, _ = office.open(nodes[0] + certificates + "/issue", {"csrf_token": form})
        issue_job = int(re.search(r"/staff/jobs/(\d+)", issued_at).group(1))
        wait_for_jobs([issue_job], deadline)
        _, zipped_at, _ = office.open(
            nodes[0] + certificates + "/batch", {"csrf_token": form, "format": "zip"}
        )
        zip_job = int(re.search(r"/staff/jobs/(\d+)", zipped_at).group(1))
        queue_again(env["EVENTREG_JOBS_QUEUE_NAME"], [issue_job, zip_job])  # a double delivery
        wait_for_jobs([zip_job], deadline)
        status, _, archive = office.open(nodes[1] + f"/staff/jobs/{zip_job}/download")
        assert status == 200
        assert len(zipfile.ZipFile(io.BytesIO(archive)).namelist()) == GRADUATES

        # Signing out on one node ends the session on both.
        _, _, page = office.open(nodes[1] + "/staff/")
        office.open(nodes[1] + "/staff/sign-out", {"csrf_token": token(page.decode())})
        for node in nodes:
            _, landed, _ = office.open(node + f"/staff/activities/{open_id}/applications")
            assert "/sign-in" in landed, (node, landed)

        # A rate limit counted across both nodes.
        caller = Person()
        people.append(caller)
        answers = []
        for n in range(2 * RESET_LIMIT):
            node = nodes[n % 2]
            _, _, page = caller.open(node + "/staff/reset")
            status, _, _ = caller.open(
                node + "/staff/reset",
                {"email": "nobody@example.org", "csrf_token": token(page.decode())},
            )
            answers.append(status)
        assert answers.count(429) == RESET_LIMIT, answers
        assert 429 not in answers[:RESET_LIMIT]

        wait_for_outbox(deadline)
        time.sleep(1)  # both workers finish their pass (the sink got every message already)
    finally:
        for process in processes:
            stop(process)
        sink.stop()

    codes = [code for person in people for code in person.codes]
    assert all(code < 500 for code in codes), collections.Counter(codes)

    database.session.expire_all()
    applications = database.session.scalars(
        sa.select(Application).where(Application.activity_id == open_id)
    ).all()
    assert len(applications) == APPLICANTS  # none lost, none doubled
    assert len({a.email for a in applications}) == APPLICANTS
    assert collections.Counter(a.status for a in applications) == {
        ApplicationStatus.ACCEPTED: CAPACITY,
        ApplicationStatus.WAITLISTED: APPLICANTS - CAPACITY,
    }

    # Every email delivered once, to the sink, whichever worker sent it.
    outbox = database.session.scalars(sa.select(EmailOutbox)).all()
    assert {e.status for e in outbox} == {OutboxStatus.SENT}
    ids = [m.message["Message-ID"] for m in sink.messages]
    assert len(ids) == len(set(ids)) == len(outbox)
    for n in range(APPLICANTS):
        received = [m.message["Subject"] for m in sink.to(f"twin{n}@example.net")]
        assert len(received) == 2, received  # the acknowledgement and the decision
    for n in range(GRADUATES):
        assert len(sink.to(f"graduate{n}@example.net")) == 1  # the certificate, once

    # Each job ran once, on one of the two workers, although it was queued twice.
    jobs = database.session.scalars(sa.select(Job).order_by(Job.id)).all()
    assert [(j.id, j.status) for j in jobs] == [
        (issue_job, JobStatus.DONE),
        (zip_job, JobStatus.DONE),
    ]
    logs = "".join((tmp_path / f"worker{i}.log").read_text() for i in range(2))
    for job_id in (issue_job, zip_job):
        assert len(re.findall(rf"job {job_id} \(\S+\) started in", logs)) == 1, logs


def wait_for_jobs(ids: list[int], deadline: float) -> None:
    engine = database.engine
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            states = (
                connection.execute(sa.select(Job.status).where(Job.id.in_(ids))).scalars().all()
            )
        if states and all(s in (JobStatus.DONE, JobStatus.FAILED) for s in states):
            return
        time.sleep(0.3)
    raise AssertionError(f"jobs {ids} did not finish in time")


def wait_for_outbox(deadline: float) -> None:
    while time.monotonic() < deadline:
        with database.engine.connect() as connection:
            waiting = connection.execute(
                sa.select(sa.func.count(EmailOutbox.id)).where(
                    EmailOutbox.status != OutboxStatus.SENT
                )
            ).scalar_one()
        if waiting == 0:
            return
        time.sleep(0.3)
    raise AssertionError("the outbox was not delivered in time")


def queue_again(name: str, job_ids: list[int]) -> None:
    """Put jobs on the Redis queue a second time, as a lost acknowledgement would."""
    from huey import RedisHuey

    from eventreg.jobs import _run_job_task

    huey = RedisHuey(name, url=REDIS_URL, results=False)
    task = huey.task(name="eventreg.run_job")(_run_job_task)  # the workers' own task
    for job_id in job_ids:
        task(job_id)
