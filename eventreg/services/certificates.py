"""Certificates: who has earned one, issuing them, revoking them; each change is audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from .. import clock
from ..extensions import db
from ..formatting import moment_in
from ..models import (
    TAKING_PART,
    Activity,
    Application,
    Certificate,
    StaffUser,
    utcnow,
)
from . import attendance, audit
from .errors import DomainError, TooEarly
from .lifecycle import lock_activity


class AlreadyRevoked(DomainError):
    """The certificate was revoked before; a revocation is final."""


class ReasonRequired(DomainError):
    """A revocation must say why: the verification page shows the reason."""


class CertificateRevoked(DomainError):
    """A revoked certificate is not printed again."""


# Attendance is counted, and eligibility decided, in one place: the attendance service.
_session_count = attendance.session_count
_attended_counts = attendance.attended_counts
_percent = attendance.percent


ELIGIBILITY_ACTION = "application.eligibility_declared"
REASON_MAX = 500


def declare_eligibility(
    application: Application, *, eligible: bool | None, reason: str, by: StaffUser
) -> None:
    """Staff decide by hand whether a participant earns a certificate (True or False),
    with a reason; None gives the decision back to attendance. Audited with the reason.

    Refuses (ReasonRequired) a decision without a reason or with one over REASON_MAX
    characters, and (NotAParticipant) an applicant who does not take part.
    """
    reason = reason.strip()
    if not application.status.takes_part:
        raise attendance.NotAParticipant(
            "Only confirmed participants (or those who attended) can have a certificate."
        )
    if not reason:
        raise ReasonRequired("Say why: the history keeps the reason.", field="reason")
    if len(reason) > REASON_MAX:
        raise ReasonRequired(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    before = {"certificate_eligible": application.certificate_eligible}
    application.certificate_eligible = eligible
    db.session.flush()
    audit.record(
        ELIGIBILITY_ACTION,
        application,
        by=by,
        before=before,
        after={"certificate_eligible": eligible},
        note=reason,
    )


def attendance_percent(application: Application) -> Fraction:
    """The share of the activity's sessions the applicant attended, exactly, in percent.

    0 when the activity has no sessions.
    """
    sessions = _session_count(application.activity_id)
    attended = _attended_counts(application.activity_id).get(application.id, 0)
    return _percent(attended, sessions)


def is_eligible(application: Application) -> bool:
    """Whether the applicant has earned a certificate (see `attendance.earns_certificate`)."""
    if application.certificate_eligible is not None:
        return application.certificate_eligible
    return attendance.earns_certificate(application, attendance_percent(application))


def eligible_without_certificate(activity: Activity) -> list[Application]:
    """Confirmed or attended participants who have earned a certificate and have none yet."""
    candidates = db.session.scalars(
        sa.select(Application)
        .outerjoin(Certificate, Certificate.application_id == Application.id)
        .where(
            Application.activity_id == activity.id,
            Application.status.in_(TAKING_PART),
            Certificate.id.is_(None),
        )
        .order_by(Application.number)
    ).all()
    sessions = _session_count(activity.id)
    attended = _attended_counts(activity.id)
    return [
        application
        for application in candidates
        if attendance.earns_certificate(
            application, _percent(attended.get(application.id, 0), sessions)
        )
    ]


def why_no_certificates(activity: Activity, *, now: datetime | None = None) -> TooEarly | None:
    """The refusal issuing certificates would meet now, or None: they are issued only once
    the activity has ended (attendance is complete then). Pages show it before the click."""
    if (now or clock.now()) < activity.ends_at:
        return TooEarly(
            _(
                "Certificates are issued once the activity has ended, on %(moment)s.",
                moment=moment_in(activity.ends_at, activity.timezone),
            )
        )
    return None


def issue_certificates(activity: Activity, *, by: StaffUser | None) -> list[Certificate]:
    """Create a certificate for each eligible participant who has none; returns the new ones.

    Refuses (TooEarly) an activity that has not ended.

    Participants whose certificate was revoked get no new one. Each issue is audited; `by`
    None means the command line. Takes the activity's row lock first, so two staff issuing
    at the same moment cannot both create one for the same participant. Flushes, never
    commits.
    """
    refusal = why_no_certificates(activity)
    if refusal is not None:
        raise refusal
    lock_activity(activity.id)
    issued = []
    for application in eligible_without_certificate(activity):
        certificate = Certificate(
            application_id=application.id,
            issued_by_id=by.id if by is not None else None,
            issued_at=utcnow(),
        )
        certificate.application = application
        db.session.add(certificate)
        issued.append(certificate)
    db.session.flush()
    for certificate in issued:
        audit.record(
            "certificate.issued",
            certificate,
            by=by,
            actor="cli",
            after={"code": certificate.code, "application": certificate.application.reference},
        )
    return issued


def revoke_certificate(certificate: Certificate, *, reason: str, by: StaffUser | None) -> None:
    """Revoke a certificate, saying why; the verification page shows it as revoked.

    Refuses an empty reason (ReasonRequired) and a certificate already revoked
    (AlreadyRevoked). Audited; flushes, never commits.
    """
    reason = reason.strip()
    if not reason:
        raise ReasonRequired("Say why the certificate is revoked.", field="reason")
    if certificate.revoked_at is not None:
        raise AlreadyRevoked("This certificate was already revoked.")
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    db.session.flush()
    audit.record(
        "certificate.revoked",
        certificate,
        by=by,
        actor="cli",
        before={"revoked_at": None, "revoked_reason": ""},
        after={"revoked_at": certificate.revoked_at.isoformat(), "revoked_reason": reason},
    )


def issued_certificates(activity: Activity) -> list[Certificate]:
    """The activity's certificates that stand (not revoked), by family and given names."""
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .join(Certificate.application)
            .where(Application.activity_id == activity.id, Certificate.revoked_at.is_(None))
            .options(contains_eager(Certificate.application))
            .order_by(Application.family_name, Application.given_names, Application.id)
        )
    )


def find_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code (as typed: case and spacing are forgiven)."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == normalised))


CODE_ALPHABET = frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def normalise_code(code: str) -> str | None:
    """'abcd efgh-jkLM npqr' -> 'ABCD-EFGH-JKLM-NPQR'; None when it cannot be a code."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(raw) != 16 or not set(raw) <= CODE_ALPHABET:
        return None
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def ensure_printable(certificates: Sequence[Certificate]) -> None:
    """Refuse (CertificateRevoked) to print a revoked certificate."""
    for certificate in certificates:
        if certificate.revoked_at is not None:
            raise CertificateRevoked(
                f"Certificate {certificate.code} was revoked: {certificate.revoked_reason}"
            )
