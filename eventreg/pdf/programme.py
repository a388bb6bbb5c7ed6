"""The programme brochure of an activity: what the public page says, on paper."""

from __future__ import annotations

from typing import Any

from flask import current_app

from ..models import Activity, utcnow
from .render import branding_for, render_document, write

# A programme longer than this many pages gets a table of contents after its cover.
CONTENTS_FROM_PAGES = 4


def programme_contents(activity: Activity) -> list[tuple[str, str]]:
    """The sections the programme prints, as (anchor, heading), in order."""
    sections = [
        ("background", "Background", bool(activity.background)),
        ("objectives", "Objectives", bool(activity.objectives or activity.outcomes)),
        (
            "audience",
            "Target audience",
            bool(
                activity.audience_groups or activity.audience_note or activity.language_requirement
            ),
        ),
        ("methodology", "Methodology", bool(activity.methodology or activity.evaluation_note)),
        ("modules", "Modules", bool(activity.modules)),
        ("timetable", "Timetable", bool(activity.sessions)),
        ("cost", "Cost and financing", True),
        ("registration", "Registration", True),
        ("contacts", "Contacts", bool(activity.contacts)),
    ]
    return [(anchor, heading) for anchor, heading, shown in sections if shown]


def activity_url(activity: Activity) -> str:
    """The public page of the activity, on the site's public address."""
    return f"{str(current_app.config['BASE_URL']).rstrip('/')}/activities/{activity.slug}"


def programme_pdf(activity: Activity) -> bytes:
    """The activity as a brochure; long ones get a table of contents (laid out twice)."""
    context: dict[str, Any] = dict(
        activity=activity,
        branding=branding_for(activity),
        activity_url=activity_url(activity),
        now=utcnow(),
    )
    document = render_document("pdf/programme.html", contents=None, **context)
    if len(document.pages) > CONTENTS_FROM_PAGES:
        document = render_document(
            "pdf/programme.html", contents=programme_contents(activity), **context
        )
    return write(document)
