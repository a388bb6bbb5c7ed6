"""The applicant's personal data: the privacy notice, a download of all that is held, and a
request for erasure, from the private page."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import clock
from ..saving import saved
from ..services import access, erasure, privacy
from . import bp
from .forms import ReasonForm
from .status import application_or_404


@bp.get("/privacy")
def privacy_notice() -> str:
    """The privacy notice applicants accept now (the latest version)."""
    return render_template("public/privacy.html", notice=privacy.current_notice())


@bp.get("/privacy/<int:version>")
def privacy_version(version: int) -> str:
    """One version of the privacy notice, as an applicant accepted it."""
    notice = privacy.notice(version)
    if notice is None:
        abort(404)
    return render_template("public/privacy.html", notice=notice)


@bp.get("/my/<token>/data")
def my_data(token: str) -> str:
    """A readable summary of everything held about the applicant (printable)."""
    application = application_or_404(token)
    people = erasure.applications_of(application.email) or [application]
    return render_template(
        "public/my_data.html",
        application=application,
        record=access.personal_record(people),
    )


@bp.get("/my/<token>/data.json")
def my_data_json(token: str) -> Response:
    """Everything held about the applicant, uploads and emails included, as JSON."""
    application = application_or_404(token)
    people = erasure.applications_of(application.email) or [application]
    return Response(
        access.personal_record_json(people),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{application.reference}-data.json"'
        },
    )


@bp.route("/my/<token>/erase", methods=["GET", "POST"])
def request_erasure(token: str) -> str | Response:
    """Ask for confirmation (GET), then record the request for erasure (POST)."""
    application = application_or_404(token)
    form = ReasonForm()
    if form.validate_on_submit():
        saved(
            lambda: erasure.request_erasure(application, now=clock.now()),
            done=_("Your request is recorded. We will write to you when it is done."),
        )
        return redirect(url_for(".status", token=token))
    return render_template(
        "public/status_erase.html",
        application=application,
        activity=application.activity,
        form=form,
    )
