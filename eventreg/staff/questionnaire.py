"""The evaluation questionnaire editor: an activity's questions (its managers) and the
organisation's default set (admins), on the same page."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ..auth.access import requires, staff
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import Activity, EvaluationQuestion, QuestionKind, Role
from ..saving import saved
from ..services import questionnaire as service
from . import bp
from .forms import choices

KIND_LABELS = {
    QuestionKind.RATING: lazy_gettext("Rating from 1 to 5"),
    QuestionKind.CHOICE: lazy_gettext("One choice among options"),
    QuestionKind.OPEN: lazy_gettext("Free text"),
}
ACTIONS = ("save", "remove", "up", "down")


class QuestionForm(TranslatedForm):
    kind = SelectField(
        lazy_gettext("Kind of answer"),
        choices=choices(*((kind.value, label) for kind, label in KIND_LABELS.items())),
        default=QuestionKind.RATING.value,
    )
    text = TextAreaField(lazy_gettext("Question"), validators=[Length(max=service.TEXT_LIMIT)])
    low_label = StringField(
        lazy_gettext("Word at 1 (ratings)"), validators=[Length(max=service.LABEL_LIMIT)]
    )
    high_label = StringField(
        lazy_gettext("Word at 5 (ratings)"), validators=[Length(max=service.LABEL_LIMIT)]
    )
    options = TextAreaField(lazy_gettext("Options, one a line (choices)"))
    module_id = SelectField(lazy_gettext("Section"), coerce=int, default=0)
    action = StringField()


def _form(activity: Activity | None, question: EvaluationQuestion | None = None) -> QuestionForm:
    prefix = f"q{question.id}" if question is not None else "new"
    form = QuestionForm(prefix=prefix)
    sections = [(0, str(_("The whole activity")))]
    if activity is not None:
        sections += [
            (m.id, _("Module %(number)s: %(title)s", number=m.number, title=m.title))
            for m in activity.modules
        ]
    form.module_id.choices = choices(*sections)
    if question is not None and not form.is_submitted():
        form.kind.data = question.kind.value
        form.text.data = question.text
        form.low_label.data = question.low_label
        form.high_label.data = question.high_label
        form.options.data = "\n".join(question.options or [])
        form.module_id.data = question.module_id or 0
    return form


def _wording(form: QuestionForm) -> service.Wording:
    return service.Wording(
        kind=QuestionKind(form.kind.data or QuestionKind.RATING.value),
        text=form.text.data or "",
        low_label=form.low_label.data or "",
        high_label=form.high_label.data or "",
        options=tuple((form.options.data or "").splitlines()),
        module_id=form.module_id.data or None,
    )


def _page(
    activity: Activity | None, *, failed: QuestionForm | None = None, failed_id: int | None = None
) -> tuple[str, int]:
    questions = service.start_from_default(activity) if activity else service.default_set()
    forms = {
        q.id: failed if failed is not None and failed_id == q.id else _form(activity, q)
        for q in questions
    }
    new = failed if failed is not None and failed_id is None else _form(activity)
    page = render_template(
        "staff/questionnaire.html",
        activity=activity,
        questions=questions,
        answered={q.id for q in questions if service.answered(q)},
        forms=forms,
        new=new,
        kinds=KIND_LABELS,
    )
    # Copying the default set in is saved even when only looking: the page shows ids.
    db.session.commit()
    return page, 422 if failed is not None else 200


def _here(activity: Activity | None) -> str:
    if activity is None:
        return url_for(".default_questionnaire")
    return url_for(".questionnaire", activity_id=activity.id)


def _add(activity: Activity | None) -> Response | tuple[str, int]:
    form = _form(activity)
    if form.validate_on_submit() and saved(
        lambda: service.add_question(activity, _wording(form), by=staff()),
        done=_("The question is added."),
        form=form,
    ):
        return redirect(_here(activity))
    return _page(activity, failed=form)


def _change(activity: Activity | None, question_id: int) -> Response | tuple[str, int]:
    question = db.get_or_404(EvaluationQuestion, question_id)
    if question.activity_id != (activity.id if activity else None) or question.retired_at:
        abort(404)
    form = _form(activity, question)
    action = form.action.data if form.action.data in ACTIONS else "save"
    if not form.validate_on_submit():
        return _page(activity, failed=form, failed_id=question.id)
    user = staff()
    if action == "remove":
        done = saved(
            lambda: service.remove_question(question, by=user), done=_("The question is removed.")
        )
    elif action in ("up", "down"):
        done = saved(lambda: service.move_question(question, up=action == "up", by=user))
    else:
        done = saved(
            lambda: service.change_question(question, _wording(form), by=user),
            done=_("The question is saved."),
            form=form,
        )
    if done:
        return redirect(_here(activity))
    return _page(activity, failed=form, failed_id=question.id)


@bp.get("/activities/<int:activity_id>/evaluation/questions")
@requires(Role.ACTIVITY_MANAGER)
def questionnaire(activity_id: int) -> tuple[str, int]:
    return _page(db.get_or_404(Activity, activity_id))


@bp.post("/activities/<int:activity_id>/evaluation/questions")
@requires(Role.ACTIVITY_MANAGER)
def questionnaire_add(activity_id: int) -> Response | tuple[str, int]:
    return _add(db.get_or_404(Activity, activity_id))


@bp.post("/activities/<int:activity_id>/evaluation/questions/<int:item_id>")
@requires(Role.ACTIVITY_MANAGER)
def questionnaire_change(activity_id: int, item_id: int) -> Response | tuple[str, int]:
    return _change(db.get_or_404(Activity, activity_id), item_id)


@bp.get("/evaluation-questions")
@requires(Role.ADMIN)
def default_questionnaire() -> tuple[str, int]:
    return _page(None)


@bp.post("/evaluation-questions")
@requires(Role.ADMIN)
def default_questionnaire_add() -> Response | tuple[str, int]:
    return _add(None)


@bp.post("/evaluation-questions/<int:item_id>")
@requires(Role.ADMIN)
def default_questionnaire_change(item_id: int) -> Response | tuple[str, int]:
    return _change(None, item_id)
