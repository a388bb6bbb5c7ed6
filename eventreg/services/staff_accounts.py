"""Staff accounts run from the back office: invite, rename, deactivate, admin rights, roles.

Nobody is ever deleted: someone who decided something stays named in the audit, so an
account is deactivated instead (which ends all of its sessions at once). The last active
admin can be neither deactivated nor demoted, or nobody could run the organisation.
Every change is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from .. import clock
from ..emails import queue_email
from ..extensions import db
from ..models import Activity, AuditLog, Role, StaffAssignment, StaffInvitation, StaffUser
from . import audit, staff_auth, staff_sessions
from .errors import DomainError

INVITATION_VALID = timedelta(days=7)
PER_ACTIVITY_ROLES = (Role.ACTIVITY_MANAGER, Role.COURSE_ASSISTANT, Role.TRAINER)


class AccountRefused(DomainError):
    """A change to a staff account that the rules do not allow."""


class InvitationInvalid(DomainError):
    """The invitation link is unknown, already used or expired."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_by_email(email: str) -> StaffUser | None:
    """The staff member with this email address, if any (addresses are kept lower-case)."""
    return db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email.strip().lower()))


def people() -> list[StaffUser]:
    """Every staff account, active ones first, by name."""
    query = sa.select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name, StaffUser.id)
    return list(db.session.scalars(query))


