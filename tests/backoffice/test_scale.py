"""The review list with 10,000 applications answers in a bounded number of SQL statements."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from eventreg.extensions import db as database
from eventreg.models import (
    Application,
    ApplicationStatus,
    CostShareGrant,
    Gender,
    Payment,
    PaymentMethod,
    Role,
)

MOST_STATEMENTS = 10

LIST_QUERIES = (
    "",
    "?status=submitted&sort=name",
    "?region=africa&costshare=yes&sort=submitted&order=desc&page=3",
    "?q=union&gender=female&organisation_type=NGO&proficiency=advanced&sort=organisation",
    "?country=KE&per_page=200&sort=country&order=desc",
    "?answer=1:yes&status=accepted",
)


def add_applications(activity: Any, count: int, *, start: int = 1) -> None:
    """`count` varied applications, inserted in bulk, a few with grants and payments."""
    rng = random.Random(count)
    statuses = [ApplicationStatus.SUBMITTED] * 8 + [
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.REJECTED,
    ]
    opened = datetime(2031, 1, 1, tzinfo=UTC)
    rows = [
        dict(
            activity_id=activity.id,
            number=n,
            reference=f"{activity.reference}-{n:05d}",
            token=f"scale-{activity.id}-{n:06d}-{rng.getrandbits(64):016x}",
            status=ApplicationStatus.ACCEPTED if n <= 30 else rng.choice(statuses),
            given_names=rng.choice(["Amina", "Ravi", "Lucía", "Omar"]),
            family_name=rng.choice(["Diallo", "Sharma", "Benítez", "Haddad"]),
            gender=rng.choice(list(Gender)),
            country=rng.choice(["KE", "SN", "IN", "BR", "JO", "IT", ""]),
            email=f"scale{n}@example.net",
            organisation=rng.choice(["City council", "Union of workers", "NGO network"]),
            organisation_type=rng.choice(["NGO", "Local government", "Trade union"]),
            proficiency=rng.choice(["basic", "advanced"]),
            costshare_requested=rng.random() < 0.4,
            submitted_at=opened + timedelta(minutes=n),
            status_changed_at=opened,
        )
        for n in range(start, start + count)
    ]
    database.session.execute(sa.insert(Application), rows)
    ids = database.session.scalars(
        sa.select(Application.id)
        .where(Application.activity_id == activity.id, Application.number >= start)
        .order_by(Application.number)
        .limit(40)
    ).all()
    component = activity.fee_components[1]
    database.session.execute(
        sa.insert(CostShareGrant),
        [dict(application_id=i, fee_component_id=component.id, amount=96_000) for i in ids[:8]],
    )
    database.session.execute(
        sa.insert(Payment),
        [
            dict(
                application_id=i,
                amount=50_000,
                received_on=opened.date(),
                method=PaymentMethod.CARD,
            )
            for i in ids
        ],
    )
    database.session.commit()


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", note)


def statements_per_page(client: Any, activity: Any) -> dict[str, int]:
    found = {}
    base = f"/staff/activities/{activity.id}/applications"
    for query in LIST_QUERIES:
        with counting() as statements:
            response = client.get(base + query)
        assert response.status_code == 200, query
        found[query] = len(statements)
    return found


def test_the_list_of_ten_thousand_takes_as_few_statements_as_a_list_of_three_hundred(
    db, workshop, sign_in_as
):
    office = sign_in_as(Role.COURSE_ASSISTANT, workshop)
    add_applications(workshop, 300)
    small = statements_per_page(office, workshop)
    add_applications(workshop, 9_700, start=301)
    large = statements_per_page(office, workshop)
    assert large == small  # no statement per row: nothing grows with the list
    assert min(large.values()) >= 5  # the listener did see the requests
    assert max(large.values()) <= MOST_STATEMENTS, large
    page = office.get(f"/staff/activities/{workshop.id}/applications?per_page=200")
    assert "<strong>10000</strong> applications match" in page.text
    assert "Page 1 of 50" in page.text
