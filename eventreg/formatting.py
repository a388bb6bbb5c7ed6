"""How money, dates and times read on pages, in emails and in PDFs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency
from flask import Flask
from flask_babel import LazyString, get_locale, ngettext
from flask_babel import gettext as _

from . import countries
from .models.base import utcnow


def _locale() -> Locale:
    """The language being written: the request's, or the one an email is forced into."""
    return get_locale() or Locale("en")


def _english() -> bool:
    return _locale().language == "en"


def later(function: Callable[..., str], *args: Any) -> LazyString:
    """`function(*args)` worked out when shown, so in the language of what shows it (emails)."""
    return LazyString(function, *args)


def money(amount: int, currency: str) -> str:
    """'EUR 2,000' / 'EUR 1,040.50' in English; '2 000,00 €', '2.000,00 €' as other languages
    write it (Babel); amount in minor units."""
    if not _english():
        return format_currency(Decimal(amount) / 100, currency, locale=_locale())
    sign = "-" if amount < 0 else ""
    units, cents = divmod(abs(amount), 100)
    figure = f"{units:,}" if cents == 0 else f"{units:,}.{cents:02d}"
    return f"{sign}{currency} {figure}"


def long_date(day: date) -> str:
    """'15 June 2009', '15 juin 2009', '15 de junio de 2009'."""
    if not _english():
        return format_date(day, "long", locale=_locale())
    return f"{day.day} {day:%B %Y}"


def date_range(start: date, end: date) -> str:
    """'13-17 July 2009', '30 June - 2 July 2009', or one day; '13–17 juillet 2009'."""
    if start == end:
        return long_date(start)
    if not _english():
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}\u2013{long_date(end)}"
        return f"{long_date(start)} \u2013 {long_date(end)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} \u2013 {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} \u2013 {end.day} {end:%B %Y}"


def hours_and_minutes(minutes: int) -> str:
    """'31 hours', '31 hours 15 minutes' or '45 minutes': a length as a reader says it."""
    hours, rest = divmod(max(minutes, 0), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if rest or not hours:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", rest))
    return " ".join(parts)


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def moment_in(moment: datetime, zone: str) -> str:
    """'15 June 2009, 23:59 CEST', '15 juin 2009, 23:59 CEST': a moment read in one timezone
    (24-hour time in every language)."""
    there = local(moment, zone)
    return f"{long_date(there.date())}, {there:%H:%M} {there.tzname()}"


def time_of_day(moment: datetime, zone: str) -> str:
    return f"{local(moment, zone):%H:%M}"


def day_heading(day: date) -> str:
    """'Monday 13 July 2009', 'lundi 13 juillet 2009', 'lunes, 13 de julio de 2009'."""
    if not _english():
        return format_date(day, "full", locale=_locale())
    return f"{day:%A} {day.day} {day:%B %Y}"


def time_left(deadline: datetime, now: datetime | None = None) -> str:
    """'204 days left', '5 hours left', '12 minutes left' or 'closed'."""
    remaining = deadline - (now or utcnow())
    seconds = int(remaining.total_seconds())
    if seconds < 0:
        return _("closed")
    if seconds >= 2 * 86400:
        days = seconds // 86400
        return ngettext("%(num)d day left", "%(num)d days left", days)
    if seconds >= 2 * 3600:
        hours = seconds // 3600
        return ngettext("%(num)d hour left", "%(num)d hours left", hours)
    if seconds >= 120:
        minutes = seconds // 60
        return ngettext("%(num)d minute left", "%(num)d minutes left", minutes)
    return _("less than two minutes left")


def language_name(code: str) -> str:
    """The language's name in the reader's: 'English' for 'en', 'anglais' in French."""
    try:
        return _locale().languages.get(code, code)
    except (ValueError, TypeError):
        return code


def country_name(code: str) -> str:
    """The country's name in the reader's language, or the code as given if it is none."""
    if not code:
        return ""
    return countries.country_name(code.upper()) or code


def zone_label(zone: str) -> str:
    """'Europe/Rome' -> 'Rome', 'Asia/Kolkata' -> 'Kolkata'."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def paragraphs(text: str) -> list[str]:
    """Split free text into paragraphs on blank lines."""
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def lines(text: str) -> list[str]:
    """Non-empty lines, each stripped of a leading '- ' list marker."""
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if line.startswith(("- ", "* ")):
            line = line[2:].strip()
        if line:
            out.append(line)
    return out


def init_app(app: Flask) -> None:
    """Register the helpers above as Jinja filters."""
    app.jinja_env.filters.update(
        money=money,
        moment_in=moment_in,
        long_date=long_date,
        time_of_day=time_of_day,
        day_heading=day_heading,
        time_left=time_left,
        language_name=language_name,
        country_name=country_name,
        zone_label=zone_label,
        paragraphs=paragraphs,
        lines=lines,
    )
    from .letters_html import linked_text, opens_with_greeting

    app.jinja_env.filters["linked_text"] = linked_text
    app.jinja_env.tests["greeting"] = opens_with_greeting
    app.jinja_env.globals.update(date_range=date_range, now=utcnow)
    app.jinja_env.add_extension("jinja2.ext.do")
