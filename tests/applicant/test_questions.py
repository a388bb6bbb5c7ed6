"""The organiser's own questions on the application form: shown, checked, kept."""

from __future__ import annotations

import io

import pytest

from eventreg.extensions import db
from eventreg.models import Application, ApplicationStatus, EmailOutbox, Question
from eventreg.models.questions import Answer
from eventreg.services import questions as service
from eventreg.services.answers import answers_of

from .conftest import form_page, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def add(activity, type_, label, manager=None, **fields):
    options = [
        service.OptionSpec(label={"en": text, "fr": f"{text} (fr)"}, places=places)
        for text, places in fields.pop("options", [])
    ]
    spec = service.QuestionSpec(type=type_, label={"en": label}, options=options, **fields)
    question = service.save_question(activity, Question(), spec, by=manager)
    db.session.commit()
    return question


@pytest.fixture
def visit_form(workshop):
    """The workshop asks: a visa (yes/no), a passport number only with a visa, a site."""
    visa = add(workshop, "yes_no", "Do you need a visa?", required=True)
    passport = add(
        workshop,
        "short_text",
        "Passport number",
        required=True,
        condition_question_id=visa.id,
        condition_values=["yes"],
    )
    site = add(workshop, "single_choice", "Which site?", options=[("Site A", 1), ("Site B", None)])
    return visa, passport, site


def stored(email="amina@example.net"):
    application = db.session.query(Application).filter_by(email=email).one()
    return {a.label: a.shown for a in answers_of(application)}


def test_the_form_shows_the_questions_with_their_conditions(client, workshop, visit_form):
    visa, passport, site = visit_form
    page = form_page(client, workshop)
    assert "Do you need a visa?" in page and "Which site?" in page
    assert f'data-shown-when="q{visa.id}" data-shown-values="yes"' in page
    assert "Only if your answer to “Do you need a visa?” is Yes." in page
    assert f'name="q{site.id}" type="radio" value="{site.options[0].id}"' in page


def test_answers_are_kept_with_their_wording(client, workshop, visit_form, write_emails):
    visa, passport, site = visit_form
    response = submit(
        client,
        workshop,
        **{
            f"q{visa.id}": "yes",
            f"q{passport.id}": "AB123456",
            f"q{site.id}": str(site.options[1].id),
        },
    )
    assert "/confirmation" in response.headers["Location"]
    assert stored() == {
        "Do you need a visa?": "Yes",
        "Passport number": "AB123456",
        "Which site?": "Site B",
    }
    write_emails()
    acknowledgement = db.session.query(EmailOutbox).one()
    assert "Passport number: AB123456\nWhich site?: Site B" in acknowledgement.body_text
    assert "<dt>Which site?</dt><dd>Site B</dd>" in acknowledgement.body_html


def test_a_hidden_question_is_not_required_and_its_answer_is_dropped(client, workshop, visit_form):
    visa, passport, site = visit_form
    response = submit(client, workshop, **{f"q{visa.id}": "no", f"q{passport.id}": "SNEAKY"})
    assert "/confirmation" in response.headers["Location"]
    assert stored() == {"Do you need a visa?": "No"}


def test_a_required_question_left_blank_is_refused_and_nothing_is_saved(
    client, workshop, visit_form
):
    visa, passport, site = visit_form
    response = submit(client, workshop, **{f"q{visa.id}": "yes"})
    assert response.status_code == 422
    assert "Passport number: Please answer this question." in response.text
    assert db.session.query(Application).count() == 0


def test_a_full_option_is_shown_full_and_refused(app, client, workshop, visit_form):
    visa, passport, site = visit_form
    first = submit(
        client, workshop, **{f"q{visa.id}": "no", f"q{site.id}": str(site.options[0].id)}
    )
    assert "/confirmation" in first.headers["Location"]
    page = form_page(app.test_client(), workshop)
    assert 'Site A <span class="full">(full)</span>' in page
    second = submit(
        app.test_client(),
        workshop,
        email="second@example.net",
        **{f"q{visa.id}": "no", f"q{site.id}": str(site.options[0].id)},
    )
    assert second.status_code == 422
    assert "Site A is full" in second.text
    assert db.session.query(Application).count() == 1
    # Withdrawing frees the place.
    db.session.query(Application).one().status = ApplicationStatus.WITHDRAWN
    db.session.commit()
    third = submit(
        app.test_client(),
        workshop,
        email="third@example.net",
        **{f"q{visa.id}": "no", f"q{site.id}": str(site.options[0].id)},
    )
    assert "/confirmation" in third.headers["Location"]


