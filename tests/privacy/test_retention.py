"""Retention: the worker erases what is due when the clock has moved, keeps what is held."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventreg import clock, worker
from eventreg.extensions import db as _db
from eventreg.models import Application, ApplicationStatus, AuditLog, Question, Role
from eventreg.models.questions import Answer
from eventreg.services import questions as question_service
from eventreg.services import retention


@pytest.fixture
def ended(db, make_activity, make_application):
    """An activity that ended; a participant, a rejected applicant and a held one."""
    activity = make_activity(keep_others_days=30, keep_participants_days=365)
    participant = make_application(
        activity, given_names="Pia", family_name="Participant", status=ApplicationStatus.CONFIRMED
    )
    rejected = make_application(
        activity, given_names="Rex", family_name="Rejected", status=ApplicationStatus.REJECTED
    )
    held = make_application(
        activity, given_names="Hal", family_name="Held", status=ApplicationStatus.REJECTED
    )
    _db.session.commit()
    return activity, participant, rejected, held


def moved_to(monkeypatch, moment):
    monkeypatch.setattr(clock, "now", lambda: moment)


def names(db):
    db.session.expire_all()
    return sorted(a.full_name for a in db.session.scalars(sa.select(Application)))


def test_the_worker_erases_what_is_due_and_keeps_what_is_held(db, monkeypatch, ended, make_staff):
    activity, participant, rejected, held = ended
    admin = make_staff(Role.ADMIN)
    retention.hold(held, reason="A payment dispute in court", by=admin)
    db.session.commit()
    # The day before the others' time is up: nothing happens.
    moved_to(monkeypatch, activity.ends_at + timedelta(days=29))
    assert worker.run_retention() == (0, 0)
    assert retention.due(clock.now()).applications == []
    # Thirty-one days on: the rejected applicant goes; the participant and the held stay.
    moved_to(monkeypatch, activity.ends_at + timedelta(days=31))
    assert [a.id for a in retention.due(clock.now()).applications] == [rejected.id]
    assert [a.id for a in retention.due(clock.now()).held] == [held.id]
    assert worker.run_retention() == (1, 0)
    assert worker.run_retention() == (0, 0)  # idempotent
    assert names(db) == ["Hal Held", "Pia Participant", f"erased applicant #{rejected.id}"]
    entry = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "application.erased")
    ).one()
    assert entry.actor_label == "retention" and "Retention" in entry.note
    # A year on, the participant goes too.
    moved_to(monkeypatch, activity.ends_at + timedelta(days=366))
    assert worker.run_retention() == (1, 0)
    assert "Pia Participant" not in names(db) and "Hal Held" in names(db)


def test_a_passport_number_goes_soon_after_the_activity(db, monkeypatch, ended):
    activity, participant, rejected, held = ended
    spec = question_service.QuestionSpec(
        type="short_text", label={"en": "Passport number"}, settings={"keep_days": 7}
    )
    question = question_service.save_question(activity, Question(), spec, by=None)
    assert question.settings["keep_days"] == 7
    answer = Answer(
        application_id=participant.id,
        question_id=question.id,
        label="Passport number",
        shown="PX1234567",
        value="PX1234567",
    )
    db.session.add(answer)
    db.session.commit()
    moved_to(monkeypatch, activity.ends_at + timedelta(days=8))
    assert worker.run_retention() == (0, 1)
    db.session.expire_all()
    kept = db.session.get(Answer, answer.id)
    assert kept.shown == "" and kept.value is None
    assert db.session.get(Application, participant.id).full_name == "Pia Participant"
    assert worker.run_retention() == (0, 0)


def test_two_workers_at_once_erase_each_person_once(app, db, monkeypatch, ended):
    activity, participant, rejected, held = ended
    moved_to(monkeypatch, activity.ends_at + timedelta(days=400))
    results = []

    def run() -> None:
        with app.app_context():
            results.append(worker.run_retention())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(erased for erased, _ in results) == 3
    db.session.expire_all()
    erased_entries = db.session.scalar(
        sa.select(sa.func.count()).where(AuditLog.action == "application.erased")
    )
    assert erased_entries == 3
