"""Selecting participants through the domain: accept or waitlist, bulk, cancel, the waiting list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventreg.models import Application, ApplicationStatus, EmailOutbox
from eventreg.services import applicant, decisions, lifecycle
from eventreg.services.decisions import (
    Decision,
    DecisionResult,
    NoPlaceFree,
    PlacesFull,
    WaitingListEmpty,
)
from eventreg.services.lifecycle import InvalidTransition
from eventreg.services.messages import Letter, MessageRefused

from .conftest import actions, count, mails

Status = ApplicationStatus


def test_accepting_beyond_capacity_waitlists_instead(
    db, make_activity, make_application, assistant
):
    activity = make_activity(capacity=1)
    first, second = make_application(activity), make_application(activity)
    assert decisions.decide(first, Decision.ACCEPT, by=assistant).result is DecisionResult.ACCEPTED
    assert (
        decisions.decide(second, Decision.ACCEPT, by=assistant).result is DecisionResult.WAITLISTED
    )
    assert (first.status, second.status) == (Status.ACCEPTED, Status.WAITLISTED)
    assert [m.subject.split(":")[0] for m in mails("application_status")] == [
        "You are selected",
        "Waiting list",
    ]


def test_one_already_waiting_stays_waiting_when_places_are_full(
    db, make_activity, make_application, assistant
):
    activity = make_activity(capacity=1)
    make_application(activity, status=Status.ACCEPTED)
    waiting = make_application(activity, status=Status.WAITLISTED)
    with pytest.raises(PlacesFull, match="stays on the waiting list"):
        decisions.decide(waiting, Decision.ACCEPT, by=assistant)
    assert waiting.status == Status.WAITLISTED
    assert mails() == []


def test_a_decision_on_a_withdrawn_application_is_refused_and_changes_nothing(
    db, workshop, make_application, assistant
):
    withdrawn = make_application(workshop, status=Status.WITHDRAWN)
    for decision in Decision:
        with pytest.raises(InvalidTransition, match="withdrawn cannot become"):
            decisions.decide(withdrawn, decision, by=assistant)
    assert withdrawn.status == Status.WITHDRAWN
    assert mails() == [] and actions(withdrawn.id) == []


def test_an_edited_letter_replaces_the_standard_email(db, workshop, make_application, assistant):
    application = make_application(workshop, given_names="Amina", language="fr")
    letter = Letter(
        subject="Welcome, {given_names} ({reference})",
        body="Dear colleague, you are in. Please confirm by {confirm_by}: {status_link}",
    )
    decisions.decide(application, Decision.ACCEPT, by=assistant, letter=letter)
    [email] = mails()
    assert email.template == "message"
    assert email.subject == f"Welcome, Amina ({application.reference})"
    assert application.token in email.body_text and "{" not in email.body_text
    # The calendar file of the standard acceptance travels with the staff's text.
    assert [a.filename for a in email.attachments] == [f"{workshop.reference}.ics"]
    assert actions(application.id) == ["application.status_changed", "application.message_sent"]


def test_the_unchanged_default_letter_sends_the_standard_email_in_the_applicants_language(
    db, workshop, make_application, assistant
):
    application = make_application(workshop, language="fr")
    default = decisions.default_letter(Decision.ACCEPT)
    decisions.decide(application, Decision.ACCEPT, by=assistant, letter=default)
    [email] = mails()
    assert email.template == "application_status"
    assert email.subject.startswith("Votre candidature est retenue")


def test_a_letter_with_an_unknown_placeholder_is_refused_before_anything_changes(
    db, workshop, make_application, assistant
):
    application = make_application(workshop)
    letter = Letter(subject="Hello", body="Dear {given_names.__class__} {first_name}")
    with pytest.raises(MessageRefused, match="not a placeholder") as refusal:
        decisions.decide(application, Decision.REJECT, by=assistant, letter=letter)
    assert refusal.value.field == "body"
    assert application.status == Status.SUBMITTED and mails() == []


def test_an_accept_letter_is_not_used_when_the_applicant_ends_on_the_waiting_list(
    db, make_activity, make_application, assistant
):
    activity = make_activity(capacity=0)
    application = make_application(activity)
    letter = Letter(subject="You are in", body="Come to Turin, {given_names}.")
    assert (
        decisions.decide(application, Decision.ACCEPT, by=assistant, letter=letter).result
        is DecisionResult.WAITLISTED
    )
    [email] = mails()
    assert email.template == "application_status" and "waiting list" in email.body_text


def test_bulk_acceptance_fills_the_places_in_reference_order_and_waitlists_the_rest(
    db, make_activity, make_application, assistant
):
    activity = make_activity(capacity=3)
    make_application(activity, status=Status.CONFIRMED)
    chosen = [make_application(activity) for _ in range(4)]
    withdrawn = make_application(activity, status=Status.WITHDRAWN)
    result = decisions.decide_many([*reversed(chosen), withdrawn], Decision.ACCEPT, by=assistant)
    assert result.decided[DecisionResult.ACCEPTED] == chosen[:2]
    assert result.decided[DecisionResult.WAITLISTED] == chosen[2:]
    assert [(a, "withdrawn" in why) for a, why in result.refused] == [(withdrawn, True)]
    assert lifecycle.places_taken(activity.id) == 3
    assert len(mails("application_status")) == 4


def test_bulk_rejection_with_an_edited_letter(db, workshop, make_application, assistant):
    chosen = [make_application(workshop, given_names=name) for name in ("Amina", "Ravi")]
    letter = Letter(subject="About {reference}", body="Sorry, {given_names}.")
    result = decisions.decide_many(chosen, Decision.REJECT, by=assistant, letter=letter)
    assert result.count(DecisionResult.REJECTED) == 2
    assert sorted(m.body_text.split("\n")[2] for m in mails("message")) == [
        "Sorry, Amina.",
        "Sorry, Ravi.",
    ]
    assert mails("application_status") == []


def test_bulk_decisions_are_capped(db, workshop, make_application, assistant, monkeypatch):
    monkeypatch.setattr(decisions, "BULK_LIMIT", 2)
    chosen = [make_application(workshop) for _ in range(3)]
    with pytest.raises(decisions.TooMany):
        decisions.decide_many(chosen, Decision.REJECT, by=assistant)
    assert {a.status for a in chosen} == {Status.SUBMITTED}


def test_cancelling_offers_the_freed_place_automatically_when_configured(
    db, make_activity, make_application, assistant
):
    activity = make_activity(capacity=1, waitlist_auto_offer=True)
    holder = make_application(activity, status=Status.CONFIRMED)
    later = make_application(
        activity, status=Status.WAITLISTED, waitlisted_at=datetime(2031, 1, 2, tzinfo=UTC)
    )
    first = make_application(
        activity, status=Status.WAITLISTED, waitlisted_at=datetime(2031, 1, 1, tzinfo=UTC)
    )
    result = decisions.decide(holder, Decision.CANCEL, by=assistant)
    assert result.result is DecisionResult.CANCELLED and result.offered == [first]
    assert (holder.status, first.status, later.status) == (
        Status.CANCELLED,
        Status.ACCEPTED,
        Status.WAITLISTED,
    )
    assert [m.to_address for m in mails()] == [holder.email, first.email]


def test_cancelling_leaves_the_place_for_one_click_when_not_automatic(
    db, make_activity, make_application, assistant
):
    activity = make_activity(capacity=1, waitlist_auto_offer=False)
    holder = make_application(activity, status=Status.ACCEPTED)
    waiting = make_application(
        activity, status=Status.WAITLISTED, waitlisted_at=datetime(2031, 1, 1, tzinfo=UTC)
    )
    assert decisions.decide(holder, Decision.CANCEL, by=assistant).offered == []
    db.session.commit()
    assert waiting.status == Status.WAITLISTED
    assert decisions.offer_next_place(activity, by=assistant) == waiting
    assert waiting.status == Status.ACCEPTED and waiting.confirm_by is not None
    with pytest.raises(NoPlaceFree):
        decisions.offer_next_place(activity, by=assistant)


def test_offering_with_nobody_waiting_is_refused(db, make_activity, assistant):
    activity = make_activity(capacity=2)
    with pytest.raises(WaitingListEmpty):
        decisions.offer_next_place(activity, by=assistant)


def test_a_place_given_up_by_the_applicant_goes_to_the_first_waiting_at_once(
    db, make_activity, make_application
):
    activity = make_activity(capacity=1, waitlist_auto_offer=True)
    holder = make_application(activity, status=Status.ACCEPTED)
    waiting = make_application(
        activity, status=Status.WAITLISTED, waitlisted_at=datetime(2031, 1, 1, tzinfo=UTC)
    )
    db.session.commit()
    applicant.withdraw_application(holder, now=activity.starts_at - timedelta(days=1))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Application, waiting.id).status == Status.ACCEPTED
    offer = mails(to=waiting.email)
    assert [m.subject.split(":")[0] for m in offer] == ["You are selected"]
    assert "application.status_changed" in actions(waiting.id)


def test_a_place_declined_is_not_offered_when_the_activity_asks_for_one_click(
    db, make_activity, make_application
):
    activity = make_activity(capacity=1, waitlist_auto_offer=False)
    holder = make_application(activity, status=Status.ACCEPTED)
    waiting = make_application(activity, status=Status.WAITLISTED)
    db.session.commit()
    applicant.decline_participation(holder, now=datetime.now(UTC))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Application, waiting.id).status == Status.WAITLISTED
    assert count(EmailOutbox, EmailOutbox.to_address == waiting.email) == 0


def test_a_rolled_back_withdrawal_offers_nothing(db, make_activity, make_application):
    activity = make_activity(capacity=1, waitlist_auto_offer=True)
    holder = make_application(activity, status=Status.ACCEPTED)
    waiting = make_application(activity, status=Status.WAITLISTED)
    db.session.commit()
    applicant.withdraw_application(holder, now=datetime.now(UTC))
    db.session.rollback()
    db.session.commit()
    assert db.session.get(Application, waiting.id).status == Status.WAITLISTED


def test_the_decisions_offered_follow_the_transition_table(db, workshop, make_application):
    assert decisions.possible_decisions(make_application(workshop)) == list(Decision)
    accepted = make_application(workshop, status=Status.ACCEPTED)
    assert decisions.possible_decisions(accepted) == [Decision.CANCEL]
    waiting = make_application(workshop, status=Status.WAITLISTED)
    assert decisions.possible_decisions(waiting) == [
        Decision.ACCEPT,
        Decision.REJECT,
        Decision.CANCEL,
    ]
    assert decisions.possible_decisions(make_application(workshop, status=Status.DECLINED)) == []
