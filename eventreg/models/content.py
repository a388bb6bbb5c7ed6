"""An activity's texts per language: the one place that says which language a text is read in.

The columns (`title`, `summary`, a module's `title`...) hold the text in the activity's main
language, the first of `Activity.languages`. The other languages it is offered in keep their
texts in a `translations` JSON column, `{"fr": {"title": "...", "summary": "..."}}`. Pages,
emails and PDFs read a text through `content(name)`: in the reader's language (for emails
and PDFs, the application's, which they are rendered in) when it was entered, else in the
main language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column

# {"fr": {"title": "...", ...}, "es": {...}}: texts per language other than the main one.
Translations = dict[str, dict[str, str]]


def reading_language() -> str | None:
    """The language of the page, email or PDF being written (None outside a request or app)."""
    locale = get_locale()
    return str(locale) if locale is not None else None


def shown_in(item: Any, name: str, language: str | None = None) -> tuple[str, str | None]:
    """`item`'s text `name` in `language` (default: the reader's) when it was entered there,
    else as entered in the main language; and that language (None: the main one). `item`
    has the text as an attribute and a `translations` mapping (a model with `Translated`,
    or a plain copy of one)."""
    language = language or reading_language()
    entered = (item.translations or {}).get(language or "", {}).get(name, "")
    if entered:
        return entered, language
    return str(getattr(item, name) or ""), None


def text_in_language(item: Any, name: str, language: str | None = None) -> str:
    """The text alone of `shown_in`."""
    return shown_in(item, name, language)[0]


class Translated:
    """Mixin: a model whose texts named in `TRANSLATED` may be entered per language."""

    # The texts an applicant reads, in the order the translation page shows them.
    TRANSLATED: ClassVar[tuple[str, ...]] = ()
    if TYPE_CHECKING:
        id: int

    translations: Mapped[Translations] = mapped_column(
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )

    def content(self, name: str, language: str | None = None) -> str:
        """The text in `language` (default: the reader's) when entered, else the main one's."""
        return text_in_language(self, name, language)

    def language_of(self, name: str, main: str, language: str | None = None) -> str:
        """The language `content(name, language)` is in, `main` being the activity's main
        one (a page marks a text in another language than its own with `lang`)."""
        return shown_in(self, name, language)[1] or main

    def translation(self, name: str, language: str) -> str:
        """The text as entered in `language` ("" when it is not)."""
        return (self.translations or {}).get(language, {}).get(name, "")

    def untranslated(self, language: str) -> list[str]:
        """The texts that have a main-language version but none in `language`."""
        return [
            name
            for name in self.TRANSLATED
            if getattr(self, name) and not self.translation(name, language)
        ]
