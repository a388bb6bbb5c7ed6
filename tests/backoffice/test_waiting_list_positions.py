"""The review list shows each waitlisted applicant's place in the queue, as the status page
and the application's page do; the order is the one freed places follow."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from eventreg.models import ApplicationStatus, Role


def test_the_review_list_numbers_the_waiting_list_in_the_order_places_are_offered(
    db, workshop, make_application, sign_in_as, client
):
    early = datetime(2027, 5, 1, 9, 0, tzinfo=UTC)
    people = {}
    for name, minutes in [("Zeta", 0), ("Alpha", 5), ("Mira", 10)]:
        people[name] = make_application(
            workshop,
            family_name=name,
            status=ApplicationStatus.WAITLISTED,
            waitlisted_at=early + timedelta(minutes=minutes),
        )
    make_application(workshop, family_name="Accepted", status=ApplicationStatus.ACCEPTED)
    db.session.commit()
    staff = sign_in_as(Role.COURSE_ASSISTANT, workshop)
    page = staff.get(f"/staff/activities/{workshop.id}/applications?sort=name").text
    # Sorted by name, each row still carries its place in the queue.
    rows = {
        name: row
        for row in page.split("<tr")[1:]
        for name in people | {"Accepted": 0}
        if name in row
    }
    numbers = {
        name: (found.group(1) if (found := re.search(r"number (\d+)", row)) else None)
        for name, row in rows.items()
    }
    assert numbers == {"Accepted": None, "Zeta": "1", "Alpha": "2", "Mira": "3"}
    status = client.get(f"/my/{people['Alpha'].token}")
    assert re.search(r"waiting list: number (<strong>)?2\b", status.text)
