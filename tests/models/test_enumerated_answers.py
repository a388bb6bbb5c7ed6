"""Answers chosen from a list have one list: the form offers it, the demo writes from it,
the review filter lists it and the database refuses anything else."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eventreg.models import Application, Proficiency, Role, Title
from eventreg.public.forms import PROFICIENCY, TITLES


def test_the_form_offers_exactly_the_proficiency_scale_and_titles():
    assert [choice.value for choice in PROFICIENCY] == [level.value for level in Proficiency]
    assert [choice.value for choice in TITLES] == ["", *(title.value for title in Title)]


@pytest.mark.parametrize(
    ("column", "value"),
    [("proficiency", "fluent"), ("proficiency", "good"), ("title", "Dr"), ("title", "mr")],
)
def test_the_database_refuses_an_answer_the_form_never_offered(
    db, make_activity, make_application, column, value
):
    activity = make_activity()
    with pytest.raises(IntegrityError, match=f"{column}_offered"):
        make_application(activity, **{column: value})


def test_an_unanswered_title_or_proficiency_is_allowed(db, make_activity, make_application):
    application = make_application(make_activity(), title="", proficiency="")
    assert application.id is not None


def test_the_demo_writes_only_answers_the_form_offers(app, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    levels = set(db.session.scalars(sa.select(Application.proficiency).distinct()))
    titles = set(db.session.scalars(sa.select(Application.title).distinct()))
    assert levels and levels <= {level.value for level in Proficiency}
    assert len(levels) > 1
    assert titles <= {"", *(title.value for title in Title)}


def test_the_review_filter_lists_the_forms_scale(db, make_activity, make_application, sign_in_as):
    activity = make_activity()
    make_application(activity, proficiency=Proficiency.ADVANCED.value)
    office = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = office.get(f"/staff/activities/{activity.id}/applications").text
    select = page[
        page.index('name="proficiency"') : page.index("</select>", page.index('name="proficiency"'))
    ]
    for level in Proficiency:
        assert f'value="{level.value}"' in select and level.label in select
    filtered = office.get(
        f"/staff/activities/{activity.id}/applications?proficiency={Proficiency.BASIC.value}"
    )
    assert filtered.status_code == 200
