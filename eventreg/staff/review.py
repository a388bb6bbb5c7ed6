"""Reviewing applications: the list with its filters, one application, its CV, notes, history."""

from __future__ import annotations

import io

from babel import Locale
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from .. import files
from ..auth.access import OFFICE, loaded, requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..models import Activity, Answer, Application, ApplicationStatus
from ..saving import saved
from ..services import answers, costshare, decisions, lifecycle, payments, review
from ..services.neighbours import neighbours
from . import bp
from .eligibility import EligibilityForm
from .forms import DecisionForm, NoteForm, choices
from .review_filter import ReviewFilterForm

# Country names in English, looked up once (a Locale per lookup costs a quarter millisecond).
COUNTRY_NAMES: dict[str, str] = dict(Locale("en").territories)


@bp.get("/activities/<int:activity_id>/applications")
@requires(*OFFICE)
def applications(activity_id: int) -> str:
    activity = db.get_or_404(Activity, activity_id)
    form = ReviewFilterForm(request.args)
    filters = form.filters()
    page = review.review_page(activity, filters)
    tallies = page.tallies
    named = sorted((COUNTRY_NAMES.get(code, code), code) for code in tallies.by_country if code)
    form.country.choices = choices(
        ("", "Any country"), *((code, f"{name} ({code})") for name, code in named)
    )
    form.organisation_type.choices = choices(
        ("", "Any type"), *((name, name) for name in tallies.organisation_types)
    )
    form.answer.choices = choices(("", "Any answer"), *answers.answer_choices(activity))
    return render_template(
        "staff/applications/list.html",
        activity=activity,
        form=form,
        page=page,
        tallies=tallies,
        args=form.query_args(),
        budget=costshare.budget(activity),
        places_left=max(activity.capacity - tallies.places_taken, 0),
        decision_form=DecisionForm(),
        decisions=list(decisions.Decision),
        offer_form=ActionForm(),
        regions=list(review.Region),
        statuses=list(ApplicationStatus),
    )


@bp.get("/applications/<int:application_id>")
@login_required
def application(application_id: int) -> str:
    found = loaded(Application, application_id, *OFFICE)
    activity = found.activity
    # The list's filter and order come along in the query string, so that "previous" and
    # "next" walk the list staff were looking at (and "back" returns to it).
    listed = ReviewFilterForm(request.args)
    filters = listed.filters()  # validates first: a value that is not valid is dropped
    args = listed.query_args() if request.args else {}
    requested = [
        c.name for c in activity.fee_components if c.id in (found.costshare_component_ids or [])
    ]
    return render_template(
        "staff/applications/detail.html",
        application=found,
        activity=activity,
        requested=requested,
        region=review.region_of(found.country),
        history=review.history(found),
        notes=review.notes(found),
        note_form=NoteForm(),
        decisions=decisions.possible_decisions(found),
        action_form=ActionForm(),
        eligibility_form=EligibilityForm(
            decision={True: "eligible", False: "not_eligible", None: "attendance"}[
                found.certificate_eligible
            ]
        ),
        waiting_position=lifecycle.waiting_position(found),
        places_left=lifecycle.places_left(activity),
        payment_status=payments.status_of(found),
        answers=answers.answers_of(found),
        args=args,
        around=neighbours(found, filters),
    )


@bp.get("/applications/<int:application_id>/cv")
@login_required
def application_cv(application_id: int) -> Response:
    found = loaded(Application, application_id, *OFFICE)
    if not found.cv_path:
        abort(404)
    return _download(
        found.cv_path,
        mimetype="application/pdf",
        name=found.cv_filename or f"{found.reference}-cv.pdf",
    )


@bp.get("/applications/<int:application_id>/answers/<int:answer_id>/file")
@login_required
def answer_file(application_id: int, answer_id: int) -> Response:
    """A file the applicant uploaded as an answer to one of the activity's questions."""
    found = loaded(Application, application_id, *OFFICE)
    answer = db.get_or_404(Answer, answer_id)
    value = answer.value if isinstance(answer.value, dict) else {}
    if answer.application_id != found.id or not value.get("path"):
        abort(404)
    return _download(
        value["path"], mimetype=MIMETYPES.get(value.get("kind", ""), ""), name=answer.shown
    )


MIMETYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _download(key: str, *, mimetype: str, name: str) -> Response:
    """A stored upload, read from the file store, as an attachment; else 404."""
    if not mimetype:
        abort(404)
    try:
        content = files.store().read(key)
    except (files.MissingFile, ValueError):
        abort(404)
    response = send_file(
        io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/applications/<int:application_id>/notes")
@login_required
def application_note(application_id: int) -> str | Response:
    found = loaded(Application, application_id, *OFFICE)
    form = NoteForm()
    if form.validate_on_submit() and saved(
        lambda: review.add_note(found, body=form.body.data or "", by=staff()),
        done="The note is added.",
        form=form,
    ):
        return redirect(url_for(".application", application_id=found.id) + "#notes")
    flash(" ".join(form.body.errors) or "The form had expired. Please try again.", "error")
    return redirect(url_for(".application", application_id=found.id) + "#notes")


@bp.get("/activities/<int:activity_id>/audit")
@requires(*OFFICE)
def activity_audit(activity_id: int) -> str:
    activity = db.get_or_404(Activity, activity_id)
    page = request.args.get("page", 1, type=int) or 1
    return render_template(
        "staff/applications/audit.html",
        activity=activity,
        log=review.activity_history(activity, page=page),
    )
