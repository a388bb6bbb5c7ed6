"""Building an activity's questions: what the builder keeps and what it refuses."""

from __future__ import annotations

import pytest

from eventreg.extensions import db
from eventreg.models import ApplicationStatus, Question
from eventreg.models.questions import Answer, AnswerChoice
from eventreg.questions import InvalidQuestion
from eventreg.services import answering
from eventreg.services import questions as service
from eventreg.services.answers import answers_of


def test_questions_keep_their_order_translations_and_options(make_activity, add_question):
    activity = make_activity()
    add_question(activity, "heading", "Field visit")
    site = add_question(
        activity, "single_choice", "Which site?", options=[("Site A", 15), ("Site B", None)]
    )
    site_fr = service.QuestionSpec(
        type="single_choice",
        label={"en": "Which site?", "fr": "Quel site ?"},
        options=[
            service.OptionSpec(
                label={"en": "Site A", "fr": "Site A (fr)"}, places=15, id=site.options[0].id
            ),
            service.OptionSpec(label={"en": "Site B"}, id=site.options[1].id),
        ],
    )
    service.save_question(activity, site, site_fr, by=None)  # type: ignore[arg-type]
    listed = service.questions_of(activity)
    assert [q.text() for q in listed] == ["Field visit", "Which site?"]
    assert listed[1].text("fr") == "Quel site ?" and listed[1].text("es") == "Which site?"
    assert [(o.text("fr"), o.places) for o in listed[1].live_options] == [
        ("Site A (fr)", 15),
        ("Site B", None),
    ]


@pytest.mark.parametrize(
    ("type_", "fields", "field"),
    [
        ("single_choice", {}, "options_en"),
        ("nonsense", {}, "type"),
        ("number", {"settings": {"minimum": "10", "maximum": "2"}}, "minimum"),
        ("file", {"settings": {"max_mb": 50}}, "max_mb"),
        ("short_text", {"label": {"fr": "Sans anglais"}}, "label_en"),
    ],
)
def test_a_question_the_form_could_not_ask_is_refused(make_activity, manager, type_, fields, field):
    activity = make_activity()
    spec = service.QuestionSpec(type=type_, label=fields.pop("label", {"en": "Q"}), **fields)
    with pytest.raises(InvalidQuestion) as refused:
        service.save_question(activity, Question(), spec, by=manager)
    assert refused.value.field == field
    assert service.questions_of(activity) == []


def test_a_condition_on_a_later_question_or_on_text_is_refused(
    make_activity, add_question, manager
):
    activity = make_activity()
    text = add_question(activity, "short_text", "Branch")
    visa = add_question(activity, "yes_no", "Do you need a visa?")
    passport = add_question(
        activity,
        "short_text",
        "Passport number",
        condition_question_id=visa.id,
        condition_values=["yes"],
    )
    assert passport.condition_question_id == visa.id
    with pytest.raises(InvalidQuestion):
        add_question(
            activity, "short_text", "On text", condition_question_id=text.id, condition_values=["x"]
        )
    # A condition pointing at itself or below (a cycle) is refused when saved.
    spec = service.QuestionSpec(
        type="yes_no",
        label={"en": "Do you need a visa?"},
        condition_question_id=passport.id,
        condition_values=["yes"],
    )
    with pytest.raises(InvalidQuestion):
        service.save_question(activity, visa, spec, by=manager)
    with pytest.raises(InvalidQuestion):
        service.move_question(activity, passport, up=True, by=manager)


def test_removing_an_answered_question_archives_it_and_keeps_the_answer(
    make_activity, make_application, add_question, manager
):
    activity = make_activity()
    site = add_question(activity, "single_choice", "Which site?", options=[("Site A", 2)])
    unanswered = add_question(activity, "short_text", "Branch")
    application = make_application(activity)
    answer = Answer(
        application_id=application.id,
        question_id=site.id,
        label="Which site?",
        shown="Site A",
        value=[site.options[0].id],
    )
    answer.choices = [AnswerChoice(application_id=application.id, option_id=site.options[0].id)]
    db.session.add(answer)
    db.session.flush()
    service.archive_question(activity, site, by=manager)
    service.archive_question(activity, unanswered, by=manager)
    assert service.questions_of(activity) == []
    assert db.session.get(Question, site.id).archived_at is not None
    assert db.session.get(Question, unanswered.id) is None
    assert [(a.label, a.shown) for a in answers_of(application)] == [("Which site?", "Site A")]


def test_an_option_limit_below_the_places_taken_is_refused(
    make_activity, make_application, add_question, manager
):
    activity = make_activity()
    site = add_question(activity, "single_choice", "Which site?", options=[("Site A", 5)])
    option = site.options[0]
    for status in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.WITHDRAWN,
    ):
        application = make_application(activity, status=status)
        answer = Answer(application_id=application.id, question_id=site.id, value=[option.id])
        answer.choices = [AnswerChoice(application_id=application.id, option_id=option.id)]
        db.session.add(answer)
    db.session.flush()
    # The withdrawn one freed its place.
    assert answering.places_taken([option.id]) == {option.id: 2}
    spec = service.QuestionSpec(
        type="single_choice",
        label={"en": "Which site?"},
        options=[service.OptionSpec({"en": "Site A"}, 1, option.id)],
    )
    with pytest.raises(InvalidQuestion, match="2 places are taken"):
        service.save_question(activity, site, spec, by=manager)


def test_questions_are_copied_with_their_conditions(make_activity, add_question):
    source, target = make_activity(), make_activity()
    visa = add_question(source, "yes_no", "Visa?")
    add_question(
        source, "short_text", "Passport", condition_question_id=visa.id, condition_values=["yes"]
    )
    assert service.copy_questions(source, target) == 2
    copied = service.questions_of(target)
    assert [q.text() for q in copied] == ["Visa?", "Passport"]
    assert copied[1].condition_question_id == copied[0].id and copied[1].condition_values == ["yes"]


def test_the_next_edition_carries_the_questions(make_activity, add_question, manager):
    from eventreg.services.activities import duplicate_activity, suggest_next_edition

    source = make_activity()
    add_question(source, "yes_no", "Visa?")
    copy = duplicate_activity(source, suggest_next_edition(source), by=manager)
    assert [q.text() for q in service.questions_of(copy)] == ["Visa?"]
