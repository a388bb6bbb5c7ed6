"""Staff sign-in rules: password check, lockout after repeated failures, reset links.

Two brakes on guessing. Each account locks for LOCKOUT after MAX_FAILURES, but only
against browsers it has not signed in from before: an attacker elsewhere cannot lock the
owner out of their usual browser. And each address waits longer and longer after
ADDRESS_FREE_FAILURES failures, whatever accounts it tries.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import SignInFailure, StaffInvitation, StaffUser, utcnow
from . import staff_sessions
from .errors import DomainError

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
RESET_VALID_SECONDS = 3600
# An address may fail this many times in ADDRESS_WINDOW freely; then it waits
# ADDRESS_FIRST_WAIT after its latest failure, doubling with each further one, up to
# ADDRESS_MAX_WAIT.
ADDRESS_FREE_FAILURES = 5
ADDRESS_WINDOW = timedelta(minutes=15)
ADDRESS_FIRST_WAIT = timedelta(seconds=30)
ADDRESS_MAX_WAIT = timedelta(minutes=15)


class SignInRefused(DomainError):
    """Wrong email or password, or an inactive account: one message for all."""


class AccountLocked(DomainError):
    """Too many failed attempts; sign-in is paused for a while."""


class AddressSlowedDown(DomainError):
    """Too many failed attempts from one address: it waits before trying again."""


class ResetLinkInvalid(DomainError):
    """The reset link is wrong, used or expired."""


def sign_in(
    email: str, password: str, *, address: str = "", known_ids: frozenset[int] = frozenset()
) -> StaffUser:
    """The staff member with these credentials, from a client at `address` whose browser has
    signed in before as the accounts `known_ids`.

    Refuses (AddressSlowedDown) an address that must still wait after its failures, and
    (AccountLocked) an account locked after MAX_FAILURES, unless this browser is one it
    signed in from before; failures from such a browser do not count towards the lock.
    The same message is given for an unknown email and a wrong password, so the form
    cannot be used to find out who has an account.
    """
    now = utcnow()
    address = address[:64]
    check_address(address)
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email.strip().lower()))
    known = user is not None and user.id in known_ids
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    if locked and not known:
        assert user is not None and user.locked_until is not None
        seconds = int((user.locked_until - now).total_seconds()) + 1
        raise AccountLocked(
            f"Too many failed attempts. Try again in {_duration(seconds)}, or reset your password."
        )
    if user is None or not user.active or not user.check_password(password):
        note_failure(address)
        if user is not None and not known:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
        db.session.flush()
        raise SignInRefused("Wrong email or password.")
    if not locked:  # a lock set against strangers stays while it lasts
        user.failed_logins = 0
        user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return user


def check_address(address: str) -> None:
    """Refuse (AddressSlowedDown) an address that must still wait after its failures."""
    now = utcnow()
    recent = sa.select(sa.func.count(SignInFailure.id), sa.func.max(SignInFailure.at)).where(
        SignInFailure.address == address[:64], SignInFailure.at > now - ADDRESS_WINDOW
    )
    failures, latest = db.session.execute(recent).one()
    if latest is not None and latest + address_wait(failures) > now:
        seconds = int((latest + address_wait(failures) - now).total_seconds()) + 1
        raise AddressSlowedDown(
            f"Too many failed attempts from your network. Try again in {_duration(seconds)}."
        )


def note_failure(address: str) -> None:
    """Count a failed attempt (a wrong password or sign-in code) against an address."""
    now = utcnow()
    db.session.execute(sa.delete(SignInFailure).where(SignInFailure.at <= now - ADDRESS_WINDOW))
    db.session.add(SignInFailure(address=address[:64], at=now))


def address_wait(failures: int) -> timedelta:
    """How long an address waits after its latest failure, having failed `failures` times."""
    if failures < ADDRESS_FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - ADDRESS_FREE_FAILURES, 20)
    return min(ADDRESS_FIRST_WAIT * 2**doublings, ADDRESS_MAX_WAIT)


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{seconds // 60 + (1 if seconds % 60 else 0)} minutes"


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


def set_password(user: StaffUser, password: str, *, keep_session: str | None = None) -> None:
    """Set a new password, lift any lockout and end every session but `keep_session`.

    Whoever knew the old password may hold a session: a new password ends them all (the
    person changing it in their own browser keeps that one). A password set any way uses
    up an open invitation too: an invitee who chose "forgot password" instead is no longer
    invited, and the invitation link can no longer set another password.
    """
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    staff_sessions.end_all_sessions(user, keep=keep_session)
    db.session.execute(
        sa.update(StaffInvitation)
        .where(StaffInvitation.staff_user_id == user.id, StaffInvitation.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
