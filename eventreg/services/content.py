"""Which languages an activity is offered in, and its texts in each (models/content.py).

The main language is the first of `Activity.languages`: the activity's own pages (details,
modules, fees, contacts) are written in it. Every other language gets its texts on a page
of its own; what is not entered there is shown in the main language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..extensions import db
from ..models import Activity, StaffUser, utcnow
from ..models.content import Translated, Translations
from . import audit
from .errors import DomainError

# A text column without a length of its own (sa.Text) takes at most this many characters.
LONGEST_TEXT = 20_000


class LanguageNotOffered(DomainError):
    """The language is not one the activity may be offered in, or not one it is offered in."""


def parts_of(activity: Activity) -> list[Translated]:
    """Everything of the activity with texts an applicant reads, in the order of its page."""
    return [activity, *activity.modules, *activity.fee_components, *activity.contacts]


def copied_texts(part: Translated) -> Translations:
    """A copy of a part's texts in the other languages, for a copy of the part."""
    return {code: dict(texts) for code, texts in part.translations.items()}


def longest(part: type[Translated], name: str) -> int:
    """How many characters a text may have in any language: its column's length."""
    length = getattr(part.__table__.c[name].type, "length", None)  # type: ignore[attr-defined]
    return int(length or LONGEST_TEXT)


def set_languages(
    activity: Activity,
    *,
    main: str,
    others: Sequence[str],
    allowed: Sequence[str],
    by: StaffUser,
) -> None:
    """Declare the languages the activity is offered in, `main` first.

    Refuses a language that is not in `allowed` (the organisation's languages) unless the
    activity already has it. Making another language the main one swaps the texts: that
    language's translations go into the columns and the old main language's become its
    translations (when the new main language has none, the texts are taken to be in it). A
    language taken off the list loses its translations.
    """
    wanted = [main, *(code for code in dict.fromkeys(others) if code != main)]
    for code in wanted:
        if code not in allowed and code not in activity.languages:
            raise LanguageNotOffered(
                f"{code} is not one of the organisation's languages.", field="others"
            )
    before = {"languages": list(activity.languages)}
    old_main = activity.working_language
    if main != old_main and any(part.translations.get(main) for part in parts_of(activity)):
        for part in parts_of(activity):
            _swap(part, old_main, main)
    for part in parts_of(activity):
        kept = {code: texts for code, texts in part.translations.items() if code in wanted[1:]}
        if kept != part.translations:
            part.translations = kept
    activity.languages = wanted
    activity.updated_at = utcnow()
    db.session.flush()
    audit.record("activity_languages", activity, by=by, before=before, after={"languages": wanted})


def _swap(part: Translated, old_main: str, new_main: str) -> None:
    """Put `new_main`'s texts into the columns and the columns' into `old_main`'s."""
    incoming = part.translations.get(new_main, {})
    outgoing = {name: getattr(part, name) for name in part.TRANSLATED if getattr(part, name)}
    for name in part.TRANSLATED:
        if incoming.get(name):
            setattr(part, name, incoming[name])
    rest = {code: texts for code, texts in part.translations.items() if code != new_main}
    part.translations = {**rest, old_main: outgoing} if outgoing else rest


def save_translations(
    activity: Activity,
    language: str,
    texts: Mapping[tuple[Translated, str], str],
    *,
    by: StaffUser,
) -> int:
    """Keep the texts entered in `language` ({(part, name): text}); an empty text is removed,
    so the main language's shows. Returns how many texts changed.

    Refuses (LanguageNotOffered) a language the activity is not offered in or its main
    language, whose texts are the activity's own; refuses a part of another activity or a
    text longer than its column allows. Nothing is changed when anything is refused.
    """
    if language not in activity.languages[1:]:
        raise LanguageNotOffered(
            f"{language} is not one of the other languages this activity is offered in."
        )
    owned = {id(part) for part in parts_of(activity)}
    for (part, name), text in texts.items():
        if id(part) not in owned or name not in part.TRANSLATED:
            raise LanguageNotOffered(f"{name} is not a text of this activity.")
        if len(text.strip()) > longest(type(part), name):
            raise DomainError(f"Use at most {longest(type(part), name)} characters.")
    changed = 0
    for part in parts_of(activity):
        mine = {name: text.strip() for (p, name), text in texts.items() if p is part}
        current = dict(part.translations.get(language, {}))
        updated = {**current, **mine}
        updated = {name: text for name, text in updated.items() if text}
        if updated != current:
            changed += sum(1 for name in mine if current.get(name, "") != mine[name])
            others = {code: t for code, t in part.translations.items() if code != language}
            part.translations = {**others, language: updated} if updated else others
    if changed:
        activity.updated_at = utcnow()
        db.session.flush()
        audit.record(
            "activity_translations", activity, by=by, note=f"{language}: {changed} texts changed"
        )
    return changed
