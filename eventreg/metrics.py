"""Prometheus metrics at /metrics: requests (rate, latency) and the state of the work.

Request figures are counted by every process. Under gunicorn they are kept in the
folder named by PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py sets it and marks
dead workers), so a scrape sees the whole node, not the one worker that answered.
The outbox, jobs and applications are read from the shared database at each scrape:
every node reports the same figures for them.

/metrics answers with METRICS_TOKEN as a bearer token, or, when none is set, only to
requests from this machine.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import InstrumentedAttribute

from .extensions import db
from .models import Application, EmailOutbox, Job, OutboxStatus, utcnow

bp = Blueprint("metrics", __name__)

REQUEST_SECONDS = Histogram(
    "eventreg_http_request_duration_seconds",
    "Time to answer a request, by route (endpoint), method and status code.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

# Mail not delivered yet: waiting, being sent, or waiting to be retried.
UNDELIVERED = (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.RETRYING)
LOCAL_ADDRESSES = {"127.0.0.1", "::1"}


class DatabaseCollector(Collector):
    """Figures read from the shared database when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        outbox = GaugeMetricFamily(
            "eventreg_outbox_messages", "Emails in the outbox, by status.", labels=["status"]
        )
        for status, count in _count_by(EmailOutbox.status):
            outbox.add_metric([str(status)], count)
        yield outbox
        oldest = db.session.scalar(
            sa.select(sa.func.min(EmailOutbox.created_at)).where(
                EmailOutbox.status.in_(UNDELIVERED)
            )
        )
        yield GaugeMetricFamily(
            "eventreg_outbox_oldest_undelivered_age_seconds",
            "Age of the oldest email not delivered yet (0 when none waits).",
            value=_age(oldest),
        )
        jobs = GaugeMetricFamily("eventreg_jobs", "Background jobs, by status.", labels=["status"])
        for status, count in _count_by(Job.status):
            jobs.add_metric([str(status)], count)
        yield jobs
        applications = GaugeMetricFamily(
            "eventreg_applications", "Applications, by status.", labels=["status"]
        )
        for status, count in _count_by(Application.status):
            applications.add_metric([str(status)], count)
        yield applications


def _count_by(column: InstrumentedAttribute[Any]) -> list[tuple[object, int]]:
    rows = db.session.execute(sa.select(column, sa.func.count()).group_by(column))
    return [(status, int(count)) for status, count in rows]


def _age(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    return max((utcnow() - moment).total_seconds(), 0.0)


def registry() -> CollectorRegistry:
    """A registry for one scrape: every process's request figures, then the database's."""
    scrape = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape.register(REQUEST_SECONDS)
    scrape.register(DatabaseCollector())
    return scrape


def _allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return request.remote_addr in LOCAL_ADDRESSES


@bp.get("/metrics")
def metrics() -> Response:
    """The metrics in Prometheus' text format; 404 to anyone not allowed to read them."""
    if not _allowed():
        abort(404)
    return Response(generate_latest(registry()), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Time every request and register /metrics."""
    app.register_blueprint(bp)

    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        started = g.get("request_started")
        if started is not None:
            endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
            REQUEST_SECONDS.labels(endpoint, request.method, str(response.status_code)).observe(
                time.perf_counter() - started
            )
        return response
