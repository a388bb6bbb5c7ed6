"""Editing an evaluation questionnaire: an activity's, or the organisation's default set.

An activity's questionnaire starts as a copy of the organisation's default set. Once a
question has answers its wording is fixed: a change retires it and adds a new version in
its place, and removing it only retires it, so every answer keeps the words it was given
under and the report's figures for it do not move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import Activity, EvaluationAnswer, EvaluationQuestion, QuestionKind, StaffUser, utcnow
from . import audit
from .errors import DomainError

TEXT_LIMIT = 500
LABEL_LIMIT = 60
OPTION_LIMIT = 200


class InvalidQuestion(DomainError):
    """A question cannot be saved as given (no wording, a choice with one option...)."""


@dataclass(frozen=True)
class Wording:
    """What a question asks and how it is answered."""

    kind: QuestionKind
    text: str
    low_label: str = ""
    high_label: str = ""
    options: tuple[str, ...] = ()
    module_id: int | None = None


def active(activity: Activity | None) -> list[EvaluationQuestion]:
    """The questions now asked, in order: the activity's, or (None) the default set's."""
    owner = (
        EvaluationQuestion.activity_id.is_(None)
        if activity is None
        else EvaluationQuestion.activity_id == activity.id
    )
    return list(
        db.session.scalars(
            sa.select(EvaluationQuestion)
            .where(owner, EvaluationQuestion.retired_at.is_(None))
            .order_by(EvaluationQuestion.position, EvaluationQuestion.id)
        )
    )


def answered(question: EvaluationQuestion) -> bool:
    """Whether any response answers this question (then its wording is kept as it is)."""
    if question.id is None:
        return False
    return bool(
        db.session.scalar(sa.select(sa.exists().where(EvaluationAnswer.question_id == question.id)))
    )


def _checked(activity: Activity | None, wording: Wording) -> Wording:
    text = wording.text.strip()
    if not text:
        raise InvalidQuestion(_("Write the question."), field="text")
    if len(text) > TEXT_LIMIT:
        raise InvalidQuestion(
            _("Keep the question under %(n)d characters.", n=TEXT_LIMIT), field="text"
        )
    low, high = wording.low_label.strip(), wording.high_label.strip()
    if max(len(low), len(high)) > LABEL_LIMIT:
        raise InvalidQuestion(
            _("Keep each end's label under %(n)d characters.", n=LABEL_LIMIT), field="low_label"
        )
    options = tuple(o.strip() for o in wording.options if o.strip())
    if wording.kind == QuestionKind.CHOICE:
        if len(options) < 2:
            raise InvalidQuestion(
                _("A choice question needs at least two options, one a line."), field="options"
            )
        if len(set(options)) != len(options) or any(len(o) > OPTION_LIMIT for o in options):
            raise InvalidQuestion(
                _("Give each option once, each under %(n)d characters.", n=OPTION_LIMIT),
                field="options",
            )
    else:
        options = ()
    if wording.kind != QuestionKind.RATING:
        low = high = ""
    module_id = wording.module_id or None
    if module_id is not None and (
        activity is None or module_id not in {m.id for m in activity.modules}
    ):
        raise InvalidQuestion(_("Choose a module of this activity."), field="module_id")
    return Wording(wording.kind, text, low, high, options, module_id)


def _new(activity: Activity | None, wording: Wording, position: int) -> EvaluationQuestion:
    return EvaluationQuestion(
        activity_id=activity.id if activity is not None else None,
        position=position,
        kind=wording.kind,
        text=wording.text,
        low_label=wording.low_label,
        high_label=wording.high_label,
        options=list(wording.options),
        module_id=wording.module_id,
    )


def start_from_default(activity: Activity) -> list[EvaluationQuestion]:
    """The activity's questions, copied from the organisation's default set if it has none
    yet (the built-in set when the organisation has none either); flushes."""
    from .evaluations import ensure_questions

    return ensure_questions(activity)


def add_question(
    activity: Activity | None, wording: Wording, *, by: StaffUser
) -> EvaluationQuestion:
    """Add a question at the end. Refuses (InvalidQuestion) one without wording, a choice
    with fewer than two options, or a module of another activity."""
    clean = _checked(activity, wording)
    current = start_from_default(activity) if activity is not None else default_set()
    question = _new(activity, clean, max((q.position for q in current), default=0) + 1)
    db.session.add(question)
    db.session.flush()
    audit.record("evaluation_question_added", activity or question, by=by, after=_shown(question))
    return question


def change_question(
    question: EvaluationQuestion, wording: Wording, *, by: StaffUser
) -> EvaluationQuestion:
    """Save a question's new wording; an answered one is retired and a new version takes
    its place (the answers keep the old words). Returns the question now asked."""
    activity = question.activity
    clean = _checked(activity, wording)
    same_words = (
        clean.kind == question.kind
        and clean.text == question.text
        and clean.low_label == question.low_label
        and clean.high_label == question.high_label
        and list(clean.options) == list(question.options)
    )
    before = _shown(question)
    if same_words or not answered(question):
        for name in ("kind", "text", "low_label", "high_label", "module_id"):
            setattr(question, name, getattr(clean, name))
        question.options = list(clean.options)
        current = question
    else:
        question.retired_at = utcnow()
        current = _new(activity, clean, question.position)
        current.replaces_id = question.id
        db.session.add(current)
    db.session.flush()
    audit.record(
        "evaluation_question_changed",
        activity or current,
        by=by,
        before=before,
        after=_shown(current),
    )
    return current


def remove_question(question: EvaluationQuestion, *, by: StaffUser) -> None:
    """Stop asking a question: deleted if nobody answered it, else retired with its answers."""
    before = _shown(question)
    owner: object = question.activity or question
    if answered(question):
        question.retired_at = utcnow()
    else:
        db.session.delete(question)
    db.session.flush()
    audit.record("evaluation_question_removed", owner, by=by, before=before)


def move_question(question: EvaluationQuestion, *, up: bool, by: StaffUser) -> None:
    """Swap a question with the one before (up) or after it; nothing at either end."""
    questions = active(question.activity)
    index = next(i for i, q in enumerate(questions) if q.id == question.id)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(questions):
        return
    _renumber(questions)
    other = questions[other_index]
    question.position, other.position = other.position, question.position
    db.session.flush()
    audit.record(
        "evaluation_question_moved",
        question.activity or question,
        by=by,
        after={"question": question.text, "position": question.position},
    )


def _renumber(questions: Sequence[EvaluationQuestion]) -> None:
    for number, question in enumerate(questions, start=1):
        question.position = number


def default_set() -> list[EvaluationQuestion]:
    """The organisation's default set, saved from the built-in questions on first use."""
    from .evaluations import DEFAULT_QUESTIONS

    questions = active(None)
    if questions:
        return questions
    questions = [
        EvaluationQuestion(activity_id=None, position=position, kind=kind, text=text)
        for position, (kind, text) in enumerate(DEFAULT_QUESTIONS, start=1)
    ]
    db.session.add_all(questions)
    db.session.flush()
    return questions


def _shown(question: EvaluationQuestion) -> dict[str, object]:
    return {
        "question": question.text,
        "kind": str(question.kind),
        "ends": [question.low_label, question.high_label],
        "options": list(question.options or []),
        "module_id": question.module_id,
    }
