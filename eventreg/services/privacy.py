"""The privacy notice: admins publish new versions; applications record the one accepted."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import PrivacyNotice, StaffUser
from . import audit
from .errors import DomainError

BODY_MAX = 20_000


class NoticeRefused(DomainError):
    """The text given cannot be published."""


def current_notice() -> PrivacyNotice | None:
    """The latest published version, or None before any is published."""
    return db.session.scalar(sa.select(PrivacyNotice).order_by(PrivacyNotice.version.desc()))


def current_version() -> int | None:
    """The number of the latest published version (what an application accepts now)."""
    return db.session.scalar(_CURRENT_VERSION)


def current_version_sql() -> sa.ScalarSelect[int]:
    """current_version in SQL, for a row that records it as it is written."""
    return _CURRENT_VERSION_SQL


_CURRENT_VERSION = sa.select(sa.func.max(PrivacyNotice.version))
_CURRENT_VERSION_SQL = _CURRENT_VERSION.scalar_subquery()


def notice(version: int) -> PrivacyNotice | None:
    """One published version."""
    return db.session.scalar(sa.select(PrivacyNotice).where(PrivacyNotice.version == version))


def publish_notice(body: str, *, by: StaffUser) -> PrivacyNotice:
    """Publish a new version (the old ones stay, as applicants accepted them).

    Refuses (NoticeRefused) an empty text, one too long, or the same text as the current.
    """
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise NoticeRefused(_("Write the notice."), field="body")
    if len(body) > BODY_MAX:
        raise NoticeRefused(_("The notice is too long."), field="body")
    current = current_notice()
    if current is not None and current.body == body:
        raise NoticeRefused(_("This is the text already published."), field="body")
    published = PrivacyNotice(
        version=(current.version + 1) if current else 1, body=body, published_by_id=by.id
    )
    db.session.add(published)
    db.session.flush()
    audit.record("privacy_notice.published", published, by=by, after={"version": published.version})
    return published
