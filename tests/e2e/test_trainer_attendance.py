"""A trainer marks attendance on a phone, in a real browser."""

from __future__ import annotations

import re
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


def test_attendance_leads_to_a_certificate_anyone_can_verify(
    served, db, page, make_activity, factories, make_application, make_staff, smtp, deliver
):
    from eventreg import jobs

    now = datetime.now(UTC)
    activity = make_activity(
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=1),  # over: certificates are issued once it has ended
        certificate_threshold=50,
        title="Occupational safety and health: training of trainers",
    )
    first = factories.session(activity, title="Day 1", starts_at=now - timedelta(days=3))
    factories.session(activity, title="Day 2", starts_at=now - timedelta(days=2))
    make_application(
        activity,
        given_names="Sita",
        family_name="Shrestha",
        status=ApplicationStatus.CONFIRMED,
        email="sita@example.net",
    )
    trainer = make_staff(Role.TRAINER, activity, email="trainer@example.org")
    first.trainers.append(trainer)
    db.session.commit()

    page.goto(served.url + f"/trainer/sessions/{first.id}")
    page.get_by_label("Email").fill("trainer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Present: Sita Shrestha").click()
    page.locator("#head-count").filter(has_text="1 of 1 present").wait_for()

    page.goto(served.url + f"/staff/activities/{activity.id}/certificates")
    page.get_by_role("button", name="Issue and email 1 certificate").click()
    assert "/staff/jobs/" in page.url
    jobs.run_pending()  # the worker's turn
    page.reload()
    assert "1 certificates issued and emailed" in page.content()

    deliver()
    [mail] = smtp.to("sita@example.net")
    code = re.search(
        r"/verify/([A-Z0-9-]+)", mail.message.get_body(preferencelist=("plain",)).get_content()
    ).group(1)
    anyone = page.context.browser.new_page()
    anyone.goto(served.url + "/verify")
    anyone.get_by_role("textbox").first.fill(code.lower().replace("-", " "))
    with anyone.expect_navigation():
        anyone.keyboard.press("Enter")
    anyone.wait_for_load_state()
    content = anyone.content()
    assert "Sita Shrestha" in content and "sita@example.net" not in content
    screenshot(anyone, "certificate-verified")
    anyone.close()
