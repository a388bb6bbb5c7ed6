"""Who may do what: role checks for staff routes, per activity where the role is per activity."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from ..models import Role, StaffUser

F = TypeVar("F", bound=Callable[..., Any])


def staff() -> StaffUser:
    """The signed-in staff member (only call behind login_required)."""
    return cast(StaffUser, current_user._get_current_object())  # type: ignore[attr-defined]


def allowed(user: StaffUser, roles: tuple[Role, ...], activity_id: int | None) -> bool:
    """Admins may do everything; others need one of the roles (on that activity, if given)."""
    if user.is_admin:
        return True
    if Role.ADMIN in roles and len(roles) == 1:
        return False
    return any(user.has_role(role, activity_id) for role in roles if role != Role.ADMIN)


def authorize(activity_id: int | None, *roles: Role) -> StaffUser:
    """The current staff member if they hold one of the roles on the activity; else 403."""
    user = staff()
    if not allowed(user, roles, activity_id):
        abort(403)
    return user


def requires(*roles: Role) -> Callable[[F], F]:
    """Sign-in plus one of the roles; an `activity_id` route argument scopes the check."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def checked(*args: Any, **kwargs: Any) -> Any:
            authorize(kwargs.get("activity_id"), *roles)
            return view(*args, **kwargs)

        return cast(F, checked)

    return decorate
