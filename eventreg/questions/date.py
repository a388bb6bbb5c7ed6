"""A date, between optional bounds."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ..formatting import long_date
from .base import (
    InvalidAnswer,
    InvalidQuestion,
    Parsed,
    QuestionType,
    QuestionView,
    Setting,
    first_value,
    register,
    sentences,
)


def _day(value: Any, *, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidQuestion(_("Give a date as YYYY-MM-DD."), field=field) from None


@register
class DateQuestion(QuestionType):
    name = "date"
    title = "Date"
    settings = (Setting("min_date", "date"), Setting("max_date", "date"))

    def check_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        low = _day(settings.get("min_date"), field="min_date")
        high = _day(settings.get("max_date"), field="max_date")
        if low and high and low > high:
            raise InvalidQuestion(_("The earliest date is after the latest."), field="min_date")
        return {
            "min_date": low.isoformat() if low else None,
            "max_date": high.isoformat() if high else None,
        }

    def hint(self, question: QuestionView) -> str:
        low, high = question.settings.get("min_date"), question.settings.get("max_date")
        # As the reader's language writes a date ("13 juillet 2027").
        bounds = {
            "low": long_date(date.fromisoformat(low)) if low else "",
            "high": long_date(date.fromisoformat(high)) if high else "",
        }
        if low and high:
            return _("A date from %(low)s to %(high)s.", **bounds)
        if low:
            return _("A date from %(low)s.", **bounds)
        if high:
            return _("A date up to %(high)s.", **bounds)
        return ""

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        text = first_value(values)
        if not text:
            return None
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise InvalidAnswer(_("Give a date as year-month-day, e.g. 2027-07-13.")) from None
        low, high = question.settings.get("min_date"), question.settings.get("max_date")
        if (low and day < date.fromisoformat(low)) or (high and day > date.fromisoformat(high)):
            raise InvalidAnswer(sentences(_("This date is out of range."), self.hint(question)))
        return Parsed(value=day.isoformat(), shown=day.isoformat())
