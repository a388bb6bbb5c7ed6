"""Writing to applicants through the domain: placeholders, safety, one message, a mailing."""

from __future__ import annotations

import pytest

from eventreg import jobs
from eventreg.models import ApplicationStatus, AuditLog, Job, JobStatus
from eventreg.services import messages
from eventreg.services.messages import Letter, MessageRefused, NoRecipients
from eventreg.services.review import Filters, Region

from .conftest import actions, count, mails

Status = ApplicationStatus


def test_placeholders_are_filled_for_each_applicant(db, workshop, make_application, assistant):
    application = make_application(
        workshop, given_names="Amina", family_name="Diallo", status=Status.ACCEPTED
    )
    filled = messages.preview(
        Letter(
            subject="{reference}: {status}",
            body="Dear {given_names} {family_name}, you owe {amount_due}. See {status_link}",
        ),
        application,
    )
    assert filled.subject == f"{application.reference}: Accepted"
    assert filled.body == (
        f"Dear Amina Diallo, you owe EUR 2,000. See http://localhost/my/{application.token}"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{ config.SECRET_KEY }}",
        "{% for x in range(3) %}x{% endfor %}",
        "{given_names.__class__.__init__.__globals__}",
        "{0.__class__}",
        "{application}",
    ],
)
def test_template_or_format_code_from_staff_is_refused_or_left_as_text(
    db, workshop, make_application, assistant, text
):
    application = make_application(workshop)
    try:
        letter = messages.preview(Letter(subject="Hello", body=text), application)
    except MessageRefused:
        return  # refused as an unknown placeholder: nothing ran
    # Not a placeholder pattern: sent as it stands, never evaluated.
    assert letter.body == text
    email = messages.send_message(application, letter=Letter("Hello", text), by=assistant)
    assert text in email.body_text and "test-only-not-a-secret" not in email.body_text


def test_an_applicants_answers_are_not_expanded_again(db, workshop, make_application, assistant):
    application = make_application(
        workshop, given_names="{reference} {{7*7}}", family_name="<b>Bold</b>"
    )
    email = messages.send_message(
        application,
        letter=Letter("Hi {given_names}", "Hello {given_names} {family_name}"),
        by=assistant,
    )
    assert email.subject == "Hi {reference} {{7*7}}"
    assert "Hello {reference} {{7*7}} <b>Bold</b>" in email.body_text
    assert "&lt;b&gt;Bold&lt;/b&gt;" in email.body_html and "<b>Bold" not in email.body_html


@pytest.mark.parametrize(
    ("letter", "field"),
    [
        (Letter("", "Body"), "subject"),
        (Letter("Subject", "   "), "body"),
        (Letter("Hello {name}", "Body"), "subject"),
        (Letter("Subject", "x" * 20_001), "body"),
    ],
)
def test_letters_that_cannot_be_sent(db, workshop, make_application, assistant, letter, field):
    application = make_application(workshop)
    with pytest.raises(MessageRefused) as refusal:
        messages.send_message(application, letter=letter, by=assistant)
    assert refusal.value.field == field
    assert mails() == [] and actions(application.id) == []


def test_one_message_is_queued_and_kept_in_the_history(db, workshop, make_application, assistant):
    application = make_application(workshop)
    messages.send_message(
        application, letter=Letter("Visa", "Your visa letter is ready."), by=assistant
    )
    [email] = mails("message")
    assert email.to_address == application.email and email.subject == "Visa"
    entry = db.session.query(AuditLog).filter_by(application_id=application.id).one()
    assert entry.action == "application.message_sent" and entry.actor_id == assistant.id
    assert entry.after["subject"] == "Visa" and "visa letter" in entry.note


def test_a_mailing_to_a_filtered_set_runs_as_a_job(db, workshop, make_application, assistant):
    accepted_africa = [
        make_application(workshop, status=Status.ACCEPTED, country=code) for code in ("KE", "SN")
    ]
    make_application(workshop, status=Status.ACCEPTED, country="IT")
    make_application(workshop, status=Status.SUBMITTED, country="GH")
    record = messages.send_to_set(
        workshop,
        filters=Filters(status=Status.ACCEPTED, region=Region.AFRICA),
        letter=Letter("Travel", "Dear {given_names}, about your travel."),
        by=assistant,
    )
    db.session.commit()
    assert mails() == []  # nothing is written inside the request
    jobs.execute(record.id)
    db.session.expire_all()
    assert db.session.get(Job, record.id).status == JobStatus.DONE
    assert sorted(m.to_address for m in mails("message")) == sorted(
        a.email for a in accepted_africa
    )
    for application in accepted_africa:
        assert actions(application.id) == ["application.message_sent"]


def test_a_mailing_to_nobody_is_refused(db, workshop, assistant):
    with pytest.raises(NoRecipients):
        messages.send_to_set(
            workshop,
            filters=Filters(status=Status.ATTENDED),
            letter=Letter("S", "B"),
            by=assistant,
        )
    assert count(Job) == 0
