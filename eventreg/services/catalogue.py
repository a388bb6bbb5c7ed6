"""What the public sees: published activities, in the order people look for them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Activity, ActivitySession, ActivityStatus, Module

# A public page shows an activity once it is published, and keeps it readable afterwards.
VISIBLE = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED, ActivityStatus.ARCHIVED)


def open_and_upcoming(now: datetime) -> list[Activity]:
    """Published activities that have not ended yet, soonest first."""
    query = (
        sa.select(Activity)
        .where(Activity.status == ActivityStatus.PUBLISHED, Activity.ends_at >= now)
        .options(selectinload(Activity.fee_components))
        .order_by(Activity.starts_at, Activity.id)
    )
    return list(db.session.scalars(query))


def visible_activity(slug: str) -> Activity | None:
    """The activity behind a public page, with its programme loaded; None for drafts."""
    query = (
        sa.select(Activity)
        .where(Activity.slug == slug, Activity.status.in_(VISIBLE))
        .options(
            selectinload(Activity.modules).selectinload(Module.sessions),
            selectinload(Activity.sessions).selectinload(ActivitySession.module),
            selectinload(Activity.fee_components),
            selectinload(Activity.contacts),
            selectinload(Activity.audience_groups),
        )
    )
    return db.session.scalars(query).first()
