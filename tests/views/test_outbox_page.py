"""Admins see the outbox and can send a failed message again; nobody else can."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eventreg.emails import queue_email, queue_email_later
from eventreg.models import EmailOutbox, OutboxStatus, Role


def test_admins_see_failed_mail_with_its_error_and_retry_it(
    db, sign_in_as, smtp, deliver, make_activity
):
    activity = make_activity()
    smtp.handler.refuse["gone@example.net"] = "550 5.1.1 mailbox unavailable"
    queue_email("message", activity=activity, to="gone@example.net", subject="Accepted", body="x")
    db.session.commit()
    deliver()
    admin = sign_in_as(Role.ADMIN)
    page = admin.get("/staff/outbox?status=failed")
    assert page.status_code == 200
    assert "gone@example.net" in page.text
    assert "550 5.1.1 mailbox unavailable" in page.text
    email_id = db.session.scalar(sa.select(EmailOutbox.id))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)

    del smtp.handler.refuse["gone@example.net"]
    response = admin.post(f"/staff/outbox/{email_id}/retry", data={"csrf_token": token})
    assert "/staff/outbox" in response.headers["Location"]
    deliver()
    assert len(smtp.to("gone@example.net")) == 1
    db.session.expire_all()
    assert db.session.get(EmailOutbox, email_id).status == OutboxStatus.SENT


def test_only_admins_see_the_outbox(db, sign_in_as, make_activity, client):
    activity = make_activity()
    for role in (Role.ACTIVITY_MANAGER, Role.COURSE_ASSISTANT, Role.TRAINER):
        assert sign_in_as(role, activity).get("/staff/outbox").status_code == 403
    assert "/staff/sign-in" in client.get("/staff/outbox").headers["Location"]


def test_a_retry_without_csrf_token_changes_nothing(db, sign_in_as, make_activity):
    activity = make_activity()
    queue_email("message", activity=activity, to="x@example.net", subject="s", body="b")
    db.session.commit()
    email = db.session.scalar(sa.select(EmailOutbox))
    email.status = OutboxStatus.FAILED
    db.session.commit()
    response = sign_in_as(Role.ADMIN).post(f"/staff/outbox/{email.id}/retry")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(EmailOutbox, email.id).status == OutboxStatus.FAILED


def test_an_acknowledgement_not_yet_written_is_listed_as_such(
    db, sign_in_as, make_activity, make_application
):
    application = make_application(
        make_activity(), given_names="Amina", family_name="Diallo", email="waiting@example.net"
    )
    queue_email_later("application_received", application=application)
    db.session.commit()
    page = sign_in_as(Role.ADMIN).get("/staff/outbox")
    assert "Amina Diallo &lt;waiting@example.net&gt;" in page.text
    assert "Application received: written when sent" in page.text
