"""Personal API tokens: made on the staff's own page, shown once, stored hashed, revocable."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from eventreg.extensions import db as database
from eventreg.models import ApiToken, Role, utcnow

from ..conftest import csrf_token_from


def test_a_token_is_shown_once_stored_hashed_and_stops_working_when_revoked(
    sign_in_as, workshop, app
):
    browser = sign_in_as(Role.COURSE_ASSISTANT, workshop)
    page = browser.get("/staff/account/api-tokens")
    created = browser.post(
        "/staff/account/api-tokens",
        data={"name": "Finance system", "csrf_token": csrf_token_from(page.text)},
    )
    assert created.status_code == 200
    found = re.search(
        r'id="new-token" class="secret" type="text" readonly value="([^"]+)"', created.text
    )
    secret = found.group(1)
    stored = database.session.scalars(sa.select(ApiToken)).one()
    assert secret not in (stored.secret_hash, stored.hint) and stored.name == "Finance system"
    assert "new-token" not in browser.get("/staff/account/api-tokens").text  # shown once

    api = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get(f"/api/v1/activities/{workshop.id}", headers=headers).status_code == 200
    listing = browser.get("/staff/account/api-tokens")
    browser.post(
        f"/staff/account/api-tokens/{stored.id}/revoke",
        data={"csrf_token": csrf_token_from(listing.text.split("Your tokens")[1])},
    )
    refused = api.get(f"/api/v1/activities/{workshop.id}", headers=headers)
    assert refused.status_code == 401
    assert refused.json["type"] == "/api/v1/problems/unauthorized"


def test_a_token_without_a_name_or_with_a_past_expiry_is_refused(sign_in_as, workshop):
    browser = sign_in_as(Role.TRAINER, workshop)
    token = csrf_token_from(browser.get("/staff/account/api-tokens").text)
    nameless = browser.post("/staff/account/api-tokens", data={"name": " ", "csrf_token": token})
    assert nameless.status_code == 422
    past = browser.post(
        "/staff/account/api-tokens",
        data={"name": "Old", "expires_on": "2020-01-01", "csrf_token": token},
    )
    assert past.status_code == 422 and "in the future" in past.text
    assert database.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_an_expired_token_and_a_closed_account_are_refused(client, workshop, token_for):
    headers = token_for(Role.TRAINER, workshop)
    url = f"/api/v1/activities/{workshop.id}"
    assert client.get(url, headers=headers).status_code == 200
    token = database.session.scalars(sa.select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    database.session.commit()
    assert client.get(url, headers=headers).status_code == 401
    token.expires_at = None
    token.owner.active = False
    database.session.commit()
    assert client.get(url, headers=headers).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer evr_guessed"}).status_code == 401


def test_someone_cannot_revoke_another_persons_token(sign_in_as, workshop, factories):
    owner = factories.staff(Role.TRAINER, workshop)
    from eventreg.services import apitokens

    token, _ = apitokens.create_token(owner, name="Theirs")
    database.session.commit()
    browser = sign_in_as(Role.ADMIN)
    csrf = csrf_token_from(browser.get("/staff/account/api-tokens").text)
    answer = browser.post(f"/staff/account/api-tokens/{token.id}/revoke", data={"csrf_token": csrf})
    assert answer.status_code == 404
    database.session.refresh(token)
    assert token.revoked_at is None
