"""The review list with 10,000 applications in one activity: queries per page and p95 latency.

Run from the repo root: `.venv/bin/python bench/review.py`. On a fresh SQLite database (and
on PostgreSQL too when EVENTREG_BENCH_DATABASE_URL is set) it loads one activity with
10,000 applications (some with grants and payments), signs a course assistant in through
the real form, and requests the list page with filters and sorting through the Flask test
client, counting SQL statements per request. In the same run it times a bare page that
lists 50 rows with one query and a small template, and reports

    queries: N            statements for one list page (SQLite)
    p95_ms: X             95th percentile of the list page (SQLite)
    queries_postgresql / p95_ms_postgresql   the same on PostgreSQL, when asked for
    ratio: X              p95 of the list page / p95 of the bare page (SQLite)

and writes bench/results/review.json.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask.testing import FlaskClient  # noqa: E402

from bench.common import bench_app, report  # noqa: E402

APPLICATIONS = 10_000
WARM_UP = 10
ROUNDS = 80
PASSWORD = "bench password 123"

LIST_URLS = (
    "?status=submitted&sort=name",
    "?region=africa&costshare=yes&sort=submitted&order=desc",
    "?q=ngo&gender=female&sort=country&page=2",
    "?organisation_type=Local+government&proficiency=advanced&sort=organisation&per_page=100",
)

GIVEN = ["Amina", "Ravi", "Lucía", "Omar", "Jana", "Kwame", "Mei", "Sipho", "Ana", "Tariq"]
FAMILY = ["Diallo", "Sharma", "Benítez", "Haddad", "Novak", "Mensah", "Chen", "Dlamini"]
COUNTRIES = [
    "SN",
    "KE",
    "GH",
    "NG",
    "ZA",
    "EG",
    "IN",
    "NP",
    "PH",
    "BR",
    "AR",
    "MX",
    "JO",
    "LB",
    "IT",
    "FR",
    "TR",
    "KZ",
    "US",
    "CA",
]
TYPES = [
    "Local government",
    "NGO",
    "Trade union",
    "Employers' organisation",
    "Utility",
    "Research institution",
]
LEVELS = ["basic", "intermediate", "advanced", "native"]


class FreshContextClient(FlaskClient):
    """Each request in an app context (and so a database session) of its own, as on a server."""

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        with self.application.app_context():
            return super().open(*args, **kwargs)


def seed(count: int) -> tuple[int, str]:
    """One activity with `count` applications; returns its id and an assistant's email."""
    import sqlalchemy as sa

    from eventreg.extensions import db
    from eventreg.models import (
        Activity,
        ActivityKind,
        ActivityStatus,
        Application,
        ApplicationStatus,
        CostShareGrant,
        FeeComponent,
        Gender,
        Payment,
        PaymentMethod,
        Role,
        StaffAssignment,
        StaffUser,
    )

    rng = random.Random(1357)
    starts = datetime.now(UTC) + timedelta(days=90)
    activity = Activity(
        reference="B000001",
        slug="bench-review",
        kind=ActivityKind.WORKSHOP,
        status=ActivityStatus.PUBLISHED,
        title="Bench workshop",
        timezone="Europe/Rome",
        starts_at=starts,
        ends_at=starts + timedelta(days=4),
        deadline_at=starts - timedelta(days=30),
        capacity=30,
        costshare_budget=1_600_000,
        costshare_cap=8,
    )
    activity.fee_components = [
        FeeComponent(name="Tuition", amount=104_000, position=0),
        FeeComponent(name="Participant subsistence", amount=96_000, position=1),
    ]
    assistant = StaffUser(email="assistant@bench.example", name="Bench Assistant")
    assistant.set_password(PASSWORD)
    db.session.add_all([activity, assistant])
    db.session.flush()
    db.session.add(
        StaffAssignment(
            staff_user_id=assistant.id, activity_id=activity.id, role=Role.COURSE_ASSISTANT
        )
    )
    statuses = (
        [ApplicationStatus.SUBMITTED] * 70
        + [ApplicationStatus.UNDER_REVIEW] * 15
        + [ApplicationStatus.REJECTED] * 10
        + [ApplicationStatus.WAITLISTED] * 4
        + [ApplicationStatus.WITHDRAWN]
    )
    opened = starts - timedelta(days=200)
    rows: list[dict[str, Any]] = []
    for number in range(1, count + 1):
        status = ApplicationStatus.ACCEPTED if number <= 30 else rng.choice(statuses)
        rows.append(
            dict(
                activity_id=activity.id,
                number=number,
                reference=f"B000001-{number:05d}",
                token=f"bench-token-{number:08d}-{rng.getrandbits(64):016x}",
                status=status,
                given_names=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                gender=rng.choice(list(Gender)),
                country=rng.choice(COUNTRIES),
                nationality=rng.choice(COUNTRIES),
                email=f"applicant{number}@bench.example",
                organisation=f"{rng.choice(['City', 'NGO', 'Union', 'Board'])} {number % 400}",
                organisation_type=rng.choice(TYPES),
                proficiency=rng.choice(LEVELS),
                costshare_requested=rng.random() < 0.4,
                submitted_at=opened + timedelta(minutes=rng.randrange(200 * 24 * 60)),
                status_changed_at=opened,
            )
        )
    db.session.execute(sa.insert(Application), rows)
    ids = list(
        db.session.scalars(
            sa.select(Application.id)
            .where(Application.activity_id == activity.id)
            .order_by(Application.number)
            .limit(400)
        )
    )
    component = activity.fee_components[1]
    db.session.execute(
        sa.insert(CostShareGrant),
        [dict(application_id=i, fee_component_id=component.id, amount=96_000) for i in ids[:8]],
    )
    db.session.execute(
        sa.insert(Payment),
        [
            dict(
                application_id=i,
                amount=50_000,
                received_on=starts.date() - timedelta(days=60),
                method=PaymentMethod.BANK_TRANSFER,
            )
            for i in ids[:300]
        ],
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum would have done by the time 10,000 people had applied: planner
        # statistics and the visibility map (for index-only scans).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("applications", "costshare_grants", "payments"):
                connection.exec_driver_sql(f"VACUUM ANALYZE {table}")
    return activity.id, assistant.email


def remove_seed() -> None:
    """Delete what `seed` made, so that a database given to the bench is left as it was."""
    import sqlalchemy as sa

    from eventreg.extensions import db
    from eventreg.models import Activity, Application, StaffUser

    db.session.rollback()
    activity_ids = sa.select(Activity.id).where(Activity.reference == "B000001")
    db.session.execute(sa.delete(Application).where(Application.activity_id.in_(activity_ids)))
    db.session.execute(sa.delete(Activity).where(Activity.reference == "B000001"))
    db.session.execute(sa.delete(StaffUser).where(StaffUser.email == "assistant@bench.example"))
    db.session.commit()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(app: Any, label: str) -> dict[str, float | int]:
    """Seed, sign in, then time the list page and the bare page on this app's database."""
    import sqlalchemy as sa
    from flask import render_template_string
    from sqlalchemy import event

    from eventreg.extensions import db
    from eventreg.models import Application

    bare_template = (
        "<!doctype html><title>bare</title><table>{% for a in rows %}<tr><td>{{ a.reference }}"
        "</td><td>{{ a.given_names }} {{ a.family_name }}</td><td>{{ a.country }}</td>"
        "<td>{{ a.status.value }}</td></tr>{% endfor %}</table>"
    )

    def bare() -> str:
        rows = db.session.scalars(sa.select(Application).order_by(Application.id).limit(50))
        return render_template_string(bare_template, rows=list(rows))

    app.add_url_rule("/bench/bare", "bench_bare", bare)
    activity_id, email = seed(APPLICATIONS)
    statements = {"n": 0}

    def count(*_args: Any) -> None:
        statements["n"] += 1

    app.test_client_class = FreshContextClient
    client = app.test_client()
    page = client.get("/staff/sign-in")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or re.search(
        r'name="csrf_token" value="([^"]+)"', page.text
    )
    assert token, "no CSRF token on the sign-in page"
    signed = client.post(
        "/staff/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert signed.status_code in (302, 303), signed.status_code

    base = f"/staff/activities/{activity_id}/applications"
    urls = [base + query for query in LIST_URLS]

    def timed(url: str) -> float:
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    for i in range(WARM_UP):
        timed(urls[i % len(urls)])
        timed("/bench/bare")
    event.listen(db.engine, "before_cursor_execute", count)
    per_page = []
    for url in urls:
        statements["n"] = 0
        timed(url)
        per_page.append(statements["n"])
    event.remove(db.engine, "before_cursor_execute", count)
    listing, plain = [], []
    for i in range(ROUNDS):
        listing.append(timed(urls[i % len(urls)]))
        plain.append(timed("/bench/bare"))
    suffix = "" if label == "sqlite" else f"_{label}"
    return {
        f"queries{suffix}": max(per_page),
        f"p95_ms{suffix}": round(percentile(listing, 0.95), 1),
        f"median_ms{suffix}": round(percentile(listing, 0.5), 1),
        f"bare_p95_ms{suffix}": round(percentile(plain, 0.95), 1),
    }


def main() -> None:
    figures: dict[str, float | int | str] = {"applications": APPLICATIONS}
    postgres = os.environ.pop("EVENTREG_BENCH_DATABASE_URL", None)
    with bench_app() as app:
        figures.update(measure(app, "sqlite"))
    if postgres:
        os.environ["EVENTREG_BENCH_DATABASE_URL"] = postgres
        with bench_app() as app:
            try:
                figures.update(measure(app, "postgresql"))
            finally:
                remove_seed()
    figures["ratio"] = round(float(figures["p95_ms"]) / float(figures["bare_p95_ms"]), 2)
    report("review", figures)


if __name__ == "__main__":
    main()
