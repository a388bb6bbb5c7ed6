"""Late applications: after the deadline only the organisers add one, with the same form."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response

from .. import clock
from ..auth.access import OFFICE, requires, staff
from ..extensions import db
from ..models import Activity
from ..public.forms import application_form
from ..saving import saved
from ..services import applications
from ..services.calls import CallFacts
from . import bp


@bp.route("/activities/<int:activity_id>/applications/new", methods=["GET", "POST"])
@requires(*OFFICE)
def application_new(activity_id: int) -> str | Response | tuple[str, int]:
    """The applicant's form, filled in by staff; the application is marked late."""
    activity = db.get_or_404(Activity, activity_id)
    form = application_form(CallFacts.of(activity))
    if not form.is_submitted():
        form.submission_key.data = applications.new_submission_key()
    if form.validate_on_submit() and (
        added := saved(
            lambda: applications.submit_application(
                activity.id,
                answers=form.answers(),
                submission_key=form.submission_key.data,
                consent=form.consent.data,
                cv=form.uploaded_cv(),
                now=clock.now(),
                late_by=staff(),
            ),
            done=lambda submission: (
                f"{submission.application.reference} is added as a late application; "
                "the applicant gets the acknowledgement and the private link."
            ),
            form=form,
        )
    ):
        return redirect(url_for(".application", application_id=added.value.application.id))
    page = render_template("staff/applications/new.html", activity=activity, form=form)
    return page, 422 if form.errors else 200
