"""Applications: who applied to what, what they told us, and where they stand."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, enum_column, utcnow
from .money import amount_due

if TYPE_CHECKING:
    from .activities import Activity
    from .money import CostShareGrant, Payment
    from .staff import StaffUser


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    LAPSED = "lapsed"  # accepted, but not confirmed by the confirm-by date

    @property
    def label(self) -> str:
        """The status as the reader's language names it ('Under review')."""
        return {
            "submitted": _("Submitted"),
            "under_review": _("Under review"),
            "accepted": _("Accepted"),
            "waitlisted": _("Waitlisted"),
            "rejected": _("Rejected"),
            "confirmed": _("Confirmed"),
            "declined": _("Declined"),
            "withdrawn": _("Withdrawn"),
            "cancelled": _("Cancelled"),
            "lapsed": _("Lapsed"),
            "attended": _("Attended"),
        }.get(self.value, self.value.replace("_", " ").capitalize())

    @property
    def holds_place(self) -> bool:
        """Whether an application in this status holds one of the activity's places."""
        return self in PLACE_HOLDING

    @property
    def takes_part(self) -> bool:
        """Whether the applicant confirmed and so takes part (sessions, evaluation, certificate)."""
        return self in TAKING_PART

    @property
    def is_closed(self) -> bool:
        """Whether the application ended without taking part; nothing can follow."""
        return self in CLOSED


# The status groups: every rule that asks "does this application hold a place, take part,
# or has it ended?" asks these (in SQL: `Application.status.in_(PLACE_HOLDING)`).
# Statuses that hold one of the activity's places.
PLACE_HOLDING = frozenset(
    {ApplicationStatus.ACCEPTED, ApplicationStatus.CONFIRMED, ApplicationStatus.ATTENDED}
)
# Statuses of participants: they confirmed, and may have attended.
TAKING_PART = frozenset({ApplicationStatus.CONFIRMED, ApplicationStatus.ATTENDED})
# Statuses that ended the application without taking part.
CLOSED = frozenset(
    {
        ApplicationStatus.REJECTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.CANCELLED,
        ApplicationStatus.LAPSED,
    }
)


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class Title(enum.StrEnum):
    """The titles the form offers (an application may also have none: "")."""

    MR = "Mr"
    MS = "Ms"
    MX = "Mx"


class Proficiency(enum.StrEnum):
    """Command of the activity's working language: the form's scale, lowest first."""

    BASIC = "basic"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    NATIVE = "native"

    @property
    def label(self) -> str:
        """The level as the reader's language names it."""
        return {
            "basic": _("Basic"),
            "intermediate": _("Intermediate"),
            "advanced": _("Advanced"),
            "native": _("Native or bilingual"),
        }.get(self.value, self.value.capitalize())


def _offered(column: str, answers: type[enum.StrEnum]) -> sa.CheckConstraint:
    """A CHECK that the column holds one of the answers, or "" (not answered)."""
    listed = ", ".join(f"'{value}'" for value in ["", *(answer.value for answer in answers)])
    return sa.CheckConstraint(f"{column} IN ({listed})", name=f"{column}_offered")


class PaymentSource(enum.StrEnum):
    SELF = "self"
    EMPLOYER = "employer"
    SPONSOR = "sponsor"


def new_token() -> str:
    """An unguessable token for an applicant's private link (256 bits)."""
    return secrets.token_urlsafe(32)


