"""Badges: one card per participant with their name, organisation and check-in QR code."""

from __future__ import annotations

import base64

from ..models import Activity
from ..services import checkin
from .render import branding_for, render_pdf
from .sheets import expected_participants


def badges(activity: Activity) -> bytes:
    """Badges of the confirmed and attended participants, by family name, eight an A4 page."""
    people = expected_participants(activity)
    cards = [
        (
            person,
            "data:image/png;base64," + base64.b64encode(checkin.qr_png(person, scale=4)).decode(),
        )
        for person in people
    ]
    return render_pdf(
        "pdf/badges.html", activity=activity, branding=branding_for(activity), cards=cards
    )
