"""Online evaluation: one answer per participant, anonymous by default, a report staff trust."""

from __future__ import annotations

import io
import re
from fractions import Fraction

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from eventreg.models import (
    ApplicationStatus,
    EvaluationInvitation,
    EvaluationResponse,
    Role,
)
from eventreg.services import evaluations

from ..conftest import csrf_token_from


@pytest.fixture
def workshop(make_activity, make_application, move_clock):
    activity = make_activity(reference="A901357", evaluation_anonymous=True)
    move_clock(activity.ends_at)  # the workshop is over: participants may evaluate it
    people = [
        make_application(
            activity,
            given_names=g,
            family_name=f,
            email=f"{g.lower()}@example.net",
            status=ApplicationStatus.CONFIRMED,
        )
        for g, f in [("Amina", "Diallo"), ("Binod", "Gurung"), ("Carmen", "Quispe")]
    ]
    make_application(activity, status=ApplicationStatus.REJECTED, email="no@example.net")
    return activity, people


def ratings(activity, *marks):
    questions = evaluations.ensure_questions(activity)
    rated = [q for q in questions if q.kind.value == "rating"]
    values = {q.id: mark for q, mark in zip(rated, marks, strict=True)}
    values.update({q.id: "" for q in questions if q.kind.value == "open"})
    return values


def test_the_satisfaction_rate_is_the_share_of_fours_and_fives(db, workshop):
    activity, _ = workshop
    evaluations.record_paper(activity, ratings(activity, 5, 4, 3, 2, 5), by=None)
    evaluations.record_paper(activity, ratings(activity, 4, 4, 4, 1, 5), by=None)
    result = evaluations.report(activity)
    # 10 ratings; 4 or 5: 5,4,5 + 4,4,4,5 = 7 -> 70%.
    assert (result.satisfied, result.ratings) == (7, 10)
    assert result.satisfaction_rate == Fraction(7, 10)
    assert result.responses == 2 and result.participants == 3
    first = result.questions[0]
    assert first.distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1} and first.mean == 4.5


def test_an_evaluation_link_answers_once(db, workshop, smtp, deliver, client):
    activity, (amina, *_) = workshop
    invited = evaluations.invite_participants(activity, by=None)
    assert len(invited) == 3  # confirmed only, not the rejected applicant
    assert evaluations.invite_participants(activity, by=None) == []  # nobody twice
    db.session.commit()
    deliver()
    [mail] = smtp.to("amina@example.net")
    link = re.search(
        r"http://localhost(/evaluate/\S+)",
        mail.message.get_body(preferencelist=("plain",)).get_content(),
    ).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "anonymous" in page.text
    questions = evaluations.ensure_questions(activity)
    db.session.commit()
    form = {"csrf_token": csrf_token_from(page.text)}
    for q in questions:
        form[f"q{q.position}"] = "5" if q.kind.value == "rating" else "Useful cases"
    assert "Thank you" in client.post(link, data=form).text
    again = client.post(link, data=form)
    assert again.status_code == 410
    assert db.session.scalar(sa.select(sa.func.count(EvaluationResponse.id))) == 1


def test_a_missing_rating_is_shown_and_nothing_is_stored(db, workshop, client):
    activity, (amina, *_) = workshop
    [invitation, *_] = evaluations.invite_participants(activity, by=None)
    db.session.commit()
    page = client.get(f"/evaluate/{invitation.token}")
    response = client.post(
        f"/evaluate/{invitation.token}", data={"csrf_token": csrf_token_from(page.text), "q1": "9"}
    )
    assert response.status_code == 200
    assert "Choose a rating from 1 to 5." in response.text or "Not a valid choice" in response.text
    db.session.expire_all()
    assert db.session.get(EvaluationInvitation, invitation.id).used_at is None
    assert db.session.scalar(sa.select(sa.func.count(EvaluationResponse.id))) == 0


def test_anonymous_answers_carry_no_name_anywhere_trainers_look(db, workshop, sign_in_as):
    activity, (amina, *_) = workshop
    [invitation, *_] = evaluations.invite_participants(activity, by=None)
    response = evaluations.submit_online(invitation, ratings(activity, 5, 5, 4, 4, 3))
    assert response.application_id is None
    db.session.commit()
    trainer = sign_in_as(Role.TRAINER, activity)
    page = trainer.get(f"/staff/activities/{activity.id}/evaluation")
    assert "80%" in page.text  # 4 of 5 ratings are 4 or 5
    export = trainer.get(f"/staff/activities/{activity.id}/evaluation.csv").text
    for person in workshop[1]:
        assert person.family_name not in page.text
        assert person.family_name not in export
    assert "participant" not in export.splitlines()[0]


def test_named_evaluations_say_who_answered(db, make_activity, make_application, move_clock):
    activity = make_activity(evaluation_anonymous=False)
    move_clock(activity.starts_at)
    person = make_application(
        activity, family_name="=HYPERLINK(1)", status=ApplicationStatus.CONFIRMED
    )
    [invitation] = evaluations.invite_participants(activity, by=None)
    assert (
        evaluations.submit_online(invitation, ratings(activity, 1, 2, 3, 4, 5)).application_id
        == person.id
    )
    export = evaluations.answers_csv(activity)
    assert "participant" in export.splitlines()[0]
    assert "'Amina =HYPERLINK(1)" not in export  # the whole cell starts with the given name
    assert "=HYPERLINK(1)" in export


def test_the_report_prints_as_a_pdf(db, workshop, sign_in_as):
    activity, _ = workshop
    evaluations.record_paper(activity, ratings(activity, 5, 4, 3, 2, 5), by=None)
    db.session.commit()
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    pdf = manager.get(f"/staff/activities/{activity.id}/evaluation.pdf")
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Satisfaction rate" in text and "60%" in text


def test_paper_sheets_are_typed_in_by_organisers_not_trainers(db, workshop, sign_in_as):
    activity, _ = workshop
    trainer = sign_in_as(Role.TRAINER, activity)
    assert trainer.get(f"/staff/activities/{activity.id}/evaluation/paper").status_code == 403
    with pytest.raises(evaluations.InvalidAnswers, match="from 1 to 5"):
        evaluations.record_paper(activity, {}, by=None)


def test_before_any_answer_the_report_says_how_to_collect_them(db, sign_in_as, make_activity):
    activity = make_activity()
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    page = manager.get(f"/staff/activities/{activity.id}/evaluation").text
    assert "No answers yet." in page and "email the evaluation link" in page
    assert "0%" not in page and "Satisfaction" not in page
    pdf = manager.get(f"/staff/activities/{activity.id}/evaluation.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "No answers yet." in text and "Satisfaction rate" not in text
