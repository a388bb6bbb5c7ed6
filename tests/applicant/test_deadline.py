"""The deadline is a moment in the activity's timezone, enforced when the form is sent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from eventreg import clock
from eventreg.demo import at

from .conftest import counts, form_page, submit, token_of

ZONES = ["Europe/Rome", "Asia/Kathmandu"]


@pytest.fixture
def freeze(monkeypatch):
    """Set the moment the views believe it is."""

    def set_now(moment):
        monkeypatch.setattr(clock, "now", lambda: moment)

    return set_now


def call(db, factories, zone: str):
    deadline = at(zone, date(2031, 6, 15), "23:59")
    activity = factories.activity(
        slug="call",
        timezone=zone,
        deadline_at=deadline,
        opens_at=deadline - timedelta(days=90),
        starts_at=deadline + timedelta(days=30),
    )
    factories.contact(
        activity, role="Course assistant", name="Sophie Ouine", phone="+39 011 693 6522"
    )
    db.session.commit()
    return activity


@pytest.mark.parametrize("zone", ZONES)
def test_a_form_sent_one_second_before_the_deadline_is_accepted(
    client, db, factories, freeze, zone
):
    activity = call(db, factories, zone)
    freeze(activity.deadline_at - timedelta(minutes=25))
    page = form_page(client, activity)
    freeze(activity.deadline_at - timedelta(seconds=1))
    assert token_of(submit(client, activity, page=page, organisation_type="Other"))
    assert counts(db) == (1, 1)


@pytest.mark.parametrize("zone", ZONES)
def test_a_form_sent_one_second_after_the_deadline_is_refused_clearly(
    client, db, factories, freeze, zone
):
    activity = call(db, factories, zone)
    freeze(activity.deadline_at - timedelta(minutes=25))
    page = form_page(client, activity)
    freeze(activity.deadline_at + timedelta(seconds=1))
    response = submit(client, activity, page=page, organisation_type="Other")
    assert response.status_code == 409
    assert f"closed on 15 June 2031, 23:59 ({zone})" in response.text
    assert "your application was not saved" in response.text
    assert "Sophie Ouine" in response.text and "+39 011 693 6522" in response.text
    assert counts(db) == (0, 0)


def test_after_the_deadline_the_form_says_the_call_is_closed(client, db, factories, freeze):
    activity = call(db, factories, "Asia/Kathmandu")
    freeze(activity.deadline_at + timedelta(seconds=1))
    response = client.get("/activities/call/apply")
    assert response.status_code == 200
    assert "The call for applications is closed" in response.text
    assert "15 June 2031, 23:59 +0545" in response.text
    assert 'name="given_names"' not in response.text
    assert "Sophie Ouine" in response.text


def test_an_incomplete_form_sent_after_the_deadline_gets_the_closed_page(
    client, db, factories, freeze
):
    activity = call(db, factories, "Europe/Rome")
    freeze(activity.deadline_at - timedelta(minutes=5))
    page = form_page(client, activity)
    freeze(activity.deadline_at + timedelta(minutes=5))
    response = submit(client, activity, page=page, given_names="", organisation_type="Other")
    assert response.status_code == 409
    assert "closed on" in response.text


def test_a_form_sent_in_time_and_again_after_the_deadline_shows_its_confirmation(
    client, db, factories, freeze
):
    activity = call(db, factories, "Europe/Rome")
    freeze(activity.deadline_at - timedelta(minutes=5))
    page = form_page(client, activity)
    first = submit(client, activity, page=page, organisation_type="Other")
    freeze(activity.deadline_at + timedelta(minutes=5))
    again = submit(client, activity, page=page, organisation_type="Other")
    assert again.headers["Location"] == first.headers["Location"]
    assert counts(db) == (1, 1)


def test_before_the_call_opens_the_form_says_when_it_will(client, db, factories, freeze):
    activity = call(db, factories, "Europe/Rome")
    freeze(activity.opens_at - timedelta(days=1))
    response = client.get("/activities/call/apply")
    assert "The application form opens on" in response.text
