"""The back office's pages, as paths into the demo data: every page staff and trainers open."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from eventreg.extensions import db
from eventreg.models import (
    Activity,
    ActivitySession,
    Application,
    ApplicationStatus,
    StaffAssignment,
)


def demo_password(email: str) -> str:
    """The demo's own random password for a staff login (instance/demo-logins.txt)."""
    lines = (Path(current_app.instance_path) / "demo-logins.txt").read_text().splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)[email]


def sign_in(page, base_url: str, email: str = "admin@example.org") -> None:
    page.goto(base_url + "/staff/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo_password(email))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def staff_paths(workshop: Activity) -> list[str]:
    """Every page of the back office and the trainer's side, for one open workshop."""
    application = db.session.scalar(
        sa.select(Application)
        .where(
            Application.activity_id == workshop.id,
            Application.status == ApplicationStatus.ACCEPTED,
        )
        .order_by(Application.id)
        .limit(1)
    )
    session = db.session.scalar(
        sa.select(ActivitySession)
        .where(ActivitySession.activity_id == workshop.id)
        .order_by(ActivitySession.starts_at)
        .limit(1)
    )
    colleague = db.session.scalar(
        sa.select(StaffAssignment.staff_user_id)
        .where(StaffAssignment.activity_id == workshop.id)
        .order_by(StaffAssignment.id)
        .limit(1)
    )
    assert application is not None and session is not None and colleague is not None
    activity = f"/staff/activities/{workshop.id}"
    one = f"/staff/applications/{application.id}"
    return [
        "/staff/",
        "/staff/activities/new",
        activity,
        f"{activity}/edit",
        f"{activity}/languages",
        f"{activity}/duplicate",
        f"{activity}/modules/",
        f"{activity}/sessions/",
        f"{activity}/sessions/{session.id}",
        f"{activity}/fees/",
        f"{activity}/contacts/",
        f"{activity}/people/",
        f"{activity}/partners/",
        f"{activity}/audience/",
        f"{activity}/team",
        f"{activity}/applications",
        f"{activity}/money",
        f"{activity}/audit",
        f"{activity}/messages",
        f"{activity}/export",
        f"{activity}/evaluation",
        f"{activity}/evaluation/paper",
        f"{activity}/evaluation/questions",
        f"{activity}/certificates",
        one,
        f"{one}/decide/accept",
        f"{one}/message",
        f"{one}/money",
        "/staff/outbox",
        "/staff/people",
        f"/staff/people/{colleague}",
        "/staff/account",
        "/staff/account/two-factor",
        "/staff/organisation",
        "/staff/evaluation-questions",
        "/trainer/",
        f"/trainer/sessions/{session.id}",
        f"/trainer/activities/{workshop.id}/attendance",
    ]


def open_workshop() -> Activity:
    """The demo's workshop that is open for applications (next year's edition)."""
    workshop = db.session.scalar(
        sa.select(Activity).where(Activity.status == "published", Activity.kind == "workshop")
    )
    assert workshop is not None
    return workshop