class Application(Model):
    """One person's application to one activity."""

    __tablename__ = "applications"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "number"),
        sa.UniqueConstraint("activity_id", "email"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        _offered("title", Title),
        _offered("proficiency", Proficiency),
        sa.Index("ix_applications_activity_status", "activity_id", "status"),
        # The review list counts and filters by these within one activity.
        sa.Index("ix_applications_activity_country", "activity_id", "country"),
        sa.Index(
            "ix_applications_activity_profile",
            "activity_id",
            "gender",
            "organisation_type",
            "proficiency",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column()
    reference: Mapped[str] = mapped_column(sa.String(48), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    # The one-time key of the form that created it: a resubmission of that same form (double
    # click, back button) finds this application instead of creating another.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "application_status"), default=ApplicationStatus.SUBMITTED
    )
    # The applicant
    title: Mapped[str] = mapped_column(sa.String(8), default="")
    given_names: Mapped[str] = mapped_column(sa.String(120))
    family_name: Mapped[str] = mapped_column(sa.String(120))
    gender: Mapped[Gender] = mapped_column(
        enum_column(Gender, "gender"), default=Gender.UNDISCLOSED
    )
    nationality: Mapped[str] = mapped_column(sa.String(2), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="", index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation_type: Mapped[str] = mapped_column(sa.String(200), default="")
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    proficiency: Mapped[str] = mapped_column(sa.String(32), default="")
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    expectations: Mapped[str] = mapped_column(sa.Text, default="")
    # Money
    payment_source: Mapped[PaymentSource] = mapped_column(
        enum_column(PaymentSource, "payment_source"), default=PaymentSource.SELF
    )
    sponsor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    costshare_requested: Mapped[bool] = mapped_column(default=False)
    costshare_component_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    sponsor_covers: Mapped[str] = mapped_column(sa.Text, default="")
    costshare_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # Needs and files
    dietary_needs: Mapped[str] = mapped_column(sa.Text, default="")
    access_needs: Mapped[str] = mapped_column(sa.Text, default="")
    cv_filename: Mapped[str | None] = mapped_column(sa.String(200))
    cv_path: Mapped[str | None] = mapped_column(sa.String(300))
    # Lifecycle
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirm_by: Mapped[date | None] = mapped_column(sa.Date)
    late: Mapped[bool] = mapped_column(default=False)  # added by staff after the deadline
    token_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff may decide eligibility for a certificate by hand; None means "from attendance".
    certificate_eligible: Mapped[bool | None] = mapped_column()
    # Personal data (eventreg/personal_data.py): the privacy notice version accepted with
    # consent_at, an erasure asked for / refused (the reason) / done, a hold on retention.
    privacy_version: Mapped[int | None] = mapped_column()
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erasure_refusal: Mapped[str] = mapped_column(sa.Text, default="")
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    retention_hold: Mapped[str] = mapped_column(sa.Text, default="")

    activity: Mapped[Activity] = relationship()
    grants: Mapped[list[CostShareGrant]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="application",
        order_by="Payment.received_on",
        cascade="all, delete-orphan",
    )
    notes: Mapped[list[ApplicationNote]] = relationship(
        back_populates="application",
        order_by="ApplicationNote.created_at",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Application {self.reference} {self.status}>"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def granted_total(self) -> int:
        return sum(grant.amount for grant in self.grants)

    @property
    def paid_total(self) -> int:
        return sum(payment.amount for payment in self.payments)

    @property
    def amount_due(self) -> int:
        """Fee components minus cost-share granted minus payments received, in minor units."""
        return amount_due(self.activity.fee_total, self.granted_total, self.paid_total)

    @property
    def paid_in_full(self) -> bool:
        """Something was paid and nothing is due: the statement of account is a receipt."""
        return self.paid_total > 0 and self.amount_due <= 0


def waiting_number() -> sa.ColumnElement[int | None]:
    """SQL: the application's place on its activity's waiting list (1 is offered the next
    free place; NULL when it is not waiting), in the order freed places follow. The review
    list reads it in its own query, for the rows of its page only; `waiting_list` in
    services/lifecycle.py walks the same order."""
    before = aliased(Application)
    ahead = (
        sa.select(sa.func.count() + 1)
        .where(
            before.activity_id == Application.activity_id,
            before.status == ApplicationStatus.WAITLISTED,
            sa.or_(
                before.waitlisted_at < Application.waitlisted_at,
                sa.and_(
                    before.waitlisted_at == Application.waitlisted_at, before.id < Application.id
                ),
            ),
        )
        .scalar_subquery()
    )
    return sa.case((Application.status == ApplicationStatus.WAITLISTED, ahead), else_=None)


class ApplicationNote(Model):
    """An internal note by staff on an application; never shown to the applicant."""

    __tablename__ = "application_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="notes")
    author: Mapped[StaffUser | None] = relationship()
