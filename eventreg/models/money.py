"""Money on an application: cost-sharing grants per fee component, and payments."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .activities import FeeComponent
    from .applications import Application
    from .staff import StaffUser


class PaymentMethod(enum.StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CASH = "cash"
    SPONSOR = "sponsor"
    OTHER = "other"


class CostShareGrant(Model):
    """Part or all of one fee component that the organisers pay for one applicant."""

    __tablename__ = "costshare_grants"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "fee_component_id"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    fee_component_id: Mapped[int] = mapped_column(
        sa.ForeignKey("fee_components.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[int] = mapped_column()  # minor units
    granted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="grants")
    fee_component: Mapped[FeeComponent] = relationship()
    granted_by: Mapped[StaffUser | None] = relationship()


class Payment(Model):
    """Money received for an application."""

    __tablename__ = "payments"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.UniqueConstraint("receipt_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[int] = mapped_column()  # minor units
    received_on: Mapped[date] = mapped_column(sa.Date)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod, "payment_method"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # One sequence for the whole organisation, never reused (see services/receipts.py);
    # None for payments recorded before receipts were numbered.
    receipt_number: Mapped[int | None] = mapped_column()

    application: Mapped[Application] = relationship(back_populates="payments")
    recorded_by: Mapped[StaffUser | None] = relationship()


class DocumentCounter(Model):
    """The last number given in one of the organisation's sequences (receipts): a row
    incremented in place, so a number is never given twice nor reused."""

    __tablename__ = "document_counters"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


# -- The amount due: one definition, as a Python value and as SQL ----------------------------

Amount = TypeVar("Amount", int, "sa.ColumnElement[int]")


def amount_due(fee: Amount, granted: Amount, paid: Amount) -> Amount:
    """Amount due = fee components - cost-share granted - payments received (minor units).

    The one formula: given numbers it gives the value (`Application.amount_due`), given SQL
    expressions (`amount_due_sql`) the column, so a list and a page never disagree.
    """
    return fee - granted - paid


def granted_sum() -> sa.ScalarSelect[int]:
    """The cost-share granted to the application of the enclosing row, in minor units."""
    from .applications import Application

    return (
        sa.select(sa.func.coalesce(sa.func.sum(CostShareGrant.amount), 0))
        .where(CostShareGrant.application_id == Application.id)
        .correlate(Application)
        .scalar_subquery()
    )


def paid_sum() -> sa.ScalarSelect[int]:
    """The payments received for the application of the enclosing row, in minor units."""
    from .applications import Application

    return (
        sa.select(sa.func.coalesce(sa.func.sum(Payment.amount), 0))
        .where(Payment.application_id == Application.id)
        .correlate(Application)
        .scalar_subquery()
    )


def amount_due_sql(fee_total: int) -> sa.ColumnElement[int]:
    """The amount due of the enclosing Application row, for an activity's fee total."""
    return amount_due(sa.literal(fee_total, sa.Integer), granted_sum(), paid_sum())
