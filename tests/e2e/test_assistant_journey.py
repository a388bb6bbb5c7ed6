"""Journey (b): an assistant signs in, filters, accepts with a partial cost-share; the applicant
confirms from the private page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eventreg.models import ApplicationStatus, Role

from ..conftest import PASSWORD
from .conftest import screenshot


def test_an_assistant_accepts_with_a_partial_cost_share_and_the_applicant_confirms(
    served, db, page, phone, make_activity, factories, make_application, make_staff, smtp, deliver
):
    now = datetime.now(UTC)
    activity = make_activity(
        title="Multi-stakeholder partnerships",
        capacity=30,
        opens_at=now - timedelta(days=10),
        deadline_at=now - timedelta(days=1),
        costshare_budget=1_600_000,
        costshare_cap=8,
        fees=(104_000, 96_000),
    )
    factories.contact(activity, role="Course assistant", email="assistant@example.org")
    sita = make_application(
        activity,
        given_names="Sita",
        family_name="Shrestha",
        country="NP",
        email="sita@example.net",
        costshare_requested=True,
        organisation="GEFONT",
    )
    make_application(activity, given_names="Diego", family_name="Quispe", country="BO")
    make_staff(Role.COURSE_ASSISTANT, activity, email="sophie@example.org")
    reference = sita.reference
    db.session.commit()

    page.goto(served.url + f"/staff/activities/{activity.id}/applications")
    page.get_by_label("Email").fill("sophie@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Search").fill("GEFONT")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_text("Quispe, Diego").count() == 0
    assert page.get_by_text("Shrestha, Sita").count() == 1
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Accept", exact=True).click()
    page.get_by_role("button", name="Accept and send the email").click()
    assert "accepted" in page.content().lower()

    page.get_by_role("link", name="Cost-sharing and payments").click()
    page.get_by_label("Fee component").select_option(label="Component 2")
    page.get_by_label("Grant").select_option("percent")
    page.get_by_label("Part (%)").fill("50")
    page.get_by_role("button", name="Grant and tell the applicant").click()
    assert "EUR 1,520" in page.content()  # 2,000 - 480 granted
    screenshot(page, "assistant-money-desktop")

    db.session.expire_all()
    phone.goto(served.url + f"/my/{sita.token}")
    phone.get_by_role("button", name="Yes, I will take part").click()
    db.session.expire_all()
    from eventreg.models import Application

    assert db.session.get(Application, sita.id).status == ApplicationStatus.CONFIRMED
    deliver()
    subjects = [m.message["Subject"] for m in smtp.to("sita@example.net")]
    assert len(subjects) >= 3  # accepted, cost-sharing granted, confirmation
    screenshot(phone, "applicant-confirmed-phone")
