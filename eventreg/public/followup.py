"""The follow-up form on the applicant's private page, once they hold a place."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import clock
from ..extensions import db
from ..services import answering, answers, followup
from ..services.errors import DomainError
from . import bp
from .forms import ActionForm
from .questionform import reading, render_questions
from .status import application_or_404


@bp.route("/my/<token>/follow-up", methods=["GET", "POST"])
def follow_up(token: str) -> str | tuple[str, int] | Response:
    """The follow-up questions, prefilled with earlier answers, until their deadline."""
    application = application_or_404(token)
    now = clock.now()
    if not followup.is_open(application, now):
        flash(_("The follow-up form is not open to you now."), "error")
        return redirect(url_for(".status", token=token))
    asked = followup.questions(application.activity)
    given = answers.answers_of(application)
    sent: Any = answers.form_values(given)
    checked = answering.Checked()
    form = ActionForm()
    if request.method == "POST":
        sent = request.form
        files = frozenset(a.question_id for a in given if isinstance(a.value, dict))
        checked = answering.check_answers(
            asked, request.form.getlist, request.files.get, kept_files=files
        )
        if form.validate_on_submit() and not checked.errors:
            try:
                followup.save_answers(application, asked, checked, now=now)
            except answering.InvalidAnswer as error:
                db.session.rollback()
                checked.errors[error.field or ""] = str(error)
            except DomainError as error:
                db.session.rollback()
                flash(str(error), "error")
                return redirect(url_for(".status", token=token))
            else:
                db.session.commit()
                flash(_("Thank you: your answers are saved."), "success")
                return redirect(url_for(".status", token=token))
    page = render_template(
        "public/follow_up.html",
        application=application,
        activity=application.activity,
        form=form,
        errors=checked.errors,
        labels={question.name: question.text(reading()) for question in asked},
        closes=followup.deadline(application.activity),
        questions_html=render_questions(
            asked,
            values=sent,
            errors=checked.errors,
            full=answering.full_options(asked),
            held=frozenset(c.option_id for answer in given for c in answer.choices),
        ),
    )
    return (page, 422) if checked.errors else page
