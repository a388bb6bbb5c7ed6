"""One option among several, as radio buttons or a list; options may have limited places."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from .base import (
    InvalidAnswer,
    Parsed,
    QuestionType,
    QuestionView,
    Setting,
    first_value,
    register,
)

DISPLAYS = ("radio", "list")


def picked(question: QuestionView, values: list[str]) -> list[int]:
    """The option ids sent, refused (InvalidAnswer) when one is not offered."""
    chosen = []
    for value in values:
        option = question.option(int(value)) if value.isdigit() and len(value) < 12 else None
        if option is None:
            raise InvalidAnswer(_("Choose among the options offered."))
        if option.id not in chosen:
            chosen.append(option.id)
    return chosen


@register
class SingleChoice(QuestionType):
    name = "single_choice"
    title = "Single choice"
    has_options = True
    conditional_source = True
    settings = (Setting("display", "display"),)

    def check_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        display = settings.get("display")
        return {"display": display if display in DISPLAYS else "radio"}

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        value = first_value(values)
        if not value:
            return None
        (option_id,) = picked(question, [value])
        option = question.option(option_id)
        assert option is not None
        return Parsed(
            value=[option_id], shown=option.text(), option_ids=(option_id,), keys=(str(option_id),)
        )

    def reading(self, question: QuestionView, value: Any, language: str) -> str | None:
        return options_text(question, value, language)


def options_text(question: QuestionView, option_ids: list[int], language: str) -> str | None:
    """The options picked, in `language`; None when one is no longer offered."""
    options = [question.option(option_id) for option_id in option_ids]
    if not options or None in options:
        return None
    return "; ".join(option.text(language) for option in options if option is not None)
