"""Staff sign-in rules: password check, lockout after repeated failures, reset links."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import StaffUser, utcnow
from .errors import DomainError

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
RESET_VALID_SECONDS = 3600


class SignInRefused(DomainError):
    """Wrong email or password, or an inactive account: one message for all."""


class AccountLocked(DomainError):
    """Too many failed attempts; sign-in is paused for a while."""


class ResetLinkInvalid(DomainError):
    """The reset link is wrong, used or expired."""


def sign_in(email: str, password: str) -> StaffUser:
    """The staff member with these credentials; counts failures and locks after MAX_FAILURES.

    The same message is given for an unknown email and a wrong password, so the form
    cannot be used to find out who has an account.
    """
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email.strip().lower()))
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise AccountLocked(
            f"Too many failed attempts. Try again in {minutes} minutes, or reset your password."
        )
    if user is None or not user.active or not user.check_password(password):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            db.session.flush()
        raise SignInRefused("Wrong email or password.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return user


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="eventreg-password-reset")


def _fingerprint(user: StaffUser) -> str:
    # Changes with the password, so a link works once: after use the hash is different.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: StaffUser, *, secret_key: str) -> str:
    """A signed, expiring, single-use token for a password reset link."""
    return _serializer(secret_key).dumps({"id": user.id, "fp": _fingerprint(user)})


def user_for_reset(token: str, *, secret_key: str) -> StaffUser:
    """The staff member a reset token belongs to; raises ResetLinkInvalid otherwise."""
    try:
        data = _serializer(secret_key).loads(token, max_age=RESET_VALID_SECONDS)
    except SignatureExpired as error:
        raise ResetLinkInvalid("This link has expired. Ask for a new one.") from error
    except BadSignature as error:
        raise ResetLinkInvalid("This link is not valid. Ask for a new one.") from error
    user = db.session.get(StaffUser, data.get("id")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        raise ResetLinkInvalid("This link was already used or is not valid. Ask for a new one.")
    return user


def set_password(user: StaffUser, password: str) -> None:
    """Set a new password and lift any lockout."""
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()
