"""Changing through the API: the same operations and refusals as the pages, and If-Match so
that two clients cannot overwrite each other silently."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, EmailOutbox, Role


def read(client, application, headers):  # type: ignore[no-untyped-def]
    answer = client.get(f"/api/v1/applications/{application.id}", headers=headers)
    return answer.json, answer.headers["ETag"]


def test_accepting_needs_the_current_etag_and_tells_the_applicant(
    client, workshop, make_application, token_for
):
    application = make_application(workshop)
    database.session.commit()
    headers = token_for(Role.COURSE_ASSISTANT, workshop)
    url = f"/api/v1/applications/{application.id}/decisions"
    without = client.post(url, json={"decision": "accept"}, headers=headers)
    assert without.status_code == 428
    assert without.json["type"] == "/api/v1/problems/precondition-required"
    _, etag = read(client, application, headers)
    accepted = client.post(url, json={"decision": "accept"}, headers={**headers, "If-Match": etag})
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert accepted.headers["ETag"] == read(client, application, headers)[1]
    # A second client still holding the first ETag is refused, and nothing changes.
    stale = client.post(url, json={"decision": "reject"}, headers={**headers, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json["type"] == "/api/v1/problems/precondition-failed"
    assert read(client, application, headers)[0]["status"] == "accepted"
    sent = database.session.scalars(sa.select(EmailOutbox.template)).all()
    assert sent.count("application_status") == 1


def test_a_full_activity_waitlists_and_a_refusal_is_a_problem_with_its_own_type(
    client, workshop, make_application, token_for
):
    for _ in range(2):
        make_application(workshop, status=ApplicationStatus.ACCEPTED)
    late = make_application(workshop)
    withdrawn = make_application(workshop, status=ApplicationStatus.WITHDRAWN)
    database.session.commit()
    headers = token_for(Role.ACTIVITY_MANAGER, workshop)
    _, etag = read(client, late, headers)
    answer = client.post(
        f"/api/v1/applications/{late.id}/decisions",
        json={"decision": "accept"},
        headers={**headers, "If-Match": etag},
    )
    assert answer.json["status"] == "waitlisted"  # as on the page: every place is taken
    _, etag = read(client, withdrawn, headers)
    refused = client.post(
        f"/api/v1/applications/{withdrawn.id}/decisions",
        json={"decision": "accept"},
        headers={**headers, "If-Match": etag},
    )
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    assert refused.json["type"] == "/api/v1/problems/invalid-transition"
    assert "withdrawn" in refused.json["detail"].lower()


def test_grants_and_payments_keep_the_budget_and_the_amount_due(
    client, db, make_activity, make_application, token_for
):
    activity = make_activity(costshare_budget=50_000)
    application = make_application(activity, status=ApplicationStatus.ACCEPTED)
    database.session.commit()
    headers = token_for(Role.COURSE_ASSISTANT, activity)
    tuition = activity.fee_components[0]
    _, etag = read(client, application, headers)
    over = client.post(
        f"/api/v1/applications/{application.id}/grants",
        json={"component_id": tuition.id, "share": "all"},
        headers={**headers, "If-Match": etag},
    )
    assert over.status_code == 409
    assert over.json["type"] == "/api/v1/problems/budget-exceeded"
    granted = client.post(
        f"/api/v1/applications/{application.id}/grants",
        json={"component_id": tuition.id, "share": "amount", "value": 40_000},
        headers={**headers, "If-Match": etag},
    )
    assert granted.status_code == 200 and granted.json["amount_due"] == 160_000
    too_much = client.post(
        f"/api/v1/applications/{application.id}/payments",
        json={"amount": 170_000, "received_on": "2020-01-02", "method": "card"},
        headers={**headers, "If-Match": granted.headers["ETag"]},
    )
    assert too_much.status_code == 409 and too_much.json["field"] == "amount"
    paid = client.post(
        f"/api/v1/applications/{application.id}/payments",
        json={"amount": 160_000, "received_on": date.today().isoformat(), "method": "card"},
        headers={**headers, "If-Match": granted.headers["ETag"]},
    )
    assert paid.status_code == 200
    assert (paid.json["amount_due"], paid.json["payment_status"]) == (0, "paid")


def test_a_trainer_marks_a_participant_present_and_not_someone_unconfirmed(
    client, workshop, make_application, token_for, move_clock
):
    confirmed = make_application(workshop, status=ApplicationStatus.CONFIRMED)
    waiting = make_application(workshop, status=ApplicationStatus.WAITLISTED)
    database.session.commit()
    headers = token_for(Role.TRAINER, workshop)
    session = workshop.sessions[0]
    move_clock(session.starts_at)
    marked = client.put(
        f"/api/v1/sessions/{session.id}/attendance/{confirmed.id}",
        json={"present": True},
        headers=headers,
    )
    assert marked.json["marks"] == [{"application_id": confirmed.id, "present": True}]
    refused = client.put(
        f"/api/v1/sessions/{session.id}/attendance/{waiting.id}",
        json={"present": True},
        headers=headers,
    )
    assert refused.status_code == 409
    assert refused.json["type"] == "/api/v1/problems/not-a-participant"
