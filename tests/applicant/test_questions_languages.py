"""A French or Spanish applicant reads the organiser's questions' hints and refusals in
their language: too many picks, a number out of range, a wrong file, a full option."""

from __future__ import annotations

import io

import pytest

from .conftest import form_page, submit
from .test_questions import add

# What each reader should see, and English they should not.
WORDS = {
    "fr": {
        "picks": "Choisissez 2 options au plus.",
        "picks hint": "Choisissez jusqu’à 2 options.",
        "range": "Ce nombre est hors des limites. Un nombre entier, 1 au minimum.",
        "file": "Ce fichier n’est ni un PDF, ni un JPEG, ni un PNG, quoi qu’en dise son nom.",
        "file hint": "Un fichier PDF, JPEG ou PNG de 2 Mo au plus.",
        "required": "Veuillez répondre à cette question.",
        "error": '<span class="visually-hidden">Erreur :</span>',  # for screen readers
        "optional": "(facultatif)",
        "section": "Quelques questions de plus",
        "condition": "Seulement si votre réponse à « Do you need a visa? » est Oui.",
        "full": "(complet)",
        "full refusal": "toutes les places sont prises. Veuillez choisir une autre option.",
    },
    "es": {
        "picks": "Elija 2 opciones como máximo.",
        "picks hint": "Elija hasta 2 opciones.",
        "range": "Este número está fuera del rango permitido. Un número entero, como mínimo 1.",
        "file": "Este archivo no es un PDF, un JPEG ni un PNG, diga lo que diga su nombre.",
        "file hint": "Un archivo PDF, JPEG o PNG de 2 MB como máximo.",
        "required": "Responda a esta pregunta, por favor.",
        "error": '<span class="visually-hidden">Error:</span>',  # as in English
        "optional": "(opcional)",
        "section": "Algunas preguntas más",
        "condition": "Solo si su respuesta a «Do you need a visa?» es Sí.",
        "full": "(completo)",
        "full refusal": "todas las plazas están ocupadas. Elija otra opción, por favor.",
    },
}
ENGLISH = (
    "Choose at most",
    "Choose up to",
    "out of range",
    "whatever its name says",
    "Please answer this question.",
    "(optional)",
    "A few more questions",
    "Only if your answer",
    "(full)",
    "every place is taken",
)