@pytest.mark.parametrize(
    ("type_", "settings", "sent", "message"),
    [
        ("number", {"minimum": "1", "maximum": "10", "integer": True}, "11", "out of range"),
        ("number", {"integer": True}, "2.5", "whole number"),
        ("date", {"min_date": "2027-01-01"}, "2026-12-31", "out of range"),
        ("multiple_choice", {"max_picks": 1}, ["OPT0", "OPT1"], "at most 1"),
        ("single_choice", {}, "999999", "options offered"),
        ("phone", {}, "+41 12", "International format"),
        ("email", {}, "not-an-address", "email address"),
        ("country", {}, "XX", "country from the list"),
        ("short_text", {"max_length": 5}, "too long text", "under 5"),
    ],
)
def test_bad_answers_get_a_clear_message_and_change_nothing(
    client, workshop, type_, settings, sent, message
):
    options = [("One", None), ("Two", None)] if "choice" in type_ else []
    question = add(workshop, type_, "The question", settings=settings, options=options)
    if isinstance(sent, list):
        sent = [str(question.options[int(v[-1])].id) for v in sent]
    response = submit(client, workshop, **{f"q{question.id}": sent})
    assert response.status_code == 422
    assert message in response.text
    assert db.session.query(Application).count() == 0


def test_a_phone_answer_is_kept_in_e164(client, workshop):
    question = add(workshop, "phone", "Phone at work")
    submit(client, workshop, **{f"q{question.id}": "+41 22 799 61 11"})
    assert stored() == {"Phone at work": "+41227996111"}


def test_an_upload_is_checked_by_its_content(client, workshop, uploads):
    question = add(workshop, "file", "Letter of support", settings={"max_mb": 1})
    page = form_page(client, workshop)
    bad = submit(
        client,
        workshop,
        page,
        **{f"q{question.id}": (io.BytesIO(b"MZ not an image"), "letter.png")},
    )
    assert bad.status_code == 422 and "not a PDF, JPEG or PNG" in bad.text
    big = submit(
        client,
        workshop,
        **{f"q{question.id}": (io.BytesIO(PNG + b"\x00" * 1024 * 1024), "big.png")},
    )
    assert big.status_code == 422 and "larger than 1 MB" in big.text
    good = submit(client, workshop, **{f"q{question.id}": (io.BytesIO(PNG), "letter.png")})
    assert "/confirmation" in good.headers["Location"]
    answer = db.session.query(Answer).one()
    assert answer.shown == "letter.png" and (uploads / answer.value["path"]).read_bytes() == PNG


def test_answers_keep_their_wording_after_the_question_changes(client, workshop, visit_form):
    visa, passport, site = visit_form
    submit(client, workshop, **{f"q{visa.id}": "no", f"q{site.id}": str(site.options[1].id)})
    spec = service.QuestionSpec(
        type="single_choice",
        label={"en": "Which place?"},
        options=[
            service.OptionSpec({"en": "Place A"}, 1, site.options[0].id),
            service.OptionSpec({"en": "Place B"}, None, site.options[1].id),
        ],
    )
    service.save_question(workshop, site, spec, by=None)
    db.session.commit()
    assert stored()["Which site?"] == "Site B"


def test_a_cv_sent_with_a_full_option_is_not_kept(app, client, workshop, visit_form, uploads):
    """The option filled up while the applicant was writing: the submission is refused,
    and the CV it carried is not left behind in the store (nothing would ever remove it)."""
    visa, _passport, site = visit_form
    choice = {f"q{visa.id}": "no", f"q{site.id}": str(site.options[0].id)}
    page = form_page(client, workshop)  # opened while Site A still had its place
    assert "/confirmation" in submit(app.test_client(), workshop, **choice).headers["Location"]

    pdf = b"%PDF-1.5\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    late = submit(
        client,
        workshop,
        page=page,
        email="late@example.net",
        cv=(io.BytesIO(pdf), "cv.pdf"),
        **choice,
    )
    assert late.status_code == 422 and "Site A is full" in late.text
    assert db.session.query(Application).count() == 1
    assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]
