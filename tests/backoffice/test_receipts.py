"""Receipt numbers: one sequence for the whole organisation, each number given once and never
reused, also when assistants record payments at the same moment (run on PostgreSQL too)."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from eventreg.models import Application, ApplicationStatus, Payment, PaymentMethod, StaffUser
from eventreg.services import payments

from .test_concurrency import run_concurrently


def pay(application: Application, by: StaffUser, amount: int = 10_000) -> Payment:
    return payments.record_payment(
        application,
        amount=amount,
        received_on=date(2026, 11, 2),
        method=PaymentMethod.BANK_TRANSFER,
        by=by,
    )


def test_payments_recorded_at_once_in_two_activities_get_one_gapless_sequence(
    app, db, make_activity, make_application, make_staff
):
    first, second = make_activity(), make_activity()
    staff = make_staff()
    ids = [
        make_application(activity, status=ApplicationStatus.CONFIRMED).id
        for activity in (first, second)
        for _ in range(10)
    ]
    db.session.commit()

    def record(application: Application, by: StaffUser) -> str:
        return str(pay(application, by).receipt_number)

    numbers = run_concurrently(app, record, ids, staff.id)
    assert sorted(int(n) for n in numbers) == list(range(1, 21))


def test_a_removed_payments_number_is_never_given_again(
    db, make_activity, make_application, make_staff
):
    activity = make_activity()
    staff = make_staff()
    amina = make_application(activity, status=ApplicationStatus.CONFIRMED)
    one, two = pay(amina, staff), pay(amina, staff)
    db.session.commit()
    payments.remove_payment(amina, payment_id=two.id, by=staff)
    db.session.commit()
    three = pay(amina, staff)
    db.session.commit()
    assert (one.receipt_number, three.receipt_number) == (1, 3)


def test_the_receipt_shows_each_payments_number(
    db, client, make_activity, make_application, make_staff
):
    activity = make_activity()
    staff = make_staff()
    amina = make_application(activity, status=ApplicationStatus.CONFIRMED)
    pay(amina, staff, amount=activity.fee_total - 50_000)
    pay(amina, staff, amount=50_000)
    db.session.commit()
    response = client.get(f"/my/{amina.token}/statement.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Receipt" in text
    assert "receipt no. 1" in text and "receipt no. 2" in text
