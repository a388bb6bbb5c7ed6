"""An admin invites a trainer, who joins from the emailed link on a phone, turns on two-factor
sign-in, signs in with a code, sees only their activity, and is shut out when deactivated."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp

from eventreg import clock
from eventreg.models import Role, utcnow

from ..conftest import PASSWORD
from .conftest import screenshot

TRAINER_PASSWORD = "a trainer's own password"


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/staff/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_invited_trainer_joins_with_two_factor_and_is_shut_out_when_deactivated(
    served, db, app, factories, page, phone, smtp, deliver, monkeypatch
):
    moment = [utcnow()]
    monkeypatch.setattr(clock, "now", lambda: moment[0])  # the server's thread reads it too
    theirs = factories.activity(title="Occupational safety and health: training of trainers")
    other = factories.activity(title="Worker participation in water utilities")
    admin = factories.staff(Role.ADMIN, name="Ada Admin", email="ada@example.org")
    db.session.commit()

    # The admin gives the trainer role to someone new, from the activity's team page.
    sign_in(page, served.url, admin.email, PASSWORD)
    page.goto(f"{served.url}/staff/activities/{theirs.id}/team")
    page.get_by_label("Email").fill("tomas@example.org")
    page.get_by_label("Role on this activity").select_option("trainer")
    page.get_by_label("Name, for someone without an account yet").fill("Tomás Trainer")
    page.get_by_role("button", name="Give the role").click()
    assert "Tomás Trainer is invited as trainer" in page.content()

    # The invitation arrives at the SMTP server; the trainer opens it on a phone.
    deliver()
    [mail] = smtp.to("tomas@example.org")
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"(http://127\.0\.0\.1:\d+/staff/invitation/\S+)", body).group(1)
    phone.goto(link)
    phone.get_by_label("New password", exact=True).fill(TRAINER_PASSWORD)
    phone.get_by_label("New password again").fill(TRAINER_PASSWORD)
    phone.get_by_role("button", name="Set the password").click()
    assert "Your password is set" in phone.content()

    # Signed in, the trainer turns on two-factor sign-in with the key the page shows.
    sign_in(phone, served.url, "tomas@example.org", TRAINER_PASSWORD)
    phone.get_by_role("link", name="My account").click()
    phone.get_by_role("link", name="Set up two-factor sign-in").click()
    assert phone.get_by_role("img", name=re.compile("QR code")).is_visible()
    secret = phone.get_by_label("Key").input_value()
    totp = pyotp.TOTP(secret)
    phone.get_by_label("Code").fill(totp.at(moment[0]))
    screenshot(phone, "two-factor-setup-phone")
    phone.get_by_role("button", name="Turn two-factor sign-in on").click()
    assert len(phone.locator(".recovery-codes li").all()) == 10
    phone.get_by_role("button", name=re.compile("Sign out")).click()

    # Next sign-in: the password, then a code; the code just used is refused.
    sign_in(phone, served.url, "tomas@example.org", TRAINER_PASSWORD)
    phone.get_by_label("Code").fill(totp.at(moment[0]))
    phone.get_by_role("button", name="Sign in").click()
    assert "That code was already used" in phone.content()
    moment[0] += timedelta(seconds=30)
    phone.get_by_label("Code").fill(totp.at(moment[0]))
    phone.get_by_role("button", name="Sign in").click()

    # Only their own activity.
    assert "/sign-in" not in phone.url
    phone.goto(served.url + "/staff/")
    assert theirs.title in phone.content()
    assert other.title not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "trainer-dashboard-phone")
    response = phone.goto(f"{served.url}/staff/activities/{other.id}")
    assert response is not None and response.status == 403

    # The admin deactivates the trainer: the trainer's open session is refused at once.
    page.goto(served.url + "/staff/people")
    page.get_by_role("link", name="Tomás Trainer").click()
    page.get_by_role("button", name="Deactivate and sign out everywhere").click()
    assert "Tomás Trainer is deactivated and signed out everywhere." in page.content()
    phone.goto(served.url + "/staff/")
    assert "/staff/sign-in" in phone.url
    # The refused code (422) and the other activity (403) are the only errors the console saw.
    assert page.console_errors == []
    assert [e for e in phone.console_errors if not re.search(r"status of (422|403)", e)] == []
