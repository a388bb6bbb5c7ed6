"""Checking people in at the door: the session's "Scan" page reads participants' QR codes
with the phone's camera and marks them present."""

from __future__ import annotations

from flask import jsonify, make_response, render_template, request
from flask_login import login_required
from werkzeug.wrappers import Response

from ..auth.access import TEAM, loaded, staff
from ..extensions import db
from ..models import ActivitySession, utcnow
from ..services import attendance, checkin
from ..services.errors import DomainError
from . import bp

# The scan page alone may use the camera (every other page forbids it).
CAMERA_ALLOWED = "camera=(self), microphone=(), geolocation=()"

ANSWERS = {
    checkin.UnknownCode: "unknown",
    checkin.WrongActivity: "wrong_activity",
    checkin.WrongDay: "wrong_day",
    checkin.AlreadyPresent: "already_present",
    attendance.NotAParticipant: "not_a_participant",
}


@bp.get("/sessions/<int:session_id>/scan")
@login_required
def scan(session_id: int) -> Response:
    found = loaded(ActivitySession, session_id, *TEAM)
    response = make_response(
        render_template("trainer/scan.html", session=found, activity=found.activity)
    )
    response.headers["Permissions-Policy"] = CAMERA_ALLOWED
    return response


@bp.post("/sessions/<int:session_id>/scan")
@login_required
def scan_code(session_id: int) -> Response:
    """Check in the code read by the browser (`code`), or the one in a camera frame
    (`frame`, read here when the browser cannot read codes itself)."""
    found = loaded(ActivitySession, session_id, *TEAM)
    codes = [request.form["code"]] if request.form.get("code") else []
    if not codes and "frame" in request.files:
        codes = checkin.decode(request.files["frame"].read())
    if not codes:
        return jsonify(result="nothing", message="")
    scanned = checkin.application_for(codes[0])
    try:
        person = checkin.check_in(codes[0], found, by=staff(), now=utcnow())
    except DomainError as error:
        db.session.rollback()
        kind = next((v for k, v in ANSWERS.items() if isinstance(error, k)), "refused")
        # The scan worked; its answer says why nobody was marked (so 200, not an error).
        return jsonify(
            result=kind, message=str(error), application_id=scanned.id if scanned else None
        )
    db.session.commit()
    present = sum(1 for value in attendance.marks(found).values() if value)
    return jsonify(
        result="present",
        message=f"{person.full_name} is marked present.",
        application_id=person.id,
        head_count=present,
    )
