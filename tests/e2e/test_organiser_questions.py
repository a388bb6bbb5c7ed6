"""A manager builds the form's own questions; three applicants apply on a phone; the office
filters by an answer and exports it. In a real browser."""

from __future__ import annotations

import csv
import io
import re

from eventreg.models import Application, Role
from eventreg.services import questions

from .conftest import PHONE, screenshot

PASSWORD = "correct horse battery"


def sign_in(page, url, email):
    page.goto(url + "/staff/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def add_question(page, type_label, label, options="", condition=None):
    page.get_by_label("Type").select_option(label=type_label)
    page.get_by_label("Question (English)").fill(label)
    if options:
        page.get_by_label(re.compile(r"^Options \(English\)")).fill(options)
    if condition:
        page.get_by_label(condition).check()
    page.get_by_role("button", name="Save the question").click()
    assert page.get_by_text(f"The question “{label}” is saved.").is_visible()


def fill_built_in(page, n):
    page.get_by_label("Given names").fill(f"Applicant {n}")
    page.get_by_label("Family name").fill("Tamang")
    page.get_by_label("Female").check()
    page.get_by_label("Nationality").select_option("NP")
    page.get_by_label("Country of residence").select_option("NP")
    page.get_by_label("Email", exact=True).fill(f"applicant{n}@example.net")
    page.get_by_label("Email again").fill(f"applicant{n}@example.net")
    page.get_by_label("Phone").fill("+977 1 4412345")
    page.get_by_label("Organisation", exact=True).fill("GEFONT")
    page.get_by_label("Type of organisation").select_option("Other")
    page.get_by_label("Position").fill("Organiser")
    page.get_by_label("Advanced: I discuss and write with ease").check()
    page.get_by_label("Why do you want to take part?").fill("To learn from the other unions.")
    page.get_by_label("I pay it myself").check()
    page.get_by_label("I agree to the processing of my data as explained above").check()


def test_a_built_form_with_a_condition_and_a_two_place_option(
    served, db, browser, page, make_activity, make_staff
):
    activity = make_activity(title="Field visit workshop")
    manager = make_staff(Role.ACTIVITY_MANAGER, activity)
    assistant = make_staff(Role.COURSE_ASSISTANT, activity)
    db.session.commit()

    sign_in(page, served.url, manager.email)
    page.goto(served.url + f"/staff/activities/{activity.id}")
    page.get_by_role("link", name="Questions of the application form").click()
    add_question(page, "Yes or no", "Do you need a visa?")
    add_question(page, "Short text", "Passport number", condition="Do you need a visa?: Yes")
    add_question(page, "Single choice", "Which site?", options="Site A | 2\nSite B")
    assert page.get_by_text("Shown only when “Do you need a visa?” is Yes.").is_visible()
    assert page.get_by_text("Site A: 0 of 2 places taken").is_visible()

    phones = []
    for _ in range(3):
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        phones.append(context.new_page())
    apply_url = served.url + f"/activities/{activity.slug}/apply"
    for n, applicant in enumerate(phones, start=1):
        applicant.goto(apply_url)
        fill_built_in(applicant, n)
    first, second, third = phones

    passport = first.get_by_label("Passport number")
    assert not passport.is_visible()  # shown only after a Yes
    first.get_by_label("Yes").check()
    assert passport.is_visible()
    passport.fill("PA1234567")
    first.get_by_label("Site A").check()
    screenshot(first, "organiser-questions-phone")
    width = first.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the form scrolls sideways ({width}px)"
    first.get_by_role("button", name="Send my application").click()
    assert first.url.endswith("/confirmation")

    for applicant in (second, third):  # both opened the form while Site A had places
        applicant.get_by_label("No", exact=True).check()
        applicant.get_by_label("Site A").check()
    second.get_by_role("button", name="Send my application").click()
    assert second.url.endswith("/confirmation")
    third.get_by_role("button", name="Send my application").click()
    assert third.get_by_text(re.compile("Site A is full")).first.is_visible()
    assert third.get_by_label(re.compile("Site A")).is_disabled()
    for applicant in phones:
        applicant.context.close()

    db.session.expire_all()
    assert db.session.query(Application).count() == 2
    site = next(q for q in questions.questions_of(activity) if q.text() == "Which site?")

    office = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(office, served.url, assistant.email)
    office.goto(served.url + f"/staff/activities/{activity.id}/applications")
    office.locator("summary", has_text="Filters").click()  # the filters fold away until opened
    office.get_by_label("Answer to a question").select_option(label="Which site?: Site A")
    office.get_by_role("button", name="Show", exact=True).click()
    assert f"answer={site.id}%3A{site.options[0].id}" in office.url
    assert office.get_by_text("Applicant 1").first.is_visible()
    assert office.get_by_text("Applicant 2").first.is_visible()
    export = office.request.get(
        served.url + f"/staff/activities/{activity.id}/export?format=csv&columns=given_names"
    )
    table = list(csv.reader(io.StringIO(export.body().decode("utf-8-sig"))))
    assert table[0] == ["Given names", "Do you need a visa?", "Passport number", "Which site?"]
    assert ["Applicant 1", "Yes", "PA1234567", "Site A"] in table
    assert ["Applicant 2", "No", "", "Site A"] in table
    office.context.close()
