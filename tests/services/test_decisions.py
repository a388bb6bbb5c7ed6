"""Staff decisions: review, accept within capacity (even when two accept at once), waitlist."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from eventreg.models import Application, ApplicationStatus, EmailOutbox, Role
from eventreg.services import applicant, decisions, lifecycle
from eventreg.services.decisions import PlacesFull
from eventreg.services.lifecycle import InvalidTransition

Status = ApplicationStatus


@pytest.fixture
def staff(make_staff):
    return make_staff(Role.ADMIN)


def mails(db, template: str = "application_status") -> list[EmailOutbox]:
    return list(
        db.session.scalars(
            sa.select(EmailOutbox).where(EmailOutbox.template == template).order_by(EmailOutbox.id)
        )
    )


def test_accepting_sets_the_confirm_by_date_in_the_activity_timezone(
    db, make_activity, make_application, staff
):
    activity = make_activity(timezone="Asia/Kathmandu", confirm_within_days=10)
    application = make_application(activity, language="fr")
    # 20:00 UTC on 1 March is already 2 March in Kathmandu (UTC+05:45).
    decisions.accept_application(application, by=staff, now=datetime(2031, 3, 1, 20, 0, tzinfo=UTC))
    assert application.status == Status.ACCEPTED
    assert application.confirm_by == date(2031, 3, 12)
    [mail] = mails(db)
    assert mail.subject.startswith("Votre candidature est retenue")
    assert "12 mars 2031" in mail.body_text
    assert [a.filename for a in mail.attachments] == [f"{activity.reference}.ics"]


def test_accepting_beyond_capacity_is_refused(db, make_activity, make_application, staff):
    activity = make_activity(capacity=2)
    confirmed = make_application(activity, status=Status.CONFIRMED)
    accepted = make_application(activity)
    waiting = make_application(activity)
    make_application(activity, status=Status.WITHDRAWN)  # holds no place
    decisions.accept_application(accepted, by=staff)
    assert lifecycle.places_taken(activity.id) == 2 and confirmed.status == Status.CONFIRMED
    with pytest.raises(PlacesFull, match="All 2 places are taken"):
        decisions.accept_application(waiting, by=staff)
    assert waiting.status == Status.SUBMITTED
    assert len(mails(db)) == 1


def test_a_withdrawn_application_cannot_be_accepted(db, make_activity, make_application, staff):
    application = make_application(make_activity(), status=Status.WITHDRAWN)
    with pytest.raises(InvalidTransition, match="withdrawn cannot become accepted"):
        decisions.accept_application(application, by=staff)


def test_the_waiting_list_keeps_its_order(db, make_activity, make_application, staff):
    activity = make_activity()
    first, second = make_application(activity), make_application(activity)
    decisions.waitlist_application(second, by=staff, now=datetime(2031, 1, 2, tzinfo=UTC))
    decisions.waitlist_application(first, by=staff, now=datetime(2031, 1, 3, tzinfo=UTC))
    assert lifecycle.waiting_list(activity.id) == [second, first]
    assert [m.to_address for m in mails(db)] == [second.email, first.email]


def test_rejecting_tells_the_applicant_but_not_the_internal_note(
    db, make_activity, make_application, staff
):
    application = make_application(make_activity())
    decisions.reject_application(application, by=staff, note="Too junior for this edition")
    [mail] = mails(db)
    assert "not retained" in mail.body_text
    assert "junior" not in mail.body_text and "junior" not in mail.body_html


def test_marking_under_review_sends_no_email(db, make_activity, make_application, staff):
    application = make_application(make_activity())
    decisions.mark_under_review(application, by=staff)
    assert application.status == Status.UNDER_REVIEW
    assert mails(db) == []


def test_the_last_place_goes_to_one_of_two_concurrent_acceptances(
    app, db, make_activity, make_application, staff
):
    activity = make_activity(capacity=1)
    ids = [make_application(activity).id, make_application(activity).id]
    staff_id = staff.id
    db.session.commit()
    start = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def accept(application_id: int) -> None:
        try:
            with app.app_context():
                from eventreg.extensions import db as database
                from eventreg.models import StaffUser

                application = database.session.get(Application, application_id)
                by = database.session.get(StaffUser, staff_id)
                start.wait(timeout=10)
                try:
                    decisions.accept_application(application, by=by)
                except PlacesFull:
                    database.session.rollback()
                    results.append("places_full")
                else:
                    database.session.commit()
                    results.append("accepted")
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == ["accepted", "places_full"]
    db.session.expire_all()
    assert lifecycle.places_taken(activity.id) == 1


def test_a_decision_reloads_the_application_before_changing_it(
    app, db, make_activity, make_application, staff
):
    """An applicant who withdrew a moment ago is not accepted from a stale copy."""
    application = make_application(make_activity())
    db.session.commit()
    with app.app_context():
        from eventreg.extensions import db as database

        other = database.session.get(Application, application.id)
        applicant.withdraw_application(other, now=datetime.now(UTC))
        database.session.commit()
    assert application.status == Status.SUBMITTED  # our copy is stale
    with pytest.raises(InvalidTransition):
        decisions.accept_application(application, by=staff)
    assert application.status == Status.WITHDRAWN
