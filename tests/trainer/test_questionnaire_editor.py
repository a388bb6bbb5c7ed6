"""The questionnaire editor: an activity's questions start from the organisation's default
set; once answered, a question's words stay with its answers, and the report follows."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from eventreg.extensions import db as database
from eventreg.models import EvaluationQuestion, QuestionKind, Role
from eventreg.pdf.sheets import evaluation_sheets
from eventreg.services import evaluations, questionnaire
from eventreg.services.questionnaire import InvalidQuestion, Wording

from ..conftest import csrf_token_from


@pytest.fixture
def manager(make_staff, make_activity):
    activity = make_activity(reference="A901357", evaluation_anonymous=True)
    return activity, make_staff(Role.ACTIVITY_MANAGER, activity)


def sheet(activity, marks: list[int], text: str = "") -> dict[int, int | str]:
    """One respondent's answers to the questions now asked: `marks` for the ratings."""
    values: dict[int, int | str] = {}
    marks_left = list(marks)
    for question in evaluations.ensure_questions(activity):
        if question.kind == QuestionKind.RATING:
            values[question.id] = marks_left.pop(0) if marks_left else 3
        else:
            values[question.id] = text
    return values


def test_a_question_added_after_12_answers_changes_neither_those_answers_nor_the_old_figures(
    db, manager
):
    activity, person = manager
    for n in range(12):
        evaluations.record_paper(activity, sheet(activity, [1 + n % 5, 5, 4, 4, 3]), by=None)
    before = evaluations.report(activity)
    old_figures = {
        r.question.id: (r.question.text, r.count, dict(r.distribution), r.mean)
        for r in before.questions
    }
    answers_before = evaluations.answers_csv(activity)

    questionnaire.add_question(
        activity,
        Wording(QuestionKind.RATING, "Usefulness of the site visit", "useless", "very useful"),
        by=person,
    )
    # The first question is reworded: a new version, the 12 answers keep the old words.
    first = evaluations.stored_questions(activity)[0]
    questionnaire.change_question(
        first,
        Wording(QuestionKind.RATING, "How relevant was the programme to your job?"),
        by=person,
    )
    after = evaluations.report(activity)
    by_id = {r.question.id: r for r in after.questions}
    for question_id, (text, count, distribution, mean) in old_figures.items():
        result = by_id[question_id]  # a reworded one is still reported, in its own words
        assert result.question.text == text
        assert (result.count, result.distribution, result.mean) == (count, distribution, mean)
    assert by_id[first.id].retired
    assert (after.responses, after.ratings, after.satisfied) == (
        before.responses,
        before.ratings,
        before.satisfied,
    )
    answers_after = evaluations.answers_csv(activity)

    # A 13th sheet answers the questions now asked, the new one included.
    evaluations.record_paper(activity, sheet(activity, [5, 5, 5, 5, 5, 5]), by=None)
    latest = evaluations.report(activity)
    new = [r for r in latest.questions if r.question.text == "Usefulness of the site visit"]
    assert new[0].count == 1 and new[0].question.scale_ends == ("useless", "very useful")
    assert {r.question.id: r.count for r in latest.questions}[first.id] == 12
    # Each earlier response still holds exactly the answers it was given, in the old words.
    header, *rows = answers_after.splitlines()
    assert "Relevance of the programme to your work" in header
    assert "How relevant was the programme to your job?" in header
    assert "Usefulness of the site visit" in header
    old_header, *old_rows = answers_before.splitlines()
    columns = header.split(",")
    for old_row, row in zip(old_rows, rows, strict=True):
        old = dict(zip(old_header.split(","), old_row.split(","), strict=True))
        new_cells = dict(zip(columns, row.split(","), strict=True))
        assert all(new_cells[name] == value for name, value in old.items())


def test_an_unanswered_question_is_reworded_in_place_and_removed_for_good(db, manager):
    activity, person = manager
    first = questionnaire.start_from_default(activity)[0]
    changed = questionnaire.change_question(
        first,
        Wording(QuestionKind.RATING, "Pace of the sessions", "too slow", "too fast"),
        by=person,
    )
    assert changed.id == first.id and first.text == "Pace of the sessions"
    questionnaire.remove_question(first, by=person)
    assert database.session.get(EvaluationQuestion, first.id) is None


def test_an_activity_starts_from_the_organisations_edited_default_set(db, manager, make_activity):
    activity, person = manager
    (kept, *others) = questionnaire.default_set()
    for question in others:
        questionnaire.remove_question(question, by=person)
    questionnaire.add_question(
        None,
        Wording(QuestionKind.CHOICE, "How did you hear of us?", options=("Email", "Web")),
        by=person,
    )
    fresh = make_activity()
    texts = [q.text for q in questionnaire.start_from_default(fresh)]
    assert texts == [kept.text, "How did you hear of us?"]
    assert [q.text for q in questionnaire.default_set()] == texts  # the set itself stays


