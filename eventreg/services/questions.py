"""The organiser's questions: building them, archiving, ordering and copying them.

A question with answers is archived, never deleted, and an answer keeps the label and the
option text it was given under. Checking and keeping answers, and counting the places of
limited options, is `answering`'s work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Activity, StaffUser, utcnow
from ..models.questions import Answer, FormKind, Question, QuestionOption
from ..questions import InvalidQuestion, QuestionView, type_of
from ..questions.base import TYPES
from . import audit
from .answering import places_taken

LANGUAGES = ("en", "fr", "es")

# The built-in fields of the application form a manager may switch off (the optional ones).
OPTIONAL_BUILTIN = {
    "title": "Title",
    "expectations": "What they expect to take home",
    "dietary_needs": "Dietary needs",
    "access_needs": "Access or other needs",
    "cv": "CV",
}


@dataclass
class OptionSpec:
    """An option as the builder sends it: its id when it exists already, labels, places."""

    label: dict[str, str]
    places: int | None = None
    id: int | None = None


@dataclass
class QuestionSpec:
    """What the builder asks for one question."""

    type: str
    label: dict[str, str]
    help: dict[str, str] = field(default_factory=dict)
    required: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    options: list[OptionSpec] = field(default_factory=list)
    condition_question_id: int | None = None
    condition_values: list[str] = field(default_factory=list)
    form: FormKind = FormKind.APPLICATION


def ask_builtin(activity: Activity, asked: Sequence[str], *, by: StaffUser) -> None:
    """Ask only these optional built-in fields (the others are switched off); answers given
    before stay with the applications."""
    unknown = set(asked) - set(OPTIONAL_BUILTIN)
    if unknown:
        raise InvalidQuestion("Choose among the built-in fields listed.", field="asked")
    activity.builtin_off = [name for name in OPTIONAL_BUILTIN if name not in asked]
    activity.updated_at = utcnow()
    db.session.flush()
    audit.record("form_builtin_changed", activity, by=by, after={"off": activity.builtin_off})


def questions_of(activity: Activity, form: FormKind = FormKind.APPLICATION) -> list[Question]:
    """The activity's questions on one form, in order, without the archived ones."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(
                Question.activity_id == activity.id,
                Question.form == form,
                Question.archived_at.is_(None),
            )
            .order_by(Question.position, Question.id)
        )
    )


def views_of(activity: Activity, form: FormKind = FormKind.APPLICATION) -> tuple[QuestionView, ...]:
    """The activity's questions on one form as plain values."""
    return tuple(QuestionView.of(question) for question in questions_of(activity, form))


def save_question(
    activity: Activity, question: Question, spec: QuestionSpec, *, by: StaffUser | None
) -> Question:
    """Create or change a question; refuses (InvalidQuestion) what the form could not ask.

    English label required; a known type; options for a choice; a condition only on an
    earlier yes/no or choice question of the same form, with values it can give; no option
    limit below the places already taken. Answers already given keep their wording.
    """
    if spec.type not in TYPES:
        raise InvalidQuestion("Choose a type from the list.", field="type")
    kind = type_of(spec.type)
    label = _texts(spec.label)
    if not label.get("en"):
        raise InvalidQuestion("Give the question in English at least.", field="label_en")
    settings = kind.check_settings(spec.settings)
    # Retention of this question's answers (services/retention.py), whatever the type.
    if isinstance(spec.settings.get("keep_days"), int) and spec.settings["keep_days"] >= 0:
        settings["keep_days"] = spec.settings["keep_days"]
    if question.id is not None and question.type != spec.type and _answered(question):
        raise InvalidQuestion(
            "This question has answers: its type cannot change. Archive it and add another.",
            field="type",
        )
    siblings = [q for q in questions_of(activity, spec.form) if q.id != question.id]
    if question.id is None:
        question.activity_id = activity.id
        question.form = spec.form
        question.position = 1 + max((q.position for q in siblings), default=0)
    earlier = [q for q in siblings if (q.position, q.id) < (question.position, question.id or 0)]
    if question.id is None:
        earlier = siblings
    _check_condition(spec, earlier)
    if kind.has_options:
        _save_options(question, spec.options)
    elif question.options:
        for option in question.options:
            option.archived_at = option.archived_at or utcnow()
    question.type = spec.type
    question.label = label
    question.help = _texts(spec.help)
    question.required = spec.required and kind.answered
    question.settings = settings
    question.condition_question_id = spec.condition_question_id
    question.condition_values = list(spec.condition_values) if spec.condition_question_id else []
    db.session.add(question)
    activity.updated_at = utcnow()  # the prepared form page is laid out again
    db.session.flush()
    audit.record(
        "question_saved", activity, by=by, after={"question": question.id, "label": label["en"]}
    )
    return question


def _texts(texts: Mapping[str, str | None]) -> dict[str, str]:
    cleaned = {lang: (texts.get(lang) or "").strip() for lang in LANGUAGES}
    for text in cleaned.values():
        if "\x00" in text:
            raise InvalidQuestion("A text contains a character that cannot be kept.")
    return {lang: text for lang, text in cleaned.items() if text}


