"""Personal API tokens: create one (its secret shown once), revoke it, find it by its secret."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import ApiToken, StaffUser, utcnow
from . import audit
from .errors import DomainError

PREFIX = "evr_"
NAME_MAX = 100


class TokenRefused(DomainError):
    """A token needs a name and, if it expires, an expiry in the future."""


def digest(secret: str) -> str:
    """The stored form of a secret (SHA-256: the secret is random, 256 bits)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    owner: StaffUser, *, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `owner` and its secret, which is not stored and cannot be shown again.

    Refuses (TokenRefused) an empty or over-long name and an expiry that has passed.
    """
    name = name.strip()
    if not name:
        raise TokenRefused("Give the token a name, e.g. what will use it.", field="name")
    if len(name) > NAME_MAX:
        raise TokenRefused(f"Keep the name under {NAME_MAX} characters.", field="name")
    if expires_at is not None and expires_at <= utcnow():
        raise TokenRefused("Choose an expiry date in the future.", field="expires_on")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        staff_user_id=owner.id,
        name=name,
        secret_hash=digest(secret),
        hint=secret[: len(PREFIX) + 4],
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", token, by=owner, note=f"{name} ({token.hint}…)")
    return token, secret


def revoke_token(token: ApiToken, *, by: StaffUser) -> None:
    """Revoke a token at once; refuses one that is already revoked."""
    if token.revoked_at is not None:
        raise TokenRefused("This token is revoked already.")
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record("api_token.revoked", token, by=by, note=f"{token.name} ({token.hint}…)")


def tokens_of(owner: StaffUser) -> list[ApiToken]:
    """The owner's tokens, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.staff_user_id == owner.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def find_usable(secret: str) -> ApiToken | None:
    """The token with this secret if it may be used now (with its owner and roles loaded)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(
        sa.select(ApiToken)
        .where(ApiToken.secret_hash == digest(secret))
        .options(joinedload(ApiToken.owner).selectinload(StaffUser.assignments))
    )
    if token is None or not token.usable(utcnow()):
        return None
    return token
