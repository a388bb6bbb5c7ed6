"""The activity's own texts in the reader's language: the page, the catalogue, the form, the
acknowledgement and the letter; the main language, with a note, where none was entered."""

from __future__ import annotations

import re

import pytest

from eventreg.models import ApplicationStatus, Role
from eventreg.pdf import acceptance_letter
from eventreg.services import activities, content

from ..pdf.conftest import pdf_text
from .conftest import submit, token_of
from .test_journey import calendar_of, html_body, plain_text

FRENCH_TITLE = "Partenariats multi-acteurs pour les services locaux"


@pytest.fixture
def french_workshop(db, workshop, factories):
    """The workshop (English, French, Spanish) with its texts entered in French only."""
    workshop.summary = "Five days in Turin on partnerships that reach the poor."
    factories.module(workshop, title="Pro-poor partnerships")
    factories.module(workshop, title="Social dialogue and partnership")
    db.session.flush()
    texts = {(workshop, "title"): FRENCH_TITLE}
    texts[workshop, "summary"] = (
        "Cinq jours à Turin sur les partenariats qui profitent aux pauvres."
    )
    first, second = workshop.modules
    texts[first, "title"] = "Partenariats en faveur des pauvres"
    texts[second, "title"] = "Dialogue social et partenariat"
    texts[workshop, "costshare_offer"] = (
        "Les organisateurs peuvent prendre en charge une partie des frais de quelques candidats."
    )
    manager, assistant = workshop.contacts
    texts[manager, "role"] = "Responsable de l’activité"
    texts[assistant, "role"] = "Assistante du cours"
    tuition, subsistence = workshop.fee_components
    texts[tuition, "name"] = "Frais de formation"
    texts[subsistence, "name"] = "Frais de séjour"
    content.save_translations(workshop, "fr", texts, by=factories.staff(Role.ADMIN))
    db.session.commit()
    return workshop


def words(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def test_a_french_reader_reads_the_activity_in_french(client, french_workshop):
    html = client.get("/activities/partnerships?lang=fr", follow_redirects=True)
    page = words(html)
    assert FRENCH_TITLE in page and "Cinq jours à Turin" in page
    assert "Module 1 : Partenariats en faveur des pauvres" in page
    assert "Dialogue social et partenariat" in page
    assert "Assistante du cours" in page and "Frais de formation" in page
    assert "Multi-stakeholder partnerships" not in page and "Pro-poor" not in page
    assert "disponible" not in page  # nothing fell back: no note
    assert '<h1 lang="en">' not in html.text and '<span lang="en">' not in html.text
    catalogue = words(client.get("/"))  # the choice is kept for the visit
    assert FRENCH_TITLE in catalogue and "Cinq jours à Turin" in catalogue
    assert "anglais, français, espagnol" in catalogue  # its languages, named in French


def test_a_browser_that_asks_for_french_gets_the_french_texts(client, french_workshop):
    headers = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
    page = words(client.get("/activities/partnerships", headers=headers))
    assert FRENCH_TITLE in page and "Dialogue social et partenariat" in page
    form = words(client.get("/activities/partnerships/apply", headers=headers))
    assert FRENCH_TITLE in form
    assert "Frais de formation" in form and "Frais de séjour" in form  # the cost-share choices
    assert "Component 1" not in form
    assert FRENCH_TITLE in words(client.get("/", headers=headers))


def test_a_spanish_reader_gets_the_main_language_with_a_note_saying_so(client, french_workshop):
    headers = {"Accept-Language": "es"}
    page = words(client.get("/activities/partnerships", headers=headers))
    assert "Multi-stakeholder partnerships for local service delivery" in page
    assert "Pro-poor partnerships" in page
    assert "La descripción de esta actividad solo está disponible en inglés." in page
    # Screen readers read the English texts on the Spanish page as English.
    html = client.get("/activities/partnerships", headers=headers).text
    assert '<h1 lang="en">Multi-stakeholder partnerships for local service delivery</h1>' in html
    assert '<span lang="en">Pro-poor partnerships</span>' in html
    form = words(client.get("/activities/partnerships/apply", headers=headers))
    assert "solo está disponible en inglés" in form
    # The English reader reads the main language: no note.
    english = words(client.get("/activities/partnerships", headers={"Accept-Language": "en"}))
    assert "only available" not in english


def test_a_page_partly_entered_in_french_says_that_parts_are_in_english(
    db, client, french_workshop, factories
):
    factories.module(french_workshop, title="An enabling environment")
    db.session.commit()
    page = words(client.get("/activities/partnerships", headers={"Accept-Language": "fr"}))
    assert "Certaines parties de cette description ne sont disponibles qu’en anglais." in page
    assert "An enabling environment" in page and FRENCH_TITLE in page


def test_a_french_applicant_is_acknowledged_with_the_french_title_and_calendar(
    client, smtp, deliver, french_workshop
):
    # Read in English, the application is made in French: the email follows the application.
    token_of(submit(client, french_workshop, language="fr"))
    deliver()
    [mail] = smtp.to("amina@example.net")
    assert FRENCH_TITLE in mail.message["Subject"]
    assert FRENCH_TITLE in plain_text(mail) and "Assistante du cours" in plain_text(mail)
    assert FRENCH_TITLE in html_body(mail)
    assert "Multi-stakeholder" not in plain_text(mail)
    events = calendar_of(mail).walk("VEVENT")
    assert [str(event["summary"]) for event in events][0] == f"{FRENCH_TITLE}: Opening"


def test_the_french_acceptance_letter_carries_the_french_texts(db, french_workshop, factories):
    amina = factories.application(french_workshop, status=ApplicationStatus.ACCEPTED, language="fr")
    text = " ".join(pdf_text(acceptance_letter(amina)).split())
    assert FRENCH_TITLE in text and "Frais de formation" in text
    assert "Multi-stakeholder" not in text


def test_the_next_edition_keeps_the_texts_in_every_language(db, french_workshop, factories):
    edition = activities.suggest_next_edition(french_workshop)
    copy = activities.duplicate_activity(french_workshop, edition, by=factories.staff(Role.ADMIN))
    assert copy.content("title", "fr") == FRENCH_TITLE
    assert copy.modules[1].content("title", "fr") == "Dialogue social et partenariat"
    assert copy.fee_components[0].content("name", "fr") == "Frais de formation"
    roles = {contact.content("role", "fr") for contact in copy.contacts}
    assert "Assistante du cours" in roles
    copy.modules[0].translations["fr"]["title"] = "changed"  # a copy, not the same dict
    assert french_workshop.modules[0].content("title", "fr") == "Partenariats en faveur des pauvres"


def test_making_french_the_main_language_swaps_the_texts(db, french_workshop, factories):
    admin = factories.staff(Role.ADMIN)
    content.set_languages(
        french_workshop, main="fr", others=["en"], allowed=["en", "fr", "es"], by=admin
    )
    assert french_workshop.languages == ["fr", "en"]
    assert french_workshop.title == FRENCH_TITLE
    assert french_workshop.content("title", "en").startswith("Multi-stakeholder partnerships")
    assert french_workshop.modules[0].title == "Partenariats en faveur des pauvres"
    assert french_workshop.translations.keys() == {"en"}  # Spanish was taken off: none left
