"""A manager declares an activity's languages and enters its texts in each one."""

from __future__ import annotations

import pytest

from eventreg.models import Role

from ..conftest import csrf_token_from


@pytest.fixture
def workshop(db, make_activity, factories):
    activity = make_activity(
        title="Multi-stakeholder partnerships",
        summary="Five days in Turin.",
        languages=["en", "fr"],
    )
    factories.module(activity, title="Pro-poor partnerships", description="Who gains.")
    factories.contact(activity, role="Course assistant", name="Sophie Ouine")
    db.session.commit()
    return activity


def post_form(client, url, **data):
    page = client.get(url)
    assert page.status_code == 200, page.text
    return client.post(url, data={**data, "csrf_token": csrf_token_from(page.text)})


def keys(activity):
    module, contact, tuition = activity.modules[0], activity.contacts[0], activity.fee_components[0]
    return {
        "title": f"activity-{activity.id}-title",
        "summary": f"activity-{activity.id}-summary",
        "module": f"module-{module.id}-title",
        "contact": f"contact-{contact.id}-role",
        "fee": f"feecomponent-{tuition.id}-name",
    }


def test_a_manager_enters_french_texts_beside_the_english_ones(db, sign_in_as, workshop):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    url = f"/staff/activities/{workshop.id}/languages/fr"
    page = manager.get(url).text
    # Every field has its label, and the English text is shown with it for reference.
    field = keys(workshop)
    assert f'<label for="{field["title"]}">Title</label>' in page
    assert "Module 1: title" in page and "Pro-poor partnerships" in page
    assert "Five days in Turin." in page
    response = post_form(
        manager,
        url,
        **{
            field["title"]: "Partenariats multi-acteurs",
            field["summary"]: "Cinq jours à Turin.",
            field["module"]: "Partenariats en faveur des pauvres",
            field["contact"]: "Assistante du cours",
            field["fee"]: "Frais de formation",
        },
    )
    assert response.headers["Location"].endswith(url)
    db.session.refresh(workshop)
    assert workshop.translations == {
        "fr": {"title": "Partenariats multi-acteurs", "summary": "Cinq jours à Turin."}
    }
    assert workshop.title == "Multi-stakeholder partnerships"  # the main language stays
    assert workshop.modules[0].content("title", "fr") == "Partenariats en faveur des pauvres"
    assert workshop.contacts[0].content("role", "fr") == "Assistante du cours"
    assert workshop.fee_components[0].content("name", "fr") == "Frais de formation"
    assert "5 texts saved in French (fr)." in manager.get(url).text


def test_too_long_a_text_is_refused_next_to_its_field_and_nothing_is_saved(
    db, sign_in_as, workshop
):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    field = keys(workshop)
    response = post_form(
        manager,
        f"/staff/activities/{workshop.id}/languages/fr",
        **{field["summary"]: "Cinq jours à Turin.", field["title"]: "x" * 301},
    )
    assert response.status_code == 200
    assert "Field cannot be longer than 300 characters." in response.text
    db.session.refresh(workshop)
    assert workshop.translations == {}


def test_a_language_the_activity_is_not_offered_in_has_no_page(db, sign_in_as, workshop):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    token = csrf_token_from(manager.get(f"/staff/activities/{workshop.id}/languages").text)
    for code, message in (
        ("es", "Spanish (es) is not one of the other languages"),
        ("en", "English (en) is the main language"),
    ):
        url = f"/staff/activities/{workshop.id}/languages/{code}"
        data = {"csrf_token": token, f"activity-{workshop.id}-title": "Partenariats"}
        response = manager.post(url, data=data)
        assert response.headers["Location"].endswith(f"/staff/activities/{workshop.id}/languages")
        assert message in manager.get(response.headers["Location"]).text
    db.session.refresh(workshop)
    assert workshop.translations == {}


def test_a_manager_declares_the_languages_from_the_organisations_list(db, sign_in_as, workshop):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    url = f"/staff/activities/{workshop.id}/languages"
    refused = post_form(manager, url, main="en", others=["fr", "de"])
    assert "&#39;de&#39; is not a valid choice for this field." in refused.text
    db.session.refresh(workshop)
    assert workshop.languages == ["en", "fr"]
    done = post_form(manager, url, main="en", others=["es", "fr"])
    assert done.headers["Location"].endswith(url)
    db.session.refresh(workshop)
    assert workshop.languages == ["en", "es", "fr"]
    page = manager.get(url).text
    assert "Texts in French" in page and "Texts in Spanish" in page
    # The title, the summary, the module's two texts, the two fees' names and the role.
    assert "0 of 7 entered" in page
