"""Decisions in the back office: one application or a selection, the email text staff may
edit first, and offering a freed place to the waiting list with one click."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from ..auth.access import OFFICE, loaded, requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..models import Activity, Application
from ..saving import saved
from ..services import decisions, messages, review
from ..services.decisions import Decision, DecisionResult
from . import bp
from .forms import DecisionForm

RESULT_TEXT = {
    DecisionResult.UNDER_REVIEW: "marked as under review",
    DecisionResult.ACCEPTED: "accepted",
    DecisionResult.WAITLISTED: "put on the waiting list",
    DecisionResult.REJECTED: "rejected",
    DecisionResult.CANCELLED: "cancelled",
}


def _decision(value: str) -> Decision:
    if value not in set(Decision):
        abort(404)
    return Decision(value)


@bp.route("/applications/<int:application_id>/decide/<decision>", methods=["GET", "POST"])
@login_required
def decide(application_id: int, decision: str) -> str | Response:
    found = loaded(Application, application_id, *OFFICE)
    chosen = _decision(decision)
    if not chosen.sends_letter:
        if request.method == "POST" and ActionForm().validate_on_submit():
            saved(
                lambda: decisions.decide(found, chosen, by=staff()),
                done=f"{found.full_name} is marked as under review.",
            )
        return redirect(url_for(".application", application_id=found.id))
    letter = decisions.default_letter(chosen)
    form = DecisionForm(decision=chosen.value, subject=letter.subject, body=letter.body)
    if form.validate_on_submit() and (
        decided := saved(
            lambda: decisions.decide(
                found, chosen, by=staff(), note=form.note.data or "", letter=form.letter()
            ),
            done=lambda result: f"{found.full_name} is {RESULT_TEXT[result.result]}.",
            form=form,
        )
    ):
        if chosen is Decision.ACCEPT and decided.value.result is DecisionResult.WAITLISTED:
            flash("Every place was taken, so the applicant is on the waiting list.", "info")
        for offered in decided.value.offered:
            flash(f"The freed place is offered to {offered.full_name}.", "info")
        return redirect(url_for(".application", application_id=found.id))
    return render_template(
        "staff/applications/decide.html",
        application=found,
        activity=found.activity,
        decision=chosen,
        form=form,
        placeholders=messages.PLACEHOLDERS,
    )


@bp.post("/activities/<int:activity_id>/applications/decide")
@requires(*OFFICE)
def decide_many(activity_id: int) -> str | Response:
    activity = db.get_or_404(Activity, activity_id)
    form = DecisionForm()
    back = url_for(".applications", activity_id=activity.id, **_list_args())
    if not form.validate_on_submit():
        flash("The request was not valid. Please try again.", "error")
        return redirect(back)
    chosen = Decision(form.decision.data)
    chosen_ones = review.of_activity(activity, form.ids.data)
    if not chosen_ones:
        flash("Tick the applications to decide on first.", "error")
        return redirect(back)
    if not form.confirmed.data and chosen.sends_letter:
        # First step: show the email text for staff to read and edit before it goes.
        letter = decisions.default_letter(chosen)
        form.subject.data, form.body.data = letter.subject, letter.body
        form.confirmed.data = "1"
        return render_template(
            "staff/applications/decide_many.html",
            activity=activity,
            decision=chosen,
            form=form,
            chosen=chosen_ones,
            placeholders=messages.PLACEHOLDERS,
            back=back,
        )
    bulk = saved(
        lambda: decisions.decide_many(
            chosen_ones, chosen, by=staff(), note=form.note.data or "", letter=form.letter()
        ),
        form=form,
    )
    if not bulk:
        return render_template(
            "staff/applications/decide_many.html",
            activity=activity,
            decision=chosen,
            form=form,
            chosen=chosen_ones,
            placeholders=messages.PLACEHOLDERS,
            back=back,
        )
    result = bulk.value
    for reached, done in result.decided.items():
        flash(f"{len(done)} {_people(len(done))} {RESULT_TEXT[reached]}.", "success")
    for application, reason in result.refused:
        flash(f"{application.reference} {application.full_name}: {reason}", "error")
    for offered in result.offered:
        flash(f"A freed place is offered to {offered.full_name}.", "info")
    return redirect(back)


@bp.post("/activities/<int:activity_id>/waiting-list/offer")
@requires(*OFFICE)
def offer_place(activity_id: int) -> Response:
    activity = db.get_or_404(Activity, activity_id)
    if not ActionForm().validate_on_submit():
        flash("The request was not valid. Please try again.", "error")
    else:
        saved(
            lambda: decisions.offer_next_place(activity, by=staff()),
            done=lambda offered: f"The place is offered to {offered.full_name}.",
        )
    return redirect(url_for(".applications", activity_id=activity.id, status="waitlisted"))


def _people(n: int) -> str:
    return "applicant is" if n == 1 else "applicants are"


def _list_args() -> dict[str, Any]:
    """The list's filters, carried through the bulk form so that staff return to them."""
    return {
        key[len("list_") :]: value
        for key, value in request.form.items()
        if key.startswith("list_") and value
    }
