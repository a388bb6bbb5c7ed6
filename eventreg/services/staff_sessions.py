"""Staff sessions held on the server: opened at sign-in, checked on each request, ended at will.

The browser's cookie carries a random token; the database keeps its hash with the moment
the session began and was last used. A session is open while its row exists and it is
neither idle too long nor older than the absolute limit, so ending one (sign-out), all of
a person's (password change or reset, deactivation, "sign out everywhere") takes effect on
every node at the next request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa

from ..extensions import db
from ..models import StaffSession, StaffUser, utcnow

# Writing last_seen_at on every request would make each page a write; a minute's slack in
# the idle limit is not worth that.
TOUCH_EVERY = timedelta(minutes=1)


def clock() -> datetime:
    """The current moment as sessions see it (tests move it rather than sleep)."""
    return utcnow()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: StaffUser) -> str:
    """Open a session for someone who has just proved who they are; returns its cookie token."""
    token = secrets.token_urlsafe(32)
    now = clock()
    db.session.add(
        StaffSession(token_hash=_hash(token), staff_user=user, created_at=now, last_seen_at=now)
    )
    db.session.flush()
    return token


class SessionCheck(NamedTuple):
    """What a request's cookie leads to: the open session (or None) and whether a row changed."""

    session: StaffSession | None
    changed: bool


def open_session(
    token: str | None, user_id: int, *, idle: timedelta, lifetime: timedelta
) -> SessionCheck:
    """The open session behind a cookie's token for this user, refreshed; None if it ended.

    Refuses (None) a token that is unknown, belongs to someone else, has been idle longer
    than `idle` or began longer than `lifetime` ago; an expired session's row is removed.
    Flushes only: the caller commits the removal or the refreshed last_seen_at.
    """
    if not token:
        return SessionCheck(None, changed=False)
    session = db.session.get(StaffSession, _hash(token))
    if session is None or session.staff_user_id != user_id:
        return SessionCheck(None, changed=False)
    now = clock()
    if now - session.last_seen_at > idle or now - session.created_at > lifetime:
        db.session.delete(session)
        db.session.flush()
        return SessionCheck(None, changed=True)
    if now - session.last_seen_at < TOUCH_EVERY:
        return SessionCheck(session, changed=False)
    session.last_seen_at = now
    db.session.flush()
    return SessionCheck(session, changed=True)


def end_session(token: str | None) -> None:
    """End one session (signing out in one browser); an unknown token is ignored."""
    if token:
        db.session.execute(sa.delete(StaffSession).where(StaffSession.token_hash == _hash(token)))


def end_all_sessions(user: StaffUser, *, keep: str | None = None) -> int:
    """End every session of this person, except the one whose token is `keep`; returns how many."""
    query = sa.delete(StaffSession).where(StaffSession.staff_user_id == user.id)
    if keep:
        query = query.where(StaffSession.token_hash != _hash(keep))
    result = db.session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


def open_sessions(user: StaffUser) -> int:
    """How many sessions this person has open (ended or not yet swept)."""
    query = sa.select(sa.func.count()).where(StaffSession.staff_user_id == user.id)
    return db.session.scalar(query) or 0
