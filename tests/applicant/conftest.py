"""Fixtures for the applicant's journey: a workshop like the reference one, and form helpers."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from eventreg.models import (
    Activity,
    Application,
    AudienceGroup,
    AudienceTier,
    EmailOutbox,
)

from ..conftest import csrf_token_from

PRIMARY_GROUP = "Workers' and employers' organisations"


@pytest.fixture(autouse=True)
def uploads(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CVs go to a folder of this test (the folder store, on either database)."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "FILE_STORE", "folder")
    return tmp_path / "uploads"


@pytest.fixture
def workshop(db, make_activity, factories) -> Activity:
    """An open workshop in Turin with a fee of two components, cost-sharing and contacts."""
    activity = make_activity(
        reference="A901357",
        slug="partnerships",
        title="Multi-stakeholder partnerships for local service delivery",
        languages=["en", "fr", "es"],
        costshare_offer="The organisers can cost-share the participation of a few candidates.",
        costshare_budget=1_600_000,
        costshare_cap=8,
    )
    activity.audience_groups = [
        AudienceGroup(tier=AudienceTier.PRIMARY, name=PRIMARY_GROUP, position=0),
        AudienceGroup(
            tier=AudienceTier.PRIMARY,
            name="NGOs, faith-based and community-based organisations",
            position=1,
        ),
        AudienceGroup(
            tier=AudienceTier.ALSO, name="Research and training institutions", position=0
        ),
    ]
    factories.contact(
        activity, role="Activity manager", name="Valter Nebuloni", email="manager@example.org"
    )
    factories.contact(
        activity, role="Course assistant", name="Sophie Ouine", email="assistant@example.org"
    )
    factories.session(activity, title="Opening")
    factories.session(activity, title="Module 1", starts_at=activity.starts_at + timedelta(hours=4))
    db.session.commit()
    return activity


def answers(activity: Activity, **overrides: Any) -> dict[str, Any]:
    """A complete, valid set of form answers; a None override leaves the field out."""
    data: dict[str, Any] = {
        "title": "Ms",
        "given_names": "Amina",
        "family_name": "Diallo",
        "gender": "female",
        "nationality": "NP",
        "country": "NP",
        "email": "amina@example.net",
        "email_confirm": overrides.get("email", "amina@example.net"),
        "phone": "+977 1 441 2345",
        "language": "en",
        "organisation": "General Federation of Nepalese Trade Unions",
        "organisation_type": PRIMARY_GROUP,
        "position": "Education officer",
        "proficiency": "advanced",
        "motivation": "I train shop stewards on public services.",
        "expectations": "Ways to negotiate with municipalities.",
        "payment_source": "employer",
        "sponsor_name": "",
        "dietary_needs": "",
        "access_needs": "",
        "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def form_page(client: FlaskClient, activity: Activity) -> str:
    response = client.get(f"/activities/{activity.slug}/apply")
    assert response.status_code == 200, response.text
    return response.text


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name} on the page"
    return match.group(1)


def submit(client: FlaskClient, activity: Activity, page: str | None = None, **overrides: Any):
    """Fetch the form (unless given), fill it in and send it, as a browser would."""
    page = page or form_page(client, activity)
    data = answers(activity, **overrides)
    data.setdefault("csrf_token", csrf_token_from(page))
    data.setdefault("submission_key", hidden_value(page, "submission_key"))
    return post_form(client, f"/activities/{activity.slug}/apply", data)


def post_form(client: FlaskClient, url: str, data: dict[str, Any]):
    """POST a form; one with a file goes as multipart, encoded in memory.

    (The test client spools big bodies to a temporary file that it never closes when the
    app refuses to read the body, which pytest's warnings-as-errors then reports.)
    """
    files = {key: value for key, value in data.items() if isinstance(value, tuple)}
    if not files:
        return client.post(url, data=data)
    fields = MultiDict()
    for key, value in data.items():
        if key not in files:  # several values (checkboxes) go as several fields
            for one in value if isinstance(value, list) else [value]:
                fields.add(key, one)
    for key, (stream, filename) in files.items():
        fields.add(key, FileStorage(stream, filename=filename))
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def token_of(response) -> str:
    """The private token in a redirect to the confirmation page."""
    match = re.fullmatch(r"/my/([\w-]+)/confirmation", response.headers.get("Location", ""))
    assert match, (response.status_code, response.headers.get("Location"))
    return match.group(1)


def count(db, model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def counts(db) -> tuple[int, int]:
    """(applications, outbox rows): what a refused request must leave unchanged."""
    db.session.expire_all()
    return count(db, Application), count(db, EmailOutbox)


def only_application(db) -> Application:
    db.session.expire_all()
    [application] = db.session.scalars(sa.select(Application)).all()
    return application
