"""Done means for languages: a French browser reads the whole journey in French, with French
errors and a French acknowledgement; a Spanish reader gets there through the language links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import PHONE


def skip_browser_checks(page: Any) -> None:
    """Let the form be sent past the browser's own checks, once the form page is there (a
    link's click returns before the next page has loaded)."""
    page.locator("form.application-form").evaluate("form => { form.noValidate = true; }")


@pytest.fixture
def french_phone(browser: Any) -> Iterator[Any]:
    """A phone whose browser asks for French (Accept-Language: fr-FR)."""
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


@pytest.fixture
def workshop(db, make_activity, factories):
    activity = make_activity(
        title="Partenariats multi-acteurs", languages=["en", "fr", "es"], venue="Turin"
    )
    factories.contact(activity, role="Course assistant", email="assistant@example.org")
    db.session.commit()
    return activity


def private_link(mail: Any, base: str) -> str:
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"({re.escape(base)}/my/\S+)", body).group(1)


def fill_in(page: Any, labels: dict[str, str], email: str) -> None:
    """The form, by the labels a reader of the page's language sees."""
    page.get_by_label(labels["given"]).fill("Awa")
    page.get_by_label(labels["family"]).fill("Ndiaye")
    page.get_by_label(labels["female"]).check()
    page.get_by_label(labels["nationality"]).select_option("SN")
    page.get_by_label(labels["country"]).select_option("SN")
    page.get_by_label(labels["email"], exact=True).fill(email)
    page.get_by_label(labels["email_again"]).fill(email)
    page.get_by_label(labels["phone"]).fill("+221 33 821 0000")
    page.get_by_label(labels["organisation"], exact=True).fill("UNSAS")
    page.get_by_label(labels["type"]).select_option(index=1)
    page.get_by_label(labels["position"]).fill("Formatrice")
    page.get_by_label(re.compile(labels["advanced"])).check()
    page.get_by_label(labels["why"]).fill("Pour construire des partenariats locaux.")
    page.get_by_label(labels["self"]).check()
    page.get_by_label(labels["consent"]).check()


def test_a_french_browser_applies_in_french_from_page_to_email(
    served, db, workshop, french_phone, smtp, deliver
):
    page = french_phone
    page.goto(served.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Activités ouvertes et à venir"
    page.get_by_role("link", name="Partenariats multi-acteurs").click()
    assert page.get_by_role("heading", name="En bref").is_visible()
    page.get_by_role("link", name="Postuler").first.click()

    # Sent empty (past the browser's own checks): the server's errors are French.
    skip_browser_checks(page)
    page.get_by_role("button", name="Envoyer ma candidature").click()
    summary = page.locator(".error-summary")
    assert "Merci de corriger ce qui suit" in summary.inner_text()
    assert "Indiquez vos prénoms." in summary.inner_text()
    assert "Please" not in page.content()

    fill_in(
        page,
        {
            "given": "Prénoms",
            "family": "Nom de famille",
            "female": "Femme",
            "nationality": "Nationalité",
            "country": "Pays de résidence",
            "email": "Courriel",
            "email_again": "Courriel, à nouveau",
            "phone": "Téléphone",
            "organisation": "Organisation",
            "type": "Type d’organisation",
            "position": "Fonction",
            "advanced": "^Avancé",
            "why": "Pourquoi souhaitez-vous participer ?",
            "self": "Je les paie moi-même",
            "consent": "J’accepte le traitement de mes données tel qu’expliqué ci-dessus",
        },
        "awa@example.net",
    )
    page.get_by_role("button", name="Envoyer ma candidature").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Merci : votre candidature est bien reçue"

    deliver()
    [mail] = smtp.to("awa@example.net")
    assert mail.message["Subject"].strip().startswith("Candidature reçue : Partenariats")
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Bonjour Awa Ndiaye,")
    assert "Votre numéro de référence" in body and "Thank you" not in body

    page.goto(private_link(mail, served.url))
    assert page.get_by_role("heading", name="Statut : Envoyée").is_visible()
    assert "Ce que vous pouvez faire" in page.content()


def test_a_reader_switches_to_spanish_with_the_link_and_stays_in_spanish(
    served, db, workshop, phone, smtp, deliver
):
    phone.goto(served.url + "/")
    assert phone.locator("html").get_attribute("lang") == "en"
    phone.get_by_role("link", name="Español").click()
    # Once the Spanish page is there (the click returns before it has loaded).
    phone.get_by_role("heading", level=1, name="Actividades abiertas y próximas").wait_for()
    assert phone.locator("html").get_attribute("lang") == "es"
    phone.get_by_role("link", name="Partenariats multi-acteurs").click()
    phone.get_by_role("link", name="Solicitar").first.click()
    skip_browser_checks(phone)
    phone.get_by_role("button", name="Enviar mi solicitud").click()
    assert "Indique sus nombres." in phone.locator(".error-summary").inner_text()
    fill_in(
        phone,
        {
            "given": "Nombres",
            "family": "Apellidos",
            "female": "Mujer",
            "nationality": "Nacionalidad",
            "country": "País de residencia",
            "email": "Correo electrónico",
            "email_again": "Repita el correo electrónico",
            "phone": "Teléfono",
            "organisation": "Organización",
            "type": "Tipo de organización",
            "position": "Cargo",
            "advanced": "^Avanzado",
            "why": "¿Por qué desea participar?",
            "self": "La pago yo",
            "consent": "Acepto el tratamiento de mis datos tal como se explica arriba",
        },
        "awa.es@example.net",
    )
    phone.get_by_role("button", name="Enviar mi solicitud").click()
    thanks = phone.get_by_role("heading", level=1).inner_text()
    assert thanks == "Gracias: hemos recibido su solicitud"

    deliver()
    [mail] = smtp.to("awa.es@example.net")
    assert mail.message["Subject"].strip().startswith("Solicitud recibida: Partenariats")
    phone.goto(private_link(mail, served.url))
    assert phone.get_by_role("heading", name="Estado: Enviada").is_visible()
