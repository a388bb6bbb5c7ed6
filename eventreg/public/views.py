"""Public views: thin, they load and render."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from ..models import Activity, utcnow
from ..services import catalogue, programme
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


@bp.get("/activities/<slug>/people/<int:person_id>/photo")
def person_photo(slug: str, person_id: int) -> BaseResponse:
    """The photo of a person on a public activity's programme; 404 for drafts or none."""
    person = programme.public_person(slug, person_id)
    found = programme.photo_of(person) if person is not None else None
    if found is None:
        abort(404)
    content, media_type = found
    response = Response(content, mimetype=media_type)
    # The key changes with every new upload, so a day's caching never shows a stale face.
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.set_etag(person.photo_path or "")  # type: ignore[union-attr]
    return response.make_conditional(request)
