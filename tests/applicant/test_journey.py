"""The applicant's journey through HTTP, with a real SMTP server receiving the mail."""

from __future__ import annotations

from icalendar import Calendar

from eventreg.models import ApplicationStatus, Role
from eventreg.services import correspondence, decisions

from ..conftest import csrf_token_from
from .conftest import answers, counts, only_application, submit, token_of


def plain_text(received) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def html_body(received) -> str:
    return received.message.get_body(preferencelist=("html",)).get_content()


def calendar_of(received) -> Calendar:
    [ics] = [
        part for part in received.message.iter_attachments() if part.get_filename().endswith(".ics")
    ]
    return Calendar.from_ical(ics.get_content())


def test_the_activity_page_leads_to_the_form(client, workshop):
    page = client.get("/activities/partnerships").text
    assert 'id="apply" href="/activities/partnerships/apply"' in page
    assert 'href="/activities/partnerships/resend-link"' in page


def test_apply_be_acknowledged_follow_correct_and_withdraw(client, db, smtp, deliver, workshop):
    response = submit(client, workshop)
    token = token_of(response)
    confirmation = client.get(response.headers["Location"])
    assert confirmation.status_code == 200
    assert "A901357-0001" in confirmation.text
    assert f"http://localhost/my/{token}" in confirmation.text
    assert "amina@example.net" in confirmation.text

    # The acknowledgement arrives, with the reference, the private link and the calendar.
    assert deliver().sent == 1
    [mail] = smtp.to("amina@example.net")
    assert mail.message["Subject"] == (
        "Application received: Multi-stakeholder partnerships for local service delivery"
        " (A901357-0001)"
    )
    link = f"http://localhost/my/{token}"
    assert "A901357-0001" in plain_text(mail) and link in plain_text(mail)
    assert f'<a href="{link}">' in html_body(mail)
    events = calendar_of(mail).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == [
        "Multi-stakeholder partnerships for local service delivery: Opening",
        "Multi-stakeholder partnerships for local service delivery: Module 1",
    ]

    # The link opens the private page.
    page = client.get(f"/my/{token}")
    assert page.status_code == 200
    assert "Status: Submitted" in page.text and "Application submitted" in page.text

    # Correcting: the same form, prefilled.
    form = client.get(f"/my/{token}/correct")
    assert 'value="Education officer"' in form.text and 'value="amina@example.net"' in form.text
    assert 'name="consent"' not in form.text
    corrected = client.post(
        f"/my/{token}/correct",
        data=answers(
            workshop,
            position="Deputy secretary general",
            consent=None,
            csrf_token=csrf_token_from(form.text),
        ),
    )
    assert corrected.headers["Location"] == f"/my/{token}"
    page = client.get(f"/my/{token}")
    assert "Your corrections are saved." in page.text
    assert "Deputy secretary general" in page.text and "Application corrected" in page.text
    assert only_application(db).position == "Deputy secretary general"

    # Withdrawing: a confirmation step, then the change and an email.
    step = client.get(f"/my/{token}/withdraw")
    assert "Withdraw your application?" in step.text
    done = client.post(f"/my/{token}/withdraw", data={"csrf_token": csrf_token_from(step.text)})
    assert done.headers["Location"] == f"/my/{token}"
    page = client.get(f"/my/{token}")
    assert "Status: Withdrawn" in page.text
    assert "Application withdrawn (by you)" in page.text
    assert "Withdraw your application</a>" not in page.text
    assert only_application(db).status == ApplicationStatus.WITHDRAWN

    assert deliver().sent == 2
    subjects = [m.message["Subject"] for m in smtp.to("amina@example.net")]
    assert subjects[1].startswith("Application corrected")
    assert subjects[2].startswith("Application withdrawn")


def test_apply_be_accepted_and_confirm(client, db, smtp, deliver, workshop, make_staff):
    token = token_of(submit(client, workshop))
    staff = make_staff(Role.COURSE_ASSISTANT, workshop)
    decisions.accept_application(only_application(db), by=staff)
    db.session.commit()

    page = client.get(f"/my/{token}")
    assert "Status: Accepted" in page.text
    assert "Yes, I will take part" in page.text
    assert "Amount due: EUR 2,000" in page.text
    confirmed = client.post(f"/my/{token}/confirm", data={"csrf_token": csrf_token_from(page.text)})
    assert confirmed.headers["Location"] == f"/my/{token}"
    page = client.get(f"/my/{token}")
    assert "Status: Confirmed" in page.text
    assert "Yes, I will take part" not in page.text
    assert only_application(db).status == ApplicationStatus.CONFIRMED

    assert deliver().sent == 3
    acknowledgement, acceptance, confirmation = smtp.to("amina@example.net")
    assert acceptance.message["Subject"].startswith("You are selected")
    assert "Please confirm your participation by" in plain_text(acceptance)
    assert confirmation.message["Subject"].startswith("Participation confirmed")
    assert len(calendar_of(confirmation).walk("VEVENT")) == 2


