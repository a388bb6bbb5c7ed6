"""Who may do what: role checks for staff routes, per activity where the role is per activity.

One idiom: a route with an `activity_id` says `@requires(*OFFICE)` (or `*TEAM`); a route
on something that belongs to an activity (an application, a session, a certificate) loads
it with `loaded(Model, id, *OFFICE)`, which answers 404 or 403 as `requires` would.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Role, StaffUser

F = TypeVar("F", bound=Callable[..., Any])

# Who runs an activity's admissions: applications, decisions, money, messages, certificates.
OFFICE = (Role.ACTIVITY_MANAGER, Role.COURSE_ASSISTANT)
# The activity's whole team, trainers included: sessions, attendance, evaluation results.
TEAM = (Role.ACTIVITY_MANAGER, Role.COURSE_ASSISTANT, Role.TRAINER)


class BelongsToActivity(Protocol):
    @property
    def activity_id(self) -> int: ...


Owned = TypeVar("Owned", bound=BelongsToActivity)


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


def loaded(model: type[Owned], object_id: int, *roles: Role) -> Owned:
    """The object (404 if there is none), if the signed-in staff member holds one of the
    roles on the activity it belongs to (403 otherwise). Only call behind login_required."""
    found = db.get_or_404(model, object_id)
    authorize(found.activity_id, *roles)
    return found
