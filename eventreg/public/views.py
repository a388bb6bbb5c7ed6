"""Public views: thin, they load and render."""

from __future__ import annotations

from flask import abort, render_template, request

from ..models import utcnow
from ..services import catalogue
from . import bp


@bp.get("/")
def index() -> str:
    now = utcnow()
    text = catalogue.search_text(request.args.get("q"))
    return render_template(
        "public/catalogue.html",
        activities=catalogue.open_and_upcoming(now, text=text),
        now=now,
        text=text,
        archive=False,
    )


@bp.get("/past")
def past() -> str:
    now = utcnow()
    text = catalogue.search_text(request.args.get("q"))
    return render_template(
        "public/catalogue.html",
        activities=catalogue.past(now, text=text),
        now=now,
        text=text,
        archive=True,
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
