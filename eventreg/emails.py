"""Queuing email: render it now, store it as an outbox row in the caller's transaction.

Nothing is sent here. The worker (eventreg.worker) delivers the outbox after the
transaction that queued it has committed, so a change and its email are saved together
or not at all, and a mail server that is down delays mail without losing it. An email an
applicant would otherwise wait for (the acknowledgement of a submission) is queued
unwritten instead, and the worker writes it just before sending it (`queue_email_later`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jinja2
import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy.orm import joinedload, selectinload

from .extensions import db
from .formatting import date_range, money
from .models import Activity, Application, EmailOutbox, OutboxAttachment, utcnow
from .services.organisation import organisation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file to send with an email."""

    filename: str
    content_type: str
    content: bytes


class EmailTemplateMissing(LookupError):
    """No template of that name exists in any language."""


def queue_email(template: str, *, to: str, flush: bool = True, **fields: Any) -> EmailOutbox:
    """Render `templates/email/<template>.txt` (+ `.html`) to `to` and add it to the outbox.

    `fields` are what `_write` takes: the activity and application it concerns, a
    `to_name`, a `language`, `attachments`, a `reply_to`, and the template's own context.
    The template defines a `subject` block and a `body` block; it sees the activity, the
    application, `base_url`, `amount_due` and anything passed as keyword context. It is
    rendered in the applicant's language (or `language`; English for staff), through the
    catalogs: lazy strings in the context (`lazy_gettext`) are translated then too. Refuses (raises
    EmailTemplateMissing) an unknown template, so a typo cannot silently drop an email.
    A caller that flushes later itself may say `flush=False`.
    """
    email = EmailOutbox(to_address=to, next_attempt_at=utcnow())
    _write(email, template, **fields)
    db.session.add(email)
    if flush:
        db.session.flush()
    return email


def queue_email_later(template: str, *, application: Application) -> None:
    """Add an email to the outbox that the worker writes just before sending it.

    For an email whose writing would slow down a request the applicant waits for (the
    acknowledgement of a submission): the row is saved with the change, so it cannot be
    lost, and `write_pending` renders it from the application as it then is, with the
    context its template's writer (see `written_later`) gives. The row is written at once,
    by one INSERT through the session's connection: nothing of the request reads it back,
    and the unit of work would cost a submission more than the row does.
    """
    if template not in _WRITERS:
        raise EmailTemplateMissing(f"no writer for the email {template!r}")
    row = {
        "template": template,
        "to_address": application.email,
        "to_name": application.full_name,
        "subject": "",
        "body_text": "",
        "activity_id": application.activity_id,
        "application_id": application.id,
        "unwritten": True,
        "next_attempt_at": utcnow(),
    }
    db.session.connection().execute(_QUEUE_LATER, row)


_QUEUE_LATER = sa.insert(db.metadata.tables[EmailOutbox.__tablename__])


# The context of each email written later, from its application (see queue_email_later).
Writer = Callable[[Application], Mapping[str, Any]]
_WRITERS: dict[str, Writer] = {}


def written_later(template: str) -> Callable[[Writer], Writer]:
    """Register the function that gives the context of `template` when written later."""

    def register(writer: Writer) -> Writer:
        _WRITERS[template] = writer
        return writer

    return register


class UnwrittenEmail(Exception):
    """An email queued to be written later cannot be written (no application, no writer)."""


def write_pending(ids: Sequence[int]) -> dict[int, str]:
    """Write the emails among `ids` that were queued to be written later; flush, and return
    those that could not be written, with the reason (the worker marks them failed)."""
    query = (
        sa.select(EmailOutbox)
        .where(EmailOutbox.id.in_(ids), EmailOutbox.unwritten)
        .options(selectinload(EmailOutbox.attachments))
    )
    emails = db.session.scalars(query).all()
    # The batch's applications in a few statements, held here so that their activity and
    # its contacts stay loaded from one email to the next (the session holds them weakly).
    applications = {
        application.id: application
        for application in db.session.scalars(
            sa.select(Application)
            .where(Application.id.in_({e.application_id for e in emails}))
            .options(
                joinedload(Application.activity).selectinload(Activity.contacts),
                selectinload(Application.grants),
                selectinload(Application.payments),
            )
        )
    }
    failed: dict[int, str] = {}
    for email in emails:
        try:
            application = applications.get(email.application_id or 0)
            if application is None:
                raise UnwrittenEmail("its application was erased before it was written")
            writer = _WRITERS.get(email.template)
            if writer is None:
                raise UnwrittenEmail(f"no writer for the email {email.template!r}")
            # `_write` renders first and changes the row last: a failure leaves it untouched.
            _write(email, email.template, application=application, **writer(application))
            email.unwritten = False
        except Exception as error:  # noqa: BLE001 - any failure is the one email's, told to staff
            log.exception("outbox: email %s could not be written", email.id)
            failed[email.id] = f"could not be written: {error}"
    db.session.flush()
    return failed


