"""Public views: thin, they load and render."""

from __future__ import annotations

from flask import abort, render_template

from ..models import utcnow
from ..services import catalogue
from . import bp


@bp.get("/")
def index() -> str:
    now = utcnow()
    return render_template(
        "public/catalogue.html", activities=catalogue.open_and_upcoming(now), now=now
    )


@bp.get("/activities/<slug>")
def activity(slug: str) -> str:
    found = catalogue.visible_activity(slug)
    if found is None:
        abort(404)
    now = utcnow()
    return render_template(
        "public/activity.html",
        activity=found,
        now=now,
        open_now=found.is_open_for_applications(now),
    )
