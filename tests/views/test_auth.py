"""Staff sign-in: hashed passwords, one message for every refusal, lockout, reset by email."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from eventreg.models import Role, StaffUser

from ..conftest import PASSWORD, csrf_token_from, sign_in


def signed_out(client) -> bool:
    """Whether the back office sends this browser to the sign-in page (whatever the code)."""
    response = client.get("/staff/")
    return response.status_code in (302, 303) and urlsplit(
        response.headers["Location"]
    ).path.endswith("/staff/sign-in")


def test_staff_sign_in_and_reach_the_back_office(client, make_staff):
    user = make_staff(Role.ADMIN, name="Ada Admin")
    response = sign_in(client, user.email)
    assert response.headers["Location"].endswith("/staff/")
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "Signed in as Ada Admin" in page.text


def test_the_back_office_asks_for_sign_in_and_comes_back_after(client, make_staff):
    user = make_staff(Role.ADMIN)
    response = client.get("/staff/outbox")
    assert "/staff/sign-in?next=" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    signed = client.post(
        response.headers["Location"],
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token_from(page.text)},
    )
    assert signed.headers["Location"] == "/staff/outbox"


def test_a_next_link_to_another_site_is_ignored(client, make_staff):
    user = make_staff(Role.ADMIN)
    page = client.get("/staff/sign-in?next=//evil.example.org/")
    signed = client.post(
        "/staff/sign-in?next=//evil.example.org/",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token_from(page.text)},
    )
    assert signed.headers["Location"] == "/staff/"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_staff):
    user = make_staff(Role.ADMIN)
    wrong = sign_in(client, user.email, "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert "Wrong email or password." in wrong.text
    assert "Wrong email or password." in unknown.text
    assert signed_out(client)


def test_passwords_are_stored_hashed(db, make_staff):
    user = make_staff(password="a secret phrase here")
    assert "a secret phrase here" not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_five_failures_lock_the_account_even_for_the_right_password(client, db, make_staff):
    user = make_staff(Role.ADMIN)
    for _ in range(5):
        sign_in(client, user.email, "guess")
    locked = sign_in(client, user.email)
    assert "Too many failed attempts" in locked.text
    assert signed_out(client)


def test_a_sign_in_form_without_csrf_token_is_refused(client, make_staff):
    user = make_staff(Role.ADMIN)
    response = client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert signed_out(client)


def test_sign_out_ends_the_session(sign_in_as):
    client = sign_in_as(Role.ADMIN)
    page = client.get("/staff/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    out = client.post("/staff/sign-out", data={"csrf_token": token})
    assert out.headers["Location"].endswith("/staff/sign-in")
    assert signed_out(client)


def test_password_reset_by_email_works_once(client, db, smtp, deliver, make_staff):
    user = make_staff(Role.ADMIN, email="forgetful@example.org")
    page = client.get("/staff/reset")
    client.post(
        "/staff/reset",
        data={"email": "forgetful@example.org", "csrf_token": csrf_token_from(page.text)},
    )
    deliver()
    [mail] = smtp.to("forgetful@example.org")
    link = re.search(
        r"http://localhost(/staff/reset/\S+)",
        mail.message.get_body(preferencelist=("plain",)).get_content(),
    ).group(1)
    form = client.get(link)
    assert form.status_code == 200
    done = client.post(
        link,
        data={
            "password": "a brand new password",
            "confirm": "a brand new password",
            "csrf_token": csrf_token_from(form.text),
        },
    )
    assert done.headers["Location"].endswith("/staff/sign-in")
    assert sign_in(client, user.email, "a brand new password").headers["Location"] == "/staff/"
    again = client.get(link)
    assert again.headers["Location"].endswith("/staff/reset")  # used: refused


def test_a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(
    client, db, smtp, deliver
):
    page = client.get("/staff/reset")
    response = client.post(
        "/staff/reset",
        data={"email": "nobody@example.org", "csrf_token": csrf_token_from(page.text)},
    )
    assert response.headers["Location"].endswith("/staff/sign-in")
    deliver()
    assert smtp.messages == []


def test_an_inactive_account_cannot_sign_in(client, db, make_staff):
    user = make_staff(Role.ADMIN)
    user.active = False
    db.session.commit()
    assert "Wrong email or password." in sign_in(client, user.email).text
    assert db.session.scalar(sa.select(StaffUser.failed_logins).where(StaffUser.id == user.id)) == 1


def test_one_browser_signing_in_does_not_sign_in_another(sign_in_as, client, db):
    signed = sign_in_as(Role.ADMIN)
    assert signed.get("/staff/").status_code == 200
    assert "/staff/sign-in" in client.get("/staff/").headers["Location"]
    assert signed.get("/staff/").status_code == 200
