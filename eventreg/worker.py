"""The worker: delivers the outbox and runs background jobs, outside any web request."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from time import monotonic
from typing import Any

import sqlalchemy as sa
from flask import current_app

from .emails import write_pending
from .extensions import db
from .mailer import (
    ConnectionLost,
    OutgoingAttachment,
    OutgoingEmail,
    PermanentFailure,
    TemporaryFailure,
    build_message,
    message_id_domain,
    transport_for,
)
from .models import EmailOutbox, OutboxAttachment, OutboxStatus, utcnow

log = logging.getLogger("eventreg.worker")

DUE = (OutboxStatus.QUEUED, OutboxStatus.RETRYING)


@dataclass
class DeliveryReport:
    """What one pass over the outbox did."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def retry_delay(attempts: int, config: Any, *, kind: str = "MAIL") -> timedelta:
    """Exponential backoff: base, 2x base, 4x base... capped (<kind>_RETRY_BASE_SECONDS,
    <kind>_RETRY_MAX_SECONDS: MAIL for the outbox, WEBHOOK for webhooks)."""
    base = float(config.get(f"{kind}_RETRY_BASE_SECONDS", 30))
    cap = float(config.get(f"{kind}_RETRY_MAX_SECONDS", 6 * 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def claim_due(limit: int, *, worker: str, now: datetime | None = None) -> list[int]:
    """Atomically mark up to `limit` due messages as ours and return their ids (committed).

    On PostgreSQL the candidate rows are locked with FOR UPDATE SKIP LOCKED, so two
    workers never claim the same row and neither waits for the other. On SQLite the
    single UPDATE ... RETURNING statement runs under the database's write lock.
    """
    now = now or utcnow()
    stale = now - timedelta(seconds=float(current_app.config.get("MAIL_CLAIM_STALE_SECONDS", 600)))
    # A worker that died mid-batch left rows "sending": give them back after a while.
    db.session.execute(
        sa.update(EmailOutbox)
        .where(EmailOutbox.status == OutboxStatus.SENDING, EmailOutbox.claimed_at < stale)
        .values(status=OutboxStatus.RETRYING, claimed_by="", last_error="worker stopped mid-batch")
    )
    candidates = (
        sa.select(EmailOutbox.id)
        .where(EmailOutbox.status.in_(DUE), EmailOutbox.next_attempt_at <= now)
        .order_by(EmailOutbox.next_attempt_at, EmailOutbox.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claimed = db.session.scalars(
        sa.update(EmailOutbox)
        .where(EmailOutbox.id.in_(candidates.scalar_subquery()), EmailOutbox.status.in_(DUE))
        .values(status=OutboxStatus.SENDING, claimed_by=worker, claimed_at=now)
        .returning(EmailOutbox.id)
    ).all()
    db.session.commit()
    return sorted(claimed)


def deliver_due(*, limit: int = 200, worker: str | None = None) -> DeliveryReport:
    """Claim due messages and deliver them over one connection; record every outcome.

    A message is marked sent (and committed) right after the server accepts it, so a
    crash can at worst repeat the one message in flight. Temporary failures are retried
    with backoff, permanent ones (5xx) are marked failed for staff to see.
    """
    config = current_app.config
    report = DeliveryReport()
    ids = claim_due(limit, worker=worker or worker_name())
    report.claimed = len(ids)
    if not ids:
        return report
    # Emails queued unwritten (emails.queue_email_later) are written first; one that
    # cannot be is marked failed, for staff to see on the outbox page.
    unwritable = write_pending(ids)
    for email_id, error in unwritable.items():
        _update(email_id, status=OutboxStatus.FAILED, claimed_by="", last_error=error[:2000])
        report.failed += 1
    db.session.commit()
    ids = [email_id for email_id in ids if email_id not in unwritable]
    sender = str(config.get("MAIL_DEFAULT_SENDER") or "eventreg@localhost")
    domain = message_id_domain(sender, str(config.get("BASE_URL") or ""))
    # One query for the whole batch, attachments included.
    emails = {e.id: e for e in _load(ids)}
    pending = [email_id for email_id in ids if email_id in emails]
    try:
        with transport_for(config) as transport:
            while pending:
                email = emails[pending[0]]
                try:
                    transport.send(email, build_message(email, sender=sender, domain=domain))
                except PermanentFailure as error:
                    _fail(email, str(error))
                    report.failed += 1
                except ConnectionLost:
                    raise
                except TemporaryFailure as error:
                    _retry(email, str(error))
                    report.retrying += 1
                else:
                    _sent(email)
                    report.sent += 1
                pending.pop(0)
                # Commit each outcome at once: a crash can repeat at most the one in flight.
                db.session.commit()
    except ConnectionLost as error:
        log.warning("delivery interrupted: %s", error)
        report.errors.append(str(error))
        # The message in flight counts an attempt; the others were never tried.
        if pending:
            _retry(emails[pending[0]], str(error))
            report.retrying += 1
            for other in pending[1:]:
                _release(emails[other], str(error))
                report.released += 1
            db.session.commit()
    log.info(
        "outbox: %d sent, %d to retry, %d failed, %d released",
        report.sent,
        report.retrying,
        report.failed,
        report.released,
    )
    return report


def _load(ids: list[int]) -> list[OutgoingEmail]:
    """The claimed rows and their attachments, in two queries, as plain values."""
    files: dict[int, list[OutgoingAttachment]] = {}
    for row in db.session.execute(
        sa.select(
            OutboxAttachment.email_id,
            OutboxAttachment.filename,
            OutboxAttachment.content_type,
            OutboxAttachment.content,
        )
        .where(OutboxAttachment.email_id.in_(ids))
        .order_by(OutboxAttachment.id)
    ):
        files.setdefault(row.email_id, []).append(
            OutgoingAttachment(row.filename, row.content_type, row.content)
        )
    columns = [getattr(EmailOutbox, name) for name in OUTGOING_COLUMNS]
    return [
        OutgoingEmail(**row._asdict(), attachments=tuple(files.get(row.id, ())))
        for row in db.session.execute(sa.select(*columns).where(EmailOutbox.id.in_(ids)))
    ]


OUTGOING_COLUMNS = (
    "id",
    "template",
    "to_address",
    "to_name",
    "reply_to",
    "subject",
    "body_text",
    "body_html",
    "attempts",
    "created_at",
)


def _update(email_id: int, **values: object) -> None:
    # Core, not ORM: the delivery loop keeps no objects in the session to synchronise.
    db.session.connection().execute(
        sa.update(EmailOutbox).where(EmailOutbox.id == email_id).values(**values)
    )


def _sent(email: OutgoingEmail) -> None:
    _update(
        email.id,
        status=OutboxStatus.SENT,
        attempts=email.attempts + 1,
        sent_at=utcnow(),
        last_error="",
        claimed_by="",
    )


def _retry(email: OutgoingEmail, error: str) -> None:
    attempts = email.attempts + 1
    if attempts >= int(current_app.config.get("MAIL_MAX_ATTEMPTS", 20)):
        _update(
            email.id,
            status=OutboxStatus.FAILED,
            attempts=attempts,
            claimed_by="",
            last_error=f"gave up after {attempts} attempts: {error}"[:2000],
        )
        return
    _update(
        email.id,
        status=OutboxStatus.RETRYING,
        attempts=attempts,
        claimed_by="",
        last_error=error[:2000],
        next_attempt_at=utcnow() + retry_delay(attempts, current_app.config),
    )


def _fail(email: OutgoingEmail, error: str) -> None:
    _update(
        email.id,
        status=OutboxStatus.FAILED,
        attempts=email.attempts + 1,
        claimed_by="",
        last_error=error[:2000],
    )


def _release(email: OutgoingEmail, error: str) -> None:
    """Give a claimed but untried message back, due again after the connection's backoff."""
    _update(
        email.id,
        status=OutboxStatus.RETRYING if email.attempts else OutboxStatus.QUEUED,
        claimed_by="",
        next_attempt_at=utcnow() + retry_delay(1, current_app.config),
        last_error=error[:2000],
    )


def retry_now(email: EmailOutbox) -> None:
    """Make a failed or retrying message due at once (staff's "retry now")."""
    if email.status not in (OutboxStatus.FAILED, OutboxStatus.RETRYING, OutboxStatus.QUEUED):
        raise ValueError(f"a message that is {email.status} cannot be retried")
    email.status = OutboxStatus.RETRYING if email.attempts else OutboxStatus.QUEUED
    email.next_attempt_at = utcnow()


class Stop:
    """Set by SIGTERM/SIGINT: finish the message in hand, then leave."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def install(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.event.set())


def run_deadlines() -> tuple[int, int]:
    """Lapse overdue offers and queue due reminders, one activity per transaction; return
    (applications lapsed, reminders queued). Safe to run in several workers at once."""
    from . import clock
    from .services import deadlines

    now = clock.now()
    lapsed = reminded = 0
    for activity_id in deadlines.activities_to_process(now):
        try:
            gone, sent = deadlines.process_activity(activity_id, now=now)
        except Exception:
            db.session.rollback()
            log.exception("deadlines of activity %s failed; the next run tries again", activity_id)
            continue
        db.session.commit()
        lapsed, reminded = lapsed + len(gone), reminded + sent
    return lapsed, reminded


def run_retention() -> tuple[int, int]:
    """Erase the personal data whose retention has run out and the jobs' files whose days
    are up (services/retention.py); return (applications erased, answers erased). Safe to
    run in several workers at once."""
    from . import clock
    from .services import retention

    try:
        now = clock.now()
        retention.remove_job_results(now)
        return retention.run_retention(now)
    except Exception:
        db.session.rollback()
        log.exception("the retention run failed; the next run tries again")
        return 0, 0


def run(*, once: bool, interval: float, batch: int, jobs: bool = True) -> DeliveryReport:
    """Deliver mail, run jobs and, every DEADLINES_INTERVAL_SECONDS, lapse overdue offers
    and send reminders, until stopped; with once, until nothing is due, then return."""
    from . import jobs as job_runner
    from . import webhooks

    total = DeliveryReport()
    stop = Stop()
    if not once:
        stop.install()
    next_deadlines = 0.0
    while not stop.event.is_set():
        if jobs and monotonic() >= next_deadlines:
            run_deadlines()
            run_retention()
            next_deadlines = monotonic() + float(current_app.config["DEADLINES_INTERVAL_SECONDS"])
        report = deliver_due(limit=batch)
        for name in ("claimed", "sent", "retrying", "failed", "released"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        ran = job_runner.run_pending(limit=5) if jobs else 0
        ran += webhooks.deliver_due(limit=batch)
        busy = report.claimed > 0 and not report.errors
        if once and not busy and ran == 0:
            break
        if not busy and ran == 0:
            stop.event.wait(interval)
    return total


def describe_transport() -> str:
    transport = transport_for(current_app.config)
    if transport.description.startswith("files"):
        return (
            "no SMTP server configured (set EVENTREG_MAIL_SERVER): "
            f"writing mail as {transport.description}"
        )
    return f"delivering mail through {transport.description}"
