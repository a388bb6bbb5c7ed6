"""What mail programs see: a titled HTML part, a calendar they recognise, a real date zone,
Message-IDs under the organisation's domain, and staff's messages as they typed them."""

from __future__ import annotations

from eventreg.emails import calendar_attachment, queue_email
from eventreg.mailer import message_id_domain


def test_headers_title_and_calendar_type(
    app, db, smtp, deliver, make_activity, make_application, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "courses@itcilo.org")
    activity = make_activity(title="Partnerships workshop", reference="A901357")
    application = make_application(activity, given_names="Sita", family_name="Shrestha")
    queue_email(
        "message",
        application=application,
        to=application.email,
        subject="Your visa letter",
        body="Please read this.",
        attachments=[calendar_attachment(activity)],
    )
    db.session.commit()
    deliver()
    [received] = smtp.messages
    message = received.message
    assert message["Date"].endswith("+0000")
    assert message["Message-ID"].endswith("@itcilo.org>")
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<title>Your visa letter</title>" in html
    [calendar] = [p for p in message.iter_attachments() if p.get_filename() == "A901357.ics"]
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("charset") == "utf-8"
    assert calendar.get_param("method") == "PUBLISH"


def test_message_ids_use_a_real_domain():
    assert message_id_domain("courses@itcilo.org", "http://127.0.0.1:5000") == "itcilo.org"
    assert (
        message_id_domain("eventreg@localhost", "https://events.itcilo.org/") == "events.itcilo.org"
    )
    assert message_id_domain("eventreg@localhost", "http://127.0.0.1:5000") == "eventreg.invalid"


def test_a_message_keeps_its_line_breaks_links_and_single_greeting(
    db, smtp, deliver, make_activity, make_application
):
    activity = make_activity(title="Partnerships workshop")
    application = make_application(activity, given_names="Sita", family_name="Shrestha")
    body = (
        "Dear Sita,\n\nYour room: Pavilion F\nBreakfast from 07:30.\n\n"
        "Read https://example.org/guide?a=1&b=2. <b>Thanks</b>"
    )
    queue_email(
        "message", application=application, to=application.email, subject="Arrival", body=body
    )
    db.session.commit()
    deliver()
    [received] = smtp.messages
    html = received.message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    assert "Your room: Pavilion F<br>\nBreakfast from 07:30." in html
    assert (
        '<a href="https://example.org/guide?a=1&amp;b=2">https://example.org/guide?a=1&amp;b=2</a>.'
        in html
    )
    assert "&lt;b&gt;Thanks&lt;/b&gt;" in html  # staff's text is escaped, not markup
    assert html.count("Dear") == 1 and text.count("Dear") == 1
    assert "Dear Sita Shrestha" not in text
