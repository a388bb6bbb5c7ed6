"""The question builder: an activity manager adds, orders and removes the form's questions."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth.access import requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import Activity, Role, utcnow
from ..models.questions import FormKind, Question
from ..questions import TYPES
from ..saving import saved, show_error
from ..services import answering, answers, followup
from ..services import questions as service
from ..services.errors import DomainError
from . import bp
from .forms import choices

FORM_TITLES = {
    FormKind.APPLICATION: "Application form",
    FormKind.FOLLOW_UP: "Follow-up form (after acceptance)",
}


class QuestionForm(TranslatedForm):
    """One question as the builder edits it; the type's settings apply where they fit."""

    type = SelectField("Type", validators=[InputRequired("Choose a type.")])
    label_en = StringField("Question (English)", validators=[Length(max=500)])
    label_fr = StringField("Question (French)", validators=[Optional(), Length(max=500)])
    label_es = StringField("Question (Spanish)", validators=[Optional(), Length(max=500)])
    help_en = TextAreaField("Help text (English)", validators=[Length(max=2000)])
    help_fr = TextAreaField("Help text (French)", validators=[Length(max=2000)])
    help_es = TextAreaField("Help text (Spanish)", validators=[Length(max=2000)])
    required = BooleanField("An answer is required")
    options_en = TextAreaField(
        "Options (English), one a line; a limit of places after a bar: Site visit A | 15",
        validators=[Length(max=5000)],
    )
    options_fr = TextAreaField("Options (French), same lines", validators=[Length(max=5000)])
    options_es = TextAreaField("Options (Spanish), same lines", validators=[Length(max=5000)])
    display = SelectField(
        "Single choice shown as",
        choices=choices(("radio", "Buttons"), ("list", "A drop-down list")),
        validate_choice=False,  # the type keeps "radio" for anything else
    )
    max_picks = IntegerField(
        "Multiple choice: most picks allowed", validators=[Optional(), NumberRange(min=1)]
    )
    max_length = IntegerField(
        "Text: most characters allowed", validators=[Optional(), NumberRange(min=1)]
    )
    minimum = StringField("Number: smallest accepted", validators=[Length(max=30)])
    maximum = StringField("Number: largest accepted", validators=[Length(max=30)])
    integer = BooleanField("Number: whole numbers only")
    min_date = DateField("Date: earliest accepted", validators=[Optional()])
    max_date = DateField("Date: latest accepted", validators=[Optional()])
    max_mb = IntegerField(
        "File: largest size in MB", validators=[Optional(), NumberRange(min=1, max=10)]
    )
    keep_days = IntegerField(
        lazy_gettext("Erase the answers this many days after the activity ends"),
        validators=[Optional(), NumberRange(min=0, max=36500)],
    )
    condition = SelectMultipleField(
        "Show only when an earlier answer is one of",
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


class BuiltinForm(TranslatedForm):
    """Which optional built-in fields the form asks."""

    asked = SelectMultipleField(
        "Optional built-in fields the form asks",
        choices=choices(*service.OPTIONAL_BUILTIN.items()),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class FollowUpForm(TranslatedForm):
    """The follow-up form's deadline."""

    follow_up_by = DateField("Last day to answer", validators=[Optional()])


class CopyForm(TranslatedForm):
    """Copy the questions of another activity."""

    source_id = SelectField("Copy the questions of", coerce=int)


def _condition_choices(activity: Activity, question: Question) -> list[tuple[str, str]]:
    """Every answer of an earlier yes/no or choice question that may show this one."""
    earlier = {
        str(q.id)
        for q in service.questions_of(activity, question.form)
        if question.id is None or (q.position, q.id) < (question.position, question.id)
    }
    return [
        (token, words)
        for token, words in answers.answer_choices(activity)
        if token.partition(":")[0] in earlier
    ]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _spec(form: QuestionForm, question: Question) -> service.QuestionSpec:
    """The builder's form as the service takes it."""
    lines = {lang: _lines(getattr(form, f"options_{lang}").data) for lang in service.LANGUAGES}
    live = question.live_options if question.id is not None else []
    options = []
    for index, line in enumerate(lines["en"]):
        text, _bar, places = line.partition("|")
        label = {"en": text.strip()}
        for lang in ("fr", "es"):
            if index < len(lines[lang]):
                label[lang] = lines[lang][index].partition("|")[0].strip()
        if places.strip() and not places.strip().isdigit():
            raise service.InvalidQuestion(
                f"“{line}”: give the places as a whole number after the bar.", field="options_en"
            )
        options.append(
            service.OptionSpec(
                label=label,
                places=int(places) if places.strip() else None,
                id=live[index].id if index < len(live) else None,
            )
        )
    sources = {value.split(":", 1)[0] for value in form.condition.data or []}
    if len(sources) > 1:
        raise service.InvalidQuestion(
            "A question can depend on one earlier question only.", field="condition"
        )
    source = next(iter(sources), None)
    settings = {name: getattr(form, name).data for name in _SETTINGS}
    return service.QuestionSpec(
        type=form.type.data,
        label={lang: getattr(form, f"label_{lang}").data for lang in service.LANGUAGES},
        help={lang: getattr(form, f"help_{lang}").data for lang in service.LANGUAGES},
        required=form.required.data,
        settings=settings,
        options=options,
        condition_question_id=int(source) if source and source.isdigit() else None,
        condition_values=[value.split(":", 1)[1] for value in form.condition.data or []],
        form=question.form or FormKind.APPLICATION,
    )


_SETTINGS = (
    "display",
    "max_picks",
    "max_length",
    "minimum",
    "maximum",
    "integer",
    "min_date",
    "max_date",
    "max_mb",
    "keep_days",
)


def _fill(form: QuestionForm, question: Question) -> None:
    """The builder's form showing a saved question."""
    form.type.data = question.type
    for lang in service.LANGUAGES:
        getattr(form, f"label_{lang}").data = question.label.get(lang, "")
        getattr(form, f"help_{lang}").data = question.help.get(lang, "")
        getattr(form, f"options_{lang}").data = "\n".join(
            option.label.get(lang, "")
            + (f" | {option.places}" if lang == "en" and option.places is not None else "")
            for option in question.live_options
        )
    form.required.data = question.required
    for name in _SETTINGS:
        value = question.settings.get(name)
        if name in ("min_date", "max_date") and value:
            value = date.fromisoformat(value)
        getattr(form, name).data = value
    form.condition.data = [
        f"{question.condition_question_id}:{v}" for v in question.condition_values
    ]


def _form_kind(form_kind: str) -> FormKind:
    if form_kind not in FORM_TITLES:
        abort(404)
    return FormKind(form_kind)


@bp.route("/activities/<int:activity_id>/form/<form_kind>/questions", methods=["GET", "POST"])
@bp.route(
    "/activities/<int:activity_id>/form/<form_kind>/questions/<int:question_id>",
    methods=["GET", "POST"],
)
@requires(Role.ACTIVITY_MANAGER)
def questions(activity_id: int, form_kind: str, question_id: int | None = None) -> str | Response:
    """The form's questions, with the form to add one (or change the one chosen)."""
    activity = db.get_or_404(Activity, activity_id)
    kind = _form_kind(form_kind)
    question = db.get_or_404(Question, question_id) if question_id else Question(form=kind)
    if question_id and (question.activity_id != activity.id or question.archived_at is not None):
        abort(404)
    form = QuestionForm()
    form.type.choices = choices(*((name, kind_.title) for name, kind_ in TYPES.items()))
    form.condition.choices = choices(*_condition_choices(activity, question))
    if request.method == "GET" and question_id:
        _fill(form, question)
    if form.validate_on_submit():
        try:
            spec = _spec(form, question)
        except DomainError as error:
            show_error(form, error)
        else:
            done = f"The question “{spec.label.get('en') or ''}” is saved."

            def change() -> None:
                service.save_question(activity, question, spec, by=staff())

            if saved(change, done=done, form=form):
                return redirect(
                    url_for(".questions", activity_id=activity.id, form_kind=kind.value)
                )
    listed = service.questions_of(activity, kind)
    limited = [o.id for q in listed for o in q.live_options if o.places is not None]
    status = 422 if form.errors else 200
    page = render_template(
        "staff/activities/questions.html",
        activity=activity,
        form_kind=kind,
        form_title=FORM_TITLES[kind],
        questions=listed,
        by_id={q.id: q for q in listed},
        taken=answering.places_taken(limited),
        types=TYPES,
        form=form,
        question_id=question_id,
        action_form=ActionForm(),
        copy_form=_copy_form(activity),
        builtin_form=BuiltinForm(
            formdata=None,
            asked=[name for name in service.OPTIONAL_BUILTIN if name not in activity.builtin_off],
        ),
        summary=question_summary,
        follow_up_form=FollowUpForm(formdata=None, follow_up_by=activity.follow_up_by),
        not_answered=followup.not_answered(activity) if kind == FormKind.FOLLOW_UP else [],
    )
    return page, status  # type: ignore[return-value]


def _copy_form(activity: Activity) -> CopyForm:
    form = CopyForm()
    user = staff()
    sources = db.session.execute(
        sa.select(Activity.id, Activity.reference, Activity.title)
        .where(Activity.id != activity.id)
        .order_by(Activity.starts_at.desc())
        .limit(200)
    ).all()
    form.source_id.choices = choices(
        *(
            (row.id, f"{row.reference}: {row.title}")
            for row in sources
            if user.is_admin or user.has_role(Role.ACTIVITY_MANAGER, row.id)
        )
    )
    return form


def _question_or_404(activity: Activity, question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    if question.activity_id != activity.id or question.archived_at is not None:
        abort(404)
    return question


@bp.post("/activities/<int:activity_id>/form/<form_kind>/questions/<int:question_id>/remove")
@requires(Role.ACTIVITY_MANAGER)
def question_remove(activity_id: int, form_kind: str, question_id: int) -> Response:
    """Remove a question: archived when answered, so no answer is lost."""
    activity = db.get_or_404(Activity, activity_id)
    kind = _form_kind(form_kind)
    question = _question_or_404(activity, question_id)
    if ActionForm().validate_on_submit():
        saved(
            lambda: service.archive_question(activity, question, by=staff()),
            done="The question is removed from the form; answers already given are kept.",
        )
    else:
        flash("The request was not valid. Please try again.", "error")
    return redirect(url_for(".questions", activity_id=activity.id, form_kind=kind.value))


@bp.post("/activities/<int:activity_id>/form/<form_kind>/questions/<int:question_id>/move")
@requires(Role.ACTIVITY_MANAGER)
def question_move(activity_id: int, form_kind: str, question_id: int) -> Response:
    """Move a question one place up or down."""
    activity = db.get_or_404(Activity, activity_id)
    kind = _form_kind(form_kind)
    question = _question_or_404(activity, question_id)
    up = request.form.get("direction") == "up"
    if ActionForm().validate_on_submit():
        saved(
            lambda: service.move_question(activity, question, up=up, by=staff()),
            done="The question is moved.",
        )
    else:
        flash("The request was not valid. Please try again.", "error")
    return redirect(url_for(".questions", activity_id=activity.id, form_kind=kind.value))


@bp.post("/activities/<int:activity_id>/form/application/built-in")
@requires(Role.ACTIVITY_MANAGER)
def builtin_fields(activity_id: int) -> Response:
    """Switch the optional built-in fields of the application form on or off."""
    activity = db.get_or_404(Activity, activity_id)
    form = BuiltinForm()
    if form.validate_on_submit():
        saved(
            lambda: service.ask_builtin(activity, form.asked.data or [], by=staff()),
            done="The built-in fields are saved.",
        )
    else:
        flash("Choose among the built-in fields listed.", "error")
    return redirect(url_for(".questions", activity_id=activity.id, form_kind="application"))


@bp.post("/activities/<int:activity_id>/form/follow-up/deadline")
@requires(Role.ACTIVITY_MANAGER)
def follow_up_deadline(activity_id: int) -> Response:
    """Set the last day to answer the follow-up form."""
    activity = db.get_or_404(Activity, activity_id)
    form = FollowUpForm()
    if form.validate_on_submit():
        saved(
            lambda: followup.set_deadline(activity, form.follow_up_by.data, by=staff()),
            done="The follow-up form's deadline is saved.",
        )
    else:
        flash("Give the date as year-month-day.", "error")
    return redirect(url_for(".questions", activity_id=activity.id, form_kind="follow_up"))


@bp.post("/activities/<int:activity_id>/form/follow-up/remind")
@requires(Role.ACTIVITY_MANAGER)
def follow_up_remind(activity_id: int) -> Response:
    """Email a reminder to every participant who has not answered the follow-up form."""
    activity = db.get_or_404(Activity, activity_id)
    if ActionForm().validate_on_submit():
        sent: list[int] = []
        saved(
            lambda: sent.append(followup.remind(activity, by=staff(), now=utcnow())),
            done="The reminders are on their way.",
        )
    else:
        flash("The request was not valid. Please try again.", "error")
    return redirect(url_for(".questions", activity_id=activity.id, form_kind="follow_up"))


@bp.post("/activities/<int:activity_id>/form/<form_kind>/questions/copy")
@requires(Role.ACTIVITY_MANAGER)
def questions_copy(activity_id: int, form_kind: str) -> Response:
    """Copy every question of another activity the manager manages."""
    activity = db.get_or_404(Activity, activity_id)
    kind = _form_kind(form_kind)
    form = _copy_form(activity)
    if form.validate_on_submit():
        source = db.get_or_404(Activity, form.source_id.data)
        saved(
            lambda: service.copy_questions(source, activity),
            done=f"The questions of {source.reference} are copied.",
        )
    else:
        flash("Choose an activity you manage.", "error")
    return redirect(url_for(".questions", activity_id=activity.id, form_kind=kind.value))


def question_summary(question: Question, by_id: dict[int, Question]) -> dict[str, Any]:
    """What the list says of a question's condition."""
    source = by_id.get(question.condition_question_id or 0)
    if source is None:
        return {}
    words = []
    for value in question.condition_values:
        if value in ("yes", "no"):
            words.append(value.capitalize())
        else:
            option = next((o for o in source.options if str(o.id) == value), None)
            words.append(option.text() if option else value)
    return {"source": source.text(), "values": words}
