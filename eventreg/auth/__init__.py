"""Staff authentication: sign-in, sign-out, password reset, and the session's user."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db, login_manager
from ..models import StaffUser
from ..services import staff_sessions
from ..services.organisation import organisation

bp = Blueprint("auth", __name__, url_prefix="/staff")

# The key in Flask's (signed) session cookie that names the server-side staff session.
SESSION_KEY = "staff_session"


@login_manager.user_loader
def load_staff_user(user_id: str) -> StaffUser | None:
    """The active staff member behind a session cookie whose server-side session is open.

    Runs first thing in every staff request (login_required asks for the user before the
    view does anything), so committing the session's refresh here commits nothing else.
    """
    if not user_id.isdigit():
        return None
    config = current_app.config
    check = staff_sessions.open_session(
        session.get(SESSION_KEY),
        int(user_id),
        idle=timedelta(minutes=config["STAFF_SESSION_IDLE_MINUTES"]),
        lifetime=timedelta(hours=config["STAFF_SESSION_MAX_HOURS"]),
    )
    if check.changed:
        db.session.commit()
    if check.session is None:
        session.pop(SESSION_KEY, None)
        return None
    user = check.session.staff_user
    return user if user.active else None


# Pages an admin without two-factor sign-in may still open when the organisation requires it.
SETUP_ENDPOINTS = frozenset(
    {"staff.two_factor_setup", "staff.two_factor_confirm", "staff.account", "auth.sign_out"}
)


def admins_set_up_two_factor() -> Response | None:
    """Send an admin without two-factor sign-in to set it up, when the organisation says so."""
    if request.blueprint not in ("staff", "trainer") or request.endpoint in SETUP_ENDPOINTS:
        return None
    user = current_user
    if not user.is_authenticated or not user.is_admin or user.two_factor:
        return None
    # The organisation's setting (Organisation settings), else STAFF_ADMINS_NEED_TWO_FACTOR.
    if not organisation().admins_need_two_factor:
        return None
    flash(_("The organisation requires admins to sign in with a code: set it up first."), "info")
    return redirect(url_for("staff.two_factor_setup"))


def init_app(app: Flask) -> None:
    """Register the sign-in pages and tell Flask-Login where they are."""
    from . import views  # noqa: F401  (registers the routes)

    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.register_blueprint(bp)
    app.before_request(admins_set_up_two_factor)
