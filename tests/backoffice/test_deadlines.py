"""Dates that pass: offers lapse and their places go to the waiting list; reminders go once.

Time is moved with the project's clock (`eventreg.clock.now`), never with sleeps. The work
is run as a deployment runs it: by `flask worker --once` (cron) or the worker's loop.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from eventreg import worker
from eventreg.extensions import db as database
from eventreg.models import (
    Application,
    ApplicationStatus,
    Attendance,
    EvaluationInvitation,
    Payment,
    PaymentMethod,
    Reminder,
    Role,
)

from .conftest import actions, mails

Status = ApplicationStatus


def at_end_of(day: date, activity, *, seconds: int = 0) -> datetime:
    """The last second of a day in the activity's timezone, plus `seconds`."""
    return datetime.combine(day, time(23, 59, 59), activity.zone) + timedelta(seconds=seconds)


@pytest.fixture
def one_place(db, make_activity, make_application):
    """One place held by an accepted applicant who has until 1 March to confirm; two wait."""
    activity = make_activity(capacity=1, waitlist_auto_offer=True)
    holder = make_application(
        activity, status=Status.ACCEPTED, confirm_by=date(2031, 3, 1), language="fr"
    )
    first = make_application(
        activity, status=Status.WAITLISTED, waitlisted_at=datetime(2031, 1, 1, tzinfo=activity.zone)
    )
    second = make_application(
        activity, status=Status.WAITLISTED, waitlisted_at=datetime(2031, 1, 2, tzinfo=activity.zone)
    )
    activity.starts_at = datetime(2031, 6, 1, 9, tzinfo=activity.zone)
    activity.ends_at = activity.starts_at + timedelta(days=4)
    database.session.commit()
    return activity, holder, first, second


def worker_once(app) -> str:
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_offer_lapses_after_its_confirm_by_day_and_the_place_goes_to_the_first_waiting(
    app, client, one_place, move_clock, smtp
):
    activity, holder, first, second = one_place
    move_clock(at_end_of(holder.confirm_by, activity))  # the last second: still open
    worker_once(app)
    assert database.session.get(Application, holder.id).status == Status.ACCEPTED

    move_clock(at_end_of(holder.confirm_by, activity, seconds=1))
    worker_once(app)
    database.session.expire_all()
    statuses = [database.session.get(Application, a.id).status for a in (holder, first, second)]
    assert statuses == [Status.LAPSED, Status.ACCEPTED, Status.WAITLISTED]
    [lapsed_mail] = smtp.to(holder.email)[-1:]
    assert lapsed_mail.message["Subject"].startswith("Offre expirée")  # in French
    assert any(m.message["Subject"].startswith("You are selected") for m in smtp.to(first.email))

    page = client.get(f"/my/{holder.token}")  # in French, the holder's language
    assert "la place a été proposée à une personne de la liste d’attente" in page.text
    assert "Oui, je participerai" not in page.text

    worker_once(app)  # again: nothing more happens
    assert [a.status for a in database.session.scalars(sa.select(Application))].count(
        Status.ACCEPTED
    ) == 1
    assert len(mails("application_status", to=holder.email)) == 1


def test_a_reminder_goes_before_the_confirm_by_date_once_in_the_applicants_language(
    app, one_place, move_clock, sign_in_as
):
    activity, holder, _first, _second = one_place
    move_clock(datetime.combine(date(2031, 2, 25), time(9), activity.zone))  # 4 days before
    worker.run_deadlines()
    assert mails("reminder") == []
    move_clock(datetime.combine(date(2031, 2, 26), time(9), activity.zone))  # 3 days before
    assert worker.run_deadlines() == (0, 1)
    assert worker.run_deadlines() == (0, 0)
    [reminder] = mails("reminder")
    assert reminder.to_address == holder.email
    assert reminder.subject.startswith("Merci de confirmer votre place")
    assert "1 mars 2031" in reminder.body_text
    staff = sign_in_as(Role.COURSE_ASSISTANT, activity)
    history = staff.get(f"/staff/applications/{holder.id}").text
    assert "application: reminder sent" in history and "kind: confirm_by" in history