def _write(
    email: EmailOutbox,
    template: str,
    *,
    to_name: str = "",
    activity: Activity | None = None,
    application: Application | None = None,
    language: str | None = None,
    attachments: Iterable[Attachment] = (),
    reply_to: str | None = None,
    **context: Any,
) -> None:
    """Render `template` into `email`: its subject, bodies, names and attachments."""
    if application is not None:
        activity = activity or application.activity
        language = language or application.language
        to_name = to_name or application.full_name
    settings = organisation()
    values: dict[str, Any] = {
        "activity": activity,
        "application": application,
        "base_url": current_app.config["BASE_URL"].rstrip("/"),
        "organiser": (activity.organiser_name if activity else "") or settings.name,
        "email_footer": settings.email_footer,
        **context,
    }
    contacts = values["contacts"] = activity.contacts if activity else []
    # Everything the email says, its dates and amounts included, in the applicant's language.
    with force_locale(language or "en"):
        if application is not None:
            values["amount_due"] = money(application.amount_due, application.activity.currency)
        if activity is not None:
            values["dates"] = date_range(activity.start_date, activity.end_date)
        subject, text = _render_text(template, values)
        html = _render_html(template, {**values, "email_subject": subject})
    email.template = template
    email.to_name = to_name
    email.reply_to = reply_to if reply_to is not None else _reply_to(contacts)
    email.subject = subject
    email.body_text = text
    email.body_html = html
    email.activity_id = activity.id if activity else None
    email.application_id = application.id if application else None
    email.attachments = [
        OutboxAttachment(filename=a.filename, content_type=a.content_type, content=a.content)
        for a in attachments
    ]


def _render_text(template: str, values: Mapping[str, Any]) -> tuple[str, str]:
    env = current_app.jinja_env
    try:
        compiled = env.get_template(f"email/{template}.txt")
    except jinja2.TemplateNotFound as missing:
        raise EmailTemplateMissing(f"no email template called {template!r}") from missing
    context = compiled.new_context(dict(values))
    subject = "".join(compiled.blocks["subject"](context)).strip()
    # Plain text: the template's own output, with autoescaping off (see templates/email/).
    body = compiled.render(values).strip() + "\n"
    return " ".join(subject.split()), body


def _render_html(template: str, values: Mapping[str, Any]) -> str:
    try:
        return render_template(f"email/{template}.html", **values)
    except jinja2.TemplateNotFound as missing:
        if missing.name != f"email/{template}.html":
            raise
        return ""


def _reply_to(contacts: Sequence[Any]) -> str:
    """The activity's course assistant if it lists one, else its first contact with an email."""
    with_email = [c for c in contacts if c.email]
    for contact in with_email:
        if "assistant" in contact.role.lower():
            return contact.email
    return with_email[0].email if with_email else ""


def calendar_attachment(activity: Activity, language: str | None = None) -> Attachment:
    """The activity as an .ics file: one event per session, or one for the whole activity;
    the activity's title in `language` when it was entered in it."""
    calendar = Calendar()
    calendar.add("prodid", "-//eventreg//activity calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    host = current_app.config["BASE_URL"].split("//", 1)[-1].split("/", 1)[0] or "eventreg"
    named = activity.content("title", language)
    slots = [(s.title, s.starts_at, s.ends_at, f"session-{s.id}") for s in activity.sessions] or [
        (named, activity.starts_at, activity.ends_at, "activity")
    ]
    url = f"{current_app.config['BASE_URL'].rstrip('/')}/activities/{activity.slug}"
    for title, starts, ends, key in slots:
        event = Event()
        event.add("uid", f"{activity.reference}-{key}@{host}")
        event.add("summary", title if title == named else f"{named}: {title}")
        event.add("dtstart", starts)
        event.add("dtend", ends if ends > starts else starts + timedelta(hours=1))
        event.add("dtstamp", utcnow())
        # Never the meeting link: the calendar goes to every applicant, the link only to
        # participants (in their emails and on their private page).
        event.add("location", vText(activity.venue or ("Online" if activity.online_url else "")))
        event.add("url", url)
        event.add("description", f"{activity.reference} · {url}")
        for contact in activity.contacts[:1]:
            if contact.email:
                organizer = vCalAddress(f"mailto:{contact.email}")
                organizer.params["cn"] = vText(contact.name)
                event.add("organizer", organizer)
        calendar.add_component(event)
    return Attachment(
        filename=f"{activity.reference}.ics",
        content_type="text/calendar; charset=utf-8; method=PUBLISH",
        content=calendar.to_ical(),
    )
