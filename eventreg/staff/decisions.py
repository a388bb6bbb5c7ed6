"""Decisions in the back office: one application or a selection, the email text staff may
edit first, and offering a freed place to the waiting list with one click."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from ..auth.access import requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..models import Activity
from ..services import messages, review, selection
from ..services.errors import DomainError
from ..services.selection import Decision, Outcome
from . import bp
from .activities import show_error
from .forms import DecisionForm
from .review import OFFICE, office_application

OUTCOME_TEXT = {
    Outcome.ACCEPTED: "accepted",
    Outcome.WAITLISTED: "put on the waiting list",
    Outcome.REJECTED: "rejected",
    Outcome.CANCELLED: "cancelled",
}


def _decision(value: str) -> Decision:
    if value not in set(Decision):
        abort(404)
    return Decision(value)


@bp.route("/applications/<int:application_id>/decide/<decision>", methods=["GET", "POST"])
@login_required
def decide(application_id: int, decision: str) -> str | Response:
    found = office_application(application_id)
    chosen = _decision(decision)
    letter = selection.default_letter(chosen)
    form = DecisionForm(decision=chosen.value, subject=letter.subject, body=letter.body)
    if form.validate_on_submit():
        try:
            result = selection.decide(
                found, chosen, by=staff(), note=form.note.data or "", letter=form.letter()
            )
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{found.full_name} is {OUTCOME_TEXT[result.outcome]}.", "success")
            if chosen is Decision.ACCEPT and result.outcome is Outcome.WAITLISTED:
                flash("Every place was taken, so the applicant is on the waiting list.", "info")
            for offered in result.offered:
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
    if not form.confirmed.data:
        # First step: show the email text for staff to read and edit before it goes.
        letter = selection.default_letter(chosen)
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
    try:
        result = selection.decide_many(
            chosen_ones, chosen, by=staff(), note=form.note.data or "", letter=form.letter()
        )
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return render_template(
            "staff/applications/decide_many.html",
            activity=activity,
            decision=chosen,
            form=form,
            chosen=chosen_ones,
            placeholders=messages.PLACEHOLDERS,
            back=back,
        )
    db.session.commit()
    for outcome, done in result.outcomes.items():
        flash(f"{len(done)} {_people(len(done))} {OUTCOME_TEXT[outcome]}.", "success")
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
        try:
            offered = selection.offer_next_place(activity, by=staff())
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"The place is offered to {offered.full_name}.", "success")
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
