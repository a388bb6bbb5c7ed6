"""A country, from the same list as the built-in nationality and residence."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

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
        if len(code) != 2 or code not in dict(self.choices()):
            raise InvalidAnswer(_("Choose a country from the list."))
        return Parsed(value=code, shown=dict(self.choices())[code])

    def choices(self) -> tuple[tuple[str, str], ...]:
        """The built-in form's list (imported here: the public package imports this one)."""
        from ..public.forms import countries

        return countries()
