"""Staff authentication: how a signed-in staff member is found again on each request."""

from __future__ import annotations

from flask import Flask

from ..extensions import db, login_manager
from ..models import StaffUser


@login_manager.user_loader
def load_staff_user(user_id: str) -> StaffUser | None:
    """The active staff member behind a session cookie, or None."""
    if not user_id.isdigit():
        return None
    user = db.session.get(StaffUser, int(user_id))
    return user if user is not None and user.active else None


def init_app(app: Flask) -> None:
    """Nothing to configure yet beyond the loader; sign-in views come with the back office."""
    login_manager.session_protection = "strong"
