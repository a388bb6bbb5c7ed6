"""Under load: 50 applicants submit while 5 assistants accept and grant, on a real gunicorn.

No 500s, no lost or doubled application, every acknowledgement queued, and places, budget
and cap never overshoot. Served on 127.0.0.1 only; every loop is bounded in time.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from eventreg.extensions import db as database
from eventreg.models import (
    PLACE_HOLDING,
    Application,
    ApplicationStatus,
    CostShareGrant,
    EmailOutbox,
    Role,
)

from ..conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
APPLICANTS, ASSISTANTS, CAPACITY, CAP = 50, 5, 12, 4
TIME_LIMIT = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """A cookie-keeping HTTP client for one person."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.codes: list[int] = []

    def open(self, path: str, data: dict | None = None) -> str:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                self.codes.append(response.status)
                return response.read().decode()
        except urllib.error.HTTPError as error:
            self.codes.append(error.code)
            return error.read().decode(errors="replace")


def token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_applicants_and_assistants_at_once(app, db, make_activity, factories, make_staff, tmp_path):
    now = datetime.now(UTC)
    activity = make_activity(
        slug="busy",
        capacity=CAPACITY,
        opens_at=now - timedelta(days=1),
        deadline_at=now + timedelta(days=20),
        fees=(104_000, 96_000),
        costshare_budget=3 * 96_000 + 50_000,
        costshare_cap=CAP,
    )
    factories.contact(activity, email="assistant@example.org")
    assistants = [make_staff(Role.COURSE_ASSISTANT, activity) for _ in range(ASSISTANTS)]
    component = activity.fee_components[1].id
    activity_id, budget = activity.id, activity.costshare_budget
    emails = [user.email for user in assistants]
    db.session.commit()

    port = free_port()
    env = {
        **os.environ,
        "EVENTREG_DATABASE_URL": database.engine.url.render_as_string(hide_password=False),
        "EVENTREG_SECRET_KEY": "load-test-only",
        "EVENTREG_RATELIMIT_ENABLED": "false",
        "EVENTREG_LOG_LEVEL": "WARNING",
        "EVENTREG_BASE_URL": f"http://127.0.0.1:{port}",
        "EVENTREG_OUTBOX_DIR": str(tmp_path / "outbox"),
        "EVENTREG_JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
    }
    with (tmp_path / "gunicorn.log").open("ab") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "3",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "eventreg:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + TIME_LIMIT
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        browsers: list[Browser] = []
        errors: list[BaseException] = []

        def applicant(n: int) -> None:
            person = Browser(base)
            browsers.append(person)
            page = person.open("/activities/busy/apply")
            key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page)
            form = {
                "csrf_token": token(page),
                "title": "Ms",
                "given_names": f"Person{n}",
                "family_name": "Load",
                "gender": "female",
                "nationality": "KE",
                "country": "KE",
                "email": f"person{n}@example.net",
                "email_confirm": f"person{n}@example.net",
                "phone": "+254 20 1234567",
                "language": "en",
                "organisation": "Union",
                "organisation_type": "Other",
                "position": "Organiser",
                "proficiency": "advanced",
                "motivation": "To learn.",
                "payment_source": "self",
                "consent": "y",
            }
            if key:
                form["submission_key"] = key.group(1)
            person.open("/activities/busy/apply", form)
            if n % 7 == 0:
                person.open("/activities/busy/apply", form)  # a double click

        def assistant(user_email: str) -> None:
            office = Browser(base)
            browsers.append(office)
            page = office.open("/staff/sign-in")
            office.open(
                "/staff/sign-in",
                {"email": user_email, "password": PASSWORD, "csrf_token": token(page)},
            )
            csrf = token(office.open("/staff/"))
            engine = sa.create_engine(env["EVENTREG_DATABASE_URL"])
            seen: set[int] = set()
            try:
                while time.monotonic() < deadline - 20:
                    with engine.connect() as connection:
                        ids = [
                            i
                            for (i,) in connection.execute(
                                sa.text("SELECT id FROM applications WHERE activity_id = :a"),
                                {"a": activity_id},
                            )
                            if i not in seen
                        ]
                    if not ids and len(seen) >= APPLICANTS:
                        break
                    random.shuffle(ids)
                    for application_id in ids[:8]:
                        seen.add(application_id)
                        office.open(
                            f"/staff/applications/{application_id}/decide/accept",
                            {"csrf_token": csrf, "decision": "accept"},
                        )
                        office.open(
                            f"/staff/applications/{application_id}/grants",
                            {"csrf_token": csrf, "component_id": component, "share": "all"},
                        )
                    time.sleep(0.05)
            finally:
                engine.dispose()

        def guarded(target, *args) -> None:  # type: ignore[no-untyped-def]
            try:
                target(*args)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=guarded, args=(applicant, n)) for n in range(APPLICANTS)]
        threads += [threading.Thread(target=guarded, args=(assistant, email)) for email in emails]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(1, deadline - time.monotonic()))
        assert errors == []
        codes = [code for browser in browsers for code in browser.codes]
        assert 500 not in codes and all(code < 500 for code in codes), sorted(set(codes))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)

    database.session.expire_all()
    applications = database.session.scalars(
        sa.select(Application).where(Application.activity_id == activity_id)
    ).all()
    assert len(applications) == APPLICANTS  # none lost, none doubled
    assert len({a.email for a in applications}) == APPLICANTS
    holding = [a for a in applications if a.status in PLACE_HOLDING]
    assert len(holding) == CAPACITY  # places filled, never overshot
    assert {a.status for a in applications} <= {
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.SUBMITTED,
    }
    grants = database.session.scalars(
        sa.select(CostShareGrant).join(Application).where(Application.activity_id == activity_id)
    ).all()
    assert grants and sum(g.amount for g in grants) <= budget
    assert len({g.application_id for g in grants}) <= CAP
    acknowledgements = database.session.scalar(
        sa.select(sa.func.count(EmailOutbox.id)).where(
            EmailOutbox.activity_id == activity_id, EmailOutbox.template == "application_received"
        )
    )
    assert acknowledgements == APPLICANTS
