"""Date guards: attendance from a session's day on, evaluation once the activity has started,
certificates once it has ended. Each page says why before the click; a refusal changes nothing.

Time is moved with the project's clock, never with sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventreg.models import (
    ApplicationStatus,
    Certificate,
    EmailOutbox,
    EvaluationInvitation,
    Job,
    Role,
)
from eventreg.services import attendance, certificates, evaluations
from eventreg.services.errors import TooEarly

from ..conftest import csrf_token_from


@pytest.fixture
def course(db, make_activity, factories, make_application):
    """Two sessions in Rome, on 12 and 13 July 2027 at 09:00, and one confirmed participant."""
    activity = make_activity(
        starts_at=datetime(2027, 7, 12, 7, 0, tzinfo=UTC),
        ends_at=datetime(2027, 7, 13, 16, 0, tzinfo=UTC),
        certificate_threshold=50,
    )
    first = factories.session(activity, title="Opening", starts_at=activity.starts_at)
    second = factories.session(
        activity, title="Closing", starts_at=activity.starts_at + timedelta(days=1)
    )
    amina = make_application(
        activity, given_names="Amina", family_name="Diallo", status=ApplicationStatus.CONFIRMED
    )
    db.session.commit()
    return activity, first, second, amina


def rome(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in July 2027 given as Rome's clock reads it (UTC+2)."""
    return datetime(2027, 7, day, hour, minute, tzinfo=UTC) - timedelta(hours=2)


def test_attendance_opens_at_midnight_of_the_sessions_day_in_the_activitys_timezone(
    course, move_clock
):
    activity, first, _second, amina = course
    move_clock(rome(11, 23, 59))
    with pytest.raises(TooEarly, match="This session is on Monday 12 July 2027"):
        attendance.mark(amina, first, present=True, by=None)
    assert attendance.marks(first) == {}
    move_clock(rome(12, 0, 0))
    attendance.mark(amina, first, present=True, by=None)
    assert attendance.marks(first) == {amina.id: True}


def test_staff_may_correct_a_past_session(course, move_clock):
    _activity, first, _second, amina = course
    move_clock(rome(20, 10))
    attendance.mark(amina, first, present=False, by=None)
    assert attendance.marks(first) == {amina.id: False}


def test_the_trainers_page_shows_the_marks_disabled_with_the_reason_before_the_day(
    course, move_clock, sign_in_as
):
    activity, _first, second, amina = course
    client = sign_in_as(Role.TRAINER, activity)
    move_clock(rome(12, 10))  # the first day: the closing session is tomorrow
    page = client.get(f"/trainer/sessions/{second.id}")
    assert "This session is on Tuesday 13 July 2027" in page.text
    assert page.text.count('disabled aria-describedby="no-marks"') == 3  # all + present/absent
    refused = client.post(
        f"/trainer/sessions/{second.id}/mark",
        data={"application_id": amina.id, "present": "1", "csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    )
    assert "attendance can be marked from that day on" in refused.text
    everyone = client.post(
        f"/trainer/sessions/{second.id}/all-present",
        data={"csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    )
    assert "attendance can be marked from that day on" in everyone.text
    assert attendance.marks(second) == {}
    move_clock(rome(13, 9))
    page = client.get(f"/trainer/sessions/{second.id}")
    assert "disabled" not in page.text and "Not yet" not in page.text


def test_a_tally_naming_a_session_still_to_come_imports_nothing(course, move_clock):
    activity, _first, _second, amina = course
    move_clock(rome(12, 18))
    tally = f"reference,2027-07-12 09:00,2027-07-13 09:00\n{amina.reference},1,1\n"
    with pytest.raises(attendance.ImportRefused) as refused:
        attendance.import_tally(activity, tally, by=None)
    assert any("Tuesday 13 July 2027" in problem for problem in refused.value.problems)
    assert attendance.attended_counts(activity.id) == {}


def test_certificates_are_issued_only_once_the_activity_has_ended(
    db, course, move_clock, sign_in_as
):
    activity, first, second, amina = course
    move_clock(rome(13, 9))
    attendance.mark(amina, first, present=True, by=None)
    attendance.mark(amina, second, present=True, by=None)
    db.session.commit()
    client = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = client.get(f"/staff/activities/{activity.id}/certificates")
    assert "Certificates are issued once the activity has ended, on 13 July 2027, 18:00" in (
        page.text
    )
    assert 'disabled aria-describedby="no-certificates"' in page.text
    refused = client.post(
        f"/staff/activities/{activity.id}/certificates/issue",
        data={"csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    )
    assert "Certificates are issued once the activity has ended" in refused.text
    assert db.session.query(Job).count() == 0
    with pytest.raises(TooEarly):
        certificates.issue_certificates(activity, by=None)
    assert db.session.query(Certificate).count() == 0
    move_clock(rome(13, 18))
    page = client.get(f"/staff/activities/{activity.id}/certificates")
    assert "no-certificates" not in page.text
    assert [c.application for c in certificates.issue_certificates(activity, by=None)] == [amina]


def test_evaluation_invitations_go_only_once_the_activity_has_started(
    db, course, move_clock, sign_in_as
):
    activity, *_ = course
    client = sign_in_as(Role.COURSE_ASSISTANT, activity)
    move_clock(rome(12, 8, 59))
    page = client.get(f"/staff/activities/{activity.id}/evaluation")
    assert "invited to evaluate once the activity has started, on 12 July 2027, 09:00" in (
        page.text
    )
    assert 'disabled aria-describedby="no-invitations"' in page.text
    refused = client.post(
        f"/staff/activities/{activity.id}/evaluation/invite",
        data={"csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    )
    assert "invited to evaluate once the activity has started" in refused.text
    assert db.session.query(EvaluationInvitation).count() == 0
    assert db.session.query(EmailOutbox).filter_by(template="evaluation_invitation").count() == 0
    move_clock(rome(12, 9))
    sent = client.post(
        f"/staff/activities/{activity.id}/evaluation/invite",
        data={"csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    )
    assert "1 participants were sent an evaluation link." in sent.text
    assert evaluations.why_no_invitations(activity) is None
