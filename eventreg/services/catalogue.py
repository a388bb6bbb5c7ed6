"""What the public sees: published activities, in the order people look for them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Activity, ActivitySession, ActivityStatus, Module

# A public page shows an activity once it is published, and keeps it readable afterwards.
VISIBLE = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED, ActivityStatus.ARCHIVED)


def open_and_upcoming(now: datetime, *, text: str = "") -> list[Activity]:
    """Published activities that have not ended yet, soonest first; `text` narrows them."""
    query = (
        sa.select(Activity)
        .where(Activity.status == ActivityStatus.PUBLISHED, Activity.ends_at >= now)
        .where(*_matching(text))
        .options(selectinload(Activity.fee_components))
        .order_by(Activity.starts_at, Activity.id)
    )
    return list(db.session.scalars(query))


def past(now: datetime, *, text: str = "") -> list[Activity]:
    """The archive: public activities that have ended, the latest first."""
    query = (
        sa.select(Activity)
        .where(Activity.status.in_(VISIBLE), Activity.ends_at < now)
        .where(*_matching(text))
        .options(selectinload(Activity.fee_components))
        .order_by(Activity.starts_at.desc(), Activity.id)
    )
    return list(db.session.scalars(query))


def search_text(raw: str | None) -> str:
    """What a visitor typed in the search box, without control characters (which no title
    holds and PostgreSQL refuses), at most 100 characters."""
    return "".join(c for c in (raw or "") if c.isprintable()).strip()[:100]


def _matching(text: str) -> list[sa.ColumnElement[bool]]:
    """Each word found in the title, reference, summary or venue (any case)."""
    return [
        sa.or_(
            Activity.title.icontains(word, autoescape=True),
            Activity.reference.icontains(word, autoescape=True),
            Activity.summary.icontains(word, autoescape=True),
            Activity.venue.icontains(word, autoescape=True),
        )
        for word in text.split()
    ]


def visible_activity(slug: str) -> Activity | None:
    """The activity behind a public page, with its programme loaded; None for drafts."""
    query = (
        sa.select(Activity)
        .where(Activity.slug == slug, Activity.status.in_(VISIBLE))
        .options(
            selectinload(Activity.modules).selectinload(Module.sessions),
            selectinload(Activity.sessions).selectinload(ActivitySession.module),
            selectinload(Activity.sessions).selectinload(ActivitySession.trainers),
            selectinload(Activity.fee_components),
            selectinload(Activity.contacts),
            selectinload(Activity.audience_groups),
            selectinload(Activity.people),
            selectinload(Activity.partners),
        )
    )
    return db.session.scalars(query).first()
