"""Cost-sharing through the domain: per component, within the component, budget and cap."""

from __future__ import annotations

import pytest

from eventreg.models import ApplicationStatus, CostShareGrant
from eventreg.services import costshare
from eventreg.services.costshare import BudgetExceeded, CapReached, GrantRefused, Share

from .conftest import actions, count, mails

Status = ApplicationStatus


def tuition(activity):
    return activity.fee_components[0]  # EUR 1,040


def subsistence(activity):
    return activity.fee_components[1]  # EUR 960


def test_all_of_a_component_lowers_the_amount_due_and_tells_the_applicant(
    db, workshop, make_application, assistant
):
    application = make_application(workshop)
    grant = costshare.grant_cost_share(
        application, component_id=subsistence(workshop).id, share=Share.ALL, by=assistant
    )
    assert grant.amount == 96_000
    assert application.amount_due == 104_000
    [email] = mails("costshare_changed")
    assert "EUR 960 of the Participant subsistence" in email.body_text
    assert "Amount due: EUR 1,040." in email.body_text
    assert actions(application.id) == ["costshare.granted"]


def test_a_part_or_a_fixed_amount(db, workshop, make_application, assistant):
    application = make_application(workshop)
    costshare.grant_cost_share(
        application,
        component_id=tuition(workshop).id,
        share=Share.PERCENT,
        value=50,
        by=assistant,
    )
    costshare.grant_cost_share(
        application,
        component_id=subsistence(workshop).id,
        share=Share.AMOUNT,
        value=30_050,
        by=assistant,
    )
    assert sorted(g.amount for g in application.grants) == [30_050, 52_000]
    assert application.amount_due == 200_000 - 52_000 - 30_050


def test_granting_again_replaces_the_grant_of_that_component(
    db, workshop, make_application, assistant
):
    application = make_application(workshop)
    for value in (10_000, 25_000):
        costshare.grant_cost_share(
            application,
            component_id=tuition(workshop).id,
            share=Share.AMOUNT,
            value=value,
            by=assistant,
        )
    assert [g.amount for g in application.grants] == [25_000]
    assert count(CostShareGrant) == 1


@pytest.mark.parametrize(
    ("share", "value", "field", "message"),
    [
        (Share.AMOUNT, 104_001, "amount", "cannot be more than the Tuition"),
        (Share.AMOUNT, 0, "amount", "above zero"),
        (Share.AMOUNT, -500, "amount", "above zero"),
        (Share.AMOUNT, None, "amount", "above zero"),
        (Share.PERCENT, 101, "percent", "from 1 to 100"),
        (Share.PERCENT, 0, "percent", "from 1 to 100"),
    ],
)
def test_a_grant_must_fit_the_component(
    db, workshop, make_application, assistant, share, value, field, message
):
    application = make_application(workshop)
    with pytest.raises(GrantRefused, match=message) as refusal:
        costshare.grant_cost_share(
            application,
            component_id=tuition(workshop).id,
            share=share,
            value=value,
            by=assistant,
        )
    assert refusal.value.field == field
    assert count(CostShareGrant) == 0 and mails() == []


def test_a_component_of_another_activity_is_refused(
    db, workshop, make_activity, make_application, assistant
):
    other = make_activity()
    application = make_application(workshop)
    with pytest.raises(GrantRefused, match="fee components"):
        costshare.grant_cost_share(
            application, component_id=tuition(other).id, share=Share.ALL, by=assistant
        )


def test_the_budget_is_never_exceeded(db, make_activity, make_application, assistant):
    activity = make_activity(costshare_budget=150_000)
    first, second = make_application(activity), make_application(activity)
    costshare.grant_cost_share(
        first, component_id=tuition(activity).id, share=Share.ALL, by=assistant
    )
    with pytest.raises(BudgetExceeded, match="Only EUR 460 is left"):
        costshare.grant_cost_share(
            second, component_id=subsistence(activity).id, share=Share.ALL, by=assistant
        )
    costshare.grant_cost_share(
        second,
        component_id=subsistence(activity).id,
        share=Share.AMOUNT,
        value=46_000,
        by=assistant,
    )
    assert costshare.budget(activity).remaining == 0


def test_the_cap_of_cost_shared_participants(db, make_activity, make_application, assistant):
    activity = make_activity(costshare_budget=10_000_000, costshare_cap=2)
    people = [make_application(activity) for _ in range(3)]
    for person in people[:2]:
        costshare.grant_cost_share(
            person, component_id=tuition(activity).id, share=Share.ALL, by=assistant
        )
    with pytest.raises(CapReached, match="2 participants are cost-shared already"):
        costshare.grant_cost_share(
            people[2], component_id=tuition(activity).id, share=Share.ALL, by=assistant
        )
    # One already cost-shared may get a second component: the cap counts people.
    costshare.grant_cost_share(
        people[0], component_id=subsistence(activity).id, share=Share.ALL, by=assistant
    )
    assert costshare.budget(activity).cost_shared == 2


def test_grants_of_applications_that_ended_are_released(
    db, make_activity, make_application, assistant
):
    activity = make_activity(costshare_budget=104_000, costshare_cap=1)
    leaving, next_one = make_application(activity), make_application(activity)
    costshare.grant_cost_share(
        leaving, component_id=tuition(activity).id, share=Share.ALL, by=assistant
    )
    leaving.status = Status.WITHDRAWN
    db.session.flush()
    budget = costshare.budget(activity)
    assert (budget.granted, budget.released, budget.cost_shared) == (0, 104_000, 0)
    costshare.grant_cost_share(
        next_one, component_id=tuition(activity).id, share=Share.ALL, by=assistant
    )
    with pytest.raises(GrantRefused, match="withdrawn"):
        costshare.grant_cost_share(
            leaving, component_id=subsistence(activity).id, share=Share.ALL, by=assistant
        )


def test_the_budget_panel(db, workshop, make_application, assistant):
    accepted = make_application(workshop, status=Status.ACCEPTED)
    pending = make_application(workshop)
    for application in (accepted, pending):
        costshare.grant_cost_share(
            application, component_id=subsistence(workshop).id, share=Share.ALL, by=assistant
        )
    budget = costshare.budget(workshop)
    assert (budget.budget, budget.granted, budget.committed, budget.remaining) == (
        1_600_000,
        192_000,
        96_000,
        1_408_000,
    )
    assert (budget.cost_shared, budget.cap_left) == (2, 6)


def test_revoking_returns_the_money_to_the_budget(db, workshop, make_application, assistant):
    application = make_application(workshop)
    grant = costshare.grant_cost_share(
        application, component_id=tuition(workshop).id, share=Share.ALL, by=assistant
    )
    costshare.revoke_cost_share(application, grant_id=grant.id, by=assistant)
    assert count(CostShareGrant) == 0 and application.amount_due == 200_000
    assert costshare.budget(workshop).remaining == 1_600_000
    assert "no longer cover" in mails("costshare_changed")[-1].body_text
    assert actions(application.id) == ["costshare.granted", "costshare.revoked"]
