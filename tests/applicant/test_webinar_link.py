"""An online activity's meeting link reaches only those who hold a place."""

from __future__ import annotations

import sqlalchemy as sa

from eventreg.extensions import db as database
from eventreg.models import EmailOutbox, Role
from eventreg.services import decisions

from .conftest import only_application, submit, token_of

JOIN = "https://meet.example.org/platform-workers-2031"


def outbox_to(address: str) -> list[EmailOutbox]:
    return list(
        database.session.scalars(
            sa.select(EmailOutbox).where(EmailOutbox.to_address == address).order_by(EmailOutbox.id)
        )
    )


def everything_sent(address: str) -> str:
    """Every email to the address with its attachments, as one text."""
    parts = []
    for email in outbox_to(address):
        parts += [email.subject, email.body_text, email.body_html or ""]
        parts += [a.content.decode("utf-8", "replace") for a in email.attachments]
    return "\n".join(parts)


def test_the_meeting_link_goes_only_to_applicants_who_hold_a_place(
    client, db, workshop, make_staff
):
    workshop.venue = ""
    workshop.online_url = JOIN
    database.session.commit()
    token = token_of(submit(client, workshop))
    application = only_application(db)
    calendar = client.get(f"/my/{token}/calendar.ics")
    page = client.get(f"/my/{token}")
    assert JOIN not in everything_sent(application.email)  # the acknowledgement and its .ics
    assert JOIN not in calendar.text and JOIN not in page.text

    decisions.accept_application(application, by=make_staff(Role.COURSE_ASSISTANT, workshop))
    database.session.commit()
    assert JOIN in outbox_to(application.email)[-1].body_text
    assert JOIN in client.get(f"/my/{token}").text

    decisions.decide(
        application, decisions.Decision.CANCEL, by=make_staff(Role.COURSE_ASSISTANT, workshop)
    )
    database.session.commit()
    assert JOIN not in outbox_to(application.email)[-1].body_text
    assert JOIN not in client.get(f"/my/{token}").text
