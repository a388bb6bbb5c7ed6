"""Accepting twenty applicants with a 50 % cost-share: a preview first, and few clicks."""

from __future__ import annotations

import sqlalchemy as sa

from eventreg.models import Application, ApplicationStatus, CostShareGrant, Role

from ..conftest import PASSWORD
from .conftest import screenshot


class Counted:
    """The page, with every click (and choice in a list, and entry into a field) counted."""

    def __init__(self, page) -> None:
        self.page, self.clicks = page, 0

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()
        self.page.wait_for_load_state()

    def choose(self, locator, value: str) -> None:
        self.clicks += 1
        locator.select_option(value)

    def type(self, locator, text: str) -> None:
        self.clicks += 1
        locator.fill(text)


def twenty_applicants(served, db, page, factories, **activity_fields):
    """Twenty submitted applications, and their list open for a course assistant."""
    activity = factories.activity(**activity_fields)
    for n in range(20):
        factories.application(activity, given_names=f"Person{n:02d}", family_name="Bulk")
    factories.staff(Role.COURSE_ASSISTANT, activity, email="sophie@example.org")
    db.session.commit()
    page.goto(served.url + f"/staff/activities/{activity.id}/applications")
    page.get_by_label("Email").fill("sophie@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return activity


def test_twenty_accepted_with_half_their_fees_cost_shared_in_ten_clicks(
    served, db, page, factories
):
    activity = twenty_applicants(
        served, db, page, factories, capacity=30, costshare_budget=2_500_000, costshare_cap=25
    )

    office = Counted(page)
    office.click(page.get_by_label("Tick all on this page"))
    office.choose(page.get_by_label("With the ticked applications"), "accept")
    office.click(page.get_by_role("button", name="Continue"))
    for component in ("Component 1", "Component 2"):
        office.choose(page.get_by_label(f"Cost-share of the {component}"), "percent")
        office.type(page.get_by_label(f"Part of the {component} (%)"), "50")
    office.click(page.get_by_role("button", name="Preview"))

    preview = page.locator(".bulk-preview")
    assert "Everything asked can be done" in preview.inner_text()
    figures = dict(
        (row.locator("dt").inner_text(), row.locator("dd").inner_text())
        for row in preview.locator(".facts > div").all()
    )
    assert figures["Will be accepted"] == "20"
    assert figures["Waiting list (no place left)"] == "0"
    assert figures["Will be cost-shared"] == "20, EUR 20,000 in all"
    budget = preview.locator("table.budget-change tbody").inner_text()
    assert "EUR 0\tEUR 20,000" in budget  # granted, now and after
    assert "EUR 25,000\tEUR 5,000" in budget  # left of the budget
    assert "0\t20" in budget  # cost-shared participants, at most 25
    screenshot(page, "bulk-preview-desktop")
    # The preview changed nothing.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CostShareGrant)) == 0

    office.click(page.get_by_role("button", name="Confirm: accept 20 and cost-share 20"))
    assert office.clicks <= 10
    assert "20 applicants are accepted." in page.content()
    assert page.locator(".flash-warning").count() == 0
    statuses = db.session.scalars(
        sa.select(Application.status).where(Application.activity_id == activity.id)
    ).all()
    assert statuses == [ApplicationStatus.ACCEPTED] * 20
    granted = db.session.scalar(sa.select(sa.func.sum(CostShareGrant.amount)))
    assert granted == 20 * 100_000  # half of EUR 1,040 + half of EUR 960, each


def test_a_bulk_acceptance_says_plainly_what_it_could_not_do(served, db, page, factories):
    twenty_applicants(
        served, db, page, factories, capacity=18, costshare_budget=1_600_000, costshare_cap=15
    )
    page.get_by_label("Tick all on this page").check()
    page.get_by_label("With the ticked applications").select_option("accept")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Cost-share of the Component 2").select_option("all")
    page.get_by_role("button", name="Preview").click()

    preview = page.locator(".bulk-preview")
    text = preview.inner_text()
    assert "Not everything asked can be done" in text
    assert "On the waiting list instead, because places run out" in text
    assert "15 participants are cost-shared already" in text  # the cap, for the 16th to 18th
    screenshot(page, "bulk-preview-warnings")

    page.get_by_role("button", name="Confirm: accept 18 and cost-share 15").click()
    warnings = page.locator(".flash-warning").all_inner_texts()
    assert any("2 put on the waiting list because every place is taken" in w for w in warnings)
    assert sum("Not cost-shared" in w for w in warnings) == 3
    assert page.locator(".flash-success").first.inner_text() == "18 applicants are accepted."
