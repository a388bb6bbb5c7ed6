"""Answers to the organiser's questions as staff and applicants read them: filters on the
review list, export columns, an application's answers, a correction's prefilled values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa

from ..extensions import db
from ..models import Activity, Application
from ..models.questions import (
    Answer,
    AnswerChoice,
    FormKind,
    Question,
    QuestionOption,
    text_in,
)
from ..questions import QuestionView
from ..questions.base import TYPES
from ..questions.yes_no import WORDS


def answered(token: str) -> sa.ColumnElement[bool]:
    """Applications whose answer to one of the organiser's questions is the one in `token`.

    "12:yes" or "12:no" for a yes/no question, "12:345" for option 345 of a choice; anything
    else matches nothing.
    """
    question, _colon, value = token.partition(":")
    if not question.isdigit() or len(question) > 12:
        return sa.false()
    if value in WORDS:
        return sa.exists().where(
            Answer.application_id == Application.id,
            Answer.question_id == int(question),
            Answer.shown == WORDS[value],
        )
    if not value.isdigit() or len(value) > 12:
        return sa.false()
    return sa.exists().where(
        AnswerChoice.application_id == Application.id, AnswerChoice.option_id == int(value)
    )


def answer_choices(activity: Activity) -> list[tuple[str, str]]:
    """Every answer of the live yes/no and choice questions, as (filter token, words).

    Tokens are "question_id:yes", "question_id:no" or "question_id:option_id", as the
    review list's filter (`answered`) and the conditions take them; one statement.
    """
    sources = [name for name, kind in TYPES.items() if kind.conditional_source]
    rows = db.session.execute(
        sa.select(
            Question.id, Question.type, Question.label, QuestionOption.id, QuestionOption.label
        )
        .outerjoin(
            QuestionOption,
            sa.and_(
                QuestionOption.question_id == Question.id, QuestionOption.archived_at.is_(None)
            ),
        )
        .where(
            Question.activity_id == activity.id,
            Question.archived_at.is_(None),
            Question.type.in_(sources),
        )
        .order_by(Question.form, Question.position, Question.id, QuestionOption.position)
    )
    found: list[tuple[str, str]] = []
    for question_id, type_, label, option_id, option_label in rows:
        question_text = text_in(label)
        if type_ == "yes_no":
            found += [
                (f"{question_id}:{key}", f"{question_text}: {word}") for key, word in WORDS.items()
            ]
        elif option_id is not None:
            found.append(
                (f"{question_id}:{option_id}", f"{question_text}: {text_in(option_label)}")
            )
    return found


def answers_of(application: Application) -> list[Answer]:
    """The application's answers, in the order of the questions (archived ones included)."""
    return list(
        db.session.scalars(
            sa.select(Answer)
            .join(Question)
            .where(Answer.application_id == application.id)
            .order_by(Question.form, Question.position, Question.id)
        )
    )


@dataclass(frozen=True)
class AnswerRead:
    """An answer as its applicant reads it: the question's wording in their language."""

    label: str
    shown: str


class Answered(Protocol):
    """What reading an answer back needs: a kept Answer, or one just written."""

    @property
    def question_id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def shown(self) -> str: ...
    @property
    def value(self) -> Any: ...


def read_in(
    given: Sequence[Answered], questions: Mapping[int, QuestionView], language: str
) -> list[AnswerRead]:
    """The answers in `language`: their questions' wording (`questions`, by id) and, for a
    yes or no, options or a country, the answer's words, while they are still the ones
    answered; else as answered (staff's English)."""
    read = []
    for answer in given:
        question = questions.get(answer.question_id)
        if question is None or question.text() != answer.label:
            read.append(AnswerRead(label=answer.label, shown=answer.shown))
            continue
        kind, shown = question.kind, answer.shown
        if kind.reading(question, answer.value, "en") == answer.shown:
            shown = kind.reading(question, answer.value, language) or answer.shown
        read.append(AnswerRead(label=question.text(language), shown=shown))
    return read


def read_by_applicant(application: Application, language: str) -> list[AnswerRead]:
    """The application's answers as `answers_of` orders them, read in `language`."""
    given = answers_of(application)
    return read_in(given, _asked(given), language)


def _asked(given: Sequence[Answer]) -> dict[int, QuestionView]:
    """The questions of `given` with their options, by id (two statements; each answer's
    `question` is then found in the session without another)."""
    asked = db.session.scalars(
        sa.select(Question)
        .where(Question.id.in_({answer.question_id for answer in given}))
        .options(sa.orm.selectinload(Question.options))
    )
    return {question.id: QuestionView.of(question) for question in asked}


def answer_columns(activity: Activity) -> list[tuple[str, dict[int, str]]]:
    """One column per question that asks something (archived ones too, when answered):
    its English label and the answers as text by application id. Two statements."""
    asked = db.session.execute(
        sa.select(Question.id, Question.label, Question.archived_at)
        .where(Question.activity_id == activity.id, Question.type != "heading")
        .order_by(Question.form, Question.position, Question.id)
    ).all()
    by_question: dict[int, dict[int, str]] = {row.id: {} for row in asked}
    for application_id, question_id, text in db.session.execute(
        sa.select(Answer.application_id, Answer.question_id, Answer.shown)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.activity_id == activity.id)
    ):
        by_question[question_id][application_id] = text
    return [
        (text_in(row.label), by_question[row.id])
        for row in asked
        if row.archived_at is None or by_question[row.id]
    ]


def form_values(answers: Sequence[Answer]) -> dict[str, list[str]]:
    """Stored answers as a form sends them, to prefill a correction."""
    values: dict[str, list[str]] = {}
    for answer in answers:
        value = answer.value
        if isinstance(value, bool):
            raw = ["yes" if value else "no"]
        elif isinstance(value, list):
            raw = [str(item) for item in value]
        elif isinstance(value, dict):
            continue  # a file is never sent back to the browser
        else:
            raw = [str(value)]
        values[f"q{answer.question_id}"] = raw
    return values


def follow_up_answers(application: Application, language: str) -> list[AnswerRead]:
    """The application's answers to the follow-up form, read in `language` (for its
    invitation letter)."""
    given = answers_of(application)
    asked = _asked(given)
    follow_up = [
        answer
        for answer in given
        if answer.question.form == FormKind.FOLLOW_UP and answer.question.type != "file"
    ]
    return read_in(follow_up, asked, language)