def pending_invitation(user: StaffUser) -> StaffInvitation | None:
    """The person's latest invitation if it is still unused (they have not set a password)."""
    query = (
        sa.select(StaffInvitation)
        .where(StaffInvitation.staff_user_id == user.id, StaffInvitation.used_at.is_(None))
        .order_by(StaffInvitation.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def invited_ids() -> set[int]:
    """The people whose invitation is still open (sent, not yet used, not expired)."""
    query = sa.select(StaffInvitation.staff_user_id).where(
        StaffInvitation.used_at.is_(None), StaffInvitation.expires_at > clock.now()
    )
    return set(db.session.scalars(query))


def roles_of(user: StaffUser) -> list[tuple[Activity, Role]]:
    """The roles a person holds, activity by activity (newest activity first)."""
    query = (
        sa.select(Activity, StaffAssignment.role)
        .join(StaffAssignment, StaffAssignment.activity_id == Activity.id)
        .where(StaffAssignment.staff_user_id == user.id)
        .order_by(Activity.starts_at.desc(), Activity.id, StaffAssignment.role)
    )
    return [(activity, role) for activity, role in db.session.execute(query)]


def invite(
    email: str,
    name: str,
    *,
    by: StaffUser,
    base_url: str,
    link_for: Callable[[str], str],
    activity: Activity | None = None,
    role: Role | None = None,
) -> StaffUser:
    """Create an account for a new person and email them a single-use invitation link.

    `link_for(token)` gives the link's path. With an activity and role, the person holds
    that role from the start. Refuses (field "email") an address that already has an
    account: give that person a role instead.
    """
    email = email.strip().lower()
    if find_by_email(email) is not None:
        raise AccountRefused(
            _("%(email)s already has an account: give that person a role instead.", email=email),
            field="email",
        )
    user = StaffUser(email=email, name=name.strip())
    # Nobody knows this password: the invitee sets their own through the link.
    user.set_password(secrets.token_urlsafe(32))
    db.session.add(user)
    db.session.flush()
    audit.record(
        "staff.invited",
        user,
        by=by,
        after={"email": user.email, "name": user.name},
        flush=False,
    )
    if activity is not None and role is not None:
        assign_role(user, activity, role, by=by)
    send_invitation(user, by=by, base_url=base_url, link_for=link_for)
    return user


def send_invitation(
    user: StaffUser, *, by: StaffUser, base_url: str, link_for: Callable[[str], str]
) -> None:
    """Email a fresh invitation link (earlier unused links stop working)."""
    if not user.active:
        raise AccountRefused(_("Reactivate %(name)s before inviting them again.", name=user.name))
    now = clock.now()
    db.session.execute(
        sa.update(StaffInvitation)
        .where(StaffInvitation.staff_user_id == user.id, StaffInvitation.used_at.is_(None))
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        StaffInvitation(
            staff_user_id=user.id,
            token_hash=_hash(token),
            invited_by_id=by.id,
            created_at=now,
            expires_at=now + INVITATION_VALID,
        )
    )
    queue_email(
        "staff_invitation",
        to=user.email,
        to_name=user.name,
        staff_name=user.name,
        inviter=by.name,
        days=INVITATION_VALID.days,
        link=base_url.rstrip("/") + link_for(token),
    )


def invitation_for(token: str) -> StaffInvitation:
    """The open invitation behind a link's token; raises InvitationInvalid otherwise."""
    invitation = db.session.scalar(
        sa.select(StaffInvitation).where(StaffInvitation.token_hash == _hash(token))
    )
    if invitation is None:
        raise InvitationInvalid(_("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise InvitationInvalid(
            _("This invitation was already used. Sign in, or reset your password.")
        )
    if invitation.expires_at <= clock.now() or not invitation.staff_user.active:
        raise InvitationInvalid(_("This invitation has expired. Ask an admin for a new one."))
    return invitation


def accept_invitation(token: str, password: str) -> StaffUser:
    """Set the invitee's first password and use up the link; refuses a used or expired one."""
    invitation = invitation_for(token)
    # Two browsers sending the same link at once: only the one whose update lands wins.
    used = db.session.execute(
        sa.update(StaffInvitation)
        .where(StaffInvitation.id == invitation.id, StaffInvitation.used_at.is_(None))
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if getattr(used, "rowcount", 1) != 1:
        raise InvitationInvalid(_("This invitation was already used."))
    db.session.refresh(invitation)
    user = invitation.staff_user
    staff_auth.set_password(user, password)
    audit.record("staff.invitation_accepted", user, by=user, flush=False)
    db.session.flush()
    return user


def rename(user: StaffUser, name: str, *, by: StaffUser) -> None:
    """Change how a person is named on pages, letters and the audit."""
    name = name.strip()
    if not name:
        raise AccountRefused(_("Give a name."), field="name")
    before = audit.snapshot(user, ["name"])
    user.name = name
    audit.record("staff.renamed", user, by=by, before=before, after=audit.snapshot(user, ["name"]))


def _other_active_admins(user: StaffUser) -> int:
    # Lock every active admin's row, the person's own included, so two admins demoting each
    # other at once wait for one another: the second then sees the first's change. SQLite
    # has no row locks: a no-op update takes its write lock (waiting, as the first write).
    admins = sa.and_(StaffUser.is_admin.is_(True), StaffUser.active.is_(True))
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            sa.update(StaffUser)
            .where(admins)
            .values(is_admin=StaffUser.is_admin)
            .execution_options(synchronize_session=False)
        )
    ids = db.session.scalars(sa.select(StaffUser.id).where(admins).with_for_update())
    return len([found for found in ids if found != user.id])


def set_active(user: StaffUser, active: bool, *, by: StaffUser) -> None:
    """Deactivate (ending every session of the person at once) or reactivate an account.

    Refuses deactivating oneself and the last active admin.
    """
    if user.active == active:
        return
    if not active:
        if user.id == by.id:
            raise AccountRefused(_("You cannot deactivate your own account."))
        if user.is_admin and _other_active_admins(user) == 0:
            raise AccountRefused(
                _("%(name)s is the last active admin and cannot be deactivated.", name=user.name)
            )
    user.active = active
    if not active:
        staff_sessions.end_all_sessions(user)
    audit.record(
        "staff.reactivated" if active else "staff.deactivated",
        user,
        by=by,
        before={"active": not active},
        after={"active": active},
    )


def set_admin(user: StaffUser, admin: bool, *, by: StaffUser) -> None:
    """Make someone an admin or take that away; refuses demoting the last active admin."""
    if user.is_admin == admin:
        return
    if not admin and user.active and _other_active_admins(user) == 0:
        raise AccountRefused(
            _("%(name)s is the last active admin and must stay one.", name=user.name)
        )
    user.is_admin = admin
    audit.record(
        "staff.admin_granted" if admin else "staff.admin_removed",
        user,
        by=by,
        before={"is_admin": not admin},
        after={"is_admin": admin},
    )


def team(activity: Activity) -> list[StaffAssignment]:
    """The roles held on an activity, by person then role."""
    query = (
        sa.select(StaffAssignment)
        .join(StaffUser)
        .where(StaffAssignment.activity_id == activity.id)
        .order_by(StaffUser.name, StaffUser.id, StaffAssignment.role)
    )
    return list(db.session.scalars(query))


def assign_role(user: StaffUser, activity: Activity, role: Role, *, by: StaffUser) -> None:
    """Give a person a role on one activity; refuses a role they already hold there."""
    if role not in PER_ACTIVITY_ROLES:
        raise AccountRefused(_("Choose a role on this activity."), field="role")
    held = db.session.scalar(
        sa.select(StaffAssignment).where(
            StaffAssignment.staff_user_id == user.id,
            StaffAssignment.activity_id == activity.id,
            StaffAssignment.role == role,
        )
    )
    if held is not None:
        raise AccountRefused(
            _("%(name)s is already %(role)s here.", name=user.name, role=role_label(role)),
            field="role",
        )
    assignment = StaffAssignment(staff_user_id=user.id, activity_id=activity.id, role=role)
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "staff.role_given",
        assignment,
        by=by,
        after={"staff": user.email, "role": role.value},
        flush=False,
    )


def remove_role(assignment: StaffAssignment, *, by: StaffUser) -> None:
    """Take a role on one activity away from a person."""
    audit.record(
        "staff.role_removed",
        assignment,
        by=by,
        before={"staff": assignment.staff_user.email, "role": assignment.role.value},
        flush=False,
    )
    db.session.delete(assignment)
    db.session.flush()


def history(user: StaffUser, *, limit: int = 50) -> list[AuditLog]:
    """The latest changes to a person's account, newest first (their roles are in each
    activity's audit log)."""
    query = (
        sa.select(AuditLog)
        .options(selectinload(AuditLog.actor))
        .where(AuditLog.entity_type == "StaffUser", AuditLog.entity_id == user.id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def change_label(action: str) -> str:
    """What an audited change to an account was, as people read it."""
    labels = {
        "staff.invited": _("Invited"),
        "staff.invitation_accepted": _("Chose a password from the invitation"),
        "staff.renamed": _("Renamed"),
        "staff.deactivated": _("Deactivated"),
        "staff.reactivated": _("Reactivated"),
        "staff.admin_granted": _("Made admin"),
        "staff.admin_removed": _("Admin rights removed"),
        "staff.two_factor_on": _("Two-factor sign-in turned on"),
        "staff.two_factor_off": _("Two-factor sign-in turned off"),
        "staff.two_factor_reset": _("Two-factor sign-in reset"),
        "staff.recovery_code_used": _("Signed in with a recovery code"),
    }
    return labels.get(action, action)


def role_label(role: Role) -> str:
    """A role's name as people read it."""
    return {
        Role.ADMIN: _("admin"),
        Role.ACTIVITY_MANAGER: _("activity manager"),
        Role.COURSE_ASSISTANT: _("course assistant"),
        Role.TRAINER: _("trainer"),
    }[role]
