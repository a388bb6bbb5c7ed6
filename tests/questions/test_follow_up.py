"""The follow-up form: open to participants holding a place until its deadline; its answers
reach the invitation letter; staff see who has not answered and remind them."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from pypdf import PdfReader

from eventreg import clock
from eventreg.extensions import db
from eventreg.models import ApplicationStatus, EmailOutbox, Reminder, ReminderKind, Role
from eventreg.models.questions import FormKind
from eventreg.pdf.letters import acceptance_letter
from eventreg.services import followup

from ..conftest import csrf_token_from


@pytest.fixture
def travel(make_activity, make_application, add_question):
    """An activity whose follow-up form asks a passport number and an arrival date."""
    activity = make_activity(follow_up_by=date.today() + timedelta(days=20))
    passport = add_question(
        activity, "short_text", "Passport number", required=True, form=FormKind.FOLLOW_UP
    )
    arrival = add_question(activity, "date", "Arrival date", form=FormKind.FOLLOW_UP)
    accepted = make_application(activity, given_names="Ama", status=ApplicationStatus.ACCEPTED)
    waiting = make_application(activity, given_names="Bo", status=ApplicationStatus.SUBMITTED)
    db.session.commit()
    return activity, passport, arrival, accepted, waiting


def test_a_participant_answers_and_the_letter_carries_the_answers(client, travel):
    activity, passport, arrival, accepted, waiting = travel
    status = client.get(f"/my/{accepted.token}")
    assert "Before you come: tell us your travel details" in status.text
    page = client.get(f"/my/{accepted.token}/follow-up")
    assert page.status_code == 200 and "Passport number" in page.text
    token = csrf_token_from(page.text)
    refused = client.post(
        f"/my/{accepted.token}/follow-up",
        data={"csrf_token": token, f"q{arrival.id}": "2027-07-12"},
    )
    assert refused.status_code == 422 and "Please answer this question." in refused.text
    done = client.post(
        f"/my/{accepted.token}/follow-up",
        data={"csrf_token": token, f"q{passport.id}": "PA1234567", f"q{arrival.id}": "2027-07-12"},
    )
    assert done.status_code in (302, 303)
    db.session.expire_all()
    assert followup.not_answered(activity) == []
    letter = PdfReader(io.BytesIO(acceptance_letter(accepted)))
    text = "".join(page.extract_text() for page in letter.pages)
    assert "Passport number" in text and "PA1234567" in text and "2027-07-12" in text


def test_the_form_is_closed_to_applicants_without_a_place_and_after_its_deadline(client, travel):
    activity, passport, arrival, accepted, waiting = travel
    assert "Before you come" not in client.get(f"/my/{waiting.token}").text
    closed = client.get(f"/my/{waiting.token}/follow-up")
    assert closed.headers["Location"].endswith(f"/my/{waiting.token}")
    activity.follow_up_by = date.today() - timedelta(days=2)
    db.session.commit()
    assert client.get(f"/my/{accepted.token}/follow-up").status_code in (302, 303)


def test_staff_see_who_has_not_answered_and_remind_them(sign_in_as, travel):
    activity, passport, arrival, accepted, waiting = travel
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    url = f"/staff/activities/{activity.id}/form/follow_up/questions"
    page = manager.get(url)
    assert "Not answered yet (1)" in page.text and accepted.reference in page.text
    assert waiting.reference not in page.text
    response = manager.post(
        f"/staff/activities/{activity.id}/form/follow-up/remind",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert response.headers["Location"].endswith(url)
    reminders = db.session.query(EmailOutbox).filter_by(template="follow_up_reminder").all()
    assert [r.to_address for r in reminders] == [accepted.email]
    assert accepted.token in reminders[0].body_text


def test_the_worker_reminds_once_as_the_deadline_comes_near_those_who_have_not_answered(
    app, client, travel, make_application, monkeypatch
):
    activity, passport, arrival, accepted, waiting = travel
    answered = make_application(activity, given_names="Cy", status=ApplicationStatus.CONFIRMED)
    db.session.commit()
    page = client.get(f"/my/{answered.token}/follow-up")
    client.post(
        f"/my/{answered.token}/follow-up",
        data={"csrf_token": csrf_token_from(page.text), f"q{passport.id}": "PB7654321"},
    )

    def worker_once_on(day: date) -> list[str]:
        moment = datetime.combine(day, time(9), activity.zone)
        monkeypatch.setattr(clock, "now", lambda: moment)
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        return [
            mail.to_address
            for mail in db.session.query(EmailOutbox).filter_by(template="follow_up_reminder")
        ]

    deadline = activity.follow_up_by
    assert worker_once_on(deadline - timedelta(days=10)) == []
    assert worker_once_on(deadline - timedelta(days=2)) == [accepted.email]
    assert worker_once_on(deadline - timedelta(days=1)) == [accepted.email]  # not twice
    kinds = db.session.query(Reminder.application_id, Reminder.kind).all()
    assert kinds == [(accepted.id, ReminderKind.FOLLOW_UP)]


def test_the_letter_reads_the_answers_in_the_letters_language(
    client, make_activity, make_application
):
    """A French participant's letter gives the question and a yes in French, as answered."""
    from eventreg.models.questions import Question
    from eventreg.services import questions as service

    activity = make_activity(follow_up_by=date.today() + timedelta(days=20))
    wording = {"en": "Do you need a visa?", "fr": "Avez-vous besoin d’un visa ?"}
    spec = service.QuestionSpec(type="yes_no", label=wording, form=FormKind.FOLLOW_UP)
    visa = service.save_question(activity, Question(), spec, by=None)
    accepted = make_application(activity, language="fr", status=ApplicationStatus.ACCEPTED)
    db.session.commit()
    page = client.get(f"/my/{accepted.token}/follow-up")
    done = client.post(
        f"/my/{accepted.token}/follow-up",
        data={"csrf_token": csrf_token_from(page.text), f"q{visa.id}": "yes"},
    )
    assert done.status_code in (302, 303)
    db.session.expire_all()
    letter = PdfReader(io.BytesIO(acceptance_letter(accepted)))
    text = " ".join(page.extract_text() for page in letter.pages)
    assert "Avez-vous besoin d’un visa ?" in text and "Oui" in text
    assert "Do you need a visa?" not in text and "Yes" not in text
