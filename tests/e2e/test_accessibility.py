"""axe-core finds no serious or critical accessibility problem on the pages people use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from eventreg.demo import load_demo
from eventreg.models import Activity, ActivitySession, Application, ApplicationStatus

from ..conftest import PASSWORD
from .conftest import screenshot


def violations(page, rules: dict[str, dict[str, bool]] | None = None) -> list[str]:
    """Serious and critical axe findings; `rules` switches rules on or off."""
    from axe_playwright_python.sync_playwright import Axe

    options: dict[str, object] = {"resultTypes": ["violations"]}
    if rules:
        options["rules"] = rules
    results = Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def demo(db, app):
    load_demo(app.instance_path, now=datetime.now(UTC))
    db.session.commit()
    workshop = db.session.scalar(
        sa.select(Activity).where(Activity.status == "published", Activity.kind == "workshop")
    )
    return workshop


def test_public_and_applicant_pages(served, demo, db, page, phone):
    applicant = db.session.scalar(
        sa.select(Application).where(
            Application.activity_id == demo.id, Application.status == ApplicationStatus.ACCEPTED
        )
    )
    congress = db.session.scalar(sa.select(Activity).where(Activity.kind == "congress_session"))
    paths = [
        "/",
        f"/activities/{demo.slug}",
        f"/activities/{congress.slug}",
        f"/activities/{demo.slug}/apply",
        f"/my/{applicant.token}",
        "/verify",
        "/no-such-page",
    ]
    problems = {}
    for path in paths:
        for label, browser_page in (("desktop", page), ("phone", phone)):
            browser_page.goto(served.url + path)
            found = violations(browser_page)
            if found:
                problems[f"{label} {path}"] = found
    screenshot(phone, "not-found-phone")
    assert problems == {}


def test_staff_and_trainer_pages(served, demo, db, page):
    page.goto(served.url + "/staff/sign-in")
    assert violations(page) == []
    logins = dict(
        line.split("\t")
        for line in (served_instance_path(db) / "demo-logins.txt").read_text().splitlines()
    )
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill(logins["admin@example.org"])
    page.get_by_role("button", name="Sign in").click()
    session = db.session.scalar(
        sa.select(ActivitySession).where(ActivitySession.activity_id == demo.id)
    )
    paths = [
        "/staff/",
        f"/staff/activities/{demo.id}",
        f"/staff/activities/{demo.id}/edit",
        f"/staff/activities/{demo.id}/sessions/",
        f"/staff/activities/{demo.id}/certificates",
        "/staff/outbox",
        "/trainer/",
        f"/trainer/sessions/{session.id}",
        f"/trainer/activities/{demo.id}/attendance",
    ]
    problems = {}
    for path in paths:
        page.goto(served.url + path)
        assert "Sign in" not in page.title(), path
        found = violations(page)
        if found:
            problems[path] = found
    assert problems == {}
    assert PASSWORD  # the demo's own random passwords were used, not the test one


def served_instance_path(db):
    from pathlib import Path

    from flask import current_app

    return Path(current_app.instance_path)
