"""Checking and keeping what a form sends to the organiser's questions, and the places of
limited options.

A question hidden by its condition is never required and its answer is dropped. Places per
option are counted under the activity's row lock (`lifecycle.lock_activity`), as capacity
is, so concurrent submissions never exceed them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from .. import files
from ..extensions import db
from ..models import CLOSED, Application
from ..models.questions import Answer, AnswerChoice
from ..questions import InvalidAnswer, Parsed, QuestionView
from .answers import Answered
from .lifecycle import lock_activity


class OptionFull(InvalidAnswer):
    """Every place of the chosen option is taken."""


@dataclass
class Checked:
    """The answers of one form submission: accepted values by question id, and refusals."""

    values: dict[int, Parsed] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    visible: set[int] = field(default_factory=set)


def shown(question: QuestionView, values: Mapping[int, Parsed], visible: set[int]) -> bool:
    """Whether a question is shown, given the answers to the questions before it."""
    source = question.condition_question_id
    if source is None:
        return True
    if source not in visible or source not in values:
        return False
    return bool(set(values[source].keys) & set(question.condition_values))


def check_answers(
    questions: Sequence[QuestionView],
    read: Callable[[str], list[str]],
    files: Callable[[str], FileStorage | None],
    *,
    kept_files: frozenset[int] = frozenset(),
) -> Checked:
    """Check what a form sent for each question, in order.

    A question hidden by its condition is never required and its answer is dropped; a
    required question left blank and an answer its type refuses are errors, by input name.
    `kept_files`: file questions already answered (a correction need not upload again).
    """
    checked = Checked()
    visible = checked.visible
    for question in questions:
        kind = question.kind
        if not kind.answered or not shown(question, checked.values, visible):
            continue
        visible.add(question.id)
        try:
            parsed = kind.parse(question, read(question.name), files(question.name))
        except InvalidAnswer as error:
            checked.errors[question.name] = str(error)
            continue
        if parsed is None:
            if question.required and question.id not in kept_files:
                checked.errors[question.name] = _("Please answer this question.")
            continue
        checked.values[question.id] = parsed
    return checked


def places_taken(option_ids: Sequence[int]) -> dict[int, int]:
    """How many live applications hold each option (closed ones have freed theirs)."""
    if not option_ids:
        return {}
    rows = db.session.connection().execute(_COUNT_PLACES, {"options": list(option_ids)})
    return {option_id: count for option_id, count in rows}


# Built once: every form page and submission asks it, and building it cost more than
# running it.
_COUNT_PLACES = (
    sa.select(AnswerChoice.option_id, sa.func.count())
    .join(Application, Application.id == AnswerChoice.application_id)
    .where(
        AnswerChoice.option_id.in_(sa.bindparam("options", expanding=True)),
        Application.status.not_in(CLOSED),
    )
    .group_by(AnswerChoice.option_id)
)


def limited_options(questions: Sequence[QuestionView]) -> dict[int, int]:
    """The options with a limit of places, and their limits."""
    return {
        option.id: option.places
        for question in questions
        for option in question.options
        if option.places is not None
    }


def full_options(questions: Sequence[QuestionView]) -> frozenset[int]:
    """The options whose places are all taken (one query; none when no option is limited)."""
    limits = limited_options(questions)
    taken = places_taken(list(limits))
    return frozenset(
        option_id for option_id, limit in limits.items() if taken.get(option_id, 0) >= limit
    )


def save_answers(
    application: Application,
    questions: Sequence[QuestionView],
    checked: Checked,
    *,
    language: str = "en",
    new: bool = False,
) -> Sequence[Answered]:
    """Store the answers of a checked form for an application, replacing earlier ones.

    Call it with the activity's row lock held (the submission and the correction take it):
    a limited option newly chosen is refused (OptionFull) once its places are taken.
    `new`: the application was created in this transaction, so it has no earlier answers.
    """
    if checked.errors:
        raise InvalidAnswer(next(iter(checked.errors.values())), field=next(iter(checked.errors)))
    previous = (
        {}
        if new
        else {
            answer.question_id: answer
            for answer in db.session.scalars(
                sa.select(Answer).where(Answer.application_id == application.id)
            )
        }
    )
    held = {choice.option_id for answer in previous.values() for choice in answer.choices}
    limits = limited_options(questions)
    wanted = [
        option_id
        for parsed in checked.values.values()
        for option_id in parsed.option_ids
        if option_id in limits and option_id not in held
    ]
    taken = places_taken(wanted)
    for question in questions:
        parsed = checked.values.get(question.id)
        for option_id in parsed.option_ids if parsed else ():
            if option_id in wanted and taken.get(option_id, 0) >= limits[option_id]:
                option = question.option(option_id)
                raise OptionFull(
                    _(
                        "%(option)s is full: every place is taken. Please choose another.",
                        option=option.text(language) if option else option_id,
                    ),
                    field=question.name,
                )
    if new:
        return _insert_answers(application, questions, checked)
    answers = []
    for question in questions:
        parsed = checked.values.get(question.id)
        answer = previous.pop(question.id, None)
        if parsed is None:
            kept = question.type == "file" and question.id in checked.visible
            if answer is not None and not kept:
                files.discard(*files.keys_in(answer.value))
                db.session.delete(answer)
            continue
        value = parsed.value
        if parsed.upload is not None:
            if answer is not None:  # the file it replaces goes with the change
                files.discard(*files.keys_in(answer.value))
            # Stored before the answer is added: the database store flushes, and an answer
            # without its value yet would break the NOT NULL on answers.value.
            value = {**value, "path": _store_file(application, parsed)}
        if answer is None:
            answer = Answer(application_id=application.id, question_id=question.id)
            db.session.add(answer)
        answer.label = question.text()  # staff read the wording in English
        answer.shown = parsed.shown
        answer.value = value
        if sorted(c.option_id for c in answer.choices) != sorted(parsed.option_ids):
            answer.choices = [
                AnswerChoice(application_id=application.id, option_id=option_id)
                for option_id in parsed.option_ids
            ]
        answers.append(answer)
    db.session.flush()
    return answers


def _insert_answers(
    application: Application, questions: Sequence[QuestionView], checked: Checked
) -> list[Written]:
    """A new application's answers in two statements: the answers, then the options they
    pick, each found by its answer's question (the unit of work would spend more on ten
    objects, and RETURNING on SQLite on ten statements, than the database does)."""
    rows, picks = [], []
    for question in questions:
        parsed = checked.values.get(question.id)
        if parsed is None:
            continue
        value = parsed.value
        if parsed.upload is not None:
            value = {**value, "path": _store_file(application, parsed)}
        rows.append(
            {
                "application_id": application.id,
                "question_id": question.id,
                "label": question.text(),  # staff read the wording in English
                "shown": parsed.shown,
                "value": value,
            }
        )
        picks += [
            {"app": application.id, "asked": question.id, "picked": option_id}
            for option_id in parsed.option_ids
        ]
    connection = db.session.connection()  # Core statements: the session adds nothing
    if rows:
        connection.execute(_INSERT_ANSWERS, rows)
    if picks:
        connection.execute(_INSERT_PICKS, picks)
    return [Written(row["question_id"], row["label"], row["shown"], row["value"]) for row in rows]


@dataclass(frozen=True)
class Written:
    """An answer as just written, for the acknowledgement (see answers.read_in)."""

    question_id: int
    label: str
    shown: str
    value: Any


# Built once, like the other statements of every submission.
_INSERT_ANSWERS = sa.insert(db.metadata.tables[Answer.__tablename__])
_INSERT_PICKS = sa.insert(db.metadata.tables[AnswerChoice.__tablename__]).from_select(
    ["answer_id", "application_id", "option_id"],
    sa.select(Answer.id, Answer.application_id, sa.bindparam("picked", type_=sa.Integer)).where(
        Answer.application_id == sa.bindparam("app"), Answer.question_id == sa.bindparam("asked")
    ),
)


def correct_answers(
    application: Application, questions: Sequence[QuestionView], checked: Checked
) -> Sequence[Answered]:
    """Replace an application's answers (the applicant corrects them); takes the lock that
    counting places needs, and refuses as save_answers does."""
    lock_activity(application.activity_id)
    return save_answers(application, questions, checked, language=application.language)


def _store_file(application: Application, parsed: Parsed) -> str:
    """Save an uploaded answer in the file store under a random key; returns the key."""
    assert parsed.upload is not None
    key = f"answers/{application.activity_id}/{secrets.token_hex(16)}.{parsed.value['kind']}"
    parsed.upload.stream.seek(0)
    files.save_with_change(key, parsed.upload.stream.read())
    return key
