"""The applicant's private link: the only key to their page. Found, sent again on request,
revoked and reissued by staff when it leaked."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..emails import queue_email
from ..extensions import db
from ..models import Activity, Application, EmailOutbox, StaffUser, utcnow
from ..models.applications import new_token
from . import audit
from .correspondence import email_context


def resend_link(activity: Activity, *, email: str) -> bool:
    """Send the private link of the application with this email again, if there is one.

    Says nothing to the caller's visitor about whether it exists (the view answers the same
    either way). Returns whether an email was queued: not for an unknown address, a revoked
    link, or when a link was already sent within LINK_RESEND_INTERVAL_SECONDS, so that the
    form cannot be used to flood someone's mailbox.
    """
    address = email.strip().lower()
    application = db.session.scalar(
        sa.select(Application).where(
            Application.activity_id == activity.id, Application.email == address
        )
    )
    if application is None or application.token_revoked_at is not None:
        return False
    interval = timedelta(seconds=float(current_app.config["LINK_RESEND_INTERVAL_SECONDS"]))
    recent = db.session.scalar(
        sa.select(EmailOutbox.id).where(
            EmailOutbox.application_id == application.id,
            EmailOutbox.template == "private_link",
            EmailOutbox.created_at > utcnow() - interval,
        )
    )
    if recent is not None:
        return False
    queue_email(
        "private_link", to=application.email, application=application, **email_context(application)
    )
    return True


def find_by_token(token: str) -> Application | None:
    """The application behind a private link; None for an unknown or revoked link."""
    if not 32 <= len(token) <= 64:
        return None
    return db.session.scalar(
        sa.select(Application).where(
            Application.token == token, Application.token_revoked_at.is_(None)
        )
    )


def revoke_link(application: Application, *, by: StaffUser | None = None) -> None:
    """Make the private link stop working and give the application a new, unsent one."""
    before = {"token_revoked_at": None}
    application.token_revoked_at = utcnow()
    db.session.flush()
    audit.record(
        "application.link_revoked",
        application,
        by=by,
        actor="system",
        before=before,
        after={"token_revoked_at": application.token_revoked_at.isoformat()},
    )


def reissue_link(application: Application, *, by: StaffUser | None = None) -> None:
    """Replace a (revoked or leaked) private link by a new one and send it to the applicant."""
    application.token = new_token()
    application.token_revoked_at = None
    db.session.flush()
    audit.record("application.link_reissued", application, by=by, actor="system")
    queue_email(
        "private_link", to=application.email, application=application, **email_context(application)
    )
