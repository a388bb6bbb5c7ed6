"""Guessing a staff password: the account locks against strangers, each address is slowed
down, and the owner signing in from the browser they use is never locked out by someone
else's failures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventreg.models import Role
from eventreg.services import staff_auth

from ..conftest import PASSWORD, csrf_token_from

HOME, ATTACKER, ELSEWHERE = "198.51.100.7", "203.0.113.66", "192.0.2.200"


def browser(app, address: str):  # type: ignore[no-untyped-def]
    """A test client whose requests come from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client, email: str, password: str):  # type: ignore[no-untyped-def]
    token = csrf_token_from(client.get("/staff/sign-in").text)
    return client.post(
        "/staff/sign-in", data={"email": email, "password": password, "csrf_token": token}
    )


def signed_in(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code in (302, 303) and "/staff/" in response.headers["Location"]


@pytest.fixture
def owner(db, make_staff):
    user = make_staff(Role.ADMIN)
    db.session.commit()
    return user


@pytest.fixture
def owners_browser(app, owner):
    """The owner's usual browser: it has signed in before, and signed out."""
    client = browser(app, HOME)
    assert signed_in(attempt(client, owner.email, PASSWORD))
    client.post("/staff/sign-out", data={"csrf_token": csrf_token_from(client.get("/staff/").text)})
    return client


def test_an_attackers_failures_do_not_lock_the_owner_out_of_their_usual_browser(
    app, owner, owners_browser
):
    attacker = browser(app, ATTACKER)
    for _ in range(staff_auth.MAX_FAILURES + 3):
        assert not signed_in(attempt(attacker, owner.email, "guess"))
    # The account is locked against the attacker, even with the right password...
    refused = attempt(attacker, owner.email, PASSWORD)
    assert not signed_in(refused) and "Too many failed attempts" in refused.text
    # ...and against a new browser elsewhere, but the owner at home signs in at once.
    assert not signed_in(attempt(browser(app, ELSEWHERE), owner.email, PASSWORD))
    assert signed_in(attempt(owners_browser, owner.email, PASSWORD))


def test_one_address_failing_is_slowed_down_whatever_account_it_tries(app, db, make_staff):
    accounts = [make_staff(Role.TRAINER) for _ in range(staff_auth.ADDRESS_FREE_FAILURES + 1)]
    db.session.commit()
    attacker = browser(app, ATTACKER)
    for account in accounts[:-1]:  # one failure each: no account reaches its own lockout
        assert not signed_in(attempt(attacker, account.email, "guess"))
    slowed = attempt(attacker, accounts[-1].email, PASSWORD)
    assert not signed_in(slowed)
    assert "from your network" in slowed.text
    # The account itself is not locked: from another address its owner signs in.
    assert signed_in(attempt(browser(app, HOME), accounts[-1].email, PASSWORD))


def test_the_slow_down_grows_with_each_failure_and_passes_with_time(app, db, owner, monkeypatch):
    now = staff_auth.utcnow()
    waits = []
    for failures in range(staff_auth.ADDRESS_FREE_FAILURES, staff_auth.ADDRESS_FREE_FAILURES + 4):
        waits.append(staff_auth.address_wait(failures))
    assert waits == sorted(waits) and waits[0] < waits[-1]
    assert staff_auth.address_wait(10_000) == staff_auth.ADDRESS_MAX_WAIT

    attacker = browser(app, ATTACKER)
    for _ in range(staff_auth.ADDRESS_FREE_FAILURES):
        attempt(attacker, "nobody@example.org", "guess")
    assert "from your network" in attempt(attacker, owner.email, PASSWORD).text
    later = now + staff_auth.ADDRESS_WINDOW + timedelta(seconds=1)
    monkeypatch.setattr(staff_auth, "utcnow", lambda: later)
    assert signed_in(attempt(attacker, owner.email, PASSWORD))


def test_a_browser_known_for_one_account_is_a_stranger_to_another(app, db, make_staff):
    first, second = make_staff(Role.TRAINER), make_staff(Role.TRAINER)
    db.session.commit()
    shared = browser(app, HOME)
    assert signed_in(attempt(shared, first.email, PASSWORD))
    attacker = browser(app, ATTACKER)
    for _ in range(staff_auth.MAX_FAILURES):
        attempt(attacker, second.email, "guess")
    assert not signed_in(attempt(shared, second.email, PASSWORD))
