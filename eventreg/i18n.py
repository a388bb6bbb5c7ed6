"""Languages: which one a request, an email or a PDF is written in, and the catalogs.

Strings are marked with `_()` / `ngettext()` (flask_babel in Python, the same names in
templates) and read from the gettext catalogs under `translations/` (compiled to `.mo` by
`make translations`, which `make run` and `make test` do).

A public page is written in, first found: the language the visitor chose with a link
(`?lang=fr`, kept for the visit in the session), the preferred language of the
application whose private link is open, the browser's Accept-Language, the organisation's
default (`DEFAULT_LANGUAGE`). Staff pages ship in English only for now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from babel import Locale, support
from flask import Flask, current_app, g, has_request_context, redirect, request, session
from flask_babel import Babel, get_locale, refresh
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms.i18n import messages_path

babel = Babel()

# The query parameter of the language links, and where the choice is kept for the visit.
CHOICE_PARAM = "lang"
SESSION_KEY = "language"
# Back-office blueprints: English only for now (README, "Languages").
STAFF_BLUEPRINTS = frozenset({"staff", "trainer", "auth", "api"})


class TranslatedForm(FlaskForm):
    """Every form of eventreg. WTForms' own messages ("This field is required.", a number
    out of range) come in the reader's language from a catalog read once per process and
    language; Flask-WTF would read it from disk again for each request that builds a form."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None
            return _wtforms_catalog(str(get_locale() or "en"))


@cache
def _wtforms_catalog(language: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")


def languages() -> list[str]:
    """The languages the applicant side is offered in, the default first."""
    return list(current_app.config["LANGUAGES"])


def default_language() -> str:
    return str(current_app.config["DEFAULT_LANGUAGE"])


def supported(code: str | None) -> str | None:
    """`code` if it is one of the offered languages, else None."""
    return code if code and code in languages() else None


def select_locale() -> str:
    """The language of the current request (see the module docstring for the order)."""
    if not has_request_context():
        return default_language()
    if request.blueprint in STAFF_BLUEPRINTS:
        return "en"
    return (
        supported(session.get(SESSION_KEY))
        or supported(g.get("application_language"))
        or request.accept_languages.best_match(languages())
        or default_language()
    )


def use_application_language(language: str | None) -> None:
    """On a page reached by private link: the application's language, unless one was chosen."""
    g.application_language = language
    refresh()


def remember_choice() -> Response | None:
    """A language link was followed: keep the choice for the visit, show the same page."""
    choice = request.args.get(CHOICE_PARAM)
    if choice is None or request.method != "GET":
        return None
    if supported(choice):
        session[SESSION_KEY] = choice
        refresh()
    rest = [(key, value) for key, value in request.args.items(multi=True) if key != CHOICE_PARAM]
    target = request.path + (f"?{urlencode(rest)}" if rest else "")
    return redirect(target, 303)


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language choice: the language's own name and the link to it."""

    code: str
    name: str
    href: str
    current: bool


def language_links() -> list[LanguageLink]:
    """A link per offered language that shows the current page in it (none on staff pages)."""
    if request.blueprint in STAFF_BLUEPRINTS:
        return []
    current = str(get_locale())
    args = [(key, value) for key, value in request.args.items(multi=True) if key != CHOICE_PARAM]
    links = []
    for code in languages():
        query = urlencode([*args, (CHOICE_PARAM, code)])
        name = Locale.parse(code).get_display_name(code) or code
        own_name = name[:1].upper() + name[1:]
        links.append(LanguageLink(code, own_name, f"{request.path}?{query}", code == current))
    return links


def page_of_pages(translated: str) -> Markup:
    """A translated 'Page %(page)s of %(pages)s' (filled with @@page@@ and @@pages@@) as CSS
    `content` with the page counters, for the PDFs' page margins."""
    parts = re.split(r"(@@pages?@@)", str(translated))
    css = []
    for part in parts:
        if part == "@@page@@":
            css.append("counter(page)")
        elif part == "@@pages@@":
            css.append("counter(pages)")
        elif part:
            css.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup(" ".join(css))


def text_direction() -> str:
    """'rtl' for a right-to-left language, else 'ltr' (the `dir` of `<html>`)."""
    locale = get_locale()
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def init_app(app: Flask) -> None:
    """Attach Flask-Babel; templates get `_`, `gettext`, `ngettext` and the language links."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "../translations")
    # The source language: a catalog's missing string falls back to it, never to another.
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(remember_choice)
    app.jinja_env.globals.update(
        language_links=language_links,
        text_direction=text_direction,
        current_locale=get_locale,
        page_of_pages=page_of_pages,
    )
