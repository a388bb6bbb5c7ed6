"""Sign-in, password reset and the public forms slow down a client that hammers them."""

from __future__ import annotations

import pytest

from ..conftest import csrf_token_from, make_test_app


@pytest.fixture
def limited(tmp_path, db):
    from eventreg.extensions import db as database

    app = make_test_app(
        tmp_path,
        DATABASE_URL=database.engine.url.render_as_string(hide_password=False),
        RATELIMIT_ENABLED=True,
        RATE_LIMITS={
            "auth.sign_in": "3 per minute",
            "auth.reset_request": "2 per minute",
            "public.apply": "2 per minute",
        },
    )
    yield app
    with app.app_context():
        database.engine.dispose()


def test_sign_in_is_limited_per_address(limited):
    client = limited.test_client()
    token = csrf_token_from(client.get("/staff/sign-in").text)
    answers = [
        client.post(
            "/staff/sign-in",
            data={"email": "x@example.org", "password": "guess", "csrf_token": token},
        ).status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    refused = client.post(
        "/staff/sign-in", data={"email": "x@example.org", "password": "guess", "csrf_token": token}
    )
    assert "Too many attempts" in refused.text
    assert client.get("/staff/sign-in").status_code == 200  # reading the page is not limited
    other = limited.test_client()
    other_token = csrf_token_from(other.get("/staff/sign-in").text)
    # Another address has its own count.
    assert (
        other.post(
            "/staff/sign-in",
            data={"email": "x@example.org", "password": "guess", "csrf_token": other_token},
            environ_overrides={"REMOTE_ADDR": "10.9.9.9"},
        ).status_code
        == 200
    )


def test_password_reset_requests_are_limited(limited):
    client = limited.test_client()
    token = csrf_token_from(client.get("/staff/reset").text)
    codes = [
        client.post(
            "/staff/reset", data={"email": "a@example.org", "csrf_token": token}
        ).status_code
        for _ in range(3)
    ]
    assert codes[-1] == 429 and 429 not in codes[:2]


def test_the_public_application_form_is_limited(limited, make_activity):
    activity = make_activity(slug="limited")
    from eventreg.extensions import db

    db.session.commit()
    client = limited.test_client()
    token = csrf_token_from(client.get("/activities/limited/apply").text)
    codes = [
        client.post("/activities/limited/apply", data={"csrf_token": token}).status_code
        for _ in range(3)
    ]
    assert codes[-1] == 429 and 429 not in codes[:2]
    assert activity.id
