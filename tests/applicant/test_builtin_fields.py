"""A manager switches off optional built-in fields: the form shows only what is on, and
what applicants answered before stays."""

from __future__ import annotations

from eventreg.extensions import db
from eventreg.models import Role

from ..conftest import csrf_token_from
from .conftest import answers, form_page, only_application, post_form, submit


def test_switched_off_fields_leave_the_form_and_keep_earlier_answers(client, workshop, sign_in_as):
    first = submit(client, workshop, dietary_needs="Vegetarian")
    assert "/confirmation" in first.headers["Location"]
    token = only_application(db).token

    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    url = f"/staff/activities/{workshop.id}/form/application/questions"
    page = manager.get(url)
    assert 'value="cv" checked' in page.text
    response = manager.post(
        f"/staff/activities/{workshop.id}/form/application/built-in",
        data={
            "csrf_token": csrf_token_from(page.text),
            "asked": ["title", "expectations", "access_needs"],
        },
    )
    assert response.headers["Location"].endswith(url)

    form = form_page(client.application.test_client(), workshop)
    assert 'name="dietary_needs"' not in form and 'name="cv"' not in form
    assert 'name="access_needs"' in form and 'name="title"' in form

    correction = client.get(f"/my/{token}/correct")
    assert 'name="dietary_needs"' not in correction.text
    fields = answers(workshop, consent=None, dietary_needs=None, position="Secretary")
    fields["csrf_token"] = csrf_token_from(correction.text)
    done = post_form(client, f"/my/{token}/correct", fields)
    assert done.status_code in (302, 303)
    db.session.expire_all()
    application = only_application(db)
    assert application.position == "Secretary" and application.dietary_needs == "Vegetarian"
