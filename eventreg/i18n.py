"""Languages: which one a request, an email or a PDF is written in, and the catalogs.

Strings are marked with `_()` / `ngettext()` (flask_babel in Python, the same names in
templates) and read from the gettext catalogs under `translations/`.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel

babel = Babel()


def select_locale() -> str:
    """The language of the current request (English until the choice is built)."""
    return "en"


def init_app(app: Flask) -> None:
    """Attach Flask-Babel; templates get `_`, `gettext` and `ngettext`."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "../translations")
    babel.init_app(app, locale_selector=select_locale)
