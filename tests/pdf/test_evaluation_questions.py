"""The evaluation questionnaire: the activity's own, or the default set."""

from __future__ import annotations

import sqlalchemy as sa

from eventreg.models import EvaluationQuestion, QuestionKind
from eventreg.services.evaluations import ensure_questions, questions_for


def test_an_activity_without_questions_gets_the_default_set_unsaved(db, make_activity):
    activity = make_activity()
    questions = questions_for(activity)
    ratings = [q.text for q in questions if q.kind == QuestionKind.RATING]
    assert len(ratings) == 5
    for topic in ("Relevance", "methodology", "materials", "facilitation", "Organisation"):
        assert any(topic in text for text in ratings), topic
    assert any(q.kind == QuestionKind.OPEN for q in questions)
    assert [q.position for q in questions] == list(range(1, len(questions) + 1))
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count(EvaluationQuestion.id))) == 0


def test_an_activity_with_its_own_questions_gets_those(db, make_activity):
    activity = make_activity()
    db.session.add_all(
        [
            EvaluationQuestion(activity_id=activity.id, position=2, kind="open", text="Anything?"),
            EvaluationQuestion(activity_id=activity.id, position=1, kind="rating", text="Pace"),
        ]
    )
    db.session.flush()
    assert [q.text for q in questions_for(activity)] == ["Pace", "Anything?"]


def test_ensure_questions_saves_the_default_set_once(db, make_activity):
    activity = make_activity()
    first = ensure_questions(activity)
    assert all(q.id for q in first)
    assert [q.id for q in ensure_questions(activity)] == [q.id for q in first]
    assert [q.text for q in questions_for(activity)] == [q.text for q in first]