def test_an_accepted_applicant_can_decline_after_a_confirmation_step(
    client, db, workshop, make_staff
):
    token = token_of(submit(client, workshop))
    decisions.accept_application(only_application(db), by=make_staff(Role.ADMIN))
    db.session.commit()
    step = client.get(f"/my/{token}/decline")
    assert "Decline your place?" in step.text
    client.post(
        f"/my/{token}/decline",
        data={"csrf_token": csrf_token_from(step.text), "reason": "My union sends a colleague."},
    )
    assert only_application(db).status == ApplicationStatus.DECLINED
    assert "Place declined (by you)" in client.get(f"/my/{token}").text


def test_a_french_applicant_is_acknowledged_in_french(client, smtp, deliver, workshop):
    token = token_of(submit(client, workshop, language="fr", title="Mx"))
    deliver()
    [mail] = smtp.to("amina@example.net")
    # strip(): the mailer folds a non-ASCII Subject right after "Subject:" (reported).
    assert mail.message["Subject"].strip().startswith("Candidature reçue : Multi-stakeholder")
    text = plain_text(mail)
    assert text.startswith("Bonjour Mx Amina Diallo,")
    assert "Votre numéro de référence : A901357-0001" in text
    assert f"http://localhost/my/{token}" in text
    deadline = correspondence.local_moment(workshop.deadline_at, "Europe/Rome", "fr")
    assert f"jusqu’au {deadline}" in text
    assert "Bonjour Mx Amina Diallo," in html_body(mail)
    assert "Dear" not in text


def test_a_spanish_applicant_is_acknowledged_in_spanish(client, smtp, deliver, workshop):
    submit(client, workshop, language="es")
    deliver()
    [mail] = smtp.to("amina@example.net")
    assert mail.message["Subject"].strip().startswith("Solicitud recibida:")
    assert "Su número de referencia: A901357-0001" in plain_text(mail)


def test_sending_the_same_form_twice_makes_one_application(client, db, workshop):
    page = client.get("/activities/partnerships/apply").text
    first = submit(client, workshop, page=page)
    again = submit(client, workshop, page=page)
    assert again.headers["Location"] == first.headers["Location"]
    assert counts(db) == (1, 1)


def test_applying_again_with_the_same_email_sends_the_link_instead(
    client, db, smtp, deliver, workshop
):
    token = token_of(submit(client, workshop))
    again = submit(client, workshop, given_names="Amina J.")
    assert again.headers["Location"] == "/activities/partnerships/resend-link/sent?already=1"
    page = client.get(again.headers["Location"])
    assert "You have already applied to this activity with this email address" in page.text
    assert counts(db) == (1, 2)
    deliver()
    link_mail = smtp.to("amina@example.net")[-1]
    assert link_mail.message["Subject"].startswith("Your private link")
    assert f"http://localhost/my/{token}" in plain_text(link_mail)


def test_the_lost_link_form_answers_the_same_whoever_asks(client, db, smtp, deliver, workshop):
    token_of(submit(client, workshop))
    answers_seen = []
    for email in ("amina@example.net", "stranger@example.net"):
        form = client.get("/activities/partnerships/resend-link")
        response = client.post(
            "/activities/partnerships/resend-link",
            data={"email": email, "csrf_token": csrf_token_from(form.text)},
        )
        answers_seen.append((response.status_code, response.headers["Location"]))
        answers_seen.append(client.get(response.headers["Location"]).text)
    assert answers_seen[0] == answers_seen[2]
    assert answers_seen[1] == answers_seen[3]
    assert "If an application to this activity was made with that address" in answers_seen[1]
    deliver()
    assert smtp.to("stranger@example.net") == []
    assert smtp.to("amina@example.net")[-1].message["Subject"].startswith("Your private link")


def test_the_calendar_can_be_downloaded_from_the_private_page(client, workshop):
    token = token_of(submit(client, workshop))
    response = client.get(f"/my/{token}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert 'filename="A901357.ics"' in response.headers["Content-Disposition"]
    assert len(Calendar.from_ical(response.data).walk("VEVENT")) == 2
