"""The private page offers the documents that apply, and only those: the acceptance letter
(an invitation letter for a visa), the statement of account or receipt, the certificate and
the calendar file. Each is read back as the applicant gets it, over HTTP; PDFs with pypdf."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from eventreg.models import ApplicationStatus, Payment, PaymentMethod
from eventreg.services import certificates

Status = ApplicationStatus


def pdf_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def workshop(db, make_activity):
    return make_activity(title="Multi-stakeholder partnerships", venue="Turin (Italy)")


def links(client, application) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    page = client.get(f"/my/{application.token}").text
    base = f"/my/{application.token}"
    return {
        "letter": f"{base}/acceptance-letter.pdf" in page,
        "statement": f"{base}/statement.pdf" in page,
        "certificate": f"{base}/certificate.pdf" in page,
        "calendar": f"{base}/calendar.ics" in page,
        "withdraw": f"{base}/withdraw" in page,
    }


def test_an_accepted_applicant_gets_a_letter_for_the_consulate_and_a_statement(
    db, client, workshop, make_application
):
    amina = make_application(
        workshop,
        given_names="Amina",
        family_name="Diallo",
        nationality="SN",
        status=Status.ACCEPTED,
    )
    db.session.commit()
    assert links(client, amina) == {
        "letter": True,
        "statement": True,
        "certificate": False,
        "calendar": True,
        "withdraw": True,
    }
    letter = pdf_text(client.get(f"/my/{amina.token}/acceptance-letter.pdf"))
    assert "Amina Diallo" in letter and "Senegal" in letter
    assert "Turin (Italy)" in letter and "For visa and sponsor purposes" in letter
    assert (
        len(
            PdfReader(io.BytesIO(client.get(f"/my/{amina.token}/acceptance-letter.pdf").data)).pages
        )
        == 1
    )
    statement = pdf_text(client.get(f"/my/{amina.token}/statement.pdf"))
    assert "Statement of account" in statement and "Receipt" not in statement


def test_paid_in_full_the_statement_becomes_a_receipt(db, client, workshop, make_application):
    amina = make_application(workshop, status=Status.CONFIRMED)
    db.session.add(
        Payment(
            application_id=amina.id,
            amount=workshop.fee_total,
            received_on=date(2027, 5, 2),
            method=PaymentMethod.BANK_TRANSFER,
        )
    )
    db.session.commit()
    page = client.get(f"/my/{amina.token}").text
    assert ">Receipt</a>" in page
    assert "Receipt" in pdf_text(client.get(f"/my/{amina.token}/statement.pdf"))


def test_an_applicant_not_accepted_is_offered_no_letter_and_cannot_fetch_one(
    db, client, workshop, make_application
):
    waiting = make_application(workshop, status=Status.SUBMITTED)
    db.session.commit()
    assert links(client, waiting)["letter"] is False
    assert links(client, waiting)["statement"] is False
    for document in ("acceptance-letter.pdf", "statement.pdf", "certificate.pdf"):
        assert client.get(f"/my/{waiting.token}/{document}").status_code == 404


def test_a_withdrawn_applicant_is_not_offered_the_calendar(db, client, workshop, make_application):
    gone = make_application(workshop, status=Status.WITHDRAWN)
    db.session.commit()
    assert links(client, gone) == {
        "letter": False,
        "statement": False,
        "certificate": False,
        "calendar": False,
        "withdraw": False,
    }
    assert client.get(f"/my/{gone.token}/calendar.ics").status_code == 404


def test_a_certificate_holder_downloads_it_and_is_not_offered_to_withdraw(
    db, client, make_activity, make_application, move_clock
):
    activity = make_activity(title="Safety and health at work", certificate_threshold=0)
    sita = make_application(
        activity, given_names="Sita", family_name="Shrestha", status=Status.CONFIRMED
    )
    move_clock(activity.ends_at + timedelta(days=1))
    [certificate] = certificates.issue_certificates(activity, by=None)
    db.session.commit()
    offered = links(client, sita)
    assert offered["certificate"] is True and offered["withdraw"] is False
    text = pdf_text(client.get(f"/my/{sita.token}/certificate.pdf"))
    assert "Sita Shrestha" in text and certificate.code in text
    certificates.revoke_certificate(certificate, reason="Issued in error", by=None)
    db.session.commit()
    assert links(client, sita)["certificate"] is False
    assert client.get(f"/my/{sita.token}/certificate.pdf").status_code == 404


def test_the_decision_and_payment_emails_link_to_the_documents_that_apply(
    db, client, workshop, make_application, make_staff, smtp, deliver
):
    from eventreg.services import decisions, payments

    assistant = make_staff()
    amina = make_application(workshop, email="amina@example.net", status=Status.SUBMITTED)
    db.session.commit()
    decisions.accept_application(amina, by=assistant)
    db.session.commit()
    deliver()
    [accepted] = smtp.to("amina@example.net")
    text = accepted.message.get_body(preferencelist=("plain",)).get_content()
    letter = f"/my/{amina.token}/acceptance-letter.pdf"
    assert letter in text and f"/my/{amina.token}/statement.pdf" in text
    assert "certificate.pdf" not in text
    assert "Amina" in pdf_text(client.get(letter))
    payments.record_payment(
        amina,
        amount=workshop.fee_total,
        received_on=date(2026, 11, 2),
        method=PaymentMethod.CARD,
        by=assistant,
    )
    db.session.commit()
    deliver()
    paid = smtp.to("amina@example.net")[-1]
    text = paid.message.get_body(preferencelist=("plain",)).get_content()
    assert "Your receipt:" in text
    html = paid.message.get_body(preferencelist=("html",)).get_content()
    assert 'href="http' in html and f"/my/{amina.token}/statement.pdf" in html
    assert "Receipt" in pdf_text(client.get(f"/my/{amina.token}/statement.pdf"))
