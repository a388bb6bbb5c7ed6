"""Attendance: marked in the room, imported from paper, counted exactly."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from eventreg.models import ApplicationStatus, Attendance, AuditLog, Role
from eventreg.services import attendance

from ..conftest import csrf_token_from


@pytest.fixture
def course(make_activity, factories, make_application, move_clock):
    activity = make_activity(certificate_threshold=80)
    for n in range(5):
        factories.session(
            activity,
            title=f"Session {n + 1}",
            starts_at=activity.starts_at + timedelta(hours=4 * n),
        )
    move_clock(activity.ends_at)  # every session's day has come
    people = [
        make_application(
            activity, given_names=name, family_name=family, status=ApplicationStatus.CONFIRMED
        )
        for name, family in [("Amina", "Diallo"), ("Binod", "Gurung"), ("Carmen", "Quispe")]
    ]
    make_application(activity, status=ApplicationStatus.SUBMITTED, family_name="Notyet")
    return activity, people


def test_marking_keeps_the_last_word_and_audits_each(db, course, make_staff):
    activity, (amina, *_) = course
    trainer = make_staff(Role.TRAINER, activity)
    session = activity.sessions[0]
    attendance.mark(amina, session, present=True, by=trainer)
    attendance.mark(amina, session, present=False, by=trainer)
    assert attendance.marks(session) == {amina.id: False}
    assert db.session.query(Attendance).count() == 1
    assert db.session.query(AuditLog).filter_by(action="attendance_marked").count() == 2


def test_only_confirmed_participants_of_the_activity_can_be_marked(
    db, course, make_activity, make_application
):
    activity, _ = course
    stranger = make_application(make_activity(), status=ApplicationStatus.CONFIRMED)
    applicant = make_application(activity, status=ApplicationStatus.SUBMITTED)
    for person in (stranger, applicant):
        with pytest.raises(attendance.NotAParticipant, match="Only confirmed participants"):
            attendance.mark(person, activity.sessions[0], present=True, by=None)


def test_percentages_are_exact_at_the_threshold(db, course):
    activity, (amina, binod, carmen) = course
    for session in activity.sessions[:4]:  # 4 of 5 = exactly 80%
        attendance.mark(amina, session, present=True, by=None)
    for session in activity.sessions[:3]:  # 3 of 5 = 60%
        attendance.mark(binod, session, present=True, by=None)
    rows = {row.application.id: row for row in attendance.summary(activity)}
    assert rows[amina.id].percent == 80 and rows[amina.id].eligible
    assert rows[binod.id].percent == 60 and not rows[binod.id].eligible
    assert rows[carmen.id].attended == 0
    assert attendance.head_counts(activity)[activity.sessions[0].id] == 2


def test_just_under_the_threshold_is_not_eligible(db, make_activity, factories, make_application):
    activity = make_activity(certificate_threshold=80)
    for n in range(1000):
        factories.session(
            activity,
            title=f"S{n}",
            starts_at=activity.starts_at + timedelta(minutes=10 * n),
            ends_at=activity.starts_at + timedelta(minutes=10 * n + 5),
        )
    person = make_application(activity, status=ApplicationStatus.CONFIRMED)
    db.session.add_all(
        Attendance(application_id=person.id, session_id=s.id, present=True)
        for s in activity.sessions[:799]
    )  # 79.9%
    db.session.flush()
    [row] = attendance.summary(activity)
    assert float(row.percent) == pytest.approx(79.9)
    assert not row.eligible


def test_a_tally_from_paper_is_imported_whole_or_not_at_all(db, course):
    activity, (amina, binod, _) = course
    first, second = activity.sessions[0], activity.sessions[1]
    head = f"reference,{first.local_start:%Y-%m-%d %H:%M},{second.local_start:%Y-%m-%d %H:%M}"
    bad = f"{head}\n{amina.reference},1,x\nNOPE-0001,1,1\n{binod.reference},maybe,0\n"
    with pytest.raises(attendance.ImportRefused) as refused:
        attendance.import_tally(activity, bad, by=None)
    assert any("NOPE-0001" in p for p in refused.value.problems)
    assert any("'maybe'" in p for p in refused.value.problems)
    assert db.session.query(Attendance).count() == 0
    report = attendance.import_tally(
        activity, f"{head}\n{amina.reference},1,x\n{binod.reference},0,yes\n", by=None
    )
    assert report.marked == 4
    assert attendance.marks(first) == {amina.id: True, binod.id: False}


def test_a_trainer_marks_attendance_through_the_page(db, course, sign_in_as):
    activity, (amina, binod, carmen) = course
    trainer = sign_in_as(Role.TRAINER, activity)
    session = activity.sessions[0]
    page = trainer.get(f"/trainer/sessions/{session.id}")
    assert page.status_code == 200
    assert "DIALLO, Amina" in page.text and "Notyet" not in page.text
    token = csrf_token_from(page.text)
    everyone = trainer.post(
        f"/trainer/sessions/{session.id}/all-present", data={"csrf_token": token}
    )
    assert everyone.status_code in (302, 303)
    answer = trainer.post(
        f"/trainer/sessions/{session.id}/mark",
        data={"csrf_token": token, "application_id": binod.id, "present": "0"},
        headers={"Accept": "application/json"},
    )
    assert answer.json == {
        "message": f"{binod.full_name}: absent.",
        "present": False,
        "head_count": 2,
    }
    assert attendance.marks(session) == {amina.id: True, binod.id: False, carmen.id: True}


def test_attendance_is_refused_to_others(db, course, sign_in_as, make_activity, client):
    activity, (amina, *_) = course
    session = activity.sessions[0]
    other_trainer = sign_in_as(Role.TRAINER, make_activity())
    assert other_trainer.get(f"/trainer/sessions/{session.id}").status_code == 403
    page = other_trainer.get("/trainer/")
    refused = other_trainer.post(
        f"/trainer/sessions/{session.id}/mark",
        data={"csrf_token": csrf_token_from(page.text), "application_id": amina.id, "present": "1"},
    )
    assert refused.status_code == 403
    # An applicant's private link is no staff session.
    assert "/staff/sign-in" in client.get(f"/trainer/sessions/{session.id}").headers["Location"]
    no_token = sign_in_as(Role.TRAINER, activity).post(
        f"/trainer/sessions/{session.id}/mark", data={"application_id": amina.id, "present": "1"}
    )
    assert no_token.status_code == 400
    assert attendance.marks(session) == {}


def test_two_devices_marking_at_once_both_succeed_and_one_stands(app, db, course):
    activity, (amina, *_) = course
    session_id, application_id = activity.sessions[0].id, amina.id
    db.session.commit()
    errors: list[BaseException] = []

    def tap(present: bool) -> None:
        try:
            with app.app_context():
                from eventreg.extensions import db as database
                from eventreg.models import ActivitySession, Application

                person = database.session.get(Application, application_id)
                where = database.session.get(ActivitySession, session_id)
                for _ in range(10):
                    attendance.mark(person, where, present=present, by=None)
                    database.session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=tap, args=(flag,)) for flag in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    db.session.expire_all()
    assert db.session.query(Attendance).count() == 1
