"""What the form and the applicant's page refuse, said in the reader's language: a CV that
is not a PDF, a corrected email that another application uses, an unknown address."""

from __future__ import annotations

import html
import io

import pytest
import sqlalchemy as sa

from eventreg.models import Application, ApplicationStatus

from ..conftest import csrf_token_from
from .conftest import answers, submit

WORDS = {
    "fr": {
        "not a pdf": "Ce fichier n’est pas un PDF, quoi qu’en dise son nom : joignez un PDF.",
        "email taken": "Une autre candidature à cette activité utilise cette adresse e-mail.",
        "not found": "Page introuvable",
        "not offered": "N'est pas un choix valide.",
    },
    "es": {
        "not a pdf": "Este archivo no es un PDF, diga lo que diga su nombre: adjunte un PDF.",
        "email taken": "Otra solicitud a esta actividad usa esta dirección de correo electrónico.",
        "not found": "Página no encontrada",
        "not offered": "Opción inválida.",
    },
}


@pytest.fixture(params=["fr", "es"])
def reader(request, client) -> str:
    """The browser asks for French, or for Spanish."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = request.param
    return request.param


def test_a_cv_that_is_not_a_pdf_is_refused_in_the_readers_language(client, workshop, reader):
    response = submit(client, workshop, cv=(io.BytesIO(b"MZ not a pdf"), "cv.pdf"))
    assert response.status_code == 422
    assert WORDS[reader]["not a pdf"] in response.text
    assert "whatever its name says" not in response.text


def test_a_forged_choice_is_refused_in_the_readers_language(db, client, workshop, reader):
    """The form's own checks (here WTForms': a gender the form does not offer) speak the
    reader's language too, request after request, whichever language came first."""
    other = "es" if reader == "fr" else "fr"
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = other
    assert submit(client, workshop, gender="dragon").status_code == 422
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = reader
    response = submit(client, workshop, gender="dragon")
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert WORDS[reader]["not offered"] in page
    assert WORDS[other]["not offered"] not in page
    assert "Not a valid choice" not in page
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_a_corrected_email_already_used_is_refused_in_the_applicants_language(
    db, client, workshop, make_application, reader
):
    make_application(workshop, email="taken@example.net")
    mine = make_application(
        workshop, email="amina@example.net", status=ApplicationStatus.SUBMITTED, language=reader
    )
    db.session.commit()
    page = client.get(f"/my/{mine.token}/correct").text
    data = answers(workshop, email="taken@example.net", language=reader)
    data["csrf_token"] = csrf_token_from(page)
    response = client.post(f"/my/{mine.token}/correct", data=data)
    assert WORDS[reader]["email taken"] in response.text
    assert "Another application" not in response.text


def test_an_unknown_address_is_said_in_the_readers_language(client, reader):
    response = client.get("/activities/no-such-activity")
    assert response.status_code == 404
    assert WORDS[reader]["not found"] in response.text
    assert "Page not found" not in response.text
