"""Self check-in by QR code: each participant's personal code, and checking them in at the
door of a session with the same rule as marking by hand (attendance.mark).

The code is the application's id signed with the app's secret key (itsdangerous, its own
salt): it cannot be guessed or made up, and it is not the private link, so a badge seen by
others gives no access to the application.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime

import segno
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..emails import Attachment
from ..extensions import db
from ..models import ActivitySession, Application, StaffUser
from . import attendance
from .errors import DomainError

PREFIX = "eventreg-checkin:"
SALT = "eventreg.checkin"
FRAME_MAX = 2 * 1024 * 1024  # bytes of one camera frame sent to be decoded
FRAME_PIXELS_MAX = 4_000_000  # a frame claiming more is refused before it is decoded


class UnknownCode(DomainError):
    """The code scanned is not a participant's check-in code."""


class WrongActivity(DomainError):
    """The person is registered for another activity."""


class WrongDay(DomainError):
    """The session is not today (in the activity's timezone)."""


class AlreadyPresent(DomainError):
    """The person is already marked present at this session."""


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt=SALT)


def code_for(application: Application) -> str:
    """The text of the application's check-in QR code."""
    return PREFIX + str(_signer().dumps(application.id))


def application_for(code: str) -> Application | None:
    """The application a check-in code stands for; None for anything else."""
    code = code.strip()
    if not code.startswith(PREFIX) or len(code) > 200:
        return None
    try:
        application_id = _signer().loads(code[len(PREFIX) :])
    except BadSignature:
        return None
    if not isinstance(application_id, int):
        return None
    return db.session.get(Application, application_id)


def qr_png(application: Application, *, scale: int = 8) -> bytes:
    """The check-in code as a PNG image (for the email and the badge)."""
    out = io.BytesIO()
    segno.make(code_for(application), error="m", micro=False).save(
        out, kind="png", scale=scale, border=4
    )
    return out.getvalue()


def qr_attachment(application: Application) -> Attachment:
    """The check-in code as an image attached to the confirmation email."""
    return Attachment(
        filename="check-in.png", content_type="image/png", content=qr_png(application)
    )


def qr_data_uri(application: Application) -> str:
    """The check-in code as an SVG data: URI, for a page (the CSP allows data: images)."""
    out = io.BytesIO()
    segno.make(code_for(application), error="m", micro=False).save(
        out, kind="svg", scale=6, border=4, xmldecl=False
    )
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def check_in(code: str, session: ActivitySession, *, by: StaffUser, now: datetime) -> Application:
    """Mark the person whose code was scanned present at the session; return them.

    Refuses, changing nothing: a code that is not a check-in code (UnknownCode), someone
    of another activity (WrongActivity), a session that is not today in the activity's
    timezone (WrongDay), someone already marked present (AlreadyPresent), and, as marking
    by hand does, someone who is not a confirmed participant (NotAParticipant).
    """
    application = application_for(code)
    if application is None:
        raise UnknownCode("This is not a check-in code of eventreg.")
    activity = session.activity
    if application.activity_id != activity.id:
        raise WrongActivity(
            f"{application.full_name} is registered for “{application.activity.title}”, "
            "not for this activity."
        )
    today = now.astimezone(activity.zone).date()
    day = session.local_start.date()
    if day != today:
        raise WrongDay(
            f"This session is on {day:%A %d %B %Y}, not today ({today:%A %d %B}): "
            "open today's session to check people in."
        )
    if attendance.marks(session).get(application.id) is True:
        raise AlreadyPresent(f"{application.full_name} is already marked present.")
    attendance.mark(application, session, present=True, by=by)
    return application


def decode(frame: bytes) -> list[str]:
    """The texts of the QR codes in a camera frame (JPEG or PNG), read by zxing-cpp; none
    for anything that is not an image."""
    if not frame or len(frame) > FRAME_MAX:
        return []
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(frame))
        if image.width * image.height > FRAME_PIXELS_MAX:
            return []
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return []
    found = zxingcpp.read_barcodes(
        image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [result.text for result in found if result.text]
