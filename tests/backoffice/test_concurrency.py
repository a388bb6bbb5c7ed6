"""Decisions and grants at the same moment, on real parallel connections.

Each thread has its own app context, so its own database session and connection, as two
assistants' requests would. These run on whichever database the suite runs on: on
PostgreSQL the activity's row lock (SELECT ... FOR UPDATE) serialises them; SQLite
serialises every write and must give the same answers.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Flask

from eventreg.extensions import db as database
from eventreg.models import Application, StaffUser
from eventreg.services import costshare, decisions, lifecycle
from eventreg.services.costshare import Share
from eventreg.services.decisions import Decision
from eventreg.services.errors import DomainError


def run_concurrently(
    app: Flask,
    work: Callable[[Application, StaffUser], str],
    application_ids: list[int],
    staff_id: int,
) -> list[str]:
    """Run `work` for each application in its own thread and session, all released at once;
    return what each reported ("refused: <class>" for a domain refusal)."""
    start = threading.Barrier(len(application_ids))
    results: list[str] = []
    errors: list[BaseException] = []

    def one(application_id: int) -> None:
        try:
            start.wait(timeout=30)
            with app.app_context():
                application = database.session.get(Application, application_id)
                by = database.session.get(StaffUser, staff_id)
                assert application is not None and by is not None
                try:
                    outcome = work(application, by)
                except DomainError as refusal:
                    database.session.rollback()
                    results.append(f"refused: {type(refusal).__name__}")
                else:
                    database.session.commit()
                    results.append(outcome)
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in application_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [], errors
    assert len(results) == len(application_ids)
    return results


def prepare(db: Any, activity: Any, make_application: Any, n: int, staff: StaffUser) -> list[int]:
    ids = [make_application(activity).id for _ in range(n)]
    db.session.commit()
    return ids


def test_fifty_acceptances_at_once_fill_thirty_places_and_waitlist_twenty(
    app, db, make_activity, make_application, make_staff
):
    activity = make_activity(capacity=30)
    staff = make_staff()
    ids = prepare(db, activity, make_application, 50, staff)

    def accept(application: Application, by: StaffUser) -> str:
        return decisions.decide(application, Decision.ACCEPT, by=by).result.value

    results = run_concurrently(app, accept, ids, staff.id)
    assert Counter(results) == {"accepted": 30, "waitlisted": 20}
    db.session.expire_all()
    assert lifecycle.places_taken(activity.id) == 30
    assert len(lifecycle.waiting_list(activity.id)) == 20


def test_concurrent_grants_never_overshoot_the_budget_by_a_cent(
    app, db, make_activity, make_application, make_staff
):
    # Room for five whole subsistence grants (EUR 960) and one cent short of a sixth.
    activity = make_activity(costshare_budget=6 * 96_000 - 1, costshare_cap=None)
    component_id = activity.fee_components[1].id
    staff = make_staff()
    ids = prepare(db, activity, make_application, 20, staff)

    def grant(application: Application, by: StaffUser) -> str:
        costshare.grant_cost_share(application, component_id=component_id, share=Share.ALL, by=by)
        return "granted"

    results = run_concurrently(app, grant, ids, staff.id)
    assert Counter(results) == {"granted": 5, "refused: BudgetExceeded": 15}
    db.session.expire_all()
    budget = costshare.budget(activity)
    assert budget.granted == 5 * 96_000 and budget.remaining == 96_000 - 1


def test_concurrent_grants_never_go_over_the_cap(
    app, db, make_activity, make_application, make_staff
):
    activity = make_activity(costshare_budget=100_000_000, costshare_cap=8)
    component_id = activity.fee_components[0].id
    staff = make_staff()
    ids = prepare(db, activity, make_application, 20, staff)

    def grant(application: Application, by: StaffUser) -> str:
        costshare.grant_cost_share(application, component_id=component_id, share=Share.ALL, by=by)
        return "granted"

    results = run_concurrently(app, grant, ids, staff.id)
    assert Counter(results) == {"granted": 8, "refused: CapReached": 12}
    db.session.expire_all()
    assert costshare.budget(activity).cost_shared == 8
