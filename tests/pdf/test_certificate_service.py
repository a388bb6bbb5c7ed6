"""Who earns a certificate, issuing and revoking: the rules, without HTTP."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sqlalchemy as sa

from eventreg.models import ApplicationStatus, AuditLog, Certificate
from eventreg.services import certificates
from eventreg.services.certificates import (
    AlreadyRevoked,
    ReasonRequired,
    attendance_percent,
    is_eligible,
    issue_certificates,
    revoke_certificate,
)

from .conftest import mark_attendance


def activity_with_sessions(make_activity, factories, count: int, threshold: int = 80):
    activity = make_activity(certificate_threshold=threshold)
    for _ in range(count):
        factories.session(activity)
    return activity


@pytest.fixture
def ended(move_clock):
    """`ended(activity)`: move the project's clock past the activity's end."""
    return lambda activity: move_clock(activity.ends_at)


def test_exactly_the_threshold_is_eligible(make_activity, factories, make_application):
    activity = activity_with_sessions(make_activity, factories, 5)
    four_of_five = make_application(activity, status=ApplicationStatus.ATTENDED)
    mark_attendance(four_of_five, activity.sessions, 4)
    assert attendance_percent(four_of_five) == 80
    assert is_eligible(four_of_five)


def test_just_under_the_threshold_is_not(make_activity, factories, make_application):
    # 63 of 79 sessions is 79.75%: rounding to one decimal would say 79.7, never 80.
    activity = activity_with_sessions(make_activity, factories, 79)
    sixty_three = make_application(activity, status=ApplicationStatus.ATTENDED)
    mark_attendance(sixty_three, activity.sessions, 63)
    assert Fraction(79, 1) < attendance_percent(sixty_three) < 80
    assert not is_eligible(sixty_three)


def test_percentages_are_exact_where_floats_are_not(make_activity, factories, make_application):
    # 0.29 * 100 is 28.999999999999996 in floating point; 29 of 100 must pass a 29% threshold.
    activity = activity_with_sessions(make_activity, factories, 100, threshold=29)
    application = make_application(activity, status=ApplicationStatus.ATTENDED)
    mark_attendance(application, activity.sessions, 29)
    assert attendance_percent(application) == 29
    assert is_eligible(application)


def test_staff_decision_wins_over_attendance(make_activity, factories, make_application):
    activity = activity_with_sessions(make_activity, factories, 5)
    absent = make_application(
        activity, status=ApplicationStatus.ATTENDED, certificate_eligible=True
    )
    present = make_application(
        activity, status=ApplicationStatus.ATTENDED, certificate_eligible=False
    )
    mark_attendance(absent, activity.sessions, 0)
    mark_attendance(present, activity.sessions, 5)
    assert is_eligible(absent)
    assert not is_eligible(present)


def test_an_activity_without_sessions_gives_zero_percent(make_activity, make_application):
    activity = make_activity()
    application = make_application(activity, status=ApplicationStatus.ATTENDED)
    assert attendance_percent(application) == 0
    assert not is_eligible(application)


def test_issuing_covers_eligible_participants_once_and_is_audited(
    db, make_activity, factories, make_application, make_staff, ended
):
    activity = activity_with_sessions(make_activity, factories, 5)
    ended(activity)
    assistant = make_staff()
    earned = make_application(activity, status=ApplicationStatus.ATTENDED)
    confirmed = make_application(activity, status=ApplicationStatus.CONFIRMED)
    short = make_application(activity, status=ApplicationStatus.ATTENDED)
    withdrawn = make_application(
        activity, status=ApplicationStatus.WITHDRAWN, certificate_eligible=True
    )
    mark_attendance(earned, activity.sessions, 5)
    mark_attendance(confirmed, activity.sessions, 4)
    mark_attendance(short, activity.sessions, 3)

    issued = issue_certificates(activity, by=assistant)

    assert {c.application_id for c in issued} == {earned.id, confirmed.id}
    assert withdrawn.id not in {c.application_id for c in issued}
    assert all(c.issued_by_id == assistant.id and len(c.code) == 19 for c in issued)
    assert issue_certificates(activity, by=assistant) == []  # nobody gets a second one
    entries = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "certificate.issued")
    ).all()
    assert len(entries) == 2
    assert {e.actor_id for e in entries} == {assistant.id}
    assert {e.activity_id for e in entries} == {activity.id}


def test_revoking_needs_a_reason_happens_once_and_is_audited(
    db, make_activity, factories, make_application, make_staff, ended
):
    activity = activity_with_sessions(make_activity, factories, 1)
    ended(activity)
    application = make_application(activity, status=ApplicationStatus.ATTENDED)
    mark_attendance(application, activity.sessions, 1)
    (certificate,) = issue_certificates(activity, by=None)
    manager = make_staff()

    with pytest.raises(ReasonRequired) as refused:
        revoke_certificate(certificate, reason="  ", by=manager)
    assert refused.value.field == "reason"
    assert certificate.revoked_at is None

    revoke_certificate(certificate, reason="Attendance sheet was forged.", by=manager)
    assert certificate.revoked_at is not None
    assert certificate.revoked_reason == "Attendance sheet was forged."
    with pytest.raises(AlreadyRevoked):
        revoke_certificate(certificate, reason="Again", by=manager)

    entry = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "certificate.revoked")
    ).one()
    assert entry.actor_id == manager.id and entry.application_id == application.id
    assert entry.after["revoked_reason"] == "Attendance sheet was forged."
    # A revoked certificate stands no more, and its holder is not issued a new one.
    assert certificates.issued_certificates(activity) == []
    assert issue_certificates(activity, by=None) == []
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd-efgh-jkmn-pqrs", "ABCD-EFGH-JKMN-PQRS"),
        (" ABCD EFGH JKMN PQRS ", "ABCD-EFGH-JKMN-PQRS"),
        ("ABCDEFGHJKMNPQRS", "ABCD-EFGH-JKMN-PQRS"),
        ("ABCD-EFGH-JKMN", None),
        ("ABCD-EFGH-JKMN-PQR1", None),  # 1 is not in the alphabet
        ("../../etc/passwd", None),
    ],
)
def test_codes_are_read_as_people_type_them(typed, expected):
    assert certificates.normalise_code(typed) == expected
