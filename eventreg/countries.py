"""Countries and territories people live in: one list, by ISO code, named in any language.

The built-in nationality and residence, the country question, and every page, export and
sheet that shows a country read it from here.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale
from flask_babel import get_locale

# Codes that babel lists but that are not countries or territories people live in.
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


def _reading(language: str | None) -> str:
    """`language`, else the reader's."""
    return language or str(get_locale() or "en")


def countries(language: str | None = None) -> tuple[tuple[str, str], ...]:
    """ISO 3166 countries and territories as (code, name in `language`, else in the
    reader's), by name."""
    return _countries(_reading(language))


def country_name(code: str, language: str | None = None) -> str | None:
    """The country's name in `language` (else in the reader's); None if `code` is not one."""
    return _names(_reading(language)).get(code)


@cache
def country_codes() -> frozenset[str]:
    """The ISO codes of countries()."""
    return frozenset(_names("en"))


@cache
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(language).territories
    return tuple(
        sorted(
            (
                (code, name)
                for code, name in names.items()
                if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
            ),
            # "Égypte" among the E's: sorted without accents.
            key=lambda item: unicodedata.normalize("NFKD", item[1]).encode("ascii", "ignore"),
        )
    )


@cache
def _names(language: str) -> dict[str, str]:
    return dict(_countries(language))
