"""The programme brochure of an activity: what the public page says, on paper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from ..models import Activity, utcnow
from ..services.programme import photo_data_uri
from .render import branding_for, fingerprint, layout, render_document, render_html, store, write

# A programme longer than this many pages gets a table of contents after its cover.
CONTENTS_FROM_PAGES = 4


def programme_contents(activity: Activity) -> list[tuple[str, str]]:
    """The sections the programme prints, as (anchor, heading), in order."""
    sections = [
        ("background", _("Background"), bool(activity.background)),
        ("objectives", _("Objectives"), bool(activity.objectives or activity.outcomes)),
        (
            "audience",
            _("Target audience"),
            bool(
                activity.audience_groups or activity.audience_note or activity.language_requirement
            ),
        ),
        ("methodology", _("Methodology"), bool(activity.methodology or activity.evaluation_note)),
        ("people", _("People on the programme"), bool(activity.people)),
        ("partners", _("Partners"), bool(activity.partners)),
        ("modules", _("Modules"), bool(activity.modules)),
        ("timetable", _("Timetable"), bool(activity.sessions)),
        ("cost", _("Cost and financing"), True),
        ("registration", _("Registration"), True),
        ("contacts", _("Contacts"), bool(activity.contacts)),
    ]
    return [(anchor, heading) for anchor, heading, shown in sections if shown]


def activity_url(activity: Activity) -> str:
    """The public page of the activity, on the site's public address."""
    return f"{str(current_app.config['BASE_URL']).rstrip('/')}/activities/{activity.slug}"


def programme_pdf(activity: Activity, *, cache_dir: Path | None = None) -> bytes:
    """The activity as a brochure; long ones get a table of contents (laid out twice).

    With `cache_dir`, a programme whose HTML, stylesheet and logo are unchanged is served
    from there instead of being laid out again (a public download costs a second of CPU).
    """
    branding = branding_for(activity)
    context: dict[str, Any] = dict(
        activity=activity,
        branding=branding,
        activity_url=activity_url(activity),
        now=utcnow(),
        photos={person.id: photo_data_uri(person) for person in activity.people},
    )
    html = render_html("pdf/programme.html", contents=None, **context)
    cached = cache_dir / f"{fingerprint(html, logo=branding.logo)}.pdf" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    document = layout(html, logo=branding.logo)
    if len(document.pages) > CONTENTS_FROM_PAGES:
        document = render_document(
            "pdf/programme.html", contents=programme_contents(activity), **context
        )
    pdf = write(document)
    if cached is not None:
        store(cached, pdf)
    return pdf
