"""The organiser's questions on the public forms: laid out in sections, with their conditions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from babel.lists import format_list
from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..questions import QuestionView

Section = tuple[QuestionView | None, list[QuestionView]]


def sections(questions: Sequence[QuestionView]) -> list[Section]:
    """The questions grouped under the headings that start each section."""
    found: list[Section] = []
    for question in questions:
        if not question.kind.answered:
            found.append((question, []))
        elif found:
            found[-1][1].append(question)
        else:
            found.append((None, [question]))
    return [section for section in found if section[1] or section[0] is not None]


def reading() -> str:
    """The language the page is read in: the organiser's wording is shown in it when they
    wrote one (else in English)."""
    return str(get_locale() or "en")


def conditions(questions: Sequence[QuestionView], lang: str | None) -> dict[int, dict[str, Any]]:
    """For each conditional question: the input it depends on, the values and their words."""
    by_id = {question.id: question for question in questions}
    found = {}
    for question in questions:
        source = by_id.get(question.condition_question_id or 0)
        if source is None:
            continue
        yes_no = {"yes": _("Yes"), "no": _("No")}
        words = []
        for value in question.condition_values:
            option = source.option(int(value)) if value.isdigit() else None
            words.append(option.text(lang) if option else yes_no.get(value, value))
        found[question.id] = {
            "source": source.name,
            "values": question.condition_values,
            "label": source.text(lang),
            "words": words,
            # "Yes", "A or B", "A, B or C" as the reader's language lists them.
            "answers": format_list(words, style="or", locale=get_locale() or "en"),
        }
    return found


def summarise_errors(
    form: Any, questions: Sequence[QuestionView], errors: Mapping[str, str]
) -> None:
    """Add the refused answers to the form's error summary, each after its question."""
    labels = {question.name: question.text(reading()) for question in questions}
    form.form_errors += [f"{labels.get(name, '')}: {message}" for name, message in errors.items()]


def render_questions(
    questions: Sequence[QuestionView],
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    full: frozenset[int] = frozenset(),
    held: frozenset[int] = frozenset(),
    lang: str | None = None,
) -> Markup:
    """The questions' sections as HTML (empty when the activity asks none).

    `full` options are shown full and cannot be picked, except those `held` by the
    application being corrected. The wording is in `lang`, by default the reader's.
    """
    if not questions:
        return Markup("")
    lang = lang or reading()
    return Markup(
        render_template(
            "questions/_sections.html",
            sections=sections(questions),
            values=values or {},
            errors=errors or {},
            full=full - held,
            lang=lang,
            conditions=conditions(questions, lang),
        )
    )
