"""The database itself refuses what the domain forbids, whoever writes to it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from eventreg.models import (
    Activity,
    Application,
    ApplicationStatus,
    CostShareGrant,
    FeeComponent,
    Payment,
)


def test_a_fee_component_cannot_be_negative(db, make_activity):
    activity = make_activity()
    db.session.add(FeeComponent(activity_id=activity.id, name="Refund", amount=-1))
    with pytest.raises(IntegrityError, match="amount_not_negative"):
        db.session.flush()


def test_an_activity_must_end_after_it_starts(db, make_activity):
    starts = datetime(2027, 7, 12, 7, 0, tzinfo=UTC)
    with pytest.raises(IntegrityError, match="ends_after_start"):
        make_activity(
            starts_at=starts, ends_at=starts, deadline_at=starts - timedelta(days=1), opens_at=None
        )


def test_a_session_must_end_after_it_starts(db, make_activity, factories):
    activity = make_activity()
    with pytest.raises(IntegrityError, match="ends_after_start"):
        factories.session(activity, ends_at=activity.starts_at - timedelta(minutes=1))


def test_reference_codes_are_unique(db, make_activity):
    make_activity(reference="A901357")
    with pytest.raises(IntegrityError):
        make_activity(reference="A901357")


def test_slugs_are_unique(db, make_activity):
    make_activity(slug="same")
    with pytest.raises(IntegrityError):
        make_activity(slug="same")


@pytest.mark.parametrize(
    "field, value, constraint",
    [
        ("capacity", -1, "capacity_not_negative"),
        ("certificate_threshold", 101, "threshold_is_percentage"),
        ("costshare_budget", -500, "budget_not_negative"),
        ("currency", "EU", "currency_is_iso_code"),
    ],
)
def test_activity_figures_stay_in_range(db, make_activity, field, value, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        make_activity(**{field: value})


def test_applications_must_open_before_the_deadline(db, make_activity):
    starts = datetime(2027, 7, 12, 7, 0, tzinfo=UTC)
    with pytest.raises(IntegrityError, match="opens_before_deadline"):
        make_activity(starts_at=starts, opens_at=starts, deadline_at=starts - timedelta(days=1))


def test_one_application_per_email_and_activity(db, make_activity, make_application):
    activity = make_activity()
    make_application(activity, email="same@example.net")
    with pytest.raises(IntegrityError):
        make_application(activity, email="same@example.net")


def test_the_same_person_may_apply_to_two_activities(db, make_activity, make_application):
    first, second = make_activity(), make_activity()
    make_application(first, email="same@example.net")
    make_application(second, email="same@example.net")
    db.session.commit()  # the unique (activity, email) constraint does not span activities
    stored = db.session.scalars(
        sa.select(Application.activity_id).where(Application.email == "same@example.net")
    ).all()
    assert sorted(stored) == sorted([first.id, second.id])


def test_an_unknown_status_is_refused(db, make_activity, make_application):
    application = make_application(make_activity())
    with pytest.raises(StatementError):
        db.session.execute(
            sa.update(type(application))
            .where(type(application).id == application.id)
            .values(status="approved")
        )


def test_an_unknown_status_is_refused_by_the_database_itself(db, make_activity, make_application):
    application = make_application(make_activity())
    with pytest.raises(IntegrityError, match="application_status"):
        db.session.execute(
            sa.text("UPDATE applications SET status = 'approved' WHERE id = :id"),
            {"id": application.id},
        )


def test_grants_and_payments_must_be_positive(db, make_activity, make_application):
    activity = make_activity()
    application = make_application(activity)
    db.session.add(
        CostShareGrant(
            application_id=application.id, fee_component_id=activity.fee_components[0].id, amount=0
        )
    )
    with pytest.raises(IntegrityError, match="amount_positive"):
        db.session.flush()
    db.session.rollback()
    activity = make_activity()
    application = make_application(activity)
    db.session.add(
        Payment(
            application_id=application.id,
            amount=-100,
            received_on=datetime.now(UTC).date(),
            method="cash",
        )
    )
    with pytest.raises(IntegrityError, match="amount_positive"):
        db.session.flush()


def test_one_grant_per_fee_component_and_application(db, make_activity, make_application):
    activity = make_activity()
    application = make_application(activity)
    component = activity.fee_components[0]
    db.session.add(
        CostShareGrant(application_id=application.id, fee_component_id=component.id, amount=100)
    )
    db.session.flush()
    db.session.add(
        CostShareGrant(application_id=application.id, fee_component_id=component.id, amount=200)
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_foreign_keys_are_enforced(db):
    db.session.add(FeeComponent(activity_id=987654, name="Orphan", amount=100))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_times_come_back_aware_and_in_utc(db, make_activity):
    rome_morning = datetime.fromisoformat("2027-07-12T09:00:00+02:00")
    activity = make_activity(starts_at=rome_morning)
    db.session.expire_all()
    loaded = db.session.get(Activity, activity.id)
    assert loaded.starts_at == rome_morning
    assert loaded.starts_at.tzinfo is not None
    assert loaded.starts_at.hour == 7


def test_naive_times_are_refused(db, make_activity):
    with pytest.raises(StatementError, match="naive"):
        make_activity(starts_at=datetime(2027, 7, 12, 9, 0))


def test_amount_due_is_fees_minus_grants_minus_payments(db, make_activity, make_application):
    activity = make_activity(fees=(104_000, 96_000))
    application = make_application(activity, status=ApplicationStatus.CONFIRMED)
    application.grants.append(
        CostShareGrant(fee_component=activity.fee_components[1], amount=96_000)
    )
    application.payments.append(
        Payment(amount=40_000, received_on=datetime.now(UTC).date(), method="bank_transfer")
    )
    db.session.flush()
    assert activity.fee_total == 200_000
    assert application.amount_due == 64_000
