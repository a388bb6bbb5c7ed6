"""Outbox delivery: batched (one SMTP connection per batch) against one connection per message.

Run from the repo root: `.venv/bin/python bench/mail.py`. A real aiosmtpd server runs in a
separate process on 127.0.0.1; the real worker code delivers 1,000 queued messages each way,
three rounds, medians reported. Two server set-ups:

- `tls`: STARTTLS and AUTH required, as on a production relay (submission port 587). This
  is the headline `ratio`.
- `plain`: no TLS, no AUTH: the cheapest possible connection, the least favourable case
  for batching; reported as `ratio_plain`.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_app, median, report  # noqa: E402

MESSAGES = 1000
ROUNDS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_smtp(port: int, received: Any, ready: Any, tls_files: tuple[str, str] | None) -> None:
    """The sink: counts what it accepts. Runs in its own process."""
    import logging
    import ssl
    import warnings

    # aiosmtpd complains about its own internals on every AUTH; not ours to fix.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    class Counter:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            with received.get_lock():
                received.value += 1
            return "250 OK"

    options: dict[str, Any] = {"auth_require_tls": False}
    if tls_files is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls_files)
        options = {
            "tls_context": context,
            "require_starttls": True,
            "auth_require_tls": True,
            "authenticator": lambda *args: AuthResult(success=True),
        }
    controller = Controller(
        Counter(), hostname="127.0.0.1", port=port, server_hostname="sink", **options
    )
    controller.start()
    ready.set()
    try:
        asyncio.run(asyncio.sleep(3600))
    finally:
        controller.stop()


def queue_messages(count: int) -> None:
    """Messages like the acknowledgements eventreg sends most: text, HTML and an .ics file."""
    from eventreg.emails import calendar_attachment, queue_email
    from eventreg.extensions import db
    from eventreg.models import Activity

    activity = db.session.scalars(db.select(Activity)).first() or make_activity()
    calendar = calendar_attachment(activity)
    for n in range(count):
        queue_email(
            "message",
            activity=activity,
            to=f"participant{n}@example.net",
            to_name=f"Participant {n}",
            subject=f"Application {activity.reference}-{n:04d} received",
            body="Thank you for applying.\n\nWe will write to you when the selection is made.",
            attachments=[calendar],
        )
    db.session.commit()


def make_activity():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from eventreg.extensions import db
    from eventreg.models import Activity, ActivitySession, ActivityStatus, Contact

    starts = datetime(2027, 7, 12, 7, 0, tzinfo=UTC)
    activity = Activity(
        reference="B000001",
        slug="bench",
        kind="workshop",
        status=ActivityStatus.PUBLISHED,
        title="Multi-stakeholder partnerships for local service delivery",
        starts_at=starts,
        ends_at=starts + timedelta(days=4, hours=8),
        deadline_at=starts - timedelta(days=27),
        timezone="Europe/Rome",
        venue="Turin (Italy)",
    )
    activity.contacts = [
        Contact(role="Course assistant", name="Sophie Ouine", email="assistant@example.org")
    ]
    activity.sessions = [
        ActivitySession(
            title=f"Session {n}",
            starts_at=starts + timedelta(days=n),
            ends_at=starts + timedelta(days=n, hours=3),
        )
        for n in range(5)
    ]
    db.session.add(activity)
    db.session.flush()
    return activity


def drain(batch: int) -> float:
    """Seconds for the worker to deliver everything due, `batch` messages per connection."""
    from eventreg import worker

    started = time.perf_counter()
    while worker.deliver_due(limit=batch, worker="bench").claimed:
        pass
    return time.perf_counter() - started


def self_signed_certificate(folder: str) -> tuple[str, str]:
    """A throwaway certificate for 127.0.0.1 (Debian's openssl)."""
    cert, key = f"{folder}/cert.pem", f"{folder}/key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            key,
            "-out",
            cert,
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def measure(tls: bool, folder: str) -> tuple[float, float]:
    """Median messages/s batched and one connection per message, for one server set-up."""
    port = free_port()
    received = multiprocessing.Value("i", 0)
    ready = multiprocessing.Event()
    files = self_signed_certificate(folder) if tls else None
    sink = multiprocessing.Process(
        target=serve_smtp, args=(port, received, ready, files), daemon=True
    )
    sink.start()
    ready.wait(10)
    settings: dict[str, Any] = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}
    if files is not None:
        settings.update(
            MAIL_USE_TLS=True,
            MAIL_TLS_CA_FILE=files[0],
            MAIL_USERNAME="eventreg",
            MAIL_PASSWORD="bench-only",
        )
    try:
        with bench_app(**settings):
            batched, single = [], []
            for _ in range(ROUNDS):
                queue_messages(MESSAGES)
                batched.append(MESSAGES / drain(batch=MESSAGES))
                queue_messages(MESSAGES)
                single.append(MESSAGES / drain(batch=1))
    finally:
        sink.terminate()
        sink.join(5)
    expected = 2 * ROUNDS * MESSAGES
    if received.value != expected:
        raise SystemExit(f"the sink got {received.value} messages, expected {expected}")
    return median(batched), median(single)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        plain_batched, plain_single = measure(tls=False, folder=folder)
        tls_batched, tls_single = measure(tls=True, folder=folder)
    report(
        "mail",
        {
            "messages_per_round": MESSAGES,
            "rounds": ROUNDS,
            "tls_batched_messages_per_s": round(tls_batched, 1),
            "tls_per_connection_messages_per_s": round(tls_single, 1),
            "plain_batched_messages_per_s": round(plain_batched, 1),
            "plain_per_connection_messages_per_s": round(plain_single, 1),
            "ratio_plain": round(plain_batched / plain_single, 2),
            "ratio": round(tls_batched / tls_single, 2),
        },
    )


if __name__ == "__main__":
    main()
