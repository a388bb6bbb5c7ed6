"""A participant evaluates the activity in their language: the form's words, a missing
rating, a link already used."""

from __future__ import annotations

import pytest

from eventreg.models import ApplicationStatus
from eventreg.services import evaluations

from ..conftest import csrf_token_from

WORDS = {
    "fr": {
        "anonymous": "Vos réponses sont anonymes",
        "once": "Vous ne pouvez répondre qu’une seule fois.",
        "rating": "Choisissez une note de 1 à 5.",
        "used": "Ce lien d’évaluation a déjà servi, ou n’est pas valide.",
    },
    "es": {
        "anonymous": "Sus respuestas son anónimas",
        "once": "Solo puede responder una vez.",
        "rating": "Elija una puntuación del 1 al 5.",
        "used": "Este enlace de evaluación ya se ha usado o no es válido.",
    },
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_participant_evaluates_in_their_language(
    db, client, make_activity, make_application, move_clock, language
):
    activity = make_activity(evaluation_anonymous=True)
    make_application(activity, status=ApplicationStatus.CONFIRMED, language=language)
    move_clock(activity.ends_at)
    [invitation] = evaluations.invite_participants(activity, by=None)
    db.session.commit()
    words = WORDS[language]
    page = client.get(f"/evaluate/{invitation.token}").text
    assert words["anonymous"] in page and words["once"] in page
    assert "You can answer once" not in page
    refused = client.post(
        f"/evaluate/{invitation.token}", data={"csrf_token": csrf_token_from(page)}
    ).text
    assert words["rating"] in refused and "Choose a rating" not in refused
    # Once answered, the link says so in the language the browser asks for.
    asked = evaluations.ensure_questions(activity)
    evaluations.submit_online(
        invitation, {q.id: 5 if q.kind.value == "rating" else "" for q in asked}
    )
    db.session.commit()
    used = client.get(f"/evaluate/{invitation.token}", headers={"Accept-Language": language})
    assert used.status_code == 410
    assert words["used"] in used.text
