"""Staff accounts and the roles they hold, globally (admin) or per activity."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import Model
from .base import UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    ACTIVITY_MANAGER = "activity_manager"
    COURSE_ASSISTANT = "course_assistant"
    TRAINER = "trainer"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class StaffUser(UserMixin, Model):
    """Someone who signs in: an admin, activity manager, course assistant or trainer."""

    __tablename__ = "staff_users"
    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in: the TOTP secret once confirmed (None: off), and the last time step
    # whose code was accepted, so the same code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    assignments: Mapped[list[StaffAssignment]] = relationship(
        back_populates="staff_user", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[StaffSession]] = relationship(
        back_populates="staff_user", cascade="all, delete-orphan", passive_deletes=True
    )

    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="staff_user", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<StaffUser {self.email}>"

    @property
    def two_factor(self) -> bool:
        """Whether signing in asks for a one-time code after the password."""
        return self.totp_secret is not None

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt with a random salt.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def roles_for(self, activity_id: int) -> set[Role]:
        """The roles this person holds on one activity (admins hold every role)."""
        if self.is_admin:
            return set(Role)
        return {a.role for a in self.assignments if a.activity_id == activity_id}

    def has_role(self, role: Role, activity_id: int | None = None) -> bool:
        if self.is_admin:
            return True
        return any(
            a.role == role and (activity_id is None or a.activity_id == activity_id)
            for a in self.assignments
        )


class StaffAssignment(Model):
    """A role held by one staff member on one activity."""

    __tablename__ = "staff_assignments"
    __table_args__ = (
        sa.UniqueConstraint("staff_user_id", "activity_id", "role"),
        sa.CheckConstraint("role <> 'admin'", name="admin_is_global"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, "staff_role"))

    staff_user: Mapped[StaffUser] = relationship(back_populates="assignments")


class SignInFailure(Model):
    """A failed sign-in from one address, kept a short while: it sets how long that address
    waits before its next attempt (services.staff_auth.address_wait)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (sa.Index("ix_sign_in_failures_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class StaffSession(Model):
    """One signed-in browser: the cookie names it, and it is open while this row exists.

    Only a hash of the cookie's token is kept, so a copy of the table opens no session.
    """

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff_user: Mapped[StaffUser] = relationship(back_populates="sessions")


class StaffInvitation(Model):
    """A single-use, expiring link that lets an invited person set their first password.

    Only a hash of the link's token is kept; `used_at` is set when it is used.
    """

    __tablename__ = "staff_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff_user: Mapped[StaffUser] = relationship(foreign_keys=[staff_user_id])


class RecoveryCode(Model):
    """One single-use recovery code for two-factor sign-in, kept as a hash."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff_user: Mapped[StaffUser] = relationship(back_populates="recovery_codes")
