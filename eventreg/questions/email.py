"""An email address, checked for its form (not for its existence)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ..services.refusals import REFUSED
from .base import InvalidAnswer, Parsed, QuestionType, QuestionView, first_value, register


@register
class Email(QuestionType):
    name = "email"
    title = "Email address"

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        text = first_value(values)
        if not text:
            return None
        try:
            address = validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError:
            raise InvalidAnswer(str(REFUSED["email"])) from None
        if len(address) > 254:
            raise InvalidAnswer(_("This email address is too long."))
        return Parsed(value=address, shown=address)
