"""In a real browser: a manager enters an activity's texts in French, at 390 px and 1280 px,
and a French reader reads them; where none were entered, the page says which language it is in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from eventreg.demo import load_demo
from eventreg.extensions import db
from eventreg.models import Activity, ActivityKind, ActivityStatus

from .conftest import screenshot
from .staff_pages import open_workshop, sign_in
from .test_accessibility import violations
from .test_back_office_on_a_phone import CUT_OFF

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(db, app):
    load_demo(app.instance_path, now=datetime.now(UTC))
    db.session.commit()


def open_webinar() -> Activity:
    """The demo's coming webinar, offered in English, French and Spanish."""
    webinar = db.session.scalar(
        sa.select(Activity).where(
            Activity.status == ActivityStatus.PUBLISHED, Activity.kind == ActivityKind.WEBINAR
        )
    )
    assert webinar is not None
    return webinar


def fits(page) -> None:
    """Nothing is cut off or wider than the screen, and axe finds nothing serious."""
    measured = page.evaluate(CUT_OFF)
    assert measured["scroll"] <= measured["width"] and measured["found"] == [], measured
    assert violations(page) == []


def test_a_manager_enters_the_french_texts_beside_the_english_ones(served, demo, page, phone):
    webinar = open_webinar()
    url = f"{served.url}/staff/activities/{webinar.id}/languages/fr"
    for name, browser_page in (("desktop", page), ("phone", phone)):
        sign_in(browser_page, served.url)
        browser_page.goto(url)
        assert browser_page.get_by_role("heading", level=1).inner_text() == "Texts in French (fr)"
        title = browser_page.get_by_label("Title", exact=True)
        assert title.input_value().startswith("Organiser les travailleurs des plateformes")
        assert browser_page.get_by_text("Organising platform workers: what unions").is_visible()
        screenshot(browser_page, f"translation-{name}")
        fits(browser_page)
    # Too long a title: said beside the field, and nothing is saved.
    page.get_by_label("Title", exact=True).fill("Travailleurs " * 30)
    page.get_by_role("button", name="Save the texts in French (fr)").click()
    assert page.get_by_text("Field cannot be longer than 300 characters.").first.is_visible()
    screenshot(page, "translation-refused-desktop")
    page.goto(url)
    assert page.get_by_label("Title", exact=True).input_value().startswith("Organiser")
    phone.get_by_label("Title", exact=True).fill("Travailleurs des plateformes : s'organiser")
    phone.get_by_role("button", name="Save the texts in French (fr)").click()
    assert phone.get_by_text("1 text saved in French (fr).").is_visible()
    phone.goto(f"{served.url}/activities/{webinar.slug}?lang=fr")
    heading = phone.get_by_role("heading", level=1)
    assert heading.inner_text() == "Travailleurs des plateformes : s'organiser"
    assert phone.get_by_text("Module 1 : Comment les travailleurs des plateformes").is_visible()


def test_a_french_reader_is_told_the_workshop_is_described_in_english(served, demo, page, phone):
    workshop = open_workshop()
    for name, browser_page in (("desktop", page), ("phone", phone)):
        browser_page.goto(f"{served.url}/activities/{workshop.slug}?lang=fr")
        note = browser_page.locator(".content-language")
        assert note.inner_text() == (
            "La description de cette activité n’est disponible qu’en anglais."
        )
        assert browser_page.get_by_role("heading", level=1).inner_text() == workshop.title
        screenshot(browser_page, f"content-note-{name}")
        fits(browser_page)
