"""An applicant reads the catalogue and the reference workshop in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime

from eventreg.demo import load_demo

from .conftest import screenshot


def test_the_reference_workshop_reads_well_on_a_phone_and_a_desktop(served, db, app, page, phone):
    load_demo(app.instance_path, now=datetime.now(UTC))
    db.session.commit()
    for name, browser_page in (("desktop", page), ("phone", phone)):
        browser_page.goto(served.url + "/")
        browser_page.get_by_role(
            "link", name="Multi-stakeholder partnerships for local service delivery"
        ).click()
        heading = browser_page.get_by_role("heading", level=1)
        assert heading.inner_text() == "Multi-stakeholder partnerships for local service delivery"
        assert browser_page.get_by_text("Module 6: Orientations for future work").is_visible()
        # The deadline is also shown in the reader's own time (Kathmandu here), by our script.
        note = browser_page.locator('[data-local="note"]')
        assert note.is_visible()
        assert "GMT+5:45" in note.inner_text() or "+0545" in note.inner_text()
        screenshot(browser_page, f"activity-{name}")
        # Nothing is wider than the screen.
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        assert width <= browser_page.viewport_size["width"]
        assert browser_page.console_errors == []


def test_an_online_activity_shows_the_readers_own_time(served, db, app, phone):
    load_demo(app.instance_path, now=datetime.now(UTC))
    db.session.commit()
    phone.goto(served.url + "/activities/platform-workers-webinar-2018-06-12")
    header = phone.locator('[data-local="zone-header"]')
    assert header.inner_text() in ("Your time (Asia/Kathmandu)", "Your time (Asia/Katmandu)")
    # 13:00 UTC is 18:45 in Kathmandu.
    assert phone.locator('[data-local="range"]').first.inner_text().startswith("18:45")
    screenshot(phone, "webinar-phone")
