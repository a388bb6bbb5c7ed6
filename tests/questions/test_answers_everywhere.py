"""Answers where staff look (detail, review filter, exports, participants) and where the
applicant looks (the private page, corrections until the deadline)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from werkzeug.datastructures import MultiDict

from eventreg.extensions import db
from eventreg.models import ApplicationStatus, Role
from eventreg.services import answering, answers, exports, questions, review

from ..conftest import csrf_token_from


@pytest.fixture
def uploads(app, tmp_path):
    saved = app.config.get("UPLOAD_DIR")
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"
    app.config["UPLOAD_DIR"] = saved


@pytest.fixture
def visit(make_activity, make_application, add_question):
    """Three applicants who answered a site choice and a visa question."""
    activity = make_activity()
    site = add_question(
        activity, "single_choice", "Which site?", options=[("Site A", 15), ("Site B", None)]
    )
    visa = add_question(activity, "yes_no", "Do you need a visa?")
    asked = questions.views_of(activity)
    people = {}
    for name, option, needs_visa in (("Ama", 0, "yes"), ("Bo", 1, "no"), ("Cy", 0, "no")):
        application = make_application(
            activity, given_names=name, status=ApplicationStatus.ACCEPTED
        )
        sent = MultiDict({f"q{site.id}": str(site.options[option].id), f"q{visa.id}": needs_visa})
        checked = answering.check_answers(asked, sent.getlist, lambda _name: None)
        answering.save_answers(application, asked, checked)
        people[name] = application
    db.session.commit()
    return activity, site, visa, people


def test_the_review_list_filters_by_a_choice_and_a_yes_no_answer(visit):
    activity, site, visa, people = visit
    by_site = review.review_page(activity, review.Filters(answer=f"{site.id}:{site.options[0].id}"))
    assert sorted(row.application.given_names for row in by_site.rows) == ["Ama", "Cy"]
    by_visa = review.review_page(activity, review.Filters(answer=f"{visa.id}:yes"))
    assert [row.application.given_names for row in by_visa.rows] == ["Ama"]
    assert review.review_page(activity, review.Filters(answer="nonsense")).matches == 0


def test_the_list_page_offers_the_answers_as_a_filter(visit, sign_in_as):
    activity, site, visa, people = visit
    office = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = office.get(f"/staff/activities/{activity.id}/applications?answer={visa.id}:yes")
    assert page.status_code == 200
    assert f'<option value="{visa.id}:yes" selected>Do you need a visa?: Yes</option>' in page.text
    assert people["Ama"].reference in page.text and people["Bo"].reference not in page.text


def test_the_detail_shows_answers_even_of_a_removed_question(visit, sign_in_as, manager):
    activity, site, visa, people = visit
    questions.archive_question(activity, visa, by=manager)
    db.session.commit()
    office = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = office.get(f"/staff/applications/{people['Ama'].id}")
    assert "Which site?</dt>" in page.text and "<dd>Site A</dd>" in page.text
    assert 'Do you need a visa? <span class="hint">(question since removed)</span>' in page.text


def test_exports_have_a_column_per_question(visit):
    activity, site, visa, people = visit
    made = exports.export_list(
        activity, filters=review.Filters(), columns=["given_names"], format=exports.Format.CSV
    )
    table = list(csv.reader(io.StringIO(made.content.decode("utf-8-sig"))))
    assert table[0] == ["Given names", "Which site?", "Do you need a visa?"]
    assert ["Ama", "Site A", "Yes"] in table and ["Bo", "Site B", "No"] in table
    venue = exports.export_participants(activity, format=exports.Format.CSV)
    header = next(csv.reader(io.StringIO(venue.content.decode("utf-8-sig"))))
    assert header[-2:] == ["Which site?", "Do you need a visa?"]


def test_the_applicant_sees_and_corrects_their_answers(
    client, make_activity, make_application, add_question, uploads
):
    activity = make_activity()
    site = add_question(
        activity, "single_choice", "Which site?", options=[("Site A", 1), ("Site B", None)]
    )
    application = make_application(
        activity,
        phone="+97714412345",
        organisation="Union",
        position="Officer",
        motivation="To learn.",
        proficiency="advanced",
        organisation_type="Other",
        gender="female",
    )
    asked = questions.views_of(activity)
    checked = answering.check_answers(
        asked, MultiDict({f"q{site.id}": str(site.options[1].id)}).getlist, lambda _n: None
    )
    answering.save_answers(application, asked, checked)
    other = make_application(activity)
    taken = answering.check_answers(
        asked, MultiDict({f"q{site.id}": str(site.options[0].id)}).getlist, lambda _n: None
    )
    answering.save_answers(other, asked, taken)
    db.session.commit()
    status = client.get(f"/my/{application.token}")
    assert "<dt>Which site?</dt><dd>Site B</dd>" in status.text
    form = client.get(f"/my/{application.token}/correct")
    assert re.search(rf'value="{site.options[1].id}" checked', form.text)
    assert 'Site A <span class="full">(full)</span>' in form.text
    fields = {
        "csrf_token": csrf_token_from(form.text),
        "given_names": application.given_names,
        "family_name": application.family_name,
        "gender": "female",
        "nationality": "NP",
        "country": "NP",
        "email": application.email,
        "email_confirm": application.email,
        "phone": "+977 1 441 2345",
        "language": "en",
        "organisation": "Union",
        "organisation_type": "Other",
        "position": "Officer",
        "proficiency": "advanced",
        "motivation": "To learn.",
        "payment_source": "self",
    }
    refused = client.post(
        f"/my/{application.token}/correct", data={**fields, f"q{site.id}": str(site.options[0].id)}
    )
    assert refused.status_code == 422 and "Site A is full" in refused.text
    other.status = ApplicationStatus.WITHDRAWN
    db.session.commit()
    done = client.post(
        f"/my/{application.token}/correct", data={**fields, f"q{site.id}": str(site.options[0].id)}
    )
    assert done.status_code in (302, 303)
    assert [a.shown for a in answers.answers_of(application)] == ["Site A"]
