"""Hostile input: stored script in every free-text field stays text in HTML, email and PDF;
no input at all makes the application form fail with a server error."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from eventreg.models import Application, ApplicationStatus, Role
from eventreg.services import decisions

from ..conftest import csrf_token_from

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT_FIELDS = [
    "given_names",
    "family_name",
    "organisation",
    "position",
    "motivation",
    "expectations",
    "sponsor_name",
    "sponsor_covers",
    "costshare_reason",
    "dietary_needs",
    "access_needs",
]


@pytest.fixture
def open_call(make_activity, factories):
    now = datetime.now(UTC)
    activity = make_activity(
        slug="open-call",
        opens_at=now - timedelta(days=1),
        deadline_at=now + timedelta(days=30),
        costshare_budget=500_000,
        costshare_offer="Some places are cost-shared.",
    )
    factories.contact(activity, email="assistant@example.org")
    factories.session(activity)
    return activity


def valid_form(activity, token, **changes):
    data = {
        "csrf_token": token,
        "title": "Ms",
        "given_names": "Amina",
        "family_name": "Diallo",
        "gender": "female",
        "nationality": "SN",
        "country": "SN",
        "email": "amina@example.net",
        "email_confirm": "amina@example.net",
        "phone": "+221 77 123 4567",
        "language": "en",
        "organisation": "Union",
        "organisation_type": "Other",
        "position": "Organiser",
        "proficiency": "advanced",
        "motivation": "To learn.",
        "payment_source": "sponsor",
        "sponsor_name": "Sponsor",
        "costshare_requested": "y",
        "costshare_component_ids": str(activity.fee_components[0].id),
        "sponsor_covers": "Travel",
        "costshare_reason": "Budget",
        "consent": "y",
    }
    data.update(changes)
    return data


def test_script_in_every_text_field_is_shown_as_text_everywhere(
    db, client, open_call, smtp, deliver, sign_in_as
):
    page = client.get("/activities/open-call/apply")
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page.text)
    form = valid_form(
        open_call, csrf_token_from(page.text), **{name: f"{name} {PAYLOAD}" for name in TEXT_FIELDS}
    )
    if key:
        form["submission_key"] = key.group(1)
    response = client.post("/activities/open-call/apply", data=form, follow_redirects=True)
    assert response.status_code == 200
    application = db.session.scalar(sa.select(Application))
    assert application is not None, response.text[:2000]
    assert application.motivation.endswith(PAYLOAD)  # stored as typed

    pages = [response.text, client.get(f"/my/{application.token}").text]
    decisions.accept_application(application, by=None)
    db.session.commit()
    deliver()
    for mail in smtp.messages:
        html = mail.message.get_body(preferencelist=("html",))
        if html is not None:
            pages.append(html.get_content())
    assistant = sign_in_as(Role.COURSE_ASSISTANT, open_call)
    for url in (
        f"/staff/applications/{application.id}",
        f"/trainer/activities/{open_call.id}/attendance",
    ):
        shown = assistant.get(url)
        if shown.status_code == 200:
            pages.append(shown.text)
    for html in pages:
        assert "<script>alert" not in html
        assert "onerror=alert(1)>" not in html.replace("&gt;", "")
    assert any("&lt;script&gt;" in html for html in pages)

    letter = assistant.get(f"/staff/applications/{application.id}/acceptance-letter.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages)
    assert "<script>" in text  # printed literally, as text
    application.status = ApplicationStatus.CONFIRMED
    db.session.commit()
    sheet = assistant.get(
        f"/staff/activities/{open_call.id}/attendance-sheet.pdf?session={open_call.sessions[0].id}"
    )
    assert "<script>" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.data)).pages)


field_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.fixed_dictionaries(
        {
            name: field_text
            for name in [
                "title",
                "given_names",
                "family_name",
                "gender",
                "nationality",
                "country",
                "email",
                "email_confirm",
                "phone",
                "language",
                "organisation",
                "organisation_type",
                "position",
                "proficiency",
                "motivation",
                "payment_source",
                "costshare_component_ids",
                "consent",
            ]
        }
    )
)
def test_no_input_makes_the_application_form_fail(db, client, open_call, values):
    page = client.get("/activities/open-call/apply")
    values["csrf_token"] = csrf_token_from(page.text)
    response = client.post("/activities/open-call/apply", data=values)
    assert response.status_code < 500, response.text[:500]
