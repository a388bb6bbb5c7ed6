"""Journey (a): an applicant finds the reference workshop, reads its programme, applies with a
cost-sharing request, and follows the link the acknowledgement email brings."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa

from eventreg.demo import load_demo
from eventreg.models import Application

from .conftest import screenshot


def test_an_applicant_applies_on_a_phone_and_follows_the_emailed_link(
    served, db, app, phone, smtp, deliver
):
    load_demo(app.instance_path, now=datetime.now(UTC))
    db.session.commit()
    phone.goto(served.url + "/")
    phone.get_by_role(
        "link", name="Multi-stakeholder partnerships for local service delivery"
    ).click()
    programme = phone.get_by_role("link", name=re.compile("programme", re.I)).first
    pdf = phone.request.get(served.url + programme.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"

    phone.get_by_role("link", name="Apply").first.click()
    phone.get_by_label("Title").select_option("Ms")
    phone.get_by_label("Given names").fill("Sita")
    phone.get_by_label("Family name").fill("Shrestha")
    phone.get_by_label("Female").check()
    phone.get_by_label("Nationality").select_option("NP")
    phone.get_by_label("Country of residence").select_option("NP")
    phone.get_by_label("Email", exact=True).fill("sita@example.net")
    phone.get_by_label("Email again").fill("sita@example.net")
    phone.get_by_label("Phone").fill("+977 1 4412345")
    phone.get_by_label("Organisation", exact=True).fill("GEFONT")
    phone.get_by_label("Type of organisation").select_option(index=4)
    phone.get_by_label("Position").fill("Union organiser")
    phone.get_by_label("Advanced: I discuss and write with ease").check()
    phone.get_by_label("Why do you want to take part?").fill(
        "To build partnerships for waste pickers."
    )
    phone.get_by_label("A sponsor pays it").check()
    phone.get_by_label("Name of the sponsor").fill("Nepal Labour Foundation")
    phone.get_by_label("I ask the organisers to cost-share my participation").check()
    phone.get_by_label("Participant subsistence", exact=False).first.check()
    phone.get_by_label("What will your sponsor or employer cover?").fill("Travel and tuition")
    phone.get_by_label("Why do you need cost-sharing?").fill("Our union cannot cover subsistence.")
    phone.get_by_label("I agree to the processing of my data as explained above").check()
    screenshot(phone, "apply-form-phone")
    phone.get_by_role("button", name=re.compile("apply|send", re.I)).last.click()

    confirmation = phone.get_by_role("heading", level=1).inner_text()
    assert "received" in confirmation.lower() or "thank" in confirmation.lower()
    application = db.session.scalar(
        sa.select(Application).where(Application.email == "sita@example.net")
    )
    assert application.costshare_requested and application.sponsor_name == "Nepal Labour Foundation"
    assert application.reference in phone.content()
    screenshot(phone, "apply-confirmation-phone")

    deliver()
    [mail] = smtp.to("sita@example.net")
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"(http://127\.0\.0\.1:\d+/my/\S+)", body).group(1)
    phone.goto(link)
    assert application.reference in phone.content()
    assert "Submitted" in phone.content() or "submitted" in phone.content()
    screenshot(phone, "status-page-phone")
    assert phone.console_errors == []


def test_the_application_form_can_be_completed_with_the_keyboard_alone(served, db, app, page):
    load_demo(app.instance_path, now=datetime.now(UTC))
    db.session.commit()
    slug = "multi-stakeholder-partnerships-" + str(datetime.now(UTC).year + 1)
    page.goto(f"{served.url}/activities/{slug}/apply")
    answers = {
        "given_names": "Keyboard",
        "family_name": "Only",
        "email": "keys@example.net",
        "email_confirm": "keys@example.net",
        "phone": "+591 2 2123456",
        "organisation": "FENCOMIN",
        "position": "Educator",
        "motivation": "I navigate without a mouse.",
    }
    choices = {"gender": "female", "proficiency": "advanced", "payment_source": "self"}
    selects = {"nationality": "Bolivia", "country": "Bolivia", "organisation_type": "Workers"}
    seen: set[str] = set()
    for _ in range(250):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement; return e ? "
            "{tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '', "
            "text: e.textContent || ''} : null })()"
        )
        if not focused:
            continue
        name, kind = focused["name"], focused["type"]
        if focused["tag"] == "BUTTON" and kind == "submit" and len(seen) > 10:
            page.keyboard.press("Enter")
            break
        if name in answers and name not in seen:
            page.keyboard.type(answers[name])
            seen.add(name)
        elif kind == "radio" and name in choices and name not in seen:
            # Arrow keys move through a radio group until the wanted value is checked.
            for _ in range(6):
                if page.evaluate("document.activeElement.value") == choices[name]:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            seen.add(name)
        elif focused["tag"] == "SELECT" and name in selects and name not in seen:
            page.keyboard.type(selects[name])
            seen.add(name)
        elif kind == "checkbox" and name == "consent" and name not in seen:
            page.keyboard.press("Space")
            seen.add(name)
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    problems = summary.inner_text() if summary.count() else ""
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Application)
            .where(Application.email == "keys@example.net")
        )
        == 1
    ), (sorted(seen), problems)