@pytest.mark.parametrize(
    ("wording", "field"),
    [
        (Wording(QuestionKind.RATING, "   "), "text"),
        (Wording(QuestionKind.CHOICE, "Which?", options=("Only one",)), "options"),
        (Wording(QuestionKind.RATING, "Pace", low_label="x" * 61), "low_label"),
    ],
)
def test_a_question_that_cannot_be_asked_is_refused_by_field(db, manager, wording, field):
    activity, person = manager
    with pytest.raises(InvalidQuestion) as refused:
        questionnaire.add_question(activity, wording, by=person)
    assert refused.value.field == field


def test_the_sheet_the_form_and_the_paper_entry_follow_the_questionnaire(
    db, manager, sign_in_as, factories
):
    activity, person = manager
    module = factories.module(activity, title="Social dialogue")
    questionnaire.add_question(
        activity,
        Wording(
            QuestionKind.RATING,
            "Clarity of module two",
            "unclear",
            "crystal clear",
            module_id=module.id,
        ),
        by=person,
    )
    questionnaire.add_question(
        activity,
        Wording(QuestionKind.CHOICE, "Would you come again?", options=("Yes", "Maybe", "No")),
        by=person,
    )
    database.session.commit()
    pages = PdfReader(io.BytesIO(evaluation_sheets(activity))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())  # labels wrap
    for expected in (
        "Clarity of module two",
        "unclear",
        "crystal clear",
        "Would you come again?",
        "Maybe",
        "Social dialogue",
    ):
        assert expected in text

    office = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = office.get(f"/staff/activities/{activity.id}/evaluation/paper")
    assert "Clarity of module two" in page.text and "crystal clear" in page.text
    assert page.text.count('class="rating-row"') == 6  # one compact row per rating
    questions = evaluations.ensure_questions(activity)
    form = {"csrf_token": csrf_token_from(page.text)}
    for q in questions:
        if q.kind == QuestionKind.RATING:
            form[f"q{q.position}"] = "4"
    choice = next(q for q in questions if q.kind == QuestionKind.CHOICE)
    form[f"q{choice.position}"] = "Maybe"
    response = office.post(f"/staff/activities/{activity.id}/evaluation/paper", data=form)
    assert response.status_code in (302, 303), response.text
    result = next(r for r in evaluations.report(activity).questions if r.question.id == choice.id)
    assert result.choices == {"Yes": 0, "Maybe": 1, "No": 0}


def test_a_manager_edits_the_questionnaire_through_the_page(db, manager, sign_in_as):
    activity, _ = manager
    client = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    url = f"/staff/activities/{activity.id}/evaluation/questions"
    page = client.get(url)
    assert page.status_code == 200 and "Relevance of the programme to your work" in page.text
    response = client.post(
        url,
        data={
            "new-csrf_token": csrf_token_from(page.text),
            "new-text": "",
            "new-kind": "rating",
            "new-module_id": "0",
            "new-action": "save",
        },
    )
    assert response.status_code == 422 and "Write the question." in response.text
    page = client.get(url)
    token = re.findall(r'name="new-csrf_token" type="hidden" value="([^"]+)"', page.text)
    response = client.post(
        url,
        data={
            "new-csrf_token": token[0] if token else csrf_token_from(page.text),
            "new-text": "Quality of the interpretation",
            "new-kind": "rating",
            "new-low_label": "poor",
            "new-high_label": "excellent",
            "new-module_id": "0",
            "new-action": "save",
        },
    )
    assert response.headers["Location"].endswith(url)
    assert "Quality of the interpretation" in [
        q.text for q in evaluations.stored_questions(activity)
    ]


def test_the_online_form_asks_the_edited_questions_with_their_ends_and_options(
    db, make_activity, make_staff, make_application, client
):
    activity = make_activity(starts_at=datetime(2020, 3, 2, 8, 0, tzinfo=UTC))  # has started
    person = make_staff(Role.ACTIVITY_MANAGER, activity)
    participant = make_application(activity, status="confirmed")
    questionnaire.add_question(
        activity,
        Wording(QuestionKind.CHOICE, "Would you come again?", options=("Yes", "No")),
        by=person,
    )
    first = evaluations.stored_questions(activity)[0]
    questionnaire.change_question(
        first, Wording(QuestionKind.RATING, first.text, "useless", "essential"), by=person
    )
    (invitation,) = evaluations.invite_participants(activity, by=None)
    database.session.commit()
    page = client.get(f"/evaluate/{invitation.token}")
    assert "1 = useless, 5 = essential" in page.text and "Would you come again?" in page.text
    questions = evaluations.stored_questions(activity)
    form = {"csrf_token": csrf_token_from(page.text)}
    for q in questions:
        form[f"q{q.position}"] = {"rating": "4", "choice": "Yes"}.get(q.kind.value, "")
    sent = client.post(f"/evaluate/{invitation.token}", data=form)
    assert sent.status_code == 200 and participant.id
    choice = next(r for r in evaluations.report(activity).questions if r.question.kind == "choice")
    assert choice.choices == {"Yes": 1, "No": 0}
