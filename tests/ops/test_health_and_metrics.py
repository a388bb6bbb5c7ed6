"""Probes for load balancers and the Prometheus metrics, as an operator reads them."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, EmailOutbox, Job, JobStatus, OutboxStatus, utcnow


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    found = re.search(r"^" + pattern + r"$", text, re.MULTILINE)
    assert found, f"no sample {name} {labels} in:\n{text}"
    return float(found.group(1))


def test_healthz_answers_while_the_process_lives(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "checks": {"database": "ok"}}


def test_readyz_refuses_traffic_while_migrations_are_missing(client, db):
    real = database.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    database.session.execute(sa.text("UPDATE alembic_version SET version_num = 'older'"))
    database.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        database.session.execute(
            sa.text("UPDATE alembic_version SET version_num = :real"), {"real": real}
        )
        database.session.commit()
    assert response.status_code == 503
    assert response.json["status"] == "not ready"
    assert "migrations not current" in response.json["checks"]["database"]


def test_readyz_says_when_redis_does_not_answer(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = None
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "redis": "unreachable: ConnectionError"}


def test_readyz_checks_redis_when_it_is_configured(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/9"
    try:
        response = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = None
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}


def test_metrics_count_requests_by_route_and_status(client):
    before = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).text
    name = "eventreg_http_request_duration_seconds_count"
    labels = {"endpoint": "health.healthz", "method": "GET", "status": "200"}
    start = metric(before, name, **labels) if "health.healthz" in before else 0.0
    for _ in range(3):
        client.get("/healthz")
    client.get("/no-such-page")
    after = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).text
    assert metric(after, name, **labels) == start + 3
    assert metric(after, name, endpoint="unmatched", method="GET", status="404") >= 1
    assert 'le="0.1"' in after  # latencies come as a histogram


def test_metrics_report_outbox_jobs_and_applications(client, db, make_activity, factories):
    activity = make_activity()
    factories.application(activity)
    factories.application(activity, status=ApplicationStatus.ACCEPTED)
    hour_ago = utcnow() - timedelta(hours=1)
    for status in (OutboxStatus.QUEUED, OutboxStatus.RETRYING, OutboxStatus.SENT):
        db.session.add(
            EmailOutbox(
                template="t",
                to_address="a@example.org",
                to_name="A",
                subject="s",
                body_text="b",
                body_html="",
                status=status,
                created_at=hour_ago,
            )
        )
    db.session.add(Job(kind="certificates.batch", status=JobStatus.FAILED))
    db.session.add(Job(kind="certificates.batch", status=JobStatus.QUEUED))
    db.session.commit()

    text = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).text

    assert metric(text, "eventreg_outbox_messages", status="queued") == 1
    assert metric(text, "eventreg_outbox_messages", status="retrying") == 1
    assert metric(text, "eventreg_outbox_messages", status="sent") == 1
    assert 3590 < metric(text, "eventreg_outbox_oldest_undelivered_age_seconds") < 3700
    assert metric(text, "eventreg_jobs", status="failed") == 1
    assert metric(text, "eventreg_jobs", status="queued") == 1
    assert metric(text, "eventreg_applications", status="submitted") == 1
    assert metric(text, "eventreg_applications", status="accepted") == 1


def test_metrics_are_not_shown_to_the_outside_without_the_token(app, client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404
    app.config["METRICS_TOKEN"] = "scraper-secret"
    try:
        outside = {"REMOTE_ADDR": "203.0.113.9"}
        assert client.get("/metrics", environ_base=outside).status_code == 404
        wrong = client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer x"})
        assert wrong.status_code == 404
        right = client.get(
            "/metrics", environ_base=outside, headers={"Authorization": "Bearer scraper-secret"}
        )
        assert right.status_code == 200
        assert "eventreg_applications" in right.text
    finally:
        app.config["METRICS_TOKEN"] = None
