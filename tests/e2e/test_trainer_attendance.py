"""A trainer marks attendance on a phone, in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eventreg.models import ApplicationStatus, Role
from eventreg.services import attendance

from ..conftest import PASSWORD
from .conftest import screenshot


def test_a_trainer_marks_attendance_on_a_phone(
    served, db, phone, make_activity, factories, make_application, make_staff
):
    now = datetime.now(UTC)
    activity = make_activity(starts_at=now - timedelta(hours=1))
    session = factories.session(
        activity, title="Module 1: pro-poor partnerships", starts_at=now - timedelta(minutes=30)
    )
    people = [
        make_application(
            activity,
            given_names=g,
            family_name=f,
            status=ApplicationStatus.CONFIRMED,
            organisation="City Council",
        )
        for g, f in [("Amina", "Diallo"), ("Binod", "Gurung"), ("Carmen", "Quispe")]
    ]
    trainer = make_staff(Role.TRAINER, activity, email="trainer@example.org")
    session.trainers.append(trainer)
    db.session.commit()

    phone.goto(served.url + "/trainer/")
    phone.get_by_label("Email").fill("trainer@example.org")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Module 1: pro-poor partnerships").first.click()

    phone.get_by_role("button", name="Mark everyone not yet marked as present").click()
    phone.get_by_role("button", name="Absent: Binod Gurung").click()
    status = phone.locator("#head-count")
    status.filter(has_text="2 of 3 present").wait_for()
    absent = phone.get_by_role("button", name="Absent: Binod Gurung")
    assert absent.get_attribute("aria-pressed") == "true"
    screenshot(phone, "trainer-attendance-phone")
    assert phone.console_errors == []

    db.session.expire_all()
    assert attendance.marks(session) == {
        people[0].id: True,
        people[1].id: False,
        people[2].id: True,
    }
    # Tap targets are big enough for a thumb.
    box = absent.bounding_box()
    assert box["height"] >= 44
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"]
