"""Webhooks: registering endpoints, writing events with the change that caused them, and
asking for a delivery again.

An event is written in the same transaction as the change: every change of the domain is
recorded in the audit log by its service, so a flush that adds an audit row of a kind that
endpoints listen to adds the event and one delivery per endpoint beside it. Either the
change and its event are committed together, or neither is.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import (
    AuditLog,
    DeliveryStatus,
    StaffUser,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
    utcnow,
)
from . import audit
from .errors import DomainError

# The audit actions that webhook events stand for.
EVENT_OF_ACTION = {
    "application.submitted": WebhookEventType.APPLICATION_SUBMITTED,
    "application.status_changed": WebhookEventType.STATUS_CHANGED,
    "costshare.granted": WebhookEventType.COSTSHARE_GRANTED,
    "payment.recorded": WebhookEventType.PAYMENT_RECORDED,
    "certificate.issued": WebhookEventType.CERTIFICATE_ISSUED,
    "attendance_marked": WebhookEventType.ATTENDANCE_MARKED,
}

URL_MAX = 500


class EndpointRefused(DomainError):
    """An endpoint needs an http(s) URL on a public address, and at least one event."""


class RedeliveryRefused(DomainError):
    """Only a delivery that ended (delivered or failed) is asked for again."""


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """WEBHOOK_ALLOWED_NETWORKS: private or loopback networks endpoints may still be on."""
    return [
        ipaddress.ip_network(network, strict=False)
        for network in current_app.config.get("WEBHOOK_ALLOWED_NETWORKS") or []
    ]


def public_or_allowed(address: str) -> bool:
    """Whether the worker may connect to this IP address."""
    ip = ipaddress.ip_address(address)
    if any(ip in network for network in allowed_networks()):
        return True
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """The IP addresses a host name stands for (empty when it does not resolve)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return list(dict.fromkeys(str(entry[4][0]) for entry in found))


def check_url(url: str) -> str:
    """The URL, stripped, if the worker may post to it; else EndpointRefused.

    Refuses other schemes than http and https, credentials in the URL, a host that does
    not resolve, and one with any address that is private, loopback, link-local or
    reserved, unless WEBHOOK_ALLOWED_NETWORKS lets it through.
    """
    url = url.strip()
    if len(url) > URL_MAX:
        raise EndpointRefused(f"Keep the URL under {URL_MAX} characters.", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise EndpointRefused("This is not a URL.", field="url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointRefused("Give an http:// or https:// URL.", field="url")
    if parts.username or parts.password:
        raise EndpointRefused("Leave credentials out of the URL.", field="url")
    addresses = resolve(parts.hostname, port)
    if not addresses:
        raise EndpointRefused(f"{parts.hostname} cannot be found.", field="url")
    if not all(public_or_allowed(address) for address in addresses):
        raise EndpointRefused(
            f"{parts.hostname} is a private or local address: webhooks go to public ones.",
            field="url",
        )
    return url


def register_endpoint(
    *, url: str, event_types: list[str], description: str = "", by: StaffUser
) -> WebhookEndpoint:
    """A new endpoint for the chosen events, with a new signing secret."""
    chosen = [t for t in event_types if t in set(WebhookEventType)]
    if not chosen:
        raise EndpointRefused("Choose at least one event.", field="event_types")
    endpoint = WebhookEndpoint(
        url=check_url(url),
        event_types=sorted(set(chosen)),
        description=description.strip()[:200],
        created_by_id=by.id,
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record("webhook.registered", endpoint, by=by, note=endpoint.url)
    return endpoint


def set_active(endpoint: WebhookEndpoint, active: bool, *, by: StaffUser) -> None:
    """Turn an endpoint off (no new events go to it) or on again."""
    endpoint.active = active
    db.session.flush()
    audit.record("webhook.turned_on" if active else "webhook.turned_off", endpoint, by=by)


def redeliver(delivery: WebhookDelivery, *, by: StaffUser) -> WebhookDelivery:
    """A new delivery of the same event (same event id) to the same endpoint, due now."""
    if delivery.status not in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        raise RedeliveryRefused("This delivery is still being tried: wait for it to end.")
    again = WebhookDelivery(event_id=delivery.event_id, endpoint_id=delivery.endpoint_id)
    db.session.add(again)
    db.session.flush()
    audit.record("webhook.redelivered", again, by=by, note=delivery.event.event_id)
    return again


def deliveries(endpoint: WebhookEndpoint, *, limit: int = 100) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first, with their events."""
    return list(
        db.session.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .options(sa.orm.joinedload(WebhookDelivery.event))
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def payload_of(entry: AuditLog) -> dict[str, Any]:
    """What receivers are told: which objects changed and how (they read the rest by API)."""
    return {
        "activity_id": entry.activity_id,
        "application_id": entry.application_id,
        "object": {"type": entry.entity_type, "id": entry.entity_id},
        "before": entry.before or {},
        "after": entry.after or {},
    }


def _add_events(session: Session, *_args: Any) -> None:
    """Session hook: for each new audit row endpoints listen to, add its event and
    deliveries to the same flush (and so to the same transaction)."""
    entries = [
        obj for obj in session.new if isinstance(obj, AuditLog) and obj.action in EVENT_OF_ACTION
    ]
    if not entries or not has_app_context():
        return
    with session.no_autoflush:
        endpoints = list(session.scalars(_LISTENING))
    for entry in entries:
        kind = EVENT_OF_ACTION[entry.action]
        listening = [e for e in endpoints if kind.value in e.event_types]
        if not listening:
            continue
        happened = WebhookEvent(type=kind.value, payload=payload_of(entry), created_at=utcnow())
        session.add(happened)
        for endpoint in listening:
            session.add(WebhookDelivery(event=happened, endpoint=endpoint))


# Built once: every audited flush asks it.
_LISTENING = sa.select(WebhookEndpoint).where(WebhookEndpoint.active)

if not event.contains(FlaskSession, "before_flush", _add_events):
    event.listen(FlaskSession, "before_flush", _add_events)
