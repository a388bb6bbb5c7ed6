"""Two-factor sign-in: enrolment confirmed by a code, codes used once, recovery codes."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from eventreg.extensions import db as database
from eventreg.models import AuditLog, Role
from eventreg.services import two_factor
from eventreg.services.two_factor import CodeRefused


def code(secret: str, at) -> str:
    return pyotp.TOTP(secret).at(at)


def enrolled(make_staff, frozen_clock):
    user = make_staff(Role.ADMIN)
    secret = two_factor.new_secret()
    codes = two_factor.confirm_enrolment(user, secret, code(secret, frozen_clock.at))
    return user, secret, codes


def test_enrolment_needs_a_right_code_before_it_is_on(app, db, make_staff, frozen_clock):
    user = make_staff()
    secret = two_factor.new_secret()
    with pytest.raises(CodeRefused, match="not right") as refused:
        two_factor.confirm_enrolment(
            user, secret, "000000" if code(secret, frozen_clock.at) != "000000" else "111111"
        )
    assert refused.value.field == "code"
    assert not user.two_factor
    codes = two_factor.confirm_enrolment(user, secret, code(secret, frozen_clock.at))
    assert user.two_factor and len(codes) == two_factor.RECOVERY_CODES == len(set(codes))


def test_a_code_works_once_even_within_its_time_step(app, db, make_staff, frozen_clock):
    user, secret, _codes = enrolled(make_staff, frozen_clock)
    frozen_clock.move(30)
    current = code(secret, frozen_clock.at)
    assert two_factor.verify(user, current) == "totp"
    with pytest.raises(CodeRefused, match="already used"):
        two_factor.verify(user, current)
    frozen_clock.move(30)
    assert two_factor.verify(user, code(secret, frozen_clock.at)) == "totp"


def test_an_older_code_is_refused_after_a_newer_one(app, db, make_staff, frozen_clock):
    user, secret, _codes = enrolled(make_staff, frozen_clock)
    frozen_clock.move(60)
    previous = code(secret, frozen_clock.at - timedelta(seconds=30))
    assert two_factor.verify(user, code(secret, frozen_clock.at)) == "totp"
    with pytest.raises(CodeRefused):
        two_factor.verify(user, previous)


def test_a_wrong_or_stale_code_is_refused(app, db, make_staff, frozen_clock):
    user, secret, _codes = enrolled(make_staff, frozen_clock)
    stale = code(secret, frozen_clock.at + timedelta(minutes=5))
    for wrong in ("12345", "abcdef", "", stale):
        with pytest.raises(CodeRefused):
            two_factor.verify(user, wrong)


def test_recovery_codes_are_stored_hashed_and_work_once(app, db, make_staff, frozen_clock):
    user, _secret, codes = enrolled(make_staff, frozen_clock)
    stored = database.session.scalars(sa.text("SELECT code_hash FROM staff_recovery_codes")).all()
    assert not set(stored) & {c.replace("-", "") for c in codes}
    assert two_factor.verify(user, codes[0].upper()) == "recovery"
    with pytest.raises(CodeRefused):
        two_factor.verify(user, codes[0])
    assert two_factor.recovery_codes_left(user) == two_factor.RECOVERY_CODES - 1


def test_an_admin_reset_turns_it_off_with_an_audit(app, db, make_staff, frozen_clock):
    user, _secret, codes = enrolled(make_staff, frozen_clock)
    admin = make_staff(Role.ADMIN)
    two_factor.turn_off(user, by=admin)
    assert not user.two_factor
    with pytest.raises(CodeRefused):
        two_factor.verify(user, codes[1])
    logged = database.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "staff.two_factor_reset")
    ).one()
    assert logged.actor_id == admin.id and logged.entity_id == user.id


def test_the_enrolment_qr_code_is_an_svg_image(app, db, make_staff):
    user = make_staff(email="ana@example.org")
    uri = two_factor.provisioning_uri(user, two_factor.new_secret(), issuer="Turin Centre")
    assert uri.startswith("otpauth://totp/") and "ana%40example.org" in uri
    assert two_factor.qr_data_uri(uri).startswith("data:image/svg+xml")
