"""Two-factor sign-in: time-based one-time codes (RFC 6238, with pyotp) and recovery codes.

A secret is turned on only once a code made from it is confirmed. Each accepted code's
time step is remembered, so the same code (or an older one) cannot be used again.
Recovery codes are shown once, kept as SHA-256 hashes (they are random, 50 bits each,
so a slow hash adds nothing) and each works once.
"""

from __future__ import annotations

import hashlib
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models import RecoveryCode, StaffUser
from . import audit
from .errors import DomainError

ISSUER = "eventreg"
RECOVERY_CODES = 10
# Codes of the step before and after the current one are accepted too (clocks drift).
WINDOW = 1
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


class CodeRefused(DomainError):
    """A one-time or recovery code that is wrong, already used or not yet set up."""


def new_secret() -> str:
    """A fresh random TOTP secret (base32), not yet stored anywhere."""
    return pyotp.random_base32()


def provisioning_uri(user: StaffUser, secret: str, *, issuer: str = ISSUER) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """The enrolment QR code as an SVG data: URI for an <img>."""
    return str(segno.make(uri, error="m", micro=False).svg_data_uri(scale=5, border=2))


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str) -> int | None:
    code = _normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = clock.now()
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_enrolment(user: StaffUser, secret: str, code: str) -> list[str]:
    """Turn two-factor sign-in on with `secret` once `code` from it is right.

    Returns new recovery codes (shown once). Refuses (field "code") a wrong code.
    """
    step = _matching_step(secret, code)
    if step is None:
        raise CodeRefused(
            _("That code is not right. Check your phone's clock and type the current code."),
            field="code",
        )
    user.totp_secret = secret
    user.totp_last_step = step
    codes = new_recovery_codes(user)
    audit.record("staff.two_factor_on", user, by=user, after={"two_factor": True})
    return codes


def verify(user: StaffUser, code: str) -> str:
    """Check a sign-in code: a current one-time code, or an unused recovery code.

    Returns "totp" or "recovery". Refuses (field "code") a wrong code, and a one-time code
    whose time step was already used (a replayed or older code).
    """
    if user.totp_secret is None:
        raise CodeRefused(_("Two-factor sign-in is not on for this account."), field="code")
    step = _matching_step(user.totp_secret, code)
    if step is not None:
        # Only one request may use a step: the guarded update lands once.
        moved = db.session.execute(
            sa.update(StaffUser)
            .where(
                StaffUser.id == user.id,
                sa.or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        )
        if getattr(moved, "rowcount", 1) != 1:
            raise CodeRefused(
                _("That code was already used. Wait for the next one and type it."), field="code"
            )
        db.session.refresh(user)
        return "totp"
    if _use_recovery_code(user, code):
        return "recovery"
    raise CodeRefused(_("That code is not right."), field="code")


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _use_recovery_code(user: StaffUser, code: str) -> bool:
    normalised = _normalise(code)
    if len(normalised) != 10:
        return False
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.staff_user_id == user.id,
            RecoveryCode.code_hash == _hash(normalised),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if getattr(used, "rowcount", 0) != 1:
        return False
    audit.record("staff.recovery_code_used", user, by=user, flush=False)
    return True


def new_recovery_codes(user: StaffUser) -> list[str]:
    """Replace the person's recovery codes with fresh ones; returns them (shown once)."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(staff_user_id=user.id, code_hash=_hash(raw)))
    db.session.flush()
    return codes


def recovery_codes_left(user: StaffUser) -> int:
    """How many unused recovery codes the person holds."""
    query = sa.select(sa.func.count()).where(
        RecoveryCode.staff_user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return db.session.scalar(query) or 0


def turn_off(user: StaffUser, *, by: StaffUser) -> None:
    """Turn two-factor sign-in off (oneself, or an admin resetting it for someone who lost
    their phone): the secret and recovery codes are forgotten."""
    if user.totp_secret is None:
        raise CodeRefused(_("Two-factor sign-in is already off."))
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
    audit.record(
        "staff.two_factor_reset" if by.id != user.id else "staff.two_factor_off",
        user,
        by=by,
        before={"two_factor": True},
        after={"two_factor": False},
    )
