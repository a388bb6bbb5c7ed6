"""The pages: the applicant downloads and asks; an admin finds, erases, refuses, holds."""

from __future__ import annotations

import json

import sqlalchemy as sa

from eventreg.extensions import db as _db
from eventreg.models import Activity, Application, Certificate, EmailOutbox, Question, Role

from ..applicant.conftest import submit, token_of
from ..conftest import csrf_token_from


def apply(client, workshop, **fields):
    token = token_of(submit(client, workshop, **fields))
    _db.session.expire_all()
    return token, _db.session.scalars(sa.select(Application)).all()[-1]


def test_the_applicant_reads_the_notice_they_accepted_and_downloads_their_data(
    client, workshop, sign_in_as
):
    admin = sign_in_as(Role.ADMIN)
    page = admin.get("/staff/privacy/notice")
    published = admin.post(
        "/staff/privacy/notice",
        data={
            "csrf_token": csrf_token_from(page.text),
            "body": "We keep your data.\n\nVersion one.",
        },
    )
    assert published.headers["Location"].endswith("/staff/privacy")
    assert "Read our privacy notice" in client.get(f"/activities/{workshop.slug}/apply").text
    token, application = apply(client, workshop)
    assert application.privacy_version == 1
    admin.post(
        "/staff/privacy/notice",
        data={"csrf_token": csrf_token_from(page.text), "body": "Version two, stricter."},
    )
    status = client.get(f"/my/{token}").text
    assert 'href="/privacy/1"' in status  # the version accepted, not the latest
    assert "Version one." in client.get("/privacy/1").text
    assert "Version two, stricter." in client.get("/privacy").text
    assert client.get("/privacy/9").status_code == 404
    download = client.get(f"/my/{token}/data.json")
    assert download.headers["Cache-Control"] == "no-store"
    assert "attachment" in download.headers["Content-Disposition"]
    [row] = json.loads(download.text)["tables"]["applications"]
    assert row["motivation"] == "I train shop stewards on public services."
    assert "General Federation of Nepalese Trade Unions" in client.get(f"/my/{token}/data").text


def test_an_erasure_request_is_confirmed_by_an_admin_and_the_certificate_still_verifies(
    client, workshop, sign_in_as
):
    token, application = apply(client, workshop)
    other_token, other = apply(client, workshop, email="binod@example.net", given_names="Binod")
    certificate = Certificate(application_id=application.id)
    _db.session.add(certificate)
    _db.session.commit()
    page = client.get(f"/my/{token}/erase")
    assert "Ask us to erase your data?" in page.text
    client.post(f"/my/{token}/erase", data={"csrf_token": csrf_token_from(page.text)})
    assert "You asked us to erase your data" in client.get(f"/my/{token}").text

    admin = sign_in_as(Role.ADMIN)
    overview = admin.get("/staff/privacy").text
    assert "amina@example.net" in overview and "binod@example.net" not in overview
    bad = admin.get("/staff/privacy/person", query_string={"email": "x" * 300})
    assert bad.status_code == 422 and "Requests for erasure" in bad.text
    person = admin.get("/staff/privacy/person", query_string={"email": "AMINA@example.net"})
    assert "asked for erasure" in person.text
    # Refused without a reason: a clear message, nothing changed.
    refused = admin.post(
        "/staff/privacy/person/refuse",
        data={"csrf_token": csrf_token_from(person.text), "email": "amina@example.net"},
    )
    assert refused.status_code == 422 and "Say why the data must be kept." in refused.text
    erased = admin.post(
        "/staff/privacy/person/erase",
        data={
            "csrf_token": csrf_token_from(person.text),
            "email": "amina@example.net",
            "reason": "She asked.",
        },
    )
    assert erased.headers["Location"].endswith("/staff/privacy")
    assert client.get(f"/my/{token}").status_code == 404  # the private link is gone
    assert client.get(f"/my/{other_token}").status_code == 200
    verify = client.get(f"/verify/{certificate.code}").text
    assert "This certificate is valid." in verify
    assert "Amina" not in verify and "personal data has been erased" in verify
    _db.session.expire_all()
    assert _db.session.get(Application, other.id).given_names == "Binod"


def test_a_refusal_is_shown_to_the_applicant_and_a_hold_stops_erasure(client, workshop, sign_in_as):
    token, application = apply(client, workshop)
    page = client.get(f"/my/{token}/erase")
    client.post(f"/my/{token}/erase", data={"csrf_token": csrf_token_from(page.text)})
    admin = sign_in_as(Role.ADMIN)
    person = admin.get("/staff/privacy/person", query_string={"email": "amina@example.net"})
    token_value = csrf_token_from(person.text)
    admin.post(
        "/staff/privacy/person/refuse",
        data={"csrf_token": token_value, "email": "amina@example.net", "reason": "Unpaid fee."},
    )
    assert "your last request was refused: Unpaid fee." in client.get(f"/my/{token}").text
    _db.session.expire_all()
    refusal = _db.session.scalars(
        sa.select(EmailOutbox).where(EmailOutbox.template == "erasure_refused")
    ).one()
    assert refusal.to_address == "amina@example.net" and "Unpaid fee." in refusal.body_text
    assert _db.session.scalars(
        sa.select(EmailOutbox).where(EmailOutbox.template == "erasure_requested")
    ).all()
    admin.post(
        f"/staff/privacy/applications/{application.id}/hold",
        data={"csrf_token": token_value, "reason": "Court case 12/2026"},
    )
    person = admin.get("/staff/privacy/person", query_string={"email": "amina@example.net"})
    assert "Court case 12/2026" in person.text
    refused = admin.post(
        "/staff/privacy/person/erase",
        data={"csrf_token": token_value, "email": "amina@example.net", "reason": "x"},
    )
    assert refused.status_code == 422 and "Release the hold on retention first." in refused.text
    assert client.get(f"/my/{token}").status_code == 200


def test_an_activity_sets_its_own_retention_periods(db, sign_in_as, make_activity):
    from ..views.test_staff_activities import form_data, post_form

    manager = sign_in_as(Role.ACTIVITY_MANAGER, make_activity())
    page = manager.get("/staff/activities/new").text
    assert "Days to keep participants, after the end" in page
    refused = post_form(manager, "/staff/activities/new", **form_data(keep_others_days="-1"))
    assert "Number must be between 0 and 36500." in refused.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 1
    response = post_form(manager, "/staff/activities/new", **form_data(keep_others_days="30"))
    assert "/staff/activities/" in response.headers["Location"]
    activity = db.session.scalar(sa.select(Activity).where(Activity.reference == "A927357"))
    assert (activity.keep_others_days, activity.keep_participants_days) == (30, None)


def test_the_builder_sets_how_long_a_question_keeps_its_answers(db, sign_in_as, make_activity):
    activity = make_activity()
    db.session.commit()
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    url = f"/staff/activities/{activity.id}/form/application/questions"
    page = manager.get(url)
    assert "Erase the answers this many days after the activity ends" in page.text
    response = manager.post(
        url,
        data={
            "csrf_token": csrf_token_from(page.text),
            "type": "short_text",
            "label_en": "Passport number",
            "keep_days": "30",
        },
    )
    assert response.headers["Location"].endswith(url)
    db.session.expire_all()
    [question] = db.session.scalars(sa.select(Question)).all()
    assert question.settings["keep_days"] == 30
