"""The back office at 390 px and 1280 px: nothing cut off, targets large enough, axe clean."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eventreg.demo import load_demo

from .conftest import screenshot
from .staff_pages import open_workshop, sign_in, staff_paths
from .test_accessibility import violations

# Parts of the page wider than the screen that are not inside a sideways-scrolling box.
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1) && !scrolls(el)
        && !el.closest(".visually-hidden, .skip-link")) {
      found.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, found: found.slice(0, 5)};
}"""


# WCAG 2.2's target-size rule (24 px), off in axe by default, is on for the back office.
TARGET_SIZE = {"target-size": {"enabled": True}}


@pytest.fixture
def workshop(db, app):
    load_demo(app.instance_path, now=datetime.now(UTC))
    db.session.commit()
    return open_workshop()


def test_no_staff_page_is_cut_off_on_a_phone(served, workshop, phone):
    sign_in(phone, served.url)
    cut_off = {}
    for path in staff_paths(workshop):
        response = phone.goto(served.url + path)
        assert response is not None and response.ok, path
        measured = phone.evaluate(CUT_OFF)
        if measured["scroll"] > measured["width"] or measured["found"]:
            cut_off[path] = measured
    screenshot(phone, "staff-last-page-phone")
    assert cut_off == {}


@pytest.mark.parametrize("size", ["phone", "page"])
def test_staff_and_trainer_pages_pass_axe(served, workshop, size, request):
    browser_page = request.getfixturevalue(size)
    sign_in(browser_page, served.url)
    problems = {}
    for path in staff_paths(workshop):
        browser_page.goto(served.url + path)
        assert "Sign in" not in browser_page.title(), path
        found = violations(browser_page, TARGET_SIZE)
        if found:
            problems[path] = found
    assert problems == {}


# Links and buttons of the header's navigation that lie outside the screen.
OFF_SCREEN_NAV = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll(".site-header nav a, .site-header nav button")]
    .filter((el) => el.offsetParent !== null)
    .filter((el) => {
      const box = el.getBoundingClientRect();
      return box.right > width || box.left < 0;
    })
    .map((el) => el.textContent.trim());
}"""


def test_every_link_of_an_admins_navigation_is_on_a_phones_screen(served, workshop, phone):
    sign_in(phone, served.url)
    phone.goto(served.url + "/staff/")
    assert phone.get_by_role("button", name="Sign out").is_visible()
    assert phone.evaluate(OFF_SCREEN_NAV) == []
    screenshot(phone, "staff-navigation-phone")
