"""After the deadline only the organisers can add an application: the same form, marked late."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventreg import clock
from eventreg.models import Application, AuditLog, EmailOutbox, Role

from ..applicant.conftest import answers, post_form
from ..conftest import csrf_token_from
from .conftest import fresh


@pytest.fixture
def office(sign_in_as, workshop):
    return sign_in_as(Role.COURSE_ASSISTANT, workshop)


def test_staff_add_a_late_application_with_the_applicants_form(
    db, office, client, workshop, monkeypatch, write_emails
):
    monkeypatch.setattr(clock, "now", lambda: workshop.deadline_at + timedelta(days=2))
    closed = client.get(f"/activities/{workshop.slug}/apply")
    assert "Only the organisers can still add an application" in closed.text

    url = f"/staff/activities/{workshop.id}/applications/new"
    page = office.get(url)
    assert page.status_code == 200 and "Given names" in page.text
    data = answers(workshop, email="late@example.net", email_confirm="late@example.net")
    data["organisation_type"] = "Other"  # this workshop names no audience
    data["csrf_token"] = csrf_token_from(page.text)
    data["submission_key"] = page.text.split('name="submission_key" type="hidden" value="')[
        1
    ].split('"')[0]
    added = post_form(office, url, data)
    assert added.status_code in (302, 303), re.findall(
        r"class=\"error\"[^<]*<[^>]*>[^<]*</span>([^<]*)", added.text
    )
    fresh()
    [application] = db.session.scalars(sa.select(Application)).all()
    assert added.headers["Location"].endswith(f"/staff/applications/{application.id}")
    assert application.late and application.email == "late@example.net"
    write_emails()
    [ack] = db.session.scalars(
        sa.select(EmailOutbox).where(EmailOutbox.template == "application_received")
    ).all()
    assert ack.to_address == "late@example.net" and application.token in ack.body_text
    [entry] = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "application.submitted")
    ).all()
    assert entry.actor_id == office.user.id and "after the deadline" in entry.note
    assert "added after the deadline" in office.get(f"/staff/applications/{application.id}").text


def test_a_late_application_with_a_bad_answer_is_refused_and_nothing_is_added(db, office, workshop):
    url = f"/staff/activities/{workshop.id}/applications/new"
    page = office.get(url)
    data = answers(workshop, email="not-an-address", email_confirm="not-an-address")
    data["csrf_token"] = csrf_token_from(page.text)
    refused = post_form(office, url, data)
    assert refused.status_code == 422
    fresh()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