def _check_condition(spec: QuestionSpec, earlier: Sequence[Question]) -> None:
    if spec.condition_question_id is None:
        return
    source = next((q for q in earlier if q.id == spec.condition_question_id), None)
    if source is None:
        raise InvalidQuestion(
            "A question can depend only on an earlier question of the same form.",
            field="condition",
        )
    if not type_of(source.type).conditional_source:
        raise InvalidQuestion(
            "A question can depend only on a yes/no or choice question.", field="condition"
        )
    possible = (
        {"yes", "no"} if source.type == "yes_no" else {str(o.id) for o in source.live_options}
    )
    if not spec.condition_values or not set(spec.condition_values) <= possible:
        raise InvalidQuestion("Choose the answers that show this question.", field="condition")


def _save_options(question: Question, specs: list[OptionSpec]) -> None:
    if not any(spec.label.get("en", "").strip() for spec in specs):
        raise InvalidQuestion("A choice needs at least one option.", field="options_en")
    existing = {option.id: option for option in question.options}
    taken = places_taken([o for o in existing]) if existing else {}
    kept: set[int] = set()
    for position, spec in enumerate(specs):
        label = _texts(spec.label)
        if not label.get("en"):
            raise InvalidQuestion(f"Option {position + 1} has no English text.", field="options_en")
        if spec.places is not None and spec.places < 0:
            raise InvalidQuestion("A number of places cannot be negative.", field="options_en")
        option = existing.get(spec.id) if spec.id is not None else None
        if option is None:
            option = QuestionOption()
            question.options.append(option)
        else:
            kept.add(option.id)
            if spec.places is not None and spec.places < taken.get(option.id, 0):
                raise InvalidQuestion(
                    f"{label['en']}: {taken[option.id]} places are taken already; "
                    f"the limit cannot be {spec.places}.",
                    field="options_en",
                )
        option.position = position
        option.label = label
        option.places = spec.places
        option.archived_at = None
    for option_id, option in existing.items():
        if option_id not in kept and option.archived_at is None:
            option.archived_at = utcnow()


def _answered(question: Question) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Answer.id)).where(Answer.question_id == question.id)
        )
        or 0
    ) > 0


def archive_question(activity: Activity, question: Question, *, by: StaffUser) -> None:
    """Take a question off the form: archived when answered (answers stay), else deleted.

    Refuses while a live question is shown only after this one.
    """
    dependent = db.session.scalar(
        sa.select(Question).where(
            Question.condition_question_id == question.id, Question.archived_at.is_(None)
        )
    )
    if dependent is not None:
        raise InvalidQuestion(
            f"“{dependent.text()}” is shown only after this question: change that first."
        )
    if _answered(question):
        question.archived_at = utcnow()
    else:
        db.session.delete(question)
    activity.updated_at = utcnow()
    db.session.flush()
    audit.record("question_removed", activity, by=by, after={"label": question.text()})


def move_question(activity: Activity, question: Question, *, up: bool, by: StaffUser) -> None:
    """Swap a question with the one above (or below); refuses to put one above its condition."""
    ordered = questions_of(activity, question.form)
    index = next(i for i, q in enumerate(ordered) if q.id == question.id)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(ordered):
        return
    other = ordered[other_index]
    first, second = (other, question) if up else (question, other)
    if second.condition_question_id == first.id:
        raise InvalidQuestion(
            f"“{second.text()}” depends on “{first.text()}”: it must stay below it."
        )
    for position, item in enumerate(ordered):
        item.position = position
    question.position, other.position = other.position, question.position
    activity.updated_at = utcnow()
    db.session.flush()


def copy_questions(source: Activity, target: Activity) -> int:
    """Copy the live questions of `source` after those of `target` (e.g. a next edition).

    Conditions point at the copies. Returns how many were copied.
    """
    copies: dict[int, Question] = {}
    options: dict[int, QuestionOption] = {}
    start = 1 + (
        db.session.scalar(
            sa.select(sa.func.max(Question.position)).where(Question.activity_id == target.id)
        )
        or 0
    )
    for form in FormKind:
        for question in questions_of(source, form):
            copy = Question(
                activity_id=target.id,
                form=form,
                type=question.type,
                position=start + question.position,
                label=dict(question.label),
                help=dict(question.help),
                required=question.required,
                settings=dict(question.settings),
                condition_values=[],
            )
            for option in question.live_options:
                options[option.id] = QuestionOption(
                    position=option.position, label=dict(option.label), places=option.places
                )
                copy.options.append(options[option.id])
            copies[question.id] = copy
            db.session.add(copy)
    db.session.flush()
    for original_id, copy in copies.items():
        original = db.session.get_one(Question, original_id)
        source_copy = copies.get(original.condition_question_id or 0)
        if source_copy is not None:
            copy.condition_question_id = source_copy.id
            copy.condition_values = [
                value if not value.isdigit() else str(options[int(value)].id)
                for value in original.condition_values
                if not value.isdigit() or int(value) in options
            ]
    target.updated_at = utcnow()
    db.session.flush()
    return len(copies)
