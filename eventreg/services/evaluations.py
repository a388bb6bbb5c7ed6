"""The evaluation questionnaire: an activity's own questions, or the default set."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Activity, EvaluationQuestion, QuestionKind

# Asked when an activity has no questionnaire of its own: the announcement promises to
# measure "the perceived relevance of the programme and the effectiveness of the
# methodology and materials". Ratings run from 1 (poor) to 5 (excellent).
DEFAULT_QUESTIONS: tuple[tuple[QuestionKind, str], ...] = (
    (QuestionKind.RATING, "Relevance of the programme to your work"),
    (QuestionKind.RATING, "Effectiveness of the methodology"),
    (QuestionKind.RATING, "Quality and usefulness of the materials"),
    (QuestionKind.RATING, "Quality of the facilitation"),
    (QuestionKind.RATING, "Organisation and logistics"),
    (QuestionKind.OPEN, "What did you find most useful?"),
    (QuestionKind.OPEN, "What should be improved?"),
    (QuestionKind.OPEN, "How will you apply what you learned in your work?"),
)


def stored_questions(activity: Activity) -> list[EvaluationQuestion]:
    """The activity's own questions, in order (possibly none)."""
    return list(
        db.session.scalars(
            sa.select(EvaluationQuestion)
            .where(EvaluationQuestion.activity_id == activity.id)
            .order_by(EvaluationQuestion.position)
        )
    )


def default_questions(activity: Activity) -> list[EvaluationQuestion]:
    """The default set for an activity, as new objects that are not added to the session."""
    return [
        EvaluationQuestion(activity_id=activity.id, position=position, kind=kind, text=text)
        for position, (kind, text) in enumerate(DEFAULT_QUESTIONS, start=1)
    ]


def questions_for(activity: Activity) -> list[EvaluationQuestion]:
    """The questionnaire of an activity: its own questions, or the default set when it has none.

    The default questions are not saved (they have no id); `ensure_questions` saves them
    when answers need to point at them.
    """
    return stored_questions(activity) or default_questions(activity)


def ensure_questions(activity: Activity) -> list[EvaluationQuestion]:
    """The activity's questions, saving the default set first if it has none; flushes."""
    questions = stored_questions(activity)
    if questions:
        return questions
    questions = default_questions(activity)
    db.session.add_all(questions)
    db.session.flush()
    return questions
