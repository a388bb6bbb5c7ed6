"""Browsers an account has signed in from: a signed cookie that the sign-in lockout trusts.

After a successful sign-in the browser keeps a cookie naming the accounts that signed in
from it (signed with the secret key, so it cannot be made up). The account lockout, which
an attacker can trigger from anywhere, then does not apply to that browser.
"""

from __future__ import annotations

from flask import Request, current_app
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

COOKIE = "eventreg_known_browser"
MAX_AGE = 365 * 24 * 3600
KEEP = 10  # accounts remembered per browser (a shared office computer)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="eventreg-known-browser")


def known_accounts(request: Request) -> frozenset[int]:
    """The ids of the accounts that signed in from this browser before."""
    value = request.cookies.get(COOKIE)
    if not value:
        return frozenset()
    try:
        ids = _serializer().loads(value)
    except BadSignature:
        return frozenset()
    return frozenset(i for i in ids if isinstance(i, int)) if isinstance(ids, list) else frozenset()


def remember(response: Response, request: Request, user_id: int) -> None:
    """Add the account to the browser's cookie (the most recent KEEP are kept)."""
    ids = [i for i in known_accounts(request) if i != user_id][-(KEEP - 1) :] + [user_id]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(ids),
        max_age=MAX_AGE,
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        samesite="Lax",
        path="/staff/",
    )
