"""Staff sessions end on the server: sign-out, password change or reset, deactivation, time.

A session cookie is only a signed pointer; each request checks the session it points to is
still open in the database, so a copied cookie stops working on every node at once.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventreg.models import Role, StaffSession
from eventreg.services import staff_sessions

from ..conftest import csrf_token_from, sign_in


def copy_of_cookie(app, signed):  # type: ignore[no-untyped-def]
    """A second browser holding a copy of the first one's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", signed.get_cookie("session").value, domain="localhost")
    return thief


def post_form(client, page_url: str, action: str, **data: str):  # type: ignore[no-untyped-def]
    page = client.get(page_url)
    return client.post(action, data={**data, "csrf_token": csrf_token_from(page.text)})


def test_a_cookie_copied_before_sign_out_no_longer_opens_the_back_office(app, sign_in_as):
    staff_client = sign_in_as(Role.ADMIN)
    thief = copy_of_cookie(app, staff_client)
    assert thief.get("/staff/").status_code == 200
    page = staff_client.get("/staff/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    staff_client.post("/staff/sign-out", data={"csrf_token": token})
    refused = thief.get("/staff/")
    assert "/staff/sign-in" in refused.headers["Location"]


def test_signing_out_in_one_browser_leaves_the_other_signed_in(app, client, make_staff, db):
    user = make_staff(Role.ADMIN)
    db.session.commit()
    other = app.test_client()
    sign_in(client, user.email)
    sign_in(other, user.email)
    page = client.get("/staff/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/staff/sign-out", data={"csrf_token": token})
    assert other.get("/staff/").status_code == 200


def test_a_password_reset_ends_every_session_of_that_person(app, sign_in_as, db):
    from flask import current_app

    from eventreg.services import staff_auth

    staff_client = sign_in_as(Role.ADMIN)
    user = db.session.merge(staff_client.user)
    token = staff_auth.reset_token(user, secret_key=current_app.config["SECRET_KEY"])
    anonymous = app.test_client()
    post_form(
        anonymous,
        f"/staff/reset/{token}",
        f"/staff/reset/{token}",
        password="a brand new password",
        confirm="a brand new password",
    )
    assert "/staff/sign-in" in staff_client.get("/staff/").headers["Location"]


def test_a_deactivated_account_is_refused_on_its_next_request(sign_in_as, db):
    staff_client = sign_in_as(Role.ADMIN)
    user = db.session.merge(staff_client.user)
    staff_sessions.end_all_sessions(user)
    user.active = False
    db.session.commit()
    assert "/staff/sign-in" in staff_client.get("/staff/").headers["Location"]


@pytest.mark.parametrize(
    ("idle", "open_for", "still_in"),
    [
        (timedelta(minutes=10), timedelta(minutes=10), True),
        (timedelta(hours=3), timedelta(hours=3), False),  # idle too long
        (timedelta(minutes=30), timedelta(hours=13), False),  # busy, but past the day's limit
    ],
)
def test_a_session_ends_after_idle_time_and_after_its_absolute_lifetime(
    sign_in_as, db, monkeypatch, idle, open_for, still_in
):
    staff_client = sign_in_as(Role.ADMIN)
    session = db.session.scalars(db.select(StaffSession)).one()
    start = session.created_at
    session.last_seen_at = start + open_for - idle
    db.session.commit()
    monkeypatch.setattr(staff_sessions, "clock", lambda: start + open_for)
    response = staff_client.get("/staff/")
    assert (response.status_code == 200) is still_in
    if not still_in:
        assert "/staff/sign-in" in response.headers["Location"]
