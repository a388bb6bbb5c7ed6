"""Several options among a list, with an optional maximum number of picks."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
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
from .single_choice import options_text, picked


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
            raise InvalidQuestion(
                _("Allow at least one pick, or leave it blank."), field="max_picks"
            )
        return {"max_picks": picks}

    def hint(self, question: QuestionView) -> str:
        picks = question.settings.get("max_picks")
        if not picks:
            return _("Choose all that apply.")
        return ngettext("Choose up to %(num)d option.", "Choose up to %(num)d options.", picks)

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        chosen = picked(question, [value for value in values if value])
        if not chosen:
            return None
        picks = question.settings.get("max_picks")
        if picks and len(chosen) > picks:
            raise InvalidAnswer(
                ngettext("Choose at most %(num)d option.", "Choose at most %(num)d options.", picks)
            )
        return Parsed(
            value=chosen,
            shown=options_text(question, chosen, "en") or "",  # staff read English
            option_ids=tuple(chosen),
            keys=tuple(str(option_id) for option_id in chosen),
        )

    def reading(self, question: QuestionView, value: Any, language: str) -> str | None:
        return options_text(question, value, language)
