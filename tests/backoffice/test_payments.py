"""Payments through the domain: recording, refusing, statuses and outstanding balances."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from eventreg.models import ApplicationStatus, Payment, PaymentMethod
from eventreg.services import costshare, payments
from eventreg.services.costshare import Share
from eventreg.services.payments import PaymentRefused, PaymentStatus

from .conftest import actions, count, mails

Status = ApplicationStatus
TODAY = date.today() - timedelta(days=1)  # safely "not in the future" in any timezone


def pay(application, amount, by, **fields):
    return payments.record_payment(
        application,
        amount=amount,
        received_on=fields.pop("received_on", TODAY),
        method=fields.pop("method", PaymentMethod.BANK_TRANSFER),
        by=by,
        **fields,
    )


@pytest.mark.parametrize(
    ("fee", "granted", "paid", "status"),
    [
        (200_000, 0, 0, PaymentStatus.UNPAID),
        (200_000, 0, 50_000, PaymentStatus.PARTLY_PAID),
        (200_000, 96_000, 104_000, PaymentStatus.PAID),
        (200_000, 200_000, 0, PaymentStatus.WAIVED),
        (0, 0, 0, PaymentStatus.WAIVED),
    ],
)
def test_payment_status(fee, granted, paid, status):
    assert payments.payment_status(fee, granted, paid) is status


def test_recording_a_payment_lowers_the_amount_due(db, workshop, make_application, assistant):
    application = make_application(workshop, status=Status.ACCEPTED)
    pay(application, 120_000, assistant, note="Transfer ref 77")
    assert application.amount_due == 80_000
    assert payments.status_of(application) is PaymentStatus.PARTLY_PAID
    [email] = mails("payment_changed")
    assert "We received EUR 1,200" in email.body_text and "EUR 800" in email.body_text
    assert actions(application.id) == ["payment.recorded"]
    pay(application, 80_000, assistant, method=PaymentMethod.CASH)
    assert payments.status_of(application) is PaymentStatus.PAID


@pytest.mark.parametrize(
    ("amount", "received_on", "field", "message"),
    [
        (0, TODAY, "amount", "above zero"),
        (-100, TODAY, "amount", "above zero"),
        (200_001, TODAY, "amount", "more than the amount due"),
        (100, date.today() + timedelta(days=3), "received_on", "future"),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_recorded(
    db, workshop, make_application, assistant, amount, received_on, field, message
):
    application = make_application(workshop, status=Status.ACCEPTED)
    with pytest.raises(PaymentRefused, match=message) as refusal:
        pay(application, amount, assistant, received_on=received_on)
    assert refusal.value.field == field
    assert count(Payment) == 0 and mails() == [] and application.amount_due == 200_000


def test_nothing_can_be_paid_when_grants_cover_the_fee(db, workshop, make_application, assistant):
    application = make_application(workshop, status=Status.CONFIRMED)
    for component in workshop.fee_components:
        costshare.grant_cost_share(
            application, component_id=component.id, share=Share.ALL, by=assistant
        )
    assert payments.status_of(application) is PaymentStatus.WAIVED
    with pytest.raises(PaymentRefused, match=r"amount due \(EUR 0\)"):
        pay(application, 100, assistant)


def test_a_payment_recorded_by_mistake_is_removed(db, workshop, make_application, assistant):
    application = make_application(workshop, status=Status.ACCEPTED)
    payment = pay(application, 50_000, assistant)
    payments.remove_payment(application, payment_id=payment.id, by=assistant)
    assert count(Payment) == 0 and application.amount_due == 200_000
    assert actions(application.id) == ["payment.recorded", "payment.removed"]
    assert "is removed" in mails("payment_changed")[-1].body_text


def test_outstanding_balances_list_participants_who_still_owe(
    db, workshop, make_application, assistant
):
    owing = make_application(workshop, status=Status.CONFIRMED, family_name="Owing")
    settled = make_application(workshop, status=Status.ACCEPTED, family_name="Settled")
    waived = make_application(workshop, status=Status.ATTENDED, family_name="Waived")
    make_application(workshop, status=Status.SUBMITTED)  # not a participant
    pay(owing, 60_000, assistant)
    pay(settled, 200_000, assistant)
    for component in workshop.fee_components:
        costshare.grant_cost_share(waived, component_id=component.id, share=Share.ALL, by=assistant)
    outstanding = payments.balances(workshop)
    assert [(b.application_id, b.due, b.payment_status) for b in outstanding.rows] == [
        (owing.id, 140_000, PaymentStatus.PARTLY_PAID)
    ]
    assert outstanding.due == 140_000
    everyone = payments.balances(workshop, outstanding_only=False)
    assert [b.payment_status for b in everyone.rows] == [
        PaymentStatus.PARTLY_PAID,
        PaymentStatus.PAID,
        PaymentStatus.WAIVED,
    ]
    assert everyone.paid == 260_000 and everyone.granted == 200_000
