"""Two-factor sign-in through the pages: enrol, sign in with a code, replay refused, resets."""

from __future__ import annotations

import re

import pyotp

from eventreg.extensions import db as database
from eventreg.models import Role, StaffUser

from ..conftest import PASSWORD, csrf_token_from, lets_in, sign_in


def enrol(client, frozen_clock) -> tuple[str, list[str]]:
    """Set up two-factor sign-in as a person would; returns the secret and recovery codes."""
    page = client.get("/staff/account/two-factor")
    assert 'src="data:image/svg+xml' in page.text
    secret = re.search(r'id="totp-key"[^>]*value="([A-Z2-7]+)"', page.text).group(1)
    done = client.post(
        "/staff/account/two-factor",
        data={
            "code": pyotp.TOTP(secret).at(frozen_clock.at),
            "csrf_token": csrf_token_from(page.text),
        },
    )
    assert done.status_code == 200 and "shown only once" in done.text
    return secret, re.findall(r"<code>([a-z0-9-]{11})</code>", done.text)


def send_code(client, code: str):
    page = client.get("/staff/sign-in/code")
    return client.post(
        "/staff/sign-in/code", data={"code": code, "csrf_token": csrf_token_from(page.text)}
    )


def signed_in(client) -> bool:
    return client.get("/staff/").status_code == 200


def test_a_wrong_code_at_enrolment_leaves_it_off(app, sign_in_as, frozen_clock):
    me = sign_in_as(Role.TRAINER)
    page = me.get("/staff/account/two-factor")
    refused = me.post(
        "/staff/account/two-factor",
        data={"code": "12345x", "csrf_token": csrf_token_from(page.text)},
    )
    assert refused.status_code == 422
    assert "That code is not right." in refused.text
    database.session.expire_all()
    assert not database.session.get(StaffUser, me.user.id).two_factor


def test_sign_in_asks_for_the_code_after_the_password(app, sign_in_as, frozen_clock):
    me = sign_in_as(Role.TRAINER)
    secret, _codes = enrol(me, frozen_clock)
    frozen_clock.move(30)

    browser = app.test_client()
    asked = sign_in(browser, me.user.email)
    assert asked.headers["Location"].endswith("/staff/sign-in/code")
    assert not signed_in(browser)  # the password alone opens nothing

    wrong = send_code(
        browser, "000000" if pyotp.TOTP(secret).at(frozen_clock.at) != "000000" else "1"
    )
    assert wrong.status_code == 422 and "That code is not right." in wrong.text
    right = send_code(browser, pyotp.TOTP(secret).at(frozen_clock.at))
    assert lets_in(right)
    assert signed_in(browser)


def test_a_code_replayed_in_the_same_time_step_is_refused(app, sign_in_as, frozen_clock):
    me = sign_in_as(Role.TRAINER)
    secret, _codes = enrol(me, frozen_clock)
    frozen_clock.move(30)
    code = pyotp.TOTP(secret).at(frozen_clock.at)
    first, second = app.test_client(), app.test_client()
    sign_in(first, me.user.email)
    sign_in(second, me.user.email)
    assert lets_in(send_code(first, code))
    replayed = send_code(second, code)
    assert replayed.status_code == 422
    assert "That code was already used." in replayed.text
    assert not signed_in(second)


def test_the_code_page_needs_the_password_first(app, client, db):
    page = client.get("/staff/sign-in/code")
    assert page.headers["Location"].endswith("/staff/sign-in")


def test_five_wrong_codes_send_back_to_the_password_and_slow_the_address(
    app, sign_in_as, frozen_clock
):
    me = sign_in_as(Role.TRAINER)
    enrol(me, frozen_clock)
    browser = app.test_client()
    sign_in(browser, me.user.email)
    for _ in range(5):
        send_code(browser, "abcdef")
    assert browser.get("/staff/sign-in/code").headers["Location"].endswith("/staff/sign-in")
    # Wrong codes count against the address as wrong passwords do: it now waits.
    again = sign_in(browser, me.user.email)
    assert "Too many failed attempts from your network" in again.text


def test_a_recovery_code_signs_in_once(app, sign_in_as, frozen_clock):
    me = sign_in_as(Role.TRAINER)
    _secret, codes = enrol(me, frozen_clock)
    assert len(codes) == 10
    browser = app.test_client()
    sign_in(browser, me.user.email)
    assert lets_in(send_code(browser, codes[0]))
    again = app.test_client()
    sign_in(again, me.user.email)
    assert send_code(again, codes[0]).status_code == 422


def test_an_admin_resets_someones_two_factor(app, sign_in_as, frozen_clock):
    me = sign_in_as(Role.TRAINER)
    enrol(me, frozen_clock)
    admin = sign_in_as(Role.ADMIN)
    page = admin.get(f"/staff/people/{me.user.id}")
    assert "Reset two-factor sign-in" in page.text
    admin.post(
        f"/staff/people/{me.user.id}/two-factor/reset",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert lets_in(sign_in(app.test_client(), me.user.email))


def test_turning_it_off_needs_my_password(app, sign_in_as, frozen_clock):
    me = sign_in_as(Role.TRAINER)
    enrol(me, frozen_clock)
    page = me.get("/staff/account")
    token = csrf_token_from(page.text)
    wrong = me.post(
        "/staff/account/two-factor/off", data={"confirm-current": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 422 and "That is not your current password." in wrong.text
    me.post(
        "/staff/account/two-factor/off", data={"confirm-current": PASSWORD, "csrf_token": token}
    )
    database.session.expire_all()
    assert not database.session.get(StaffUser, me.user.id).two_factor


def test_when_required_an_admin_sets_it_up_before_anything_else(app, sign_in_as, frozen_clock):
    app.config["STAFF_ADMINS_NEED_TWO_FACTOR"] = True
    try:
        admin = sign_in_as(Role.ADMIN)
        sent = admin.get("/staff/outbox")
        assert sent.headers["Location"].endswith("/staff/account/two-factor")
        enrol(admin, frozen_clock)
        assert admin.get("/staff/outbox").status_code == 200
        trainer = sign_in_as(Role.TRAINER)
        assert trainer.get("/staff/").status_code == 200  # the rule is for admins
    finally:
        app.config["STAFF_ADMINS_NEED_TWO_FACTOR"] = False


def test_a_code_sent_after_the_set_up_was_lost_asks_to_scan_again(app, sign_in_as):
    me = sign_in_as(Role.TRAINER)
    page = me.get("/staff/account")  # the set-up page was never opened: no secret pending
    sent = me.post(
        "/staff/account/two-factor",
        data={"code": "123456", "csrf_token": csrf_token_from(page.text)},
    )
    assert sent.status_code == 422
    assert "The set-up started again" in sent.text
    database.session.expire_all()
    assert not database.session.get(StaffUser, me.user.id).two_factor
