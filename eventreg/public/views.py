"""Public views: thin, they load and render."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request

from ..models import Activity, utcnow
from ..services import catalogue
from . import bp


@bp.get("/")
def index() -> str:
    return _catalogue(catalogue.open_and_upcoming, archive=False)


@bp.get("/past")
def past() -> str:
    return _catalogue(catalogue.past, archive=True)


def _catalogue(listed: Callable[..., list[Activity]], *, archive: bool) -> str:
    """The open list or the archive, narrowed by the search box's text."""
    now = utcnow()
    text = catalogue.search_text(request.args.get("q"))
    return render_template(
        "public/catalogue.html",
        activities=listed(now, text=text),
        now=now,
        text=text,
        archive=archive,
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