@pytest.fixture(params=["fr", "es"])
def reader(request, client) -> str:
    """The browser asks for French, or for Spanish."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = request.param
    return request.param


@pytest.fixture
def asked(workshop):
    """Up to two sites, a number of years (a whole one, at least 1), a letter and a visa."""
    sites = add(
        workshop,
        "multiple_choice",
        "Which sites?",
        settings={"max_picks": 2},
        options=[("Site A", None), ("Site B", None), ("Site C", None)],
    )
    years = add(workshop, "number", "Years", settings={"minimum": "1", "integer": True})
    letter = add(workshop, "file", "Letter", settings={"max_mb": 2})
    visa = add(workshop, "yes_no", "Do you need a visa?", required=True)
    passport = add(
        workshop,
        "short_text",
        "Passport",
        condition_question_id=visa.id,
        condition_values=["yes"],
    )
    return sites, years, letter, visa, passport


def test_the_questions_hints_are_in_the_readers_language(client, workshop, asked, reader):
    page = form_page(client, workshop)
    words = WORDS[reader]
    for key in ("picks hint", "file hint", "optional", "section", "condition"):
        assert words[key] in page, key
    assert [english for english in ENGLISH if english in page] == []


def test_refused_answers_are_explained_in_the_readers_language(client, workshop, asked, reader):
    sites, years, letter, visa, passport = asked
    response = submit(
        client,
        workshop,
        **{
            f"q{sites.id}": [str(option.id) for option in sites.options],
            f"q{years.id}": "0",
            f"q{letter.id}": (io.BytesIO(b"MZ not a letter"), "letter.pdf"),
        },
    )
    assert response.status_code == 422
    words = WORDS[reader]
    for key in ("picks", "range", "file", "required", "error"):
        assert words[key] in response.text, key
    assert [english for english in ENGLISH if english in response.text] == []


def test_a_full_option_is_refused_in_the_readers_language(app, client, workshop, reader):
    site = add(workshop, "single_choice", "Which site?", options=[("Site A", 1), ("Site B", None)])
    taken = submit(app.test_client(), workshop, **{f"q{site.id}": str(site.options[0].id)})
    assert "/confirmation" in taken.headers["Location"]
    assert WORDS[reader]["full"] in form_page(client, workshop)
    # Sent anyway (a page opened before the place went): refused with the reason.
    refused = submit(
        client, workshop, email="late@example.net", **{f"q{site.id}": str(site.options[0].id)}
    )
    assert refused.status_code == 422
    assert WORDS[reader]["full refusal"] in refused.text
    assert "every place is taken" not in refused.text


def test_the_organisers_wording_is_shown_in_the_readers_language(
    client, workshop, reader, write_emails
):
    """The manager wrote the questions in three languages: the form, its error summary, the
    acknowledgement and the private page use the reader's (the staff keep English)."""
    from eventreg.extensions import db
    from eventreg.models import EmailOutbox
    from eventreg.models.questions import Answer
    from eventreg.services import questions as service

    from .conftest import token_of

    wording = {
        "en": "Your union branch",
        "fr": "Votre section syndicale",
        "es": "Su sección sindical",
    }
    spec = service.QuestionSpec(type="short_text", label=wording, required=True)
    branch = service.save_question(workshop, service.Question(), spec, by=None)
    site = add(workshop, "single_choice", "Which site?", options=[("Site A", None)])
    db.session.commit()

    page = form_page(client, workshop)
    assert wording[reader] in page and wording["en"] not in page
    assert "Site A (fr)" in page if reader == "fr" else "Site A</label>" in page

    refused = submit(client, workshop, language=reader, **{f"q{site.id}": ""})
    assert refused.status_code == 422
    summary = refused.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert wording[reader] in summary and wording["en"] not in refused.text

    done = submit(
        client,
        workshop,
        language=reader,
        **{f"q{branch.id}": "Kathmandu valley", f"q{site.id}": str(site.options[0].id)},
    )
    write_emails()
    acknowledgement = db.session.query(EmailOutbox).one()
    assert f"{wording[reader]}: Kathmandu valley" in acknowledgement.body_text
    assert wording["en"] not in acknowledgement.body_text
    status = client.get(f"/my/{token_of(done)}")
    assert wording[reader] in status.text and wording["en"] not in status.text
    # Staff read the wording in English, as it was answered.
    assert db.session.query(Answer.label).filter_by(question_id=branch.id).scalar() == wording["en"]


# A yes, one site, two topics and Germany, as each reader reads them back.
READ_BACK = {
    "fr": ("Oui", "Site A (fr)", "Water (fr); Waste (fr)", "Allemagne"),
    "es": ("Sí", "Site A", "Water; Waste", "Alemania"),  # the options have no Spanish: English
}


def test_the_answers_read_back_in_the_readers_words(client, workshop, reader, write_emails):
    """A yes or no, the options picked and a country read back in the applicant's language
    in the acknowledgement and on the private page; staff keep them in English."""
    from eventreg.extensions import db
    from eventreg.models import EmailOutbox
    from eventreg.models.questions import Answer

    from .conftest import token_of

    visa = add(workshop, "yes_no", "Do you need a visa?")
    site = add(workshop, "single_choice", "Which site?", options=[("Site A", None)])
    topics = add(workshop, "multiple_choice", "Topics", options=[("Water", None), ("Waste", None)])
    origin = add(workshop, "country", "Country you travel from")
    done = submit(
        client,
        workshop,
        language=reader,
        **{
            f"q{visa.id}": "yes",
            f"q{site.id}": str(site.options[0].id),
            f"q{topics.id}": [str(option.id) for option in topics.options],
            f"q{origin.id}": "DE",
        },
    )
    assert "/confirmation" in done.headers["Location"]
    yes, picked, both, country = READ_BACK[reader]
    write_emails()
    acknowledgement = db.session.query(EmailOutbox).one().body_text
    status = client.get(f"/my/{token_of(done)}").text
    for label, shown in [
        ("Do you need a visa?", yes),
        ("Which site?", picked),
        ("Topics", both),
        ("Country you travel from", country),
    ]:
        assert f"{label}: {shown}" in acknowledgement
        assert shown in status
    for english in ("Germany", ": Yes"):
        assert english not in acknowledgement and english not in status
    kept = dict(db.session.query(Answer.question_id, Answer.shown))
    assert kept == {
        visa.id: "Yes",
        site.id: "Site A",
        topics.id: "Water; Waste",
        origin.id: "Germany",
    }
