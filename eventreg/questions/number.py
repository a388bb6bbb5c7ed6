"""A number, whole or decimal, between optional bounds."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

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
            raise InvalidQuestion("The minimum is above the maximum.", field="minimum")
        return {
            "minimum": str(low) if low is not None else None,
            "maximum": str(high) if high is not None else None,
            "integer": bool(settings.get("integer")),
        }

    def hint(self, question: QuestionView) -> str:
        low, high = question.settings.get("minimum"), question.settings.get("maximum")
        whole = "A whole number" if question.settings.get("integer") else "A number"
        if low is not None and high is not None:
            return f"{whole} from {low} to {high}."
        if low is not None:
            return f"{whole}, at least {low}."
        if high is not None:
            return f"{whole}, at most {high}."
        return f"{whole}."

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        text = first_value(values).replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InvalidAnswer(f"Give a number. {self.hint(question)}") from None
        if not number.is_finite() or len(text) > 30:
            raise InvalidAnswer(f"Give a number. {self.hint(question)}")
        if question.settings.get("integer") and number != number.to_integral_value():
            raise InvalidAnswer("Give a whole number, without decimals.")
        low, high = question.settings.get("minimum"), question.settings.get("maximum")
        if (low is not None and number < Decimal(low)) or (
            high is not None and number > Decimal(high)
        ):
            raise InvalidAnswer(f"This number is out of range. {self.hint(question)}")
        value = int(number) if question.settings.get("integer") else str(number)
        return Parsed(value=value, shown=str(value))
