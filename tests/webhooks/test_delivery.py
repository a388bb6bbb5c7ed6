"""Webhooks end to end: an event written with its change, signed, delivered by the worker to
a real HTTP receiver on 127.0.0.1, retried while the receiver is down, delivered once, and
redelivered with the same event id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from eventreg import webhooks as delivery
from eventreg.extensions import db as database
from eventreg.models import (
    ApplicationStatus,
    DeliveryStatus,
    Role,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from eventreg.services import webhooks

from ..conftest import csrf_token_from


def register(browser, url: str, *events: str):  # type: ignore[no-untyped-def]
    page = browser.get("/staff/webhooks")
    return browser.post(
        "/staff/webhooks",
        data={"url": url, "event_types": list(events), "csrf_token": csrf_token_from(page.text)},
    )


def decide(browser, application, decision: str):  # type: ignore[no-untyped-def]
    url = f"/staff/applications/{application.id}/decide/{decision}"
    page = browser.get(url)
    return browser.post(url, data={"decision": decision, "csrf_token": csrf_token_from(page.text)})


def expected_signature(secret: str, headers: dict[str, str], body: bytes) -> str:
    """Standard Webhooks' signature, computed here by hand from the specification."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def test_a_decision_reaches_the_receiver_signed_after_it_was_down_and_only_once(
    local_hooks, receiver, sign_in_as, make_activity, make_application
):
    activity = make_activity()
    application = make_application(activity)
    admin = sign_in_as(Role.ADMIN)
    assert register(admin, receiver.url, "application.status_changed").status_code == 200
    endpoint = database.session.scalars(sa.select(WebhookEndpoint)).one()

    decide(admin, application, "accept")
    happened = database.session.scalars(sa.select(WebhookEvent)).one()
    assert happened.type == "application.status_changed"
    assert happened.payload["application_id"] == application.id
    assert happened.payload["after"]["status"] == "accepted"

    # The receiver is down: the delivery waits and is tried again.
    assert delivery.deliver_due() == 1
    waiting = database.session.scalars(sa.select(WebhookDelivery)).one()
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.RETRYING, 1)
    assert "refused" in waiting.last_error.lower()

    receiver.start()
    assert delivery.deliver_due() == 1
    assert delivery.deliver_due() == 0  # delivered: never sent again
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.path == "/hooks/eventreg"
    headers = {key.lower(): value for key, value in got.headers.items()}
    assert headers["webhook-id"] == happened.event_id
    assert headers["webhook-signature"] == expected_signature(endpoint.secret, headers, got.body)
    Webhook(endpoint.secret).verify(got.body, headers)  # and as a receiver's library does
    body = json.loads(got.body)
    assert body["type"] == "application.status_changed"
    assert body["data"]["after"]["status"] == "accepted"
    database.session.expire_all()
    done = database.session.scalars(sa.select(WebhookDelivery)).one()
    assert (done.status, done.attempts, done.last_status_code) == (DeliveryStatus.DELIVERED, 2, 204)

    # "Redeliver" on the log sends the same event again, with the same id.
    log = admin.get(f"/staff/webhooks/{endpoint.id}")
    assert happened.event_id in log.text and "Redeliver" in log.text
    admin.post(
        f"/staff/webhooks/deliveries/{done.id}/redeliver",
        data={"csrf_token": csrf_token_from(log.text)},
    )
    assert delivery.deliver_due() == 1
    assert [r.headers["webhook-id"] for r in receiver.received] == [happened.event_id] * 2


def test_a_refused_change_writes_no_event_and_unwanted_events_are_not_written(
    local_hooks, receiver, sign_in_as, make_activity, make_application
):
    activity = make_activity()
    withdrawn = make_application(activity, status=ApplicationStatus.WITHDRAWN)
    other = make_application(activity)
    admin = sign_in_as(Role.ADMIN)
    register(admin, receiver.url, "application.status_changed")
    decide(admin, withdrawn, "accept")  # refused: a withdrawn application cannot be accepted
    assert database.session.scalar(sa.select(sa.func.count()).select_from(WebhookEvent)) == 0
    endpoint = database.session.scalars(sa.select(WebhookEndpoint)).one()
    endpoint.event_types = ["payment.recorded"]
    database.session.commit()
    decide(admin, other, "reject")
    assert database.session.scalar(sa.select(sa.func.count()).select_from(WebhookEvent)) == 0


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_attempt(
    app, local_hooks, receiver, factories, make_activity, make_application
):
    receiver.status = 500
    receiver.start()
    admin = factories.staff(Role.ADMIN)
    webhooks.register_endpoint(url=receiver.url, event_types=["application.submitted"], by=admin)
    activity = make_activity()
    application = make_application(activity)
    from eventreg.services import audit

    audit.record("application.submitted", application, actor="applicant")
    database.session.commit()
    saved = app.config.get("WEBHOOK_MAX_ATTEMPTS")
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 3
    try:
        tried = sum(delivery.deliver_due() for _ in range(5))
    finally:
        app.config["WEBHOOK_MAX_ATTEMPTS"] = saved
    assert tried == 3 and len(receiver.received) == 3
    failed = database.session.scalars(sa.select(WebhookDelivery)).one()
    assert (failed.status, failed.last_status_code) == (DeliveryStatus.FAILED, 500)
