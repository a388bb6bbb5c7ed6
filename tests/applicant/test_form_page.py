"""The prepared form page: laid out once per activity version, yet never stale or shared.

The public form keeps the blank page of each activity (see eventreg.public.formpage).
What an applicant would notice if that went wrong: an edit by staff not showing, someone
else's security token or one-time key, a time left frozen at the first visit.
"""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from eventreg import clock
from eventreg.models import Contact, EmailOutbox, FeeComponent, Role
from eventreg.services import activities, applications
from eventreg.services.applications import Answers
from eventreg.services.calls import CallFacts

from ..conftest import csrf_token_from
from .conftest import form_page, hidden_value, only_application, submit, token_of


def time_left_shown(html: str) -> str:
    match = re.search(r'<span class="time-left">\(([^)]*)\)</span>', html)
    assert match, "no time left on the page"
    return match.group(1)


def test_each_visit_gets_its_own_one_time_key_and_each_visitor_their_own_token(
    app, client, workshop
):
    first, second = form_page(client, workshop), form_page(client, workshop)
    other_visitor = app.test_client()
    third = form_page(other_visitor, workshop)
    keys = {hidden_value(page, "submission_key") for page in (first, second, third)}
    assert len(keys) == 3
    assert csrf_token_from(third) != csrf_token_from(first)
    # The holes are filled, not left as markers, and the pages agree apart from them.
    for page in (first, second, third):
        assert "eventreg" not in re.sub(r"registrations powered by eventreg", "", page)

    # (A signed CSRF token carries the second it was signed in: the first visit lays the
    # page out, which may take that second past.)
    def without_holes(page: str) -> str:
        page = page.replace(hidden_value(page, "submission_key"), "")
        return page.replace(csrf_token_from(page), "")

    assert without_holes(first) == without_holes(second)


def test_the_time_left_is_worked_out_at_each_visit(client, workshop, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: workshop.deadline_at - timedelta(days=5))
    assert time_left_shown(form_page(client, workshop)) == "5 days left"
    monkeypatch.setattr(clock, "now", lambda: workshop.deadline_at - timedelta(hours=3))
    assert time_left_shown(form_page(client, workshop)) == "3 hours left"


def test_an_edit_of_the_activity_shows_at_once(db, client, workshop):
    assert "Multi-stakeholder partnerships" in form_page(client, workshop)
    workshop.title = "Partnerships for public services"
    db.session.commit()
    html = form_page(client, workshop)
    assert "Partnerships for public services" in html
    assert "Multi-stakeholder partnerships" not in html


def test_a_new_fee_component_shows_and_can_be_asked_for(db, client, workshop, make_staff):
    manager = make_staff(Role.ACTIVITY_MANAGER, activity=workshop)
    before = form_page(client, workshop)
    assert "Visa support" not in before
    component = activities.save_part(
        workshop,
        FeeComponent(),
        {"name": "Visa support", "amount": 5_000, "covers": "", "position": 9},
        by=manager,
    )
    db.session.commit()
    page = form_page(client, workshop)
    assert "Visa support" in page
    assert f'value="{component.id}"' in page
    response = submit(
        client,
        workshop,
        page,
        costshare_requested="y",
        costshare_component_ids=str(component.id),
        costshare_reason="My union cannot pay for the visa.",
    )
    token_of(response)
    assert only_application(db).costshare_component_ids == [component.id]


def test_a_removed_audience_group_is_refused_even_from_an_old_page(
    db, client, workshop, make_staff
):
    manager = make_staff(Role.ACTIVITY_MANAGER, activity=workshop)
    page = form_page(client, workshop)
    group = next(g for g in workshop.audience_groups if g.name.startswith("Research"))
    activities.delete_part(workshop, group, by=manager)
    db.session.commit()
    response = submit(
        client, workshop, page, organisation_type="Research and training institutions"
    )
    assert response.status_code == 422
    assert "Choose a type from the list." in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailOutbox)) == 0


def test_the_acknowledgement_lists_the_contacts_as_they_are_when_applying(
    db, workshop, make_staff, write_emails
):
    """Facts prepared before a contact changed are not used for the acknowledgement."""
    manager = make_staff(Role.ACTIVITY_MANAGER, activity=workshop)
    prepared = CallFacts.of(workshop)
    contact = db.session.scalars(
        sa.select(Contact).where(Contact.activity_id == workshop.id, Contact.name == "Sophie Ouine")
    ).one()
    activities.save_part(
        workshop,
        contact,
        {"role": "Course assistant", "name": "Ana Nueva", "email": "ana@example.org", "phone": ""},
        by=manager,
    )
    db.session.commit()
    form_answers = Answers(given_names="Amina", family_name="Diallo", email="amina@example.net")
    applications.submit_application(
        workshop.id,
        facts=prepared,
        answers=form_answers,
        submission_key="k" * 32,
        consent=True,
        now=workshop.deadline_at - timedelta(days=1),
    )
    db.session.commit()
    write_emails()
    [email] = db.session.scalars(sa.select(EmailOutbox)).all()
    assert "Ana Nueva" in email.body_text
    assert "Sophie Ouine" not in email.body_text
    assert email.reply_to == "ana@example.org"


def test_a_message_for_the_visitor_is_shown_above_the_form(app, client, workshop):
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Your earlier form expired: here it is again.")]
    html = form_page(client, workshop)
    assert "Your earlier form expired: here it is again." in html
    assert hidden_value(html, "submission_key")
    # Shown once, then the prepared page again.
    assert "Your earlier form expired" not in form_page(client, workshop)
