"""The back office through HTTP: review, detail, CV, notes, decisions, money, messages, exports."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from eventreg import jobs
from eventreg.models import (
    Application,
    ApplicationNote,
    ApplicationStatus,
    CostShareGrant,
    Gender,
    Job,
    Payment,
    Role,
)

from ..conftest import csrf_token_from
from .conftest import actions, count, fresh, mails, post_page

Status = ApplicationStatus


@pytest.fixture
def office(sign_in_as, workshop):
    """A course assistant of the workshop, signed in."""
    return sign_in_as(Role.COURSE_ASSISTANT, workshop)


def test_the_list_shows_figures_filters_and_a_page(db, office, workshop, make_application):
    make_application(
        workshop,
        family_name="Diallo",
        country="SN",
        gender=Gender.FEMALE,
        status=Status.ACCEPTED,
        organisation_type="NGO",
    )
    make_application(workshop, family_name="Sharma", country="IN", gender=Gender.MALE)
    make_application(
        workshop, family_name="Haddad", country="JO", gender=Gender.MALE, status=Status.WAITLISTED
    )
    page = office.get(f"/staff/activities/{workshop.id}/applications")
    assert page.status_code == 200
    text = page.text
    assert "1 of 30 taken" in text and "29 left" in text and "1 waiting" in text
    assert "EUR 16,000 left" in text and "0 of at most 8 participants" in text
    assert re.search(r"Africa</a> 1", text) and re.search(r"Arab States</a> 1", text)
    assert re.search(r"Male</a> 2", text)
    assert '<option value="NGO">NGO</option>' in text
    filtered = office.get(
        f"/staff/activities/{workshop.id}/applications?region=africa&status=accepted&sort=name"
    )
    assert "Diallo" in filtered.text and "Sharma" not in filtered.text
    assert "<strong>1</strong> application match" in filtered.text
    ordered = office.get(f"/staff/activities/{workshop.id}/applications?sort=name&order=desc")
    assert (
        ordered.text.index("Sharma") < ordered.text.index("Haddad") < ordered.text.index("Diallo")
    )
    paged = office.get(f"/staff/activities/{workshop.id}/applications?per_page=25&page=1")
    assert "Page 1 of 1" in paged.text


def test_nonsense_in_the_query_string_is_ignored(db, office, workshop, make_application):
    make_application(workshop, family_name="Diallo")
    page = office.get(
        f"/staff/activities/{workshop.id}/applications"
        "?status=bogus&gender=x&sort=password&per_page=100000&page=-3&region=mars"
    )
    assert page.status_code == 200 and "Diallo" in page.text


def test_the_detail_page_shows_everything_the_applicant_entered(
    db, office, workshop, make_application, uploads
):
    application = make_application(
        workshop,
        title="Ms",
        given_names="Amina",
        family_name="Diallo",
        country="SN",
        nationality="SN",
        phone="+221 33 000 00 00",
        organisation="Dakar City Council",
        organisation_type="Local government",
        position="Head of partnerships",
        proficiency="advanced",
        motivation="Partnerships with water utilities.",
        expectations="Tools for contracts.",
        costshare_requested=True,
        costshare_component_ids=[workshop.fee_components[1].id],
        costshare_reason="The council cannot pay subsistence.",
        dietary_needs="Halal",
        access_needs="Step-free room",
        cv_filename="Diallo CV.pdf",
        cv_path=f"cv/{workshop.reference}/abc.pdf",
    )
    (uploads / "cv" / workshop.reference).mkdir(parents=True)
    (uploads / "cv" / workshop.reference / "abc.pdf").write_bytes(b"%PDF-1.4 cv")
    page = office.get(f"/staff/applications/{application.id}")
    assert page.status_code == 200
    for answer in (
        "Amina",
        "Diallo",
        "Senegal",
        "+221 33 000 00 00",
        "Dakar City Council",
        "Local government",
        "Head of partnerships",
        "advanced",
        "Partnerships with water utilities.",
        "Tools for contracts.",
        "Participant subsistence",
        "The council cannot pay subsistence.",
        "Halal",
        "Step-free room",
        "Diallo CV.pdf",
        "(Africa)",
    ):
        assert answer in page.text, answer
    with office.get(f"/staff/applications/{application.id}/cv") as cv:
        assert cv.status_code == 200 and cv.data == b"%PDF-1.4 cv"
        assert cv.headers["Content-Type"] == "application/pdf"
        assert "attachment" in cv.headers["Content-Disposition"]


def test_the_cv_is_for_staff_of_the_activity_only(
    db, client, sign_in_as, workshop, make_activity, make_application, uploads
):
    application = make_application(workshop, cv_path="cv/x.pdf", cv_filename="cv.pdf")
    (uploads / "cv").mkdir(parents=True)
    (uploads / "cv" / "x.pdf").write_bytes(b"%PDF-1.4")
    url = f"/staff/applications/{application.id}/cv"
    assert "/staff/sign-in" in client.get(url).headers["Location"]
    assert sign_in_as(Role.TRAINER, workshop).get(url).status_code == 403
    assert sign_in_as(Role.COURSE_ASSISTANT, make_activity()).get(url).status_code == 403
    escaping = make_application(workshop, cv_path="../../../etc/passwd", cv_filename="x.pdf")
    office = sign_in_as(Role.COURSE_ASSISTANT, workshop)
    assert office.get(f"/staff/applications/{escaping.id}/cv").status_code == 404


def test_staff_add_internal_notes(db, office, workshop, make_application):
    application = make_application(workshop)
    url = f"/staff/applications/{application.id}"
    response = post_page(office, url, f"{url}/notes", body="Strong profile.")
    assert response.headers["Location"].endswith(f"{url}#notes")
    page = office.get(url)
    assert "Strong profile." in page.text and "note added" in page.text
    empty = post_page(office, url, f"{url}/notes", body="  ")
    assert empty.headers["Location"].endswith("#notes")
    assert count(ApplicationNote) == 1


def test_a_decision_with_the_email_edited_first(db, office, workshop, make_application):
    application = make_application(workshop, given_names="Amina")
    url = f"/staff/applications/{application.id}/decide/accept"
    page = office.get(url)
    assert "You are selected: {activity} ({reference})" in page.text
    assert "{given_names}" in page.text  # the placeholders are listed
    response = office.post(
        url,
        data={
            "csrf_token": csrf_token_from(page.text),
            "subject": "Welcome {given_names}",
            "body": "See you in Turin. Confirm here: {status_link}",
            "note": "Good fit",
        },
    )
    assert response.headers["Location"].endswith(f"/staff/applications/{application.id}")
    fresh()
    assert db.session.get(Application, application.id).status == Status.ACCEPTED
    [email] = mails()
    assert email.subject == "Welcome Amina" and application.token in email.body_text


def test_a_decision_on_a_withdrawn_application_is_refused(db, office, workshop, make_application):
    application = make_application(workshop, status=Status.WITHDRAWN)
    url = f"/staff/applications/{application.id}/decide/accept"
    page = office.get(url)
    response = office.post(url, data={"csrf_token": csrf_token_from(page.text)})
    assert response.status_code == 200
    assert "withdrawn cannot become accepted" in response.text
    fresh()
    assert db.session.get(Application, application.id).status == Status.WITHDRAWN
    assert mails() == [] and actions(application.id) == []


def test_bulk_decisions_show_the_email_then_decide(db, office, workshop, make_application):
    chosen = [make_application(workshop) for _ in range(3)]
    other = make_application(workshop)
    list_url = f"/staff/activities/{workshop.id}/applications"
    page = office.get(f"{list_url}?status=submitted")
    token = csrf_token_from(page.text)
    ids = [str(a.id) for a in chosen]
    first = office.post(
        f"{list_url}/decide",
        data={
            "csrf_token": token,
            "decision": "reject",
            "ids": ids,
            "list_status": "submitted",
        },
    )
    assert first.status_code == 200 and "Reject: 3 applications" in first.text
    assert "Your application to {activity} ({reference})" in first.text
    assert count(Application, Application.status == Status.REJECTED) == 0
    done = office.post(
        f"{list_url}/decide",
        data={
            "csrf_token": csrf_token_from(first.text),
            "decision": "reject",
            "ids": ids,
            "confirmed": "1",
            "list_status": "submitted",
            "subject": "Your application to {activity} ({reference})",
            "body": "Thank you, {given_names}; not this time.",
        },
    )
    assert done.headers["Location"].endswith(f"{list_url}?status=submitted")
    fresh()
    assert count(Application, Application.status == Status.REJECTED) == 3
    assert db.session.get(Application, other.id).status == Status.SUBMITTED
    assert len(mails("message")) == 3
    flashed = office.get(f"{list_url}?status=rejected").text
    assert "3 applicants are rejected." in flashed


def test_a_bulk_decision_cannot_reach_another_activity(
    db, office, workshop, make_activity, make_application
):
    stranger = make_application(make_activity())
    list_url = f"/staff/activities/{workshop.id}/applications"
    page = office.get(list_url)
    response = office.post(
        f"{list_url}/decide",
        data={
            "csrf_token": csrf_token_from(page.text),
            "decision": "reject",
            "ids": [str(stranger.id)],
            "confirmed": "1",
        },
    )
    assert response.headers["Location"].endswith(list_url)
    fresh()
    assert db.session.get(Application, stranger.id).status == Status.SUBMITTED


def test_one_click_offers_a_freed_place(
    db, office, make_activity, make_application, factories, sign_in_as
):
    activity = make_activity(capacity=1)
    make_application(activity, status=Status.CANCELLED)
    waiting = make_application(activity, status=Status.WAITLISTED)
    client = sign_in_as(Role.COURSE_ASSISTANT, activity)
    list_url = f"/staff/activities/{activity.id}/applications"
    page = client.get(list_url)
    assert "Offer a place to the first on the waiting list" in page.text
    client.post(
        f"/staff/activities/{activity.id}/waiting-list/offer",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    fresh()
    assert db.session.get(Application, waiting.id).status == Status.ACCEPTED
    again = client.get(list_url)
    assert "Offer a place" not in again.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"share": "amount", "amount": "-5"}, "An amount cannot be negative."),
        ({"share": "amount", "amount": "lots"}, "Give an amount in figures"),
        ({"share": "amount", "amount": "1,040.01"}, "cannot be more than the Tuition"),
        ({"share": "percent", "percent": "150"}, "Give a percentage from 1 to 100."),
        ({"share": "everything"}, "Not a valid choice"),
    ],
)
def test_bad_grants_are_refused_and_change_nothing(
    db, office, workshop, make_application, data, message
):
    application = make_application(workshop)
    url = f"/staff/applications/{application.id}/money"
    response = post_page(
        office,
        url,
        f"/staff/applications/{application.id}/grants",
        component_id=str(workshop.fee_components[0].id),
        **data,
    )
    assert response.status_code == 422
    assert message in response.text
    assert count(CostShareGrant) == 0 and mails() == []


def test_a_grant_through_the_page(db, office, workshop, make_application):
    application = make_application(workshop)
    url = f"/staff/applications/{application.id}/money"
    response = post_page(
        office,
        url,
        f"/staff/applications/{application.id}/grants",
        component_id=str(workshop.fee_components[1].id),
        share="percent",
        percent="50",
    )
    assert response.headers["Location"].endswith(url)
    page = office.get(url)
    assert "EUR 480" in page.text and "EUR 1,520" in page.text  # granted, due
    assert "EUR 15,520" in page.text  # remaining budget
    grant_id = db.session.scalar(sa.select(CostShareGrant.id))
    post_page(office, url, f"/staff/applications/{application.id}/grants/{grant_id}/revoke")
    assert count(CostShareGrant) == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-10", "An amount cannot be negative."),
        ("ten", "Give an amount in figures"),
        ("", "Give the amount received."),
        ("0", "above zero"),
        ("2,000.01", "more than the amount due"),
    ],
)
def test_bad_payments_are_refused_and_change_nothing(
    db, office, workshop, make_application, amount, message
):
    application = make_application(workshop, status=Status.ACCEPTED)
    url = f"/staff/applications/{application.id}/money"
    response = post_page(
        office,
        url,
        f"/staff/applications/{application.id}/payments",
        amount=amount,
        received_on=date.today().isoformat(),
        method="bank_transfer",
    )
    assert response.status_code == 422 and message in response.text
    assert count(Payment) == 0 and mails() == []


def test_a_payment_and_the_outstanding_balances(db, office, workshop, make_application):
    application = make_application(workshop, status=Status.CONFIRMED, family_name="Diallo")
    url = f"/staff/applications/{application.id}/money"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    post_page(
        office,
        url,
        f"/staff/applications/{application.id}/payments",
        amount="1,500",
        received_on=yesterday,
        method="card",
        note="Paid at desk",
    )
    balances = office.get(f"/staff/activities/{workshop.id}/money")
    assert "Diallo" in balances.text and "EUR 500" in balances.text
    assert "Partly paid" in balances.text
    payment_id = db.session.scalar(sa.select(Payment.id))
    post_page(office, url, f"/staff/applications/{application.id}/payments/{payment_id}/remove")
    assert count(Payment) == 0


def test_a_trainer_cannot_post_to_an_assistants_route(db, sign_in_as, workshop, make_application):
    application = make_application(workshop, status=Status.ACCEPTED)
    trainer = sign_in_as(Role.TRAINER, workshop)
    token = csrf_token_from(trainer.get("/staff/").text)
    base = f"/staff/applications/{application.id}"
    attempts = [
        (f"{base}/decide/reject", {}),
        (f"{base}/grants", {"component_id": workshop.fee_components[0].id, "share": "all"}),
        (f"{base}/payments", {"amount": "100", "received_on": "2020-01-01", "method": "cash"}),
        (f"{base}/notes", {"body": "hello"}),
        (f"{base}/message", {"subject": "Hi", "body": "Hi", "send": "1"}),
        (
            f"/staff/activities/{workshop.id}/applications/decide",
            {"decision": "reject", "ids": application.id, "confirmed": "1"},
        ),
    ]
    for url, data in attempts:
        assert trainer.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    fresh()
    assert db.session.get(Application, application.id).status == Status.ACCEPTED
    assert count(CostShareGrant) == count(Payment) == count(ApplicationNote) == 0
    assert mails() == []


def test_a_forged_csrf_token_is_refused(db, office, workshop, make_application):
    application = make_application(workshop, status=Status.ACCEPTED)
    base = f"/staff/applications/{application.id}"
    for url, data in [
        (f"{base}/decide/cancel", {}),
        (f"{base}/payments", {"amount": "100", "received_on": "2020-01-01", "method": "cash"}),
        (f"{base}/grants", {"component_id": workshop.fee_components[0].id, "share": "all"}),
    ]:
        response = office.post(url, data={**data, "csrf_token": "forged-token"})
        assert response.status_code == 400, url
    fresh()
    assert db.session.get(Application, application.id).status == Status.ACCEPTED
    assert count(CostShareGrant) == count(Payment) == 0 and mails() == []


def test_writing_to_one_applicant_is_previewed_then_sent(db, office, workshop, make_application):
    application = make_application(workshop, given_names="Amina")
    url = f"/staff/applications/{application.id}/message"
    page = office.get(url)
    assert "Send the message" not in page.text
    preview = office.post(
        url,
        data={
            "csrf_token": csrf_token_from(page.text),
            "subject": "Visa for {given_names}",
            "body": "Dear {given_names}, your letter is ready.",
        },
    )
    assert "Visa for Amina" in preview.text and "Dear Amina, your letter is ready." in preview.text
    assert "Send the message" in preview.text and mails() == []
    sent = office.post(
        url,
        data={
            "csrf_token": csrf_token_from(preview.text),
            "send": "1",
            "subject": "Visa for {given_names}",
            "body": "Dear {given_names}, your letter is ready.",
        },
    )
    assert sent.headers["Location"].endswith(f"/staff/applications/{application.id}")
    [email] = mails("message")
    assert email.subject == "Visa for Amina"
    assert "message sent" in office.get(f"/staff/applications/{application.id}").text


def test_writing_to_a_filtered_set(db, office, workshop, make_application):
    for code in ("KE", "GH"):
        make_application(workshop, status=Status.ACCEPTED, country=code)
    make_application(workshop, status=Status.ACCEPTED, country="FR")
    url = f"/staff/activities/{workshop.id}/messages?status=accepted&region=africa"
    page = office.get(url)
    assert "Write to 2 applicants" in page.text
    data = {"subject": "Travel", "body": "Dear {given_names}, about travel."}
    preview = office.post(url, data={**data, "csrf_token": csrf_token_from(page.text)})
    assert "Preview for" in preview.text and "Send to all 2" in preview.text
    sent = office.post(url, data={**data, "send": "1", "csrf_token": csrf_token_from(preview.text)})
    job_id = db.session.scalar(sa.select(Job.id))
    assert sent.headers["Location"].endswith(f"/staff/jobs/{job_id}")
    jobs.execute(job_id)
    assert len(mails("message")) == 2


def test_writing_to_the_ticked_applications(db, office, workshop, make_application):
    ticked = make_application(workshop)
    make_application(workshop)
    url = f"/staff/activities/{workshop.id}/messages"
    token = csrf_token_from(office.get(f"/staff/activities/{workshop.id}/applications").text)
    compose = office.post(
        url, data={"csrf_token": token, "ids": [str(ticked.id)], "decision": "accept"}
    )
    assert "Write to 1 applicant" in compose.text
    assert f'name="ids" value="{ticked.id}"' in compose.text


def test_exports_download_as_files(db, office, workshop, make_application):
    make_application(workshop, family_name='=HYPERLINK("http://x")', status=Status.ACCEPTED)
    base = f"/staff/activities/{workshop.id}"
    form = office.get(f"{base}/export?status=accepted")
    assert form.status_code == 200 and 'value="accepted"' in form.text
    as_csv = office.get(f"{base}/export?status=accepted&format=csv&columns=family_name")
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in as_csv.data.decode("utf-8")
    as_xlsx = office.get(f"{base}/export?format=xlsx&columns=family_name&columns=status")
    sheet = load_workbook(io.BytesIO(as_xlsx.data)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    refused = office.get(f"{base}/export?format=csv&columns=password")
    assert refused.status_code == 200 and "not a valid choice" in refused.text
    venue = office.get(f"{base}/participants.xlsx")
    assert venue.headers["Content-Disposition"].endswith('-participants.xlsx"')
    assert office.get(f"{base}/participants.pdf").status_code == 404


def test_the_audit_logs(db, office, workshop, make_application, make_staff):
    application = make_application(workshop)
    url = f"/staff/applications/{application.id}/decide/waitlist"
    page = office.get(url)
    office.post(url, data={"csrf_token": csrf_token_from(page.text), "note": "Maybe later"})
    detail = office.get(f"/staff/applications/{application.id}")
    assert "submitted → waitlisted" in detail.text and "Maybe later" in detail.text
    log = office.get(f"/staff/activities/{workshop.id}/audit")
    assert log.status_code == 200 and application.reference in log.text
    assert office.user.name in log.text
