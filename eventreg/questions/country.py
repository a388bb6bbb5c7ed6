"""A country, from the same list as the built-in nationality and residence."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ..countries import countries, country_name
from .base import InvalidAnswer, Parsed, QuestionType, QuestionView, first_value, register


@register
class Country(QuestionType):
    name = "country"
    title = "Country"

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        code = first_value(values).upper()
        if not code:
            return None
        shown = self.reading(question, code, "en")  # staff read English
        if len(code) != 2 or shown is None:
            raise InvalidAnswer(_("Choose a country from the list."))
        return Parsed(value=code, shown=shown)

    def reading(self, question: QuestionView, value: Any, language: str) -> str | None:
        return country_name(value, language)

    def choices(self, language: str | None = None) -> tuple[tuple[str, str], ...]:
        """The built-in form's list, in `language` or the reader's."""
        return countries(language)
