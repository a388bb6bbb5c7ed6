"""A NUL character, which no PostgreSQL text column can hold, is refused wherever it comes in:
any form field, any query string, any address, with a page that says so and nothing saved."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eventreg.models import Application, ApplicationStatus, AuditLog, EmailOutbox, Role

from ..conftest import csrf_token_from
from .test_xss_and_fuzz import TEXT_FIELDS, open_call, valid_form  # noqa: F401  (a fixture)

REFUSAL = "NUL character"


def count(model) -> int:  # type: ignore[no-untyped-def]
    from eventreg.extensions import db

    return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_a_nul_in_any_field_of_the_application_form_is_refused_and_nothing_is_saved(
    db, client, request, name
):
    call = request.getfixturevalue("open_call")
    page = client.get(f"/activities/{call.slug}/apply")
    form = valid_form(call, csrf_token_from(page.text), **{name: "Ami\x00na"})
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page.text)
    if key:
        form["submission_key"] = key.group(1)
    response = client.post(f"/activities/{call.slug}/apply", data=form)
    assert response.status_code == 400
    assert REFUSAL in response.text
    assert name.replace("_", " ") in response.text  # says which field
    assert count(Application) == 0 and count(EmailOutbox) == 0


def test_the_same_form_without_the_nul_is_accepted(db, client, request):
    call = request.getfixturevalue("open_call")
    page = client.get(f"/activities/{call.slug}/apply")
    form = valid_form(call, csrf_token_from(page.text))
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page.text)
    if key:
        form["submission_key"] = key.group(1)
    response = client.post(f"/activities/{call.slug}/apply", data=form)
    assert response.status_code in (302, 303)
    assert count(Application) == 1


def test_staff_notes_messages_and_the_review_search_refuse_a_nul(
    db, make_activity, make_application, sign_in_as
):
    activity = make_activity()
    application = make_application(activity)
    office = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = office.get(f"/staff/applications/{application.id}")
    token = csrf_token_from(page.text)
    audit_before = count(AuditLog)

    note = office.post(
        f"/staff/applications/{application.id}/notes",
        data={"csrf_token": token, "body": "Called\x00 her"},
    )
    message = office.post(
        f"/staff/applications/{application.id}/message",
        data={"csrf_token": token, "subject": "Hi\x00", "body": "Text", "send": "1"},
    )
    search = office.get(f"/staff/activities/{activity.id}/applications?q=Ami%00na")
    for response in (note, message, search):
        assert response.status_code == 400
        assert REFUSAL in response.text
    assert count(AuditLog) == audit_before and count(EmailOutbox) == 0


@pytest.mark.parametrize(
    "url",
    [
        "/my/abc%00def",
        "/activities/a%00b",
        "/activities/a%00b/apply",
        "/verify/AB%00CD",
        "/verify?code=AB%00CD",
        "/evaluate/abc%00",
    ],
)
def test_a_nul_in_a_public_address_is_refused(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    assert REFUSAL in response.text


def test_a_nul_in_the_sign_in_form_is_refused(client, db):
    page = client.get("/staff/sign-in")
    response = client.post(
        "/staff/sign-in",
        data={
            "csrf_token": csrf_token_from(page.text),
            "email": "a\x00@example.org",
            "password": "x",
        },
    )
    assert response.status_code == 400
    assert REFUSAL in response.text


def test_a_nul_in_a_json_body_of_the_api_is_refused_and_nothing_is_saved(
    client, db, make_activity, make_application, factories
):
    from eventreg.models import Payment
    from eventreg.services import apitokens

    activity = make_activity()
    application = make_application(activity, status=ApplicationStatus.ACCEPTED)
    _, secret = apitokens.create_token(factories.staff(Role.ADMIN), name="test")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    etag = client.get(f"/api/v1/applications/{application.id}", headers=headers).headers["ETag"]
    response = client.post(
        f"/api/v1/applications/{application.id}/payments",
        json={"amount": 100, "received_on": "2020-01-02", "method": "card", "note": "a\x00b"},
        headers={**headers, "If-Match": etag},
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert REFUSAL in response.json["detail"] and "note" in response.json["detail"]
    assert count(Payment) == 0
