"""A phone number, validated and kept in E.164 (+41227997111) with `phonenumbers`."""

from __future__ import annotations

import phonenumbers
from werkzeug.datastructures import FileStorage

from .base import InvalidAnswer, Parsed, QuestionType, QuestionView, first_value, register

HINT = "Give it in international format: + then the country code, e.g. +977 1 441 2345."


def e164(text: str) -> str:
    """The number in E.164; raises InvalidAnswer if it is not a valid international number."""
    try:
        number = phonenumbers.parse(text[:40], None)
    except phonenumbers.NumberParseException:
        raise InvalidAnswer(f"This is not a phone number we can call. {HINT}") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidAnswer(f"This number does not exist in that country. {HINT}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@register
class Phone(QuestionType):
    name = "phone"
    title = "Phone number"

    def hint(self, question: QuestionView) -> str:
        return HINT

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        text = first_value(values)
        if not text:
            return None
        number = e164(text)
        return Parsed(value=number, shown=number)
