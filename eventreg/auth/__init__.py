"""Staff authentication: sign-in, sign-out, password reset, and the session's user."""

from __future__ import annotations

from flask import Blueprint, Flask

from ..extensions import db, login_manager
from ..models import StaffUser

bp = Blueprint("auth", __name__, url_prefix="/staff")


@login_manager.user_loader
def load_staff_user(user_id: str) -> StaffUser | None:
    """The active staff member behind a session cookie, or None."""
    if not user_id.isdigit():
        return None
    user = db.session.get(StaffUser, int(user_id))
    return user if user is not None and user.active else None


def init_app(app: Flask) -> None:
    """Register the sign-in pages and tell Flask-Login where they are."""
    from . import views  # noqa: F401  (registers the routes)

    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.register_blueprint(bp)
