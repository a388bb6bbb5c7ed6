"""The private page: only its link opens it, it stays private, and it tells where one stands."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import pytest

from eventreg import clock
from eventreg.models import ApplicationStatus, CostShareGrant, Payment, PaymentMethod, Role
from eventreg.services import applicant, decisions, links

from ..conftest import csrf_token_from
from .conftest import answers, counts, only_application, post_form, submit, token_of


@pytest.fixture
def applied(client, workshop) -> str:
    """The token of an application made through the form."""
    return token_of(submit(client, workshop))


@pytest.mark.parametrize("path", ["", "/confirmation", "/correct", "/withdraw", "/calendar.ics"])
def test_private_pages_are_not_cached_and_send_no_referrer(client, applied, path):
    response = client.get(f"/my/{applied}{path}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_forged_link_finds_nothing_and_changes_nothing(client, db, applied):
    page = client.get(f"/my/{applied}/withdraw")
    before = counts(db)
    for token in (secrets.token_urlsafe(32), applied[:-1], "1"):
        response = client.get(f"/my/{token}")
        assert response.status_code == 404
        assert response.headers["Referrer-Policy"] == "no-referrer"
        forged = client.post(
            f"/my/{token}/withdraw", data={"csrf_token": csrf_token_from(page.text)}
        )
        assert forged.status_code == 404
    assert counts(db) == before
    assert only_application(db).status == ApplicationStatus.SUBMITTED


def test_a_revoked_link_stops_working_for_pages_and_actions(client, db, applied):
    page = client.get(f"/my/{applied}/withdraw")
    links.revoke_link(only_application(db))
    db.session.commit()
    before = counts(db)
    assert client.get(f"/my/{applied}").status_code == 404
    response = client.post(
        f"/my/{applied}/withdraw", data={"csrf_token": csrf_token_from(page.text)}
    )
    assert response.status_code == 404
    assert only_application(db).status == ApplicationStatus.SUBMITTED
    assert counts(db) == before


def test_an_action_without_csrf_token_changes_nothing(client, db, applied):
    before = counts(db)
    response = client.post(f"/my/{applied}/withdraw", data={})
    assert response.status_code == 400
    assert only_application(db).status == ApplicationStatus.SUBMITTED
    assert counts(db) == before


def test_the_page_shows_the_fee_grants_payments_and_what_is_due(client, db, applied, workshop):
    application = only_application(db)
    tuition, subsistence = workshop.fee_components
    db.session.add(
        CostShareGrant(application_id=application.id, fee_component_id=tuition.id, amount=104_000)
    )
    db.session.add(
        Payment(
            application_id=application.id,
            amount=50_000,
            received_on=date(2031, 5, 2),
            method=PaymentMethod.BANK_TRANSFER,
        )
    )
    db.session.commit()
    html = client.get(f"/my/{applied}").text
    assert "Component 1" in html and "EUR 1,040" in html and "EUR 960" in html
    assert "2 May 2031: EUR 500" in html
    assert "Amount due: EUR 460" in html


def test_the_history_leaves_out_what_staff_keep_to_themselves(client, db, applied, make_staff):
    staff = make_staff(Role.ADMIN)
    decisions.reject_application(only_application(db), by=staff, note="Weak motivation letter")
    db.session.commit()
    html = client.get(f"/my/{applied}").text
    assert "Status: Rejected" in html and "Application not retained" in html
    assert "Weak motivation" not in html
    assert staff.name not in html
    assert "Correct your application" not in html


def test_a_correction_with_a_bad_answer_is_refused_and_changes_nothing(
    client, db, applied, workshop
):
    form = client.get(f"/my/{applied}/correct")
    response = post_form(
        client,
        f"/my/{applied}/correct",
        answers(workshop, phone="call me", consent=None, csrf_token=csrf_token_from(form.text)),
    )
    assert response.status_code == 422
    assert "international format" in response.text
    assert only_application(db).phone == "+97714412345"  # kept in E.164 since it was given


def test_a_correction_cannot_steal_another_applicants_email(client, db, workshop, applied):
    other_client = client.application.test_client()
    submit(other_client, workshop, email="other@example.net")
    form = client.get(f"/my/{applied}/correct")
    response = post_form(
        client,
        f"/my/{applied}/correct",
        answers(
            workshop,
            email="other@example.net",
            consent=None,
            csrf_token=csrf_token_from(form.text),
        ),
    )
    assert response.status_code == 422
    assert "Another application to this activity uses this email address." in response.text


def test_no_correction_once_the_call_has_closed(client, db, applied, workshop, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: workshop.deadline_at + timedelta(seconds=1))
    assert "Correct your application" not in client.get(f"/my/{applied}").text
    response = client.get(f"/my/{applied}/correct")
    assert response.headers["Location"] == f"/my/{applied}"
    assert "can no longer be corrected" in client.get(f"/my/{applied}").text


def test_an_offer_cannot_be_confirmed_after_its_date(client, db, applied, make_staff, monkeypatch):
    decisions.accept_application(only_application(db), by=make_staff(Role.ADMIN))
    db.session.commit()
    page = client.get(f"/my/{applied}").text
    application = only_application(db)
    late = applicant.response_deadline(application) + timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: late)
    page_after = client.get(f"/my/{applied}").text
    assert "Yes, I will take part" not in page_after
    assert "The date to answer has passed" in page_after
    client.post(f"/my/{applied}/confirm", data={"csrf_token": csrf_token_from(page)})
    assert "The date to answer the offer has passed" in client.get(f"/my/{applied}").text
    assert only_application(db).status == ApplicationStatus.ACCEPTED


def test_the_confirmation_page_gives_the_reference_and_the_link(client, applied):
    html = client.get(f"/my/{applied}/confirmation").text
    assert "A901357-0001" in html
    assert f'href="/my/{applied}"' in html
    assert "applying does not reserve a place" in html
