"""Evaluation in the back office: invite participants, type in paper sheets, read the report."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..auth.access import OFFICE, TEAM, requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..models import Activity, Module
from ..public.evaluate import evaluation_form
from ..saving import saved
from ..services import evaluations
from . import bp
from .documents import pdf_response


def _module(activity: Activity) -> Module | None:
    number = request.values.get("module", type=int)
    if not number:
        return None
    return next((m for m in activity.modules if m.number == number), None)


@bp.get("/activities/<int:activity_id>/evaluation")
@requires(*TEAM)
def evaluation(activity_id: int) -> str:
    activity = db.get_or_404(Activity, activity_id)
    module = _module(activity)
    return render_template(
        "staff/evaluation.html",
        activity=activity,
        module=module,
        report=evaluations.report(activity, module=module),
        no_invitations=evaluations.why_no_invitations(activity),
        form=ActionForm(),
    )


@bp.post("/activities/<int:activity_id>/evaluation/invite")
@requires(*OFFICE)
def evaluation_invite(activity_id: int) -> Response:
    activity = db.get_or_404(Activity, activity_id)
    if not ActionForm().validate_on_submit():
        flash("The form had expired. Please try again.", "error")
    else:
        saved(
            lambda: evaluations.invite_participants(activity, module=_module(activity), by=staff()),
            done=lambda invited: f"{len(invited)} participants were sent an evaluation link.",
        )
    return redirect(url_for(".evaluation", activity_id=activity.id))


@bp.route("/activities/<int:activity_id>/evaluation/paper", methods=["GET", "POST"])
@requires(*OFFICE)
def evaluation_paper(activity_id: int) -> str | Response:
    activity = db.get_or_404(Activity, activity_id)
    questions = evaluations.questions_for(activity)
    form = evaluation_form(questions)
    if form.validate_on_submit():
        stored = evaluations.ensure_questions(activity)
        values = {q.id: form[f"q{q.position}"].data for q in stored}
        if saved(
            lambda: evaluations.record_paper(
                activity, values, module=_module(activity), by=staff()
            ),
            done="The paper sheet is recorded. Type in the next one.",
        ):
            return redirect(url_for(".evaluation_paper", activity_id=activity.id))
    return render_template(
        "staff/evaluation_paper.html",
        activity=activity,
        form=form,
        questions=questions,
        sections=evaluations.sections(questions),
    )


@bp.get("/activities/<int:activity_id>/evaluation.csv")
@requires(*TEAM)
def evaluation_csv(activity_id: int) -> Response:
    activity = db.get_or_404(Activity, activity_id)
    response = Response(evaluations.answers_csv(activity), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{activity.reference}-evaluation.csv"'
    )
    return response


@bp.get("/activities/<int:activity_id>/evaluation.pdf")
@requires(*TEAM)
def evaluation_pdf(activity_id: int) -> Response:
    from ..pdf.render import branding_for, render_pdf

    activity = db.get_or_404(Activity, activity_id)
    module = _module(activity)
    data = render_pdf(
        "pdf/evaluation_report.html",
        activity=activity,
        module=module,
        report=evaluations.report(activity, module=module),
        branding=branding_for(activity),
    )
    return pdf_response(data, f"{activity.reference}-evaluation-report.pdf")
