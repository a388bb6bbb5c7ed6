"""API: activities (list, detail with modules, sessions and fees), attendance, certificates."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort

from ..auth.access import TEAM
from ..extensions import db
from ..models import Activity, ActivitySession, Application, Certificate, StaffAssignment
from ..services import attendance, certificates
from . import bp
from .access import authorize, caller
from .schemas import (
    ActivityDetail,
    ActivityList,
    AttendanceList,
    CertificateCheck,
    CertificateList,
    MarkIn,
)

# Who works in the room (as on the trainer's and the certificates' pages).


@bp.get("/activities")
@bp.response(200, ActivityList)
def list_activities() -> dict[str, Any]:
    """The activities the token's owner works on (every activity for an admin)."""
    user = caller()
    query = sa.select(Activity).order_by(Activity.starts_at, Activity.id)
    if not user.is_admin:
        query = query.where(
            Activity.id.in_(
                sa.select(StaffAssignment.activity_id).where(
                    StaffAssignment.staff_user_id == user.id
                )
            )
        )
    return {"items": list(db.session.scalars(query))}


def _activity(activity_id: int) -> Activity:
    activity = db.get_or_404(Activity, activity_id)
    authorize(activity.id, *TEAM)
    return activity


@bp.get("/activities/<int:activity_id>")
@bp.response(200, ActivityDetail)
def get_activity(activity_id: int) -> Activity:
    """One activity with its modules, sessions and fee components."""
    return _activity(activity_id)


@bp.get("/sessions/<int:session_id>/attendance")
@bp.response(200, AttendanceList)
def get_attendance(session_id: int) -> dict[str, Any]:
    """Who is marked present or absent at a session."""
    session = db.get_or_404(ActivitySession, session_id)
    authorize(session.activity_id, *TEAM)
    return _marks(session)


def _marks(session: ActivitySession) -> dict[str, Any]:
    marks = attendance.marks(session)
    return {
        "session_id": session.id,
        "marks": [{"application_id": i, "present": p} for i, p in sorted(marks.items())],
    }


@bp.get("/activities/<int:activity_id>/certificates")
@bp.response(200, CertificateList)
def list_certificates(activity_id: int) -> dict[str, Any]:
    """The activity's certificates that stand (revoked ones are left out)."""
    activity = _activity(activity_id)
    return {
        "items": [
            _certificate(certificate) for certificate in certificates.issued_certificates(activity)
        ]
    }


@bp.get("/certificates/<code>")
@bp.response(200, CertificateCheck)
def verify_certificate(code: str) -> dict[str, Any]:
    """Verify a certificate by its code, as anyone can on the public page."""
    caller()
    found = certificates.find_by_code(code)
    if found is None:
        abort(404, "No certificate has this code.")
    return {
        "code": found.code,
        "valid": found.revoked_at is None,
        "holder": found.application.full_name,
        "activity": found.application.activity.title,
        "issued_at": found.issued_at,
        "revoked_at": found.revoked_at,
    }


def _certificate(certificate: Certificate) -> dict[str, Any]:
    return {
        "code": certificate.code,
        "application_id": certificate.application_id,
        "holder": certificate.application.full_name,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
    }


@bp.put("/sessions/<int:session_id>/attendance/<int:application_id>")
@bp.arguments(MarkIn)
@bp.response(200, AttendanceList)
def mark_attendance(body: dict[str, bool], session_id: int, application_id: int) -> dict[str, Any]:
    """Mark a confirmed participant present or absent at a session, as on the trainer's
    page; the last mark stands (two devices in the room may both mark)."""
    session = db.get_or_404(ActivitySession, session_id)
    user = authorize(session.activity_id, *TEAM)
    application = db.get_or_404(Application, application_id)
    attendance.mark(application, session, present=body["present"], by=user)
    db.session.commit()
    return _marks(session)
