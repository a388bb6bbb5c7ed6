"""Email goes through the outbox: queued with the change, delivered by the worker, never lost."""

from __future__ import annotations

import email
import email.policy
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from eventreg import worker
from eventreg.emails import Attachment, EmailTemplateMissing, calendar_attachment, queue_email
from eventreg.models import EmailOutbox, OutboxStatus, utcnow

PDF_BYTES = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def outbox(db) -> list[EmailOutbox]:
    return list(db.session.scalars(sa.select(EmailOutbox).order_by(EmailOutbox.id)))


def make_due(db) -> None:
    """Travel forward in time: every waiting message is due now."""
    db.session.execute(
        sa.update(EmailOutbox).values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


@pytest.fixture
def workshop(make_activity, factories):
    activity = make_activity(title="Partnerships workshop", reference="A901357")
    factories.contact(
        activity,
        role="Activity manager",
        name="Valter Nebuloni",
        email="manager@example.org",
        position=1,
    )
    factories.contact(
        activity,
        role="Course assistant",
        name="Sophie Ouine",
        email="assistant@example.org",
        position=2,
    )
    factories.session(activity, title="Opening")
    factories.session(activity, title="Module 1", starts_at=activity.starts_at + timedelta(hours=4))
    return activity


def test_an_email_is_saved_with_the_change_that_caused_it_or_not_at_all(
    db, workshop, make_application
):
    application = make_application(workshop)
    db.session.commit()
    queue_email(
        "message", application=application, to=application.email, subject="Hello", body="Body"
    )
    db.session.rollback()
    assert outbox(db) == []
    queue_email(
        "message", application=application, to=application.email, subject="Hello", body="Body"
    )
    db.session.commit()
    assert [e.status for e in outbox(db)] == [OutboxStatus.QUEUED]


def test_delivered_mail_has_headers_both_bodies_and_intact_attachments(
    db, smtp, deliver, workshop, make_application
):
    application = make_application(
        workshop, given_names="Amina", family_name="Diallo", title="Ms", email="amina@example.net"
    )
    queue_email(
        "message",
        application=application,
        to=application.email,
        subject="Your letter\nBcc: victim@example.org",
        body="First paragraph.\n\nSecond <paragraph> & more.",
        attachments=[
            Attachment("letter.pdf", "application/pdf", PDF_BYTES),
            calendar_attachment(workshop),
        ],
    )
    db.session.commit()
    report = deliver()
    assert report.sent == 1

    [received] = smtp.messages
    message = received.message
    assert received.envelope_to == ["amina@example.net"]
    assert message["To"] == "Amina Diallo <amina@example.net>"
    assert message["Subject"] == "Your letter Bcc: victim@example.org"  # folded, not a header
    assert message["Bcc"] is None
    assert message["Reply-To"] == "assistant@example.org"
    assert message["Message-ID"].startswith("<outbox-")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Dear Ms Amina Diallo," in text and "Second <paragraph> & more." in text
    assert "Sophie Ouine" in text and "A901357" in text
    assert "<p>Second &lt;paragraph&gt; &amp; more.</p>" in html
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert attachments["letter.pdf"].get_content() == PDF_BYTES
    calendar = Calendar.from_ical(attachments["A901357.ics"].get_content())
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == [
        "Partnerships workshop: Opening",
        "Partnerships workshop: Module 1",
    ]
    assert events[0].decoded("dtstart") == workshop.sessions[0].starts_at.replace(microsecond=0)
    assert outbox(db)[0].status == OutboxStatus.SENT


def test_without_an_smtp_server_mail_is_written_as_eml_files(
    db, app, deliver, workshop, make_application, tmp_path
):
    app.config["OUTBOX_DIR"], saved = str(tmp_path / "outbox"), app.config["OUTBOX_DIR"]
    try:
        application = make_application(workshop, email="nosmtp@example.net")
        queue_email(
            "message",
            application=application,
            to=application.email,
            subject="Stored",
            body="Kept on disk",
        )
        db.session.commit()
        assert deliver().sent == 1
        [path] = list((tmp_path / "outbox").glob("*.eml"))
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert parsed["Subject"] == "Stored"
        assert "Kept on disk" in parsed.get_body(preferencelist=("plain",)).get_content()
    finally:
        app.config["OUTBOX_DIR"] = saved


def test_mail_waits_while_the_server_is_down_and_goes_out_once_it_is_back(
    db, smtp, deliver, workshop, make_application
):
    application = make_application(workshop, email="patient@example.net")
    queue_email(
        "message", application=application, to=application.email, subject="Accepted", body="Welcome"
    )
    db.session.commit()
    smtp.stop()
    report = deliver()
    assert report.sent == 0 and report.retrying == 1
    [waiting] = outbox(db)
    assert waiting.status == OutboxStatus.RETRYING
    assert waiting.attempts == 1
    assert "cannot reach" in waiting.last_error
    assert waiting.next_attempt_at > utcnow()

    assert deliver().claimed == 0  # not due yet: backoff holds it
    smtp.start()
    make_due(db)
    assert deliver().sent == 1
    assert len(smtp.to("patient@example.net")) == 1
    db.session.expire_all()
    assert outbox(db)[0].status == OutboxStatus.SENT
    assert deliver().claimed == 0
    assert len(smtp.messages) == 1


def test_a_permanent_refusal_marks_the_message_failed_and_the_batch_goes_on(
    db, smtp, deliver, workshop, make_application
):
    smtp.handler.refuse["nobody@example.net"] = "550 5.1.1 No such user"
    smtp.handler.refuse["busy@example.net"] = "451 4.3.0 Try again later"
    for address in ["ok1@example.net", "nobody@example.net", "busy@example.net", "ok2@example.net"]:
        queue_email("message", activity=workshop, to=address, subject="Hi", body="Hi")
    db.session.commit()
    report = deliver()
    assert (report.sent, report.failed, report.retrying) == (2, 1, 1)
    by_address = {e.to_address: e for e in outbox(db)}
    assert by_address["nobody@example.net"].status == OutboxStatus.FAILED
    assert "550" in by_address["nobody@example.net"].last_error
    assert by_address["busy@example.net"].status == OutboxStatus.RETRYING
    assert {m.envelope_to[0] for m in smtp.messages} == {"ok1@example.net", "ok2@example.net"}


def test_a_batch_shares_one_smtp_connection(db, smtp, deliver, workshop):
    for n in range(30):
        queue_email("message", activity=workshop, to=f"p{n}@example.net", subject="Hi", body="Hi")
    db.session.commit()
    assert deliver().sent == 30
    assert smtp.handler.connections == 1


def test_retry_delays_grow_exponentially_and_are_capped(app):
    config = {"MAIL_RETRY_BASE_SECONDS": 30, "MAIL_RETRY_MAX_SECONDS": 3600}
    delays = [worker.retry_delay(n, config).total_seconds() for n in range(1, 9)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600]


def test_retry_now_makes_a_failed_message_due_again(db, smtp, deliver, workshop):
    smtp.handler.refuse["fixed@example.net"] = "550 mailbox disabled"
    queue_email("message", activity=workshop, to="fixed@example.net", subject="Hi", body="Hi")
    db.session.commit()
    deliver()
    [failed] = outbox(db)
    assert failed.status == OutboxStatus.FAILED
    del smtp.handler.refuse["fixed@example.net"]
    worker.retry_now(failed)
    db.session.commit()
    assert deliver().sent == 1


def test_two_workers_deliver_each_message_exactly_once(app, db, smtp, workshop):
    for n in range(120):
        queue_email("message", activity=workshop, to=f"w{n}@example.net", subject="Hi", body="Hi")
    db.session.commit()
    errors: list[BaseException] = []

    def drain(name: str) -> None:
        try:
            with app.app_context():
                while worker.deliver_due(limit=7, worker=name).claimed:
                    pass
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=drain, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    ids = [m.message["Message-ID"] for m in smtp.messages]
    assert len(ids) == 120
    assert len(set(ids)) == 120
    db.session.expire_all()
    assert {e.status for e in outbox(db)} == {OutboxStatus.SENT}


def test_a_message_left_sending_by_a_dead_worker_is_picked_up_again(db, smtp, app, workshop):
    queue_email("message", activity=workshop, to="orphan@example.net", subject="Hi", body="Hi")
    db.session.commit()
    assert worker.claim_due(10, worker="dead-worker") != []
    assert worker.deliver_due(worker="alive").claimed == 0  # claimed by the dead one
    db.session.execute(sa.update(EmailOutbox).values(claimed_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    make_due(db)
    assert worker.deliver_due(worker="alive").sent == 1


def test_an_unknown_template_is_refused(db, workshop):
    with pytest.raises(EmailTemplateMissing):
        queue_email("no_such_template", activity=workshop, to="x@example.net")


def test_the_worker_command_drains_the_outbox_and_reports(app, db, smtp, workshop):
    queue_email("message", activity=workshop, to="cli@example.net", subject="Hi", body="Hi")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once", "--no-jobs"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert f"SMTP 127.0.0.1:{smtp.port}" in result.output
    assert len(smtp.to("cli@example.net")) == 1


def test_a_subject_in_french_arrives_exactly_as_written(db, smtp, deliver, workshop):
    subject = "Candidature reçue : Partenariats multi-acteurs pour les services (A901357-0042)"
    queue_email("message", activity=workshop, to="fr@example.net", subject=subject, body="Merci")
    db.session.commit()
    deliver()
    [received] = smtp.to("fr@example.net")
    assert received.message["Subject"] == subject
