"""The applicant's own page speaks their language: the history of the application and the
refusals of a step they take there (a late answer to an offer)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from eventreg import clock
from eventreg.models import ApplicationStatus
from eventreg.services import applicant

from .conftest import submit

WORDS = {
    "fr": {
        "history": "Candidature envoyée",
        "response closed": "La date pour répondre à l’offre est passée",
    },
    "es": {
        "history": "Solicitud enviada",
        "response closed": "La fecha para responder a la oferta ha pasado",
    },
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_history_on_the_status_page_is_in_the_applicants_language(client, workshop, language):
    sent = submit(client, workshop, language=language)
    # The private link opens in the application's language whatever the browser asks.
    page = client.get(sent.headers["Location"].replace("/confirmation", "")).text
    assert WORDS[language]["history"] in page
    assert "Application submitted" not in page


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_late_answer_to_an_offer_is_refused_in_the_applicants_language(
    workshop, make_application, language
):
    accepted = make_application(
        workshop,
        status=ApplicationStatus.ACCEPTED,
        language=language,
        confirm_by=clock.now().date() - timedelta(days=2),
    )
    with force_locale(language), pytest.raises(applicant.ResponseClosed) as refusal:
        applicant.confirm_participation(accepted, now=clock.now())
    assert WORDS[language]["response closed"] in str(refusal.value)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "Votre candidature ne peut plus être corrigée ici."),
        ("es", "Su solicitud ya no se puede corregir aquí."),
    ],
)
def test_a_step_no_longer_open_says_so_in_the_applicants_language(
    db, client, workshop, make_application, language, said
):
    withdrawn = make_application(workshop, status=ApplicationStatus.WITHDRAWN, language=language)
    db.session.commit()
    page = client.get(f"/my/{withdrawn.token}/correct", follow_redirects=True).text
    assert said in page
    assert "can no longer be corrected" not in page
