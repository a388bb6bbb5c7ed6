"""Where one application stands in the review list: its place and the ones before and after."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Application
from .review import Filters, conditions, order_by


@dataclass(frozen=True)
class Neighbours:
    """The application's place (from 1) among `total` matches, and the ids either side."""

    position: int
    total: int
    previous_id: int | None
    next_id: int | None


def neighbours(application: Application, filters: Filters) -> Neighbours | None:
    """The previous and next applications in the list's filter and order, in one statement.

    None when the application does not match the filters (it changed since the list was
    shown, say): then there is no "previous" or "next" to offer.
    """
    order = order_by(filters)
    ranked = (
        sa.select(
            Application.id.label("id"),
            sa.func.lag(Application.id).over(order_by=order).label("previous_id"),
            sa.func.lead(Application.id).over(order_by=order).label("next_id"),
            sa.func.row_number().over(order_by=order).label("position"),
            sa.func.count().over().label("total"),
        )
        .where(Application.activity_id == application.activity_id, *conditions(filters))
        .subquery()
    )
    found = db.session.execute(
        sa.select(ranked.c.position, ranked.c.total, ranked.c.previous_id, ranked.c.next_id).where(
            ranked.c.id == application.id
        )
    ).one_or_none()
    if found is None:
        return None
    position, total, previous_id, next_id = found
    return Neighbours(
        position=int(position), total=int(total), previous_id=previous_id, next_id=next_id
    )
