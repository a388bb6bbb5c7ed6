"""Registering endpoints: only admins, only public addresses unless configured otherwise."""

from __future__ import annotations

import sqlalchemy as sa

from eventreg.extensions import db as database
from eventreg.models import Role, WebhookEndpoint

from ..conftest import csrf_token_from


def attempt(browser, url: str, *events: str):  # type: ignore[no-untyped-def]
    page = browser.get("/staff/webhooks")
    return browser.post(
        "/staff/webhooks",
        data={"url": url, "event_types": list(events), "csrf_token": csrf_token_from(page.text)},
    )


def test_private_and_loopback_addresses_are_refused_by_default(sign_in_as):
    admin = sign_in_as(Role.ADMIN)
    for url in (
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
    ):
        answer = attempt(admin, url, "payment.recorded")
        assert answer.status_code == 422, url
        assert "private or local address" in answer.text, url
    for url, message in (
        ("ftp://example.org/hook", "http:// or https://"),
        ("https://user:pw@example.org/hook", "credentials"),
        ("https://no-such-host.invalid/hook", "cannot be found"),
    ):
        answer = attempt(admin, url, "payment.recorded")
        assert answer.status_code == 422 and message in answer.text, url
    assert database.session.scalar(sa.select(sa.func.count()).select_from(WebhookEndpoint)) == 0


def test_an_endpoint_needs_an_event_and_its_secret_is_shown_to_the_admin(
    sign_in_as, local_hooks, receiver
):
    admin = sign_in_as(Role.ADMIN)
    eventless = attempt(admin, receiver.url)
    assert eventless.status_code == 422 and "at least one event" in eventless.text
    created = attempt(admin, receiver.url, "payment.recorded", "certificate.issued")
    endpoint = database.session.scalars(sa.select(WebhookEndpoint)).one()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in created.text
    assert endpoint.event_types == ["certificate.issued", "payment.recorded"]
