"""A phone number, validated and kept in E.164 (+41227997111) with `phonenumbers`."""

from __future__ import annotations

import phonenumbers
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.datastructures import FileStorage

from .base import (
    InvalidAnswer,
    Parsed,
    QuestionType,
    QuestionView,
    first_value,
    register,
    sentences,
)

HINT = lazy_gettext(
    "Give it in international format: + then the country code, e.g. +977 1 441 2345."
)


def e164(text: str) -> str:
    """The number in E.164; raises InvalidAnswer if it is not a valid international number."""
    try:
        number = phonenumbers.parse(text[:40], None)
    except phonenumbers.NumberParseException:
        refusal = _("This is not a phone number we can call.")
        raise InvalidAnswer(sentences(refusal, str(HINT))) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidAnswer(sentences(_("This number does not exist in that country."), str(HINT)))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@register
class Phone(QuestionType):
    name = "phone"
    title = "Phone number"

    def hint(self, question: QuestionView) -> str:
        return str(HINT)

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        text = first_value(values)
        if not text:
            return None
        number = e164(text)
        return Parsed(value=number, shown=number)
