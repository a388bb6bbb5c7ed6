"""Fixtures for the back office: a workshop like the reference one, its staff, and helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from eventreg.extensions import db as database
from eventreg.models import Activity, AuditLog, EmailOutbox, Role, StaffUser

from ..conftest import csrf_token_from


@pytest.fixture(autouse=True)
def uploads(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CVs are read from a folder of this test (the folder store, on either database)."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "FILE_STORE", "folder")
    return tmp_path / "uploads"


@pytest.fixture
def workshop(db, make_activity, factories) -> Activity:
    """A workshop of 30 places, fee EUR 1,040 + 960, a EUR 16,000 budget for at most 8."""
    activity = make_activity(
        title="Multi-stakeholder partnerships for local service delivery",
        capacity=30,
        costshare_budget=1_600_000,
        costshare_cap=8,
    )
    activity.fee_components[0].name = "Tuition"
    activity.fee_components[1].name = "Participant subsistence"
    factories.contact(activity, role="Course assistant", name="Sophie Ouine")
    database.session.commit()
    return activity


@pytest.fixture
def assistant(make_staff, workshop) -> StaffUser:
    return make_staff(Role.COURSE_ASSISTANT, workshop, name="Sophie Ouine")


def count(model: Any, *where: Any) -> int:
    """How many rows of a model there are (matching the conditions)."""
    query = sa.select(sa.func.count()).select_from(model)
    if where:
        query = query.where(*where)
    return int(database.session.scalar(query) or 0)


def mails(template: str | None = None, to: str | None = None) -> list[EmailOutbox]:
    """The outbox, oldest first, optionally of one template or one recipient."""
    query = sa.select(EmailOutbox).order_by(EmailOutbox.id)
    if template:
        query = query.where(EmailOutbox.template == template)
    if to:
        query = query.where(EmailOutbox.to_address == to)
    return list(database.session.scalars(query))


def actions(application_id: int) -> list[str]:
    """The audit actions recorded on an application, oldest first."""
    return list(
        database.session.scalars(
            sa.select(AuditLog.action)
            .where(AuditLog.application_id == application_id)
            .order_by(AuditLog.id)
        )
    )


def post_page(client: Any, page_url: str, url: str | None = None, **data: Any) -> Any:
    """GET a page for its CSRF token, then POST the data (to `url`, or to the page)."""
    page = client.get(page_url)
    assert page.status_code == 200, page.text
    return client.post(url or page_url, data={**data, "csrf_token": csrf_token_from(page.text)})


def fresh() -> None:
    """Forget what the session holds, to read what requests committed."""
    database.session.expire_all()
