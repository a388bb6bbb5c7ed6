"""The staff dashboard says what to do next, per person, and costs a fixed number of statements."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from eventreg import clock
from eventreg.extensions import db as database
from eventreg.models import (
    ActivitySession,
    ActivityStatus,
    ApplicationStatus,
    CostShareGrant,
    EmailOutbox,
    FormKind,
    Job,
    JobStatus,
    OutboxStatus,
    Question,
    Role,
)

from ..conftest import sign_in
from .test_scale import add_applications, counting

# The staff session, the person, the activities and one grouped query per figure: 9, the same
# at 2 activities and 100 applications as at 50 and 10,000. The organisation's settings, which
# sign-in checks and the page layout read (3 to 4 times when measured), are counted apart.
MOST_STATEMENTS = 10

NOW = datetime(2031, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


def open_call(make_activity, **fields):  # type: ignore[no-untyped-def]
    """A published activity in May 2031 whose call closes on 20 March 2031 (Rome)."""
    starts = datetime(2031, 5, 12, 7, 0, tzinfo=UTC)
    values = dict(
        starts_at=starts,
        ends_at=starts + timedelta(days=4, hours=9),
        opens_at=datetime(2031, 1, 1, tzinfo=UTC),
        deadline_at=datetime(2031, 3, 20, 22, 59, tzinfo=UTC),
    )
    values.update(fields)
    return make_activity(**values)


def figure(page: str, href_part: str) -> str:
    """The text of the first link whose address contains `href_part`."""
    match = re.search(rf'<a href="[^"]*{re.escape(href_part)}[^"]*">(.*?)</a>', page, re.S)
    assert match, f"no link to {href_part}"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_an_assistant_sees_the_call_the_decisions_places_and_budget_of_their_activity(
    db, make_activity, make_application, factories, sign_in_as
):
    activity = open_call(make_activity, capacity=3, costshare_budget=200_000)
    for status in ["submitted"] * 3 + ["under_review", "accepted", "accepted", "waitlisted"]:
        make_application(activity, status=ApplicationStatus(status), submitted_at=NOW)
    make_application(activity, submitted_at=NOW - timedelta(days=20))
    grantee = make_application(activity, status=ApplicationStatus.ACCEPTED)
    database.session.add(
        CostShareGrant(
            application_id=grantee.id,
            fee_component_id=activity.fee_components[0].id,
            amount=50_000,
        )
    )
    other = open_call(make_activity, title="Somebody else's workshop")
    make_application(other)
    database.session.commit()
    office = sign_in_as(Role.COURSE_ASSISTANT, activity)

    page = office.get("/staff/").text

    review = f"/staff/activities/{activity.id}/applications"
    assert "Call open: 10 days left" in page
    assert figure(page, f"{review}?sort=submitted") == "7 applications this week"
    assert figure(page, f"{review}?status=submitted") == "4 new"
    assert figure(page, f"{review}?status=under_review") == "1 under review"
    assert figure(page, f"{review}?status=accepted") == "Places: 3 of 3 taken"
    assert figure(page, f"{review}?status=waitlisted") == "1 on the waiting list"
    assert figure(page, f"/staff/activities/{activity.id}/money") == (
        "Budget used: EUR 500 of EUR 2,000 (25%)"
    )
    assert "Somebody else" not in page
    assert "/staff/outbox" not in page  # the outbox is the admins'


def test_a_trainer_sees_their_sessions_of_today_and_tomorrow_and_no_admissions_figures(
    app, db, make_activity, make_application, make_staff
):
    activity = open_call(make_activity)
    make_application(activity)
    trainer = make_staff(Role.TRAINER, activity, name="Asha Trainer")
    rome_morning = datetime(2031, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Rome
    sessions = {
        "Opening plenary": (rome_morning, [trainer]),
        "Group work on contracts": (rome_morning + timedelta(days=1), [trainer]),
        "Somebody else's session": (rome_morning + timedelta(hours=3), []),
        "Next week's session": (rome_morning + timedelta(days=7), [trainer]),
    }
    for title, (starts, trainers) in sessions.items():
        database.session.add(
            ActivitySession(
                activity_id=activity.id,
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                trainers=trainers,
            )
        )
    database.session.commit()
    client = app.test_client()
    assert sign_in(client, trainer.email).status_code in (302, 303)

    page = client.get("/staff/").text

    assert "Today, 09:00–11:00" in page and "Opening plenary" in page
    assert "Tomorrow, 09:00–11:00" in page and "Group work on contracts" in page
    assert "Somebody else" not in page
    assert "Next week" not in page
    assert "Decisions pending" not in page and "/applications?" not in page


def test_admins_see_failing_mail_and_running_jobs_with_links(db, make_activity, sign_in_as):
    for status in (OutboxStatus.FAILED, OutboxStatus.FAILED, OutboxStatus.RETRYING):
        database.session.add(
            EmailOutbox(
                template="t", to_address="a@example.net", subject="s", body_text="b", status=status
            )
        )
    job = Job(kind="certificates", status=JobStatus.RUNNING, total=10, done=4)
    database.session.add(job)
    database.session.commit()
    admin = sign_in_as(Role.ADMIN)

    page = admin.get("/staff/").text

    assert figure(page, "/staff/outbox?status=failed") == "2 emails failed"
    assert figure(page, "/staff/outbox?status=retrying") == "1 email waits for another attempt"
    assert figure(page, f"/staff/jobs/{job.id}") == "Job certificates"
    assert "running, 40%" in page


def test_follow_up_forms_unanswered_are_counted_for_the_activity_manager(
    db, make_activity, make_application, sign_in_as
):
    activity = open_call(make_activity)
    for _ in range(2):
        make_application(activity, status=ApplicationStatus.CONFIRMED)
    database.session.add(
        Question(
            activity_id=activity.id,
            form=FormKind.FOLLOW_UP,
            type="short_text",
            label={"en": "Arrival flight"},
            position=1,
        )
    )
    database.session.commit()
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)

    page = manager.get("/staff/").text

    assert figure(page, "/form/follow_up/questions") == "2 follow-up forms unanswered"


def test_empty_states_say_what_to_do(db, make_activity, sign_in_as):
    nobody = sign_in_as()
    page = nobody.get("/staff/").text
    assert "No activity is assigned to you yet" in page
    assert "No session today or tomorrow." in page

    draft = open_call(make_activity, status=ActivityStatus.DRAFT)
    database.session.commit()
    manager = sign_in_as(Role.ACTIVITY_MANAGER, draft)
    page = manager.get("/staff/").text
    assert "A draft: applicants cannot see it yet." in page
    assert "No decision pending." in page


def test_the_dashboard_of_fifty_activities_and_ten_thousand_applications_is_bounded(
    db, make_activity, make_application, sign_in_as
):
    admin = sign_in_as(Role.ADMIN)
    activities = [open_call(make_activity) for _ in range(2)]
    database.session.commit()
    add_applications(activities[0], 100)
    with counting() as small:
        assert admin.get("/staff/").status_code == 200

    activities += [open_call(make_activity) for _ in range(48)]
    database.session.commit()
    for activity in activities[1:21]:
        add_applications(activity, 495)
    with counting() as large:
        page = admin.get("/staff/")

    assert page.status_code == 200
    assert page.text.count('class="card dashboard-card"') == 50
    assert len(large) == len(small)  # nothing grows with activities or applications
    own = [statement for statement in large if "FROM organisation_settings" not in statement]
    assert len(own) <= MOST_STATEMENTS, "\n".join(statement[:90] for statement in own)
    print(f"dashboard statements at 50 activities, 10,000 applications: {len(own)}")
