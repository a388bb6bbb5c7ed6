"""Several options among a list, with an optional maximum number of picks."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import FileStorage

from .base import (
    InvalidAnswer,
    InvalidQuestion,
    Parsed,
    QuestionType,
    QuestionView,
    Setting,
    register,
)
from .single_choice import picked


@register
class MultipleChoice(QuestionType):
    name = "multiple_choice"
    title = "Multiple choice"
    has_options = True
    multiple = True
    conditional_source = True
    settings = (Setting("max_picks", "int"),)

    def check_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        picks = settings.get("max_picks")
        if picks is not None and picks < 1:
            raise InvalidQuestion("Allow at least one pick, or leave it blank.", field="max_picks")
        return {"max_picks": picks}

    def hint(self, question: QuestionView) -> str:
        picks = question.settings.get("max_picks")
        return f"Choose up to {picks}." if picks else "Choose all that apply."

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        chosen = picked(question, [value for value in values if value])
        if not chosen:
            return None
        picks = question.settings.get("max_picks")
        if picks and len(chosen) > picks:
            raise InvalidAnswer(f"Choose at most {picks}.")
        options = [question.option(option_id) for option_id in chosen]
        return Parsed(
            value=chosen,
            shown="; ".join(option.text() for option in options if option),
            option_ids=tuple(chosen),
            keys=tuple(str(option_id) for option_id in chosen),
        )
