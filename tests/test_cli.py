"""The command line: loading the demo, creating staff."""

from __future__ import annotations

import sqlalchemy as sa

from eventreg.models import (
    Activity,
    ActivityStatus,
    Application,
    ApplicationStatus,
    StaffAssignment,
    StaffUser,
)


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_loads_the_reference_workshop_and_is_safe_to_run_twice(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "created A901357" in first.output
    assert "admin@example.org" in first.output

    workshop = db.session.scalar(sa.select(Activity).where(Activity.reference == "A901357"))
    assert [m.number for m in workshop.modules] == [1, 2, 3, 4, 5, 6]
    assert workshop.fee_total == 200_000
    assert workshop.start_date.isoformat() == "2009-07-13"
    assert workshop.end_date.isoformat() == "2009-07-17"
    assert workshop.timezone == "Europe/Rome"
    assert len(workshop.contacts) == 2
    assert len(workshop.days()) == 5

    future = db.session.scalars(
        sa.select(Activity).where(
            Activity.title == workshop.title, Activity.status == ActivityStatus.PUBLISHED
        )
    ).one()
    assert future.starts_at > workshop.starts_at

    statuses = set(db.session.scalars(sa.select(Application.status).distinct()))
    assert statuses == set(ApplicationStatus)
    counts = {model: count(db, model) for model in (Activity, Application, StaffUser)}
    assert counts[Application] >= 200

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "already there: A901357" in second.output
    assert {model: count(db, model) for model in counts} == counts
    # The same logins work the second time: the printed password is the stored one.
    password = next(
        line.split()[-1] for line in second.output.splitlines() if "admin@example.org" in line
    )
    admin = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "admin@example.org"))
    db.session.refresh(admin)
    assert admin.check_password(password)


def test_create_user_makes_a_staff_account_with_a_hashed_password(app, db, make_activity):
    activity = make_activity(reference="A777001")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "Nadia@Example.org",
            "--role",
            "course_assistant",
            "--activity",
            "A777001",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "nadia@example.org"))
    assert user.password_hash != "a long enough password"
    assert user.check_password("a long enough password")
    assert not user.is_admin
    assignment = db.session.scalar(
        sa.select(StaffAssignment).where(StaffAssignment.staff_user_id == user.id)
    )
    assert (assignment.activity_id, assignment.role.value) == (activity.id, "course_assistant")


def test_create_user_refuses_bad_input_and_creates_nothing(app, db):
    runner = app.test_cli_runner()
    no_activity = runner.invoke(
        args=[
            "create-user",
            "t@example.org",
            "--role",
            "trainer",
            "--password",
            "a long enough password",
        ]
    )
    assert no_activity.exit_code != 0
    assert "--activity" in no_activity.output
    short = runner.invoke(
        args=["create-user", "t@example.org", "--role", "admin", "--password", "short"]
    )
    assert short.exit_code != 0
    assert "10 characters" in short.output
    unknown = runner.invoke(
        args=[
            "create-user",
            "t@example.org",
            "--role",
            "trainer",
            "--activity",
            "NOPE",
            "--password",
            "a long enough password",
        ]
    )
    assert "no activity has reference NOPE" in unknown.output
    assert count(db, StaffUser) == 0
