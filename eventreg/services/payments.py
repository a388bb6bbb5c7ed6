"""Payments: money received for an application, what is still due, and who owes what.

Amount due = the fee components - cost-share granted - payments received (minor units).
A payment larger than what is due is refused, so a typing slip (10400 for 1040) cannot
turn into a credit nobody meant; payments and grants take the activity's row lock, so
two assistants recording the same transfer cannot both pass that check.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext

from ..emails import queue_email
from ..extensions import db
from ..formatting import later, long_date, money
from ..models import (
    PLACE_HOLDING,
    Activity,
    Application,
    ApplicationStatus,
    Payment,
    PaymentMethod,
    StaffUser,
    utcnow,
)
from ..models.money import amount_due, granted_sum, paid_sum
from . import audit, receipts
from .correspondence import email_context
from .errors import DomainError
from .lifecycle import lock_application

NOTE_MAX = 500


class PaymentStatus(enum.StrEnum):
    """Where an application stands with its fee."""

    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    WAIVED = "waived"  # cost-sharing covers the whole fee (or there is no fee)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class PaymentRefused(DomainError):
    """The payment cannot be recorded as given."""


def payment_status(fee: int, granted: int, paid: int) -> PaymentStatus:
    """The status of a fee, given what is granted and paid (all in minor units)."""
    if amount_due(fee, granted, 0) <= 0:
        return PaymentStatus.WAIVED
    if amount_due(fee, granted, paid) <= 0:
        return PaymentStatus.PAID
    if paid > 0:
        return PaymentStatus.PARTLY_PAID
    return PaymentStatus.UNPAID


def status_of(application: Application) -> PaymentStatus:
    """The payment status of one application."""
    return payment_status(
        application.activity.fee_total, application.granted_total, application.paid_total
    )


def record_payment(
    application: Application,
    *,
    amount: int,
    received_on: date,
    method: PaymentMethod,
    note: str = "",
    by: StaffUser,
) -> Payment:
    """Record money received; the applicant is told what is left to pay.

    Refuses (PaymentRefused) an amount that is not above zero or is above the amount
    due, a date in the future (in the activity's timezone), and a note over NOTE_MAX
    characters. Takes the activity's row lock before reading what is due.
    """
    if amount <= 0:
        raise PaymentRefused("Give an amount above zero.", field="amount")
    if len(note) > NOTE_MAX:
        raise PaymentRefused(f"Keep the note under {NOTE_MAX} characters.", field="note")
    today = utcnow().astimezone(application.activity.zone).date()
    if received_on > today:
        raise PaymentRefused(
            "The date a payment was received cannot be in the future.", field="received_on"
        )
    activity = lock_application(application)
    due = application.amount_due
    if amount > due:
        owed = money(max(due, 0), activity.currency)
        raise PaymentRefused(
            f"That is more than the amount due ({owed}): check the figure.", field="amount"
        )
    payment = Payment(
        amount=amount,
        received_on=received_on,
        method=method,
        note=note.strip(),
        recorded_by_id=by.id,
        receipt_number=receipts.next_number(),
    )
    application.payments.append(payment)
    db.session.flush()
    audit.record(
        "payment.recorded",
        application,
        by=by,
        after={
            "payment": payment.id,
            "amount": amount,
            "received_on": received_on.isoformat(),
            "method": method.value,
        },
        note=payment.note,
    )
    queue_email(
        "payment_changed",
        to=application.email,
        application=application,
        change=lazy_gettext(
            "We received %(amount)s on %(day)s. Thank you.",
            amount=later(money, amount, activity.currency),
            day=later(long_date, received_on),
        ),
        **email_context(application),
    )
    return payment


def remove_payment(application: Application, *, payment_id: int, by: StaffUser) -> None:
    """Remove a payment recorded by mistake (recorded in the history); the applicant is told."""
    activity = lock_application(application)
    payment = next((p for p in application.payments if p.id == payment_id), None)
    if payment is None:
        raise PaymentRefused("This payment does not exist any more.")
    amount = payment.amount
    before = {
        "payment": payment.id,
        "amount": payment.amount,
        "received_on": payment.received_on.isoformat(),
        "method": payment.method.value,
    }
    application.payments.remove(payment)
    db.session.flush()
    audit.record("payment.removed", application, by=by, before=before, after={})
    queue_email(
        "payment_changed",
        to=application.email,
        application=application,
        change=lazy_gettext(
            "The payment of %(amount)s recorded on your application was a mistake and is removed.",
            amount=later(money, amount, activity.currency),
        ),
        **email_context(application),
    )


@dataclass(frozen=True)
class Balance:
    """One application's account: fee, granted, paid and due, in minor units."""

    application_id: int
    reference: str
    name: str
    email: str
    status: ApplicationStatus
    fee: int
    granted: int
    paid: int

    @property
    def due(self) -> int:
        return amount_due(self.fee, self.granted, self.paid)

    @property
    def payment_status(self) -> PaymentStatus:
        return payment_status(self.fee, self.granted, self.paid)


@dataclass(frozen=True)
class Balances:
    """The participants' accounts and their totals."""

    rows: list[Balance]

    @property
    def due(self) -> int:
        return sum(max(row.due, 0) for row in self.rows)

    @property
    def paid(self) -> int:
        return sum(row.paid for row in self.rows)

    @property
    def granted(self) -> int:
        return sum(row.granted for row in self.rows)


def balances(activity: Activity, *, outstanding_only: bool = True) -> Balances:
    """The accounts of the participants (accepted, confirmed, attended), by reference.

    With `outstanding_only`, only those who still owe something. One statement.
    """
    fee = activity.fee_total
    query = (
        sa.select(
            Application.id,
            Application.reference,
            Application.given_names,
            Application.family_name,
            Application.email,
            Application.status,
            granted_sum(),
            paid_sum(),
        )
        .where(Application.activity_id == activity.id, Application.status.in_(PLACE_HOLDING))
        .order_by(Application.number)
    )
    rows = [
        Balance(
            application_id=row[0],
            reference=row[1],
            name=f"{row[2]} {row[3]}".strip(),
            email=row[4],
            status=row[5],
            fee=fee,
            granted=int(row[6]),
            paid=int(row[7]),
        )
        for row in db.session.execute(query)
    ]
    if outstanding_only:
        rows = [row for row in rows if row.due > 0]
    return Balances(rows=rows)
