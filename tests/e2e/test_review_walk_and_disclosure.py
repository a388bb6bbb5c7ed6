"""In the browser, on a phone (390 px) and a desktop (1280 px): an assistant walks the filtered
review list with "Next" and "Previous", previews a decision email as it is typed, and an
applicant's form shows the sponsor and cost-sharing details only once they apply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from eventreg.models import Gender, Role

from ..conftest import PASSWORD
from .conftest import screenshot


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.fixture
def reviewing(db, make_activity, make_application, make_staff):
    activity = make_activity(title="Multi-stakeholder partnerships", capacity=30)
    for family in ("Okafor", "Abebe", "Zapata"):
        make_application(activity, given_names="Amina", family_name=family, gender=Gender.FEMALE)
    make_application(activity, given_names="Marco", family_name="Bianchi", gender=Gender.MALE)
    make_staff(Role.COURSE_ASSISTANT, activity, email="sophie@example.org")
    db.session.commit()
    return activity


@pytest.mark.parametrize("size", ["phone", "page"])
def test_next_and_previous_walk_the_filtered_list(served, reviewing, request, size):
    browser_page = request.getfixturevalue(size)
    browser_page.goto(served.url + "/staff/sign-in")
    browser_page.get_by_label("Email").fill("sophie@example.org")
    browser_page.get_by_label("Password").fill(PASSWORD)
    browser_page.get_by_role("button", name="Sign in").click()
    browser_page.goto(
        f"{served.url}/staff/activities/{reviewing.id}/applications"
        "?gender=female&sort=name&order=asc"
    )
    browser_page.get_by_role("link", name=f"{reviewing.reference}-0002").click()
    heading = browser_page.get_by_role("heading", level=1)
    assert "Abebe" in heading.inner_text()
    walk = browser_page.get_by_role("navigation", name="The list of applications")
    assert "1 of 3" in walk.inner_text()
    assert no_sideways_scroll(browser_page)
    screenshot(browser_page, f"review-walk-{size}")

    walk.get_by_role("link", name="Next").click()
    assert "Okafor" in heading.inner_text()
    walk.get_by_role("link", name="Next").click()
    assert "Zapata" in heading.inner_text()
    assert walk.get_by_role("link", name="Next").count() == 0  # the last of the three
    walk.get_by_role("link", name="Previous").click()
    assert "Okafor" in heading.inner_text()  # Bianchi, filtered out, is never reached

    # The decision email: a full-size box, and the preview follows the typing.
    browser_page.get_by_role("link", name="Reject").click()
    body = browser_page.get_by_label("Message")
    assert body.bounding_box()["height"] >= 300
    body.fill("Dear {given_names} {family_name}, thank you.")
    preview = browser_page.locator("#email-preview")
    preview.filter(has_text="Dear Amina Okafor, thank you.").wait_for()
    assert no_sideways_scroll(browser_page)
    screenshot(browser_page, f"decision-email-{size}")
    assert browser_page.console_errors == []


@pytest.mark.parametrize("size", ["phone", "page"])
def test_the_form_shows_sponsor_and_cost_sharing_details_only_when_they_apply(
    served, db, make_activity, request, size
):
    now = datetime.now(UTC)
    activity = make_activity(
        slug="disclosure",
        opens_at=now - timedelta(days=1),
        deadline_at=now + timedelta(days=10),
        costshare_budget=1_000_000,
    )
    db.session.commit()
    browser_page = request.getfixturevalue(size)
    browser_page.goto(f"{served.url}/activities/{activity.slug}/apply")
    sponsor = browser_page.get_by_label("Name of the sponsor")
    reason = browser_page.get_by_label("Why do you need cost-sharing?")
    assert not sponsor.is_visible() and not reason.is_visible()

    browser_page.get_by_label("A sponsor pays it").check()
    assert sponsor.is_visible()
    browser_page.get_by_label("I ask the organisers to cost-share my participation").check()
    assert reason.is_visible()
    # The radio and checkbox sit level with their labels (centres within 4 px).
    for label in ("A sponsor pays it", "I ask the organisers to cost-share my participation"):
        box = browser_page.get_by_label(label).bounding_box()
        text = browser_page.locator("label", has_text=label).first.bounding_box()
        assert abs((box["y"] + box["height"] / 2) - (text["y"] + min(text["height"], 25) / 2)) < 4
    assert no_sideways_scroll(browser_page)
    screenshot(browser_page, f"apply-disclosure-{size}")

    browser_page.get_by_label("I pay it myself").check()
    assert not sponsor.is_visible()
    # The controls are written in the page's font.
    fonts = browser_page.evaluate(
        "[document.body, document.querySelector('input'), document.querySelector('button')]"
        ".map(e => getComputedStyle(e).fontFamily)"
    )
    assert len(set(fonts)) == 1, fonts
