"""A line of text."""

from __future__ import annotations

from typing import Any

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from .base import (
    InvalidAnswer,
    InvalidQuestion,
    Parsed,
    QuestionType,
    QuestionView,
    Setting,
    first_value,
    refuse_nul,
    register,
)


@register
class ShortText(QuestionType):
    name = "short_text"
    title = "Short text"
    settings = (Setting("max_length", "int"),)
    default_length = 200
    longest = 500

    def check_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        length = settings.get("max_length") or self.default_length
        if not 1 <= length <= self.longest:
            raise InvalidQuestion(
                _(
                    "The length limit is between 1 and %(longest)s characters.",
                    longest=format_number(self.longest),
                ),
                field="max_length",
            )
        return {"max_length": length}

    def limit(self, question: QuestionView) -> int:
        return int(question.settings.get("max_length") or self.default_length)

    def hint(self, question: QuestionView) -> str:
        limit = self.limit(question)
        return ngettext(
            "Up to %(count)s character.",
            "Up to %(count)s characters.",
            limit,
            count=format_number(limit),
        )

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        text = first_value(values)
        if not text:
            return None
        refuse_nul(text)
        limit = self.limit(question)
        if len(text) > limit:
            raise InvalidAnswer(
                ngettext(
                    "Please keep it under %(count)s character.",
                    "Please keep it under %(count)s characters.",
                    limit,
                    count=format_number(limit),
                )
            )
        return Parsed(value=text, shown=text)
