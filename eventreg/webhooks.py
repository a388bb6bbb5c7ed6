"""Delivering webhooks (by the worker): signed as Standard Webhooks asks, retried with
backoff, only ever to the address that was checked.

Each request carries `webhook-id` (the event's id, the same on every retry and redelivery,
for receivers to deduplicate on), `webhook-timestamp` and `webhook-signature`
(`v1,` + base64 HMAC-SHA256 of "id.timestamp.body" under the endpoint's secret). A 2xx
answer delivers; anything else, or no answer, is tried again later; redirects are not
followed.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload
from standardwebhooks.webhooks import Webhook

from .extensions import db
from .models import DeliveryStatus, WebhookDelivery, utcnow
from .services.webhooks import public_or_allowed, resolve
from .worker import retry_delay

log = logging.getLogger("eventreg.webhooks")

DUE = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
ANSWER_MAX = 64 * 1024  # what is read of a receiver's answer


class AddressRefused(Exception):
    """The endpoint's host now resolves to a private or local address."""


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to one checked IP address, verifying the certificate for the host name."""

    def __init__(self, host: str, port: int, address: str, **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST to the URL at an address checked now (a name may have been pointed elsewhere
    since the endpoint was registered); returns the HTTP status."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    addresses = resolve(host, port)
    usable = [a for a in addresses if public_or_allowed(a)]
    if not addresses or len(usable) != len(addresses):
        raise AddressRefused(f"{host} resolves to a private or local address")
    connection: http.client.HTTPConnection
    if https:
        connection = _PinnedHTTPS(
            host, port, usable[0], timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(usable[0], port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers={**headers, "Host": parts.netloc})
        answer = connection.getresponse()
        answer.read(ANSWER_MAX)
        return answer.status
    finally:
        connection.close()


def signed_request(delivery: WebhookDelivery, *, now: datetime) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a delivery, signed with its endpoint's secret."""
    happened = delivery.event
    body = json.dumps(
        {
            "type": happened.type,
            "timestamp": happened.created_at.isoformat(),
            "data": happened.payload,
        },
        separators=(",", ":"),
    )
    signature = Webhook(delivery.endpoint.secret).sign(happened.event_id, now, body)
    return body.encode(), {
        "Content-Type": "application/json",
        "User-Agent": "eventreg-webhooks",
        "webhook-id": happened.event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def claim_due(limit: int, *, now: datetime) -> list[int]:
    """Take up to `limit` due deliveries for a while (a lease), committed, and return them.

    The lease moves their next attempt ahead, so another worker does not take them; one
    that dies mid-delivery leaves them due again when the lease ends.
    """
    lease = now + timedelta(seconds=float(current_app.config.get("WEBHOOK_LEASE_SECONDS", 300)))
    candidates = (
        sa.select(WebhookDelivery.id)
        .where(WebhookDelivery.status.in_(DUE), WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claimed = db.session.scalars(
        sa.update(WebhookDelivery)
        .where(
            WebhookDelivery.id.in_(candidates.scalar_subquery()),
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=lease)
        .returning(WebhookDelivery.id)
    ).all()
    db.session.commit()
    return sorted(claimed)


def deliver_due(*, limit: int = 50) -> int:
    """Try every due delivery once; returns how many were tried."""
    config = current_app.config
    ids = claim_due(limit, now=utcnow())
    timeout = float(config.get("WEBHOOK_TIMEOUT_SECONDS", 10))
    for delivery_id in ids:
        delivery = db.session.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .options(joinedload(WebhookDelivery.event), joinedload(WebhookDelivery.endpoint))
        ).one()
        now = utcnow()
        body, headers = signed_request(delivery, now=now)
        error, status = "", None
        try:
            status = post(delivery.endpoint.url, body, headers, timeout=timeout)
        except (OSError, http.client.HTTPException, AddressRefused) as problem:
            error = f"{type(problem).__name__}: {problem}"
        delivery.attempts += 1
        delivery.last_status_code = status
        if status is not None and 200 <= status < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.last_error = ""
        else:
            delivery.last_error = (error or f"answered {status}")[:2000]
            if delivery.attempts >= int(config.get("WEBHOOK_MAX_ATTEMPTS", 12)):
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.status = DeliveryStatus.RETRYING
                delivery.next_attempt_at = now + retry_delay(
                    delivery.attempts, config, kind="WEBHOOK"
                )
            log.info("webhook %s not delivered: %s", delivery.id, delivery.last_error)
        db.session.commit()
    return len(ids)