def test_payment_first_session_and_evaluation_reminders_each_go_once(
    app, db, make_activity, make_application, factories, move_clock
):
    activity = make_activity(starts_at=datetime(2031, 6, 1, 7, 0, tzinfo=UTC))
    factories.session(activity, starts_at=activity.starts_at)
    owes = make_application(activity, status=Status.CONFIRMED)
    paid = make_application(activity, status=Status.CONFIRMED)
    paid.payments.append(
        Payment(amount=activity.fee_total, received_on=date(2031, 5, 1), method=PaymentMethod.CASH)
    )
    database.session.commit()

    move_clock(activity.starts_at - timedelta(days=20))
    worker.run_deadlines()
    assert mails("reminder") == []
    move_clock(activity.starts_at - timedelta(days=10))
    worker.run_deadlines()
    worker.run_deadlines()
    assert [m.to_address for m in mails("reminder")] == [owes.email]
    assert "Amount due" in mails("reminder")[0].subject

    move_clock(activity.starts_at - timedelta(hours=20))  # the day before, in Rome
    worker.run_deadlines()
    tomorrow = [m for m in mails("reminder") if m.subject.startswith("Tomorrow")]
    assert sorted(m.to_address for m in tomorrow) == sorted([owes.email, paid.email])
    assert all(a.filename.endswith(".ics") for m in tomorrow for a in m.attachments)

    database.session.add(EvaluationInvitation(application_id=owes.id, sent_at=activity.ends_at))
    database.session.add(
        EvaluationInvitation(
            application_id=paid.id, sent_at=activity.ends_at, used_at=activity.ends_at
        )
    )
    database.session.commit()
    move_clock(activity.ends_at + timedelta(days=4))
    worker.run_deadlines()
    worker.run_deadlines()
    opinion = [m for m in mails("reminder") if "opinion" in m.subject]
    assert [m.to_address for m in opinion] == [owes.email]
    assert "/evaluate/" in opinion[0].body_text
    kinds = database.session.scalars(
        sa.select(Reminder.kind).where(Reminder.application_id == owes.id)
    ).all()
    assert sorted(kinds) == ["evaluation", "first_session", "payment_due"]
    assert actions(owes.id).count("application.reminder_sent") == 3


def test_two_workers_lapsing_at_once_offer_each_place_exactly_once(
    app, db, make_activity, make_application, move_clock
):
    # On PostgreSQL the activity's row lock orders the two workers; SQLite's write lock must
    # give the same answer.
    activities = []
    for _ in range(3):
        activity = make_activity(
            capacity=2, waitlist_auto_offer=True, starts_at=datetime(2031, 6, 1, 7, tzinfo=UTC)
        )
        for _ in range(2):
            make_application(activity, status=Status.ACCEPTED, confirm_by=date(2031, 3, 1))
        for day in range(1, 5):
            make_application(
                activity,
                status=Status.WAITLISTED,
                waitlisted_at=datetime(2031, 1, day, tzinfo=activity.zone),
            )
        activities.append(activity)
    database.session.commit()
    move_clock(at_end_of(date(2031, 3, 1), activities[0], seconds=60))

    start = threading.Barrier(2)
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def one_worker() -> None:
        try:
            with app.app_context():
                start.wait(timeout=30)
                results.append(worker.run_deadlines())
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=one_worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(lapsed for lapsed, _ in results) == 6  # each lapsed by one worker only
    database.session.expire_all()
    for activity in activities:
        statuses = database.session.scalars(
            sa.select(Application.status)
            .where(Application.activity_id == activity.id)
            .order_by(Application.number)
        ).all()
        assert statuses == [Status.LAPSED] * 2 + [Status.ACCEPTED] * 2 + [Status.WAITLISTED] * 2
    offers = mails("application_status")
    offered = [m for m in offers if m.subject.startswith("You are selected")]
    assert len(offered) == 6 and len({m.to_address for m in offered}) == 6


def test_participants_who_reached_the_threshold_are_marked_attended_when_the_activity_ends(
    app, db, client, make_activity, make_application, factories, move_clock, sign_in_as
):
    activity = make_activity(
        starts_at=datetime(2031, 6, 1, 7, tzinfo=UTC), certificate_threshold=80
    )
    sessions = [
        factories.session(activity, starts_at=activity.starts_at + timedelta(hours=4 * n))
        for n in range(5)
    ]
    four, three, declared = (
        make_application(activity, status=Status.CONFIRMED, family_name=name)
        for name in ("Fourfive", "Threefive", "Declared")
    )
    declared.certificate_eligible = True
    for person, present in ((four, 4), (three, 3)):
        for session in sessions[:present]:
            database.session.add(
                Attendance(application_id=person.id, session_id=session.id, present=True)
            )
    database.session.commit()

    move_clock(activity.ends_at - timedelta(minutes=1))
    worker.run_deadlines()
    assert database.session.get(Application, four.id).status == Status.CONFIRMED  # not yet

    move_clock(activity.ends_at + timedelta(minutes=1))
    worker.run_deadlines()
    database.session.expire_all()
    statuses = [database.session.get(Application, a.id).status for a in (four, three, declared)]
    assert statuses == [Status.ATTENDED, Status.CONFIRMED, Status.ATTENDED]
    staff = sign_in_as(Role.COURSE_ASSISTANT, activity)
    listed = staff.get(f"/staff/activities/{activity.id}/applications?status=attended").text
    assert "Fourfive" in listed and "Declared" in listed and "Threefive" not in listed
    assert "You took part in the activity" in client.get(f"/my/{four.token}").text
