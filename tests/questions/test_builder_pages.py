"""The question builder in the back office, without JavaScript."""

from __future__ import annotations

from eventreg.extensions import db
from eventreg.models import Role
from eventreg.services import questions as service

from ..conftest import csrf_token_from


def test_a_manager_builds_a_conditional_question_and_a_limited_choice(sign_in_as, make_activity):
    activity = make_activity()
    db.session.commit()
    client = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    url = f"/staff/activities/{activity.id}/form/application/questions"
    page = client.get(url)
    assert page.status_code == 200 and "No question of your own yet" in page.text
    token = csrf_token_from(page.text)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "type": "yes_no",
            "label_en": "Do you need a visa?",
            "label_fr": "Avez-vous besoin d'un visa ?",
            "required": "y",
        },
    )
    assert response.headers["Location"].endswith(url)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "type": "single_choice",
            "label_en": "Which site?",
            "options_en": "Site A | 2\nSite B",
            "options_fr": "Site A\nSite B",
            "display": "radio",
        },
    )
    assert response.headers["Location"].endswith(url)
    visa, site = service.questions_of(activity)
    page = client.get(url)
    assert f'value="{visa.id}:yes"' in page.text
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "type": "short_text",
            "label_en": "Passport number",
            "condition": [f"{visa.id}:yes"],
        },
    )
    assert response.headers["Location"].endswith(url)
    page = client.get(url)
    assert "Shown only when “Do you need a visa?” is Yes." in page.text
    assert "Site A: 0 of 2 places taken" in page.text
    assert [o.places for o in site.live_options] == [2, None]


def test_the_builder_says_what_is_wrong_and_saves_nothing(sign_in_as, make_activity):
    activity = make_activity()
    db.session.commit()
    client = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    url = f"/staff/activities/{activity.id}/form/application/questions"
    token = csrf_token_from(client.get(url).text)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "type": "single_choice",
            "label_en": "Which site?",
            "options_en": "",
        },
    )
    assert response.status_code == 422
    assert "A choice needs at least one option." in response.text
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "type": "single_choice",
            "label_en": "Which site?",
            "options_en": "Site A | many",
        },
    )
    assert response.status_code == 422 and "whole number after the bar" in response.text
    assert service.questions_of(activity) == []
