"""A number, whole or decimal, between optional bounds."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from .base import (
    InvalidAnswer,
    InvalidQuestion,
    Parsed,
    QuestionType,
    QuestionView,
    Setting,
    decimal_or_none,
    first_value,
    register,
    sentences,
)


@register
class Number(QuestionType):
    name = "number"
    title = "Number"
    settings = (
        Setting("minimum", "decimal"),
        Setting("maximum", "decimal"),
        Setting("integer", "bool"),
    )

    def check_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        low = decimal_or_none(settings.get("minimum"), field="minimum")
        high = decimal_or_none(settings.get("maximum"), field="maximum")
        if low is not None and high is not None and low > high:
            raise InvalidQuestion(_("The minimum is above the maximum."), field="minimum")
        return {
            "minimum": str(low) if low is not None else None,
            "maximum": str(high) if high is not None else None,
            "integer": bool(settings.get("integer")),
        }

    def hint(self, question: QuestionView) -> str:
        settings = question.settings
        low, high = settings.get("minimum"), settings.get("maximum")
        # Whole sentences, so that each language words them its own way; bounds as it
        # writes numbers (2,5 in French).
        bounds = {
            "low": format_decimal(Decimal(low)) if low is not None else "",
            "high": format_decimal(Decimal(high)) if high is not None else "",
        }
        if settings.get("integer"):
            if low is not None and high is not None:
                return _("A whole number from %(low)s to %(high)s.", **bounds)
            if low is not None:
                return _("A whole number, at least %(low)s.", **bounds)
            if high is not None:
                return _("A whole number, at most %(high)s.", **bounds)
            return _("A whole number.")
        if low is not None and high is not None:
            return _("A number from %(low)s to %(high)s.", **bounds)
        if low is not None:
            return _("A number, at least %(low)s.", **bounds)
        if high is not None:
            return _("A number, at most %(high)s.", **bounds)
        return _("A number.")

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        text = first_value(values).replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InvalidAnswer(sentences(_("Give a number."), self.hint(question))) from None
        if not number.is_finite() or len(text) > 30:
            raise InvalidAnswer(sentences(_("Give a number."), self.hint(question)))
        if question.settings.get("integer") and number != number.to_integral_value():
            raise InvalidAnswer(_("Give a whole number, without decimals."))
        low, high = question.settings.get("minimum"), question.settings.get("maximum")
        if (low is not None and number < Decimal(low)) or (
            high is not None and number > Decimal(high)
        ):
            raise InvalidAnswer(sentences(_("This number is out of range."), self.hint(question)))
        value = int(number) if question.settings.get("integer") else str(number)
        return Parsed(value=value, shown=str(value))
