"""Who calls the API: a personal token in `Authorization: Bearer`, acting as its owner."""

from __future__ import annotations

from flask import g, request
from werkzeug.exceptions import Forbidden, Unauthorized

from ..auth.access import allowed
from ..models import ApiToken, Role, StaffUser
from ..services import apitokens


class TokenMissing(Unauthorized):
    description = "Send a personal API token as 'Authorization: Bearer <token>'."


class TokenNotValid(Unauthorized):
    description = "The token is unknown, revoked or expired, or its owner's account is closed."


class RoleMissing(Forbidden):
    description = "The token's owner does not hold a role that allows this here."


def bearer_secret() -> str | None:
    """The token sent with the request, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate() -> None:
    """Load the request's token into g (before every API request); 401 without a usable one."""
    secret = bearer_secret()
    if secret is None:
        raise TokenMissing()
    token = apitokens.find_usable(secret)
    if token is None:
        raise TokenNotValid()
    g.api_token = token


def caller() -> StaffUser:
    """The staff member the request's token acts for."""
    token: ApiToken = g.api_token
    return token.owner


def authorize(activity_id: int | None, *roles: Role) -> StaffUser:
    """The caller, if they hold one of the roles on the activity (as on the pages); else 403."""
    user = caller()
    if not allowed(user, roles, activity_id):
        raise RoleMissing()
    return user


def rate_limit_key() -> str:
    """Rate limits count per token (by its digest), or per address without one."""
    secret = bearer_secret()
    if secret is not None:
        return "api-token:" + apitokens.digest(secret)
    return "api-address:" + (request.remote_addr or "")
