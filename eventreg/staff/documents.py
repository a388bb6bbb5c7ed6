"""Documents staff print or send: sheets, letters, and certificates (single, batch, revoke)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .. import jobs
from ..auth.access import OFFICE, TEAM, loaded, requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import Activity, ActivitySession, Application, Certificate
from ..saving import saved
from ..services import attendance, certificates
from ..services.errors import DomainError
from . import bp


class RevokeForm(TranslatedForm):
    reason = StringField("Why is it revoked?", validators=[DataRequired(), Length(max=500)])


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/activities/<int:activity_id>/attendance-sheet.pdf")
@requires(*TEAM)
def attendance_sheet(activity_id: int) -> Response:
    from ..pdf.sheets import SheetOrder
    from ..pdf.sheets import attendance_sheet as render

    activity = db.get_or_404(Activity, activity_id)
    session = None
    if request.args.get("session"):
        session = db.get_or_404(ActivitySession, request.args.get("session", type=int) or 0)
    day = None
    if request.args.get("day"):
        try:
            day = date.fromisoformat(request.args["day"])
        except ValueError:
            abort(400)
    order = request.args.get("order", SheetOrder.FAMILY_NAME)
    if order not in set(SheetOrder):
        abort(400)
    walk_ins = min(max(request.args.get("walk_ins", 5, type=int) or 0, 0), 50)
    try:
        data = render(activity, session=session, day=day, order=order, walk_in_rows=walk_ins)
    except DomainError:
        abort(404)
    return pdf_response(data, f"{activity.reference}-attendance.pdf")


@bp.get("/activities/<int:activity_id>/badges.pdf")
@requires(*TEAM)
def badges(activity_id: int) -> Response:
    from ..pdf.badges import badges as render

    activity = db.get_or_404(Activity, activity_id)
    return pdf_response(render(activity), f"{activity.reference}-badges.pdf")


@bp.get("/activities/<int:activity_id>/evaluation-sheets.pdf")
@requires(*TEAM)
def evaluation_sheets(activity_id: int) -> Response:
    from ..pdf.sheets import evaluation_sheets as render

    activity = db.get_or_404(Activity, activity_id)
    named = request.args.get("named")
    copies = min(max(request.args.get("copies", 1, type=int) or 1, 1), 200)
    data = render(activity, named=None if named is None else named == "1", blank_copies=copies)
    return pdf_response(data, f"{activity.reference}-evaluation.pdf")


@bp.get("/applications/<int:application_id>/acceptance-letter.pdf")
@login_required
def acceptance_letter(application_id: int) -> Response:
    from ..pdf.letters import acceptance_letter as render

    application = loaded(Application, application_id, *OFFICE)
    try:
        data = render(application)
    except DomainError as error:
        # Not accepted: a page that says so, as for any other state the letter cannot have.
        abort(409, description=str(error))
    return pdf_response(data, f"{application.reference}-letter.pdf")


@bp.get("/applications/<int:application_id>/statement.pdf")
@login_required
def statement(application_id: int) -> Response:
    from ..pdf.letters import statement_of_account as render

    application = loaded(Application, application_id, *OFFICE)
    return pdf_response(render(application), f"{application.reference}-statement.pdf")


@bp.get("/activities/<int:activity_id>/certificates")
@requires(*TEAM)
def certificates_page(activity_id: int) -> str:
    activity = db.get_or_404(Activity, activity_id)
    issued = {
        c.application_id: c
        for c in db.session.scalars(
            sa.select(Certificate).join(Application).where(Application.activity_id == activity.id)
        )
    }
    rows = attendance.summary(activity)
    return render_template(
        "staff/certificates.html",
        activity=activity,
        rows=rows,
        issued=issued,
        waiting=sum(1 for r in rows if r.eligible and r.application.id not in issued),
        no_certificates=certificates.why_no_certificates(activity),
        form=ActionForm(),
        revoke_form=RevokeForm(),
    )


def _start(kind: str, activity: Activity, **params: object) -> Response:
    if not ActionForm().validate_on_submit():
        flash("The form had expired. Please try again.", "error")
        return redirect(url_for(".certificates_page", activity_id=activity.id))
    record = jobs.submit(
        kind, params={"activity_id": activity.id, **params}, activity_id=activity.id, by=staff()
    )
    db.session.commit()
    return redirect(url_for(".job", job_id=record.id))


@bp.post("/activities/<int:activity_id>/certificates/issue")
@requires(*TEAM)
def certificates_issue(activity_id: int) -> Response:
    activity = db.get_or_404(Activity, activity_id)
    refusal = certificates.why_no_certificates(activity)
    if refusal is not None:  # said on the page already; the job would fail the same way
        flash(str(refusal), "error")
        return redirect(url_for(".certificates_page", activity_id=activity.id))
    return _start("certificates.issue", activity, by_id=staff().id)


@bp.post("/activities/<int:activity_id>/certificates/batch")
@requires(*TEAM)
def certificates_batch(activity_id: int) -> Response:
    activity = db.get_or_404(Activity, activity_id)
    return _start("certificates.batch", activity, as_zip=request.form.get("format") == "zip")


@bp.get("/certificates/<int:certificate_id>.pdf")
@login_required
def certificate_download(certificate_id: int) -> Response:
    from ..pdf.certificates import certificate_pdf

    certificate = loaded(Certificate, certificate_id, *TEAM)
    try:
        data = certificate_pdf(certificate)
    except DomainError:
        abort(410)
    return pdf_response(data, f"{certificate.application.reference}-certificate.pdf")


@bp.post("/certificates/<int:certificate_id>/revoke")
@login_required
def certificate_revoke(certificate_id: int) -> Response:
    certificate = loaded(Certificate, certificate_id, *OFFICE)
    activity_id = certificate.application.activity_id
    form = RevokeForm()
    if not form.validate_on_submit():
        flash("Say why the certificate is revoked.", "error")
    else:
        saved(
            lambda: certificates.revoke_certificate(
                certificate, reason=form.reason.data or "", by=staff()
            ),
            done=f"The certificate of {certificate.application.full_name} is revoked.",
        )
    return redirect(url_for(".certificates_page", activity_id=activity_id))
