"""The participant's evaluation form, behind a single-use emailed link."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from .. import i18n
from ..extensions import db
from ..models import EvaluationQuestion, Module, QuestionKind
from ..services import evaluations
from ..services.errors import DomainError
from . import bp

SCALE = [SelectChoice(n, f"{n}") for n in evaluations.RATING_SCALE]


def evaluation_form(questions: list[EvaluationQuestion]) -> FlaskForm:
    """A form with one field per question, named by its position."""

    class EvaluationForm(FlaskForm):
        pass

    for question in questions:
        name = f"q{question.position}"
        if question.kind == QuestionKind.RATING:
            field: Any = RadioField(
                question.text,
                choices=SCALE,
                coerce=int,
                validators=[InputRequired(_("Choose a rating from 1 to 5."))],
            )
        elif question.kind == QuestionKind.CHOICE:
            field = RadioField(
                question.text,
                choices=[SelectChoice(option, option) for option in question.options],
                validators=[Optional()],
            )
        else:
            field = TextAreaField(
                question.text,
                validators=[
                    Length(max=evaluations.OPEN_ANSWER_LIMIT, message=_("Please keep it shorter."))
                ],
            )
        setattr(EvaluationForm, name, field)
    return EvaluationForm()


@bp.route("/evaluate/<token>", methods=["GET", "POST"])
def evaluate(token: str) -> str | Response | tuple[str, int]:
    try:
        invitation = evaluations.open_invitation(token)
    except DomainError as closed:
        return render_template("public/evaluate_closed.html", message=str(closed)), 410
    i18n.use_application_language(invitation.application.language)
    activity = invitation.application.activity
    questions = evaluations.questions_for(activity)
    form = evaluation_form(questions)
    if form.validate_on_submit():
        saved = evaluations.ensure_questions(activity)
        values = {q.id: form[f"q{q.position}"].data for q in saved}
        try:
            evaluations.submit_online(invitation, values)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, evaluations.EvaluationClosed):
                return render_template("public/evaluate_closed.html", message=str(error)), 410
            abort(400)
        db.session.commit()
        return render_template("public/evaluate_done.html", activity=activity)
    module = db.session.get(Module, invitation.module_id) if invitation.module_id else None
    return render_template(
        "public/evaluate.html",
        form=form,
        activity=activity,
        questions=questions,
        sections=evaluations.sections(questions),
        module=module,
        anonymous=activity.evaluation_anonymous,
    )
