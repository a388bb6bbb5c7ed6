"""Staff accounts run by admins: invitations, deactivation, admin rights, roles, the audit."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventreg import clock
from eventreg.extensions import db as database
from eventreg.models import AuditLog, EmailOutbox, Role, StaffAssignment, StaffUser, utcnow
from eventreg.services import staff_accounts, staff_sessions
from eventreg.services.staff_accounts import AccountRefused, InvitationInvalid

BASE = "https://events.example.org"


def link(token: str) -> str:
    return f"/staff/invitation/{token}"


def invite(by, email="trainer@example.org", name="Tomás Trainer", **kwargs):
    return staff_accounts.invite(email, name, by=by, base_url=BASE, link_for=link, **kwargs)


def token_from_outbox(email: str) -> str:
    body = database.session.scalars(
        sa.select(EmailOutbox.body_text)
        .where(EmailOutbox.to_address == email)
        .order_by(EmailOutbox.id.desc())
    ).first()
    assert body is not None
    return body.split(f"{BASE}/staff/invitation/")[1].split()[0]


def actions(entity_type: str = "StaffUser") -> list[str]:
    query = sa.select(AuditLog.action).where(AuditLog.entity_type == entity_type)
    return list(database.session.scalars(query.order_by(AuditLog.id)))


def test_an_invitation_is_emailed_and_sets_the_first_password_once(app, db, make_staff):
    admin = make_staff(Role.ADMIN)
    person = invite(admin)
    token = token_from_outbox("trainer@example.org")
    assert staff_accounts.invited_ids() == {person.id}
    assert not person.check_password("a brand new password")

    staff_accounts.accept_invitation(token, "a brand new password")

    assert person.check_password("a brand new password")
    assert staff_accounts.invited_ids() == set()
    with pytest.raises(InvitationInvalid, match="already used"):
        staff_accounts.accept_invitation(token, "another password here")
    assert person.check_password("a brand new password")
    assert actions() == ["staff.invited", "staff.invitation_accepted"]


def test_only_a_hash_of_the_invitation_token_is_kept(app, db, make_staff):
    invite(make_staff(Role.ADMIN))
    token = token_from_outbox("trainer@example.org")
    stored = database.session.scalars(sa.text("SELECT token_hash FROM staff_invitations")).all()
    assert stored and token not in stored


def test_an_expired_invitation_is_refused(app, db, make_staff, monkeypatch):
    person = invite(make_staff(Role.ADMIN))
    token = token_from_outbox(person.email)
    later = utcnow() + staff_accounts.INVITATION_VALID + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    with pytest.raises(InvitationInvalid, match="expired"):
        staff_accounts.accept_invitation(token, "a brand new password")


def test_a_new_invitation_ends_the_earlier_link(app, db, make_staff):
    admin = make_staff(Role.ADMIN)
    person = invite(admin)
    first = token_from_outbox(person.email)
    staff_accounts.send_invitation(person, by=admin, base_url=BASE, link_for=link)
    second = token_from_outbox(person.email)
    with pytest.raises(InvitationInvalid):
        staff_accounts.accept_invitation(first, "a brand new password")
    staff_accounts.accept_invitation(second, "a brand new password")


def test_an_address_with_an_account_is_not_invited_twice(app, db, make_staff):
    admin = make_staff(Role.ADMIN)
    with pytest.raises(AccountRefused, match="already has an account") as refused:
        invite(admin, email=admin.email.upper())
    assert refused.value.field == "email"


def test_inviting_into_a_role_gives_the_role_at_once(app, db, make_staff, make_activity):
    activity = make_activity()
    person = invite(make_staff(Role.ADMIN), activity=activity, role=Role.TRAINER)
    assert person.roles_for(activity.id) == {Role.TRAINER}


def test_deactivation_ends_every_session_and_reactivation_allows_sign_in(app, db, make_staff):
    admin, person = make_staff(Role.ADMIN), make_staff()
    staff_sessions.start_session(person)
    staff_sessions.start_session(person)
    staff_accounts.set_active(person, False, by=admin)
    assert not person.active
    assert staff_sessions.open_sessions(person) == 0
    staff_accounts.set_active(person, True, by=admin)
    assert person.active
    assert actions() == ["staff.deactivated", "staff.reactivated"]


def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(app, db, make_staff):
    only_admin, manager = make_staff(Role.ADMIN), make_staff()
    staff_accounts.set_admin(manager, True, by=only_admin)
    staff_accounts.set_active(manager, False, by=only_admin)  # an inactive admin does not count

    with pytest.raises(AccountRefused, match="last active admin"):
        staff_accounts.set_admin(only_admin, False, by=only_admin)
    with pytest.raises(AccountRefused, match="last active admin"):
        staff_accounts.set_active(only_admin, False, by=manager)
    assert only_admin.is_admin and only_admin.active

    staff_accounts.set_active(manager, True, by=only_admin)
    staff_accounts.set_admin(only_admin, False, by=manager)  # another admin now exists
    assert not only_admin.is_admin


def test_nobody_deactivates_themselves(app, db, make_staff):
    admin = make_staff(Role.ADMIN)
    make_staff(Role.ADMIN)
    with pytest.raises(AccountRefused, match="your own account"):
        staff_accounts.set_active(admin, False, by=admin)


def test_roles_per_activity_are_given_and_taken_with_an_audit(app, db, make_staff, make_activity):
    admin, person = make_staff(Role.ADMIN), make_staff()
    workshop, webinar = make_activity(), make_activity()
    staff_accounts.assign_role(person, workshop, Role.TRAINER, by=admin)
    staff_accounts.assign_role(person, webinar, Role.COURSE_ASSISTANT, by=admin)
    with pytest.raises(AccountRefused, match="already trainer"):
        staff_accounts.assign_role(person, workshop, Role.TRAINER, by=admin)
    assert person.roles_for(workshop.id) == {Role.TRAINER}
    assert person.roles_for(webinar.id) == {Role.COURSE_ASSISTANT}

    (assignment,) = staff_accounts.team(workshop)
    staff_accounts.remove_role(assignment, by=admin)
    database.session.expire_all()
    assert person.roles_for(workshop.id) == set()
    assert actions("StaffAssignment") == ["staff.role_given"] * 2 + ["staff.role_removed"]
    logged = database.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "staff.role_removed")
    ).one()
    assert logged.activity_id == workshop.id and logged.actor_id == admin.id
    assert database.session.scalar(sa.select(sa.func.count(StaffAssignment.id))) == 1


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, db, make_staff):
    first, second = make_staff(Role.ADMIN), make_staff(Role.ADMIN)
    database.session.commit()
    start = threading.Barrier(2)
    results: list[str] = []

    def demote(target_id: int, by_id: int) -> None:
        start.wait(timeout=30)
        with app.app_context():
            target = database.session.get(StaffUser, target_id)
            by = database.session.get(StaffUser, by_id)
            try:
                staff_accounts.set_admin(target, False, by=by)
            except AccountRefused:
                database.session.rollback()
                results.append("refused")
            else:
                database.session.commit()
                results.append("demoted")

    threads = [
        threading.Thread(target=demote, args=(first.id, second.id)),
        threading.Thread(target=demote, args=(second.id, first.id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["demoted", "refused"]
    database.session.expire_all()
    admins = database.session.scalar(
        sa.select(sa.func.count(StaffUser.id)).where(StaffUser.is_admin.is_(True))
    )
    assert admins == 1
