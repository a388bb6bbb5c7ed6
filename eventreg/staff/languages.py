"""The languages an activity is offered in, and a page per other language for its texts."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import Field, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired, Length

from ..auth.access import requires, staff
from ..extensions import db
from ..formatting import language_name
from ..i18n import TranslatedForm
from ..i18n import languages as organisation_languages
from ..models import Activity, Contact, FeeComponent, Module, Role
from ..models.content import Translated
from ..saving import saved
from ..services import content
from . import bp
from .forms import ActivityForm, ContactForm, FeeForm, ModuleForm, choices

# The main form of each kind of part: the translation page labels its texts as they do.
MAIN_FORMS: dict[type, type[FlaskForm]] = {
    Activity: ActivityForm,
    Module: ModuleForm,
    FeeComponent: FeeForm,
    Contact: ContactForm,
}


class LanguagesForm(TranslatedForm):
    main = SelectField(lazy_gettext("Main language"), validators=[InputRequired()])
    others = SelectMultipleField(lazy_gettext("Also offered in"))


def _named(code: str) -> str:
    """A language's English name for the back office, with its code: 'French (fr)'."""
    return f"{language_name(code)} ({code})"


@bp.route("/activities/<int:activity_id>/languages", methods=["GET", "POST"])
@requires(Role.ACTIVITY_MANAGER)
def activity_languages(activity_id: int) -> str | Response:
    activity = db.get_or_404(Activity, activity_id)
    allowed = organisation_languages()
    known = list(dict.fromkeys([*allowed, *activity.languages]))
    form = LanguagesForm(data={"main": activity.working_language, "others": activity.languages[1:]})
    form.main.choices = choices(*((code, _named(code)) for code in known))
    form.others.choices = choices(*((code, _named(code)) for code in known))
    if form.validate_on_submit() and saved(
        lambda: content.set_languages(
            activity, main=form.main.data, others=form.others.data, allowed=allowed, by=staff()
        ),
        done=_("The languages are saved."),
        form=form,
    ):
        return redirect(url_for(".activity_languages", activity_id=activity.id))
    parts = content.parts_of(activity)
    written = sum(1 for part in parts for name in part.TRANSLATED if getattr(part, name))
    # Per other language: how many of the main language's texts it has, out of how many.
    progress = {
        code: (written - sum(len(part.untranslated(code)) for part in parts), written)
        for code in activity.languages[1:]
    }
    return render_template(
        "staff/activities/languages.html", activity=activity, form=form, progress=progress
    )


@dataclass(frozen=True)
class TextRow:
    """One text on the translation page: its field, and the main language's text beside it."""

    field: Field
    main: str


@dataclass(frozen=True)
class Section:
    heading: str
    rows: list[TextRow]


def _unbound(part: Translated, name: str) -> UnboundField:
    return getattr(MAIN_FORMS[type(part)], name)  # type: ignore[no-any-return]


def _label(part: Translated, name: str) -> str:
    main_label = str(_unbound(part, name).args[0])
    if isinstance(part, Module):
        return _("Module %(number)s: %(text)s", number=part.number, text=main_label.lower())
    if isinstance(part, FeeComponent | Contact):
        owner = part.name
        return f"{owner}: {main_label.lower()}"
    return main_label


def _key(part: Translated, name: str) -> str:
    return f"{type(part).__name__.lower()}-{part.id}-{name}"


def translation_form(activity: Activity, language: str) -> tuple[FlaskForm, list[Section], dict]:
    """A form with a field per text of the activity (those written in the main language or
    already in `language`), the sections to show them in, and which text each field holds."""

    class TranslationForm(FlaskForm):
        pass

    texts: dict[str, tuple[Translated, str]] = {}
    plan: list[tuple[str, list[tuple[str, str]]]] = []
    headings: dict[type, str] = {
        Activity: _("The activity"),
        Module: _("Modules"),
        FeeComponent: _("Fee components"),
        Contact: _("Contacts"),
    }
    for part in content.parts_of(activity):
        keys = []
        for name in part.TRANSLATED:
            if not getattr(part, name) and not part.translation(name, language):
                continue
            key = _key(part, name)
            unbound = _unbound(part, name)
            kind = StringField if unbound.field_class is StringField else TextAreaField
            limit = content.longest(type(part), name)
            setattr(TranslationForm, key, kind(_label(part, name), [Length(max=limit)]))
            texts[key] = (part, name)
            keys.append((key, getattr(part, name)))
        if not keys:
            continue
        heading = headings[type(part)]
        if plan and plan[-1][0] == heading:
            plan[-1][1].extend(keys)
        else:
            plan.append((heading, keys))
    data = {key: part.translation(name, language) for key, (part, name) in texts.items()}
    form = TranslationForm(data=data)
    sections = [Section(h, [TextRow(form[key], main) for key, main in keys]) for h, keys in plan]
    return form, sections, texts


@bp.route("/activities/<int:activity_id>/languages/<language>", methods=["GET", "POST"])
@requires(Role.ACTIVITY_MANAGER)
def activity_translation(activity_id: int, language: str) -> str | Response:
    activity = db.get_or_404(Activity, activity_id)
    if language not in activity.languages[1:]:
        flash(
            _(
                "%(language)s is not one of the other languages %(reference)s is offered in: "
                "add it below first.",
                language=_named(language),
                reference=activity.reference,
            )
            if language != activity.working_language
            else _(
                "%(language)s is the main language: its texts are on the activity's own pages.",
                language=_named(language),
            ),
            "error",
        )
        return redirect(url_for(".activity_languages", activity_id=activity.id))
    form, sections, texts = translation_form(activity, language)
    if form.validate_on_submit() and saved(
        lambda: content.save_translations(
            activity,
            language,
            {texts[key]: form[key].data or "" for key in texts},
            by=staff(),
        ),
        done=lambda changed: (
            ngettext(
                "%(num)d text saved in %(language)s.",
                "%(num)d texts saved in %(language)s.",
                changed,
                language=_named(language),
            )
            if changed
            else _("Nothing was changed.")
        ),
        form=form,
    ):
        return redirect(
            url_for(".activity_translation", activity_id=activity.id, language=language)
        )
    return render_template(
        "staff/activities/translation.html",
        activity=activity,
        language=language,
        language_label=_named(language),
        main_label=_named(activity.working_language),
        form=form,
        sections=sections,
    )
