"""A yes or no answer; later questions may be shown only after one of them."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from .base import InvalidAnswer, Parsed, QuestionType, QuestionView, first_value, register

# How an answer is kept and shown to staff (the form shows the reader's words).
WORDS = {"yes": "Yes", "no": "No"}


@register
class YesNo(QuestionType):
    name = "yes_no"
    title = "Yes or no"
    conditional_source = True

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        answer = first_value(values)
        if not answer:
            return None
        if answer not in WORDS:
            raise InvalidAnswer(_("Answer yes or no."))
        return Parsed(value=answer == "yes", shown=WORDS[answer], keys=(answer,))

    def reading(self, question: QuestionView, value: Any, language: str) -> str | None:
        with force_locale(language):
            return str(_("Yes") if value else _("No"))
