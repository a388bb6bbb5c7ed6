"""A form that cannot succeed is shown switched off with the reason, before anyone clicks."""

from __future__ import annotations

import re

from eventreg.models import ApplicationStatus, Role
from eventreg.services import costshare
from eventreg.services.costshare import Share


def test_at_the_cap_the_grant_form_is_off_and_says_why(
    db, sign_in_as, make_activity, make_application
):
    activity = make_activity(costshare_budget=1_000_000, costshare_cap=1)
    granted = make_application(activity, family_name="Granted", costshare_requested=True)
    waiting = make_application(activity, family_name="Waiting", costshare_requested=True)
    assistant = sign_in_as(Role.COURSE_ASSISTANT, activity)
    component = activity.fee_components[0]
    costshare.grant_cost_share(
        granted, component_id=component.id, share=Share.ALL, by=assistant.user
    )
    db.session.commit()

    page = assistant.get(f"/staff/applications/{waiting.id}/money").text
    assert "No grant is possible:" in page
    assert "1 participants are cost-shared already" in page
    assert re.search(r"<fieldset class=\"plain\" disabled", page)
    # The one who has a grant may still have it changed.
    assert (
        "No grant is possible" not in assistant.get(f"/staff/applications/{granted.id}/money").text
    )

    budget = assistant.get(f"/staff/activities/{activity.id}/money").text
    assert "Cost-sharing asked for and granted: 2 applications" in budget
    assert "1 of at most 1: <strong>no more</strong> can be cost-shared" in budget
    assert "EUR 1,040" in budget and "Waiting" in budget


def test_a_waitlisted_applicant_cannot_be_accepted_while_every_place_is_taken(
    db, sign_in_as, make_activity, make_application
):
    activity = make_activity(capacity=1)
    make_application(activity, status=ApplicationStatus.ACCEPTED)
    waiting = make_application(activity, status=ApplicationStatus.WAITLISTED)
    submitted = make_application(activity)
    assistant = sign_in_as(Role.COURSE_ASSISTANT, activity)

    page = assistant.get(f"/staff/applications/{waiting.id}").text
    assert "All 1 places are taken: a place must be freed" in page
    assert re.search(
        r"<button type=\"button\" class=\"button\" disabled[^>]*>Accept</button>", page
    )
    other = assistant.get(f"/staff/applications/{submitted.id}").text
    assert "accepting puts the applicant on the waiting list" in other
