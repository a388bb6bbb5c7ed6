"""Decisions in the back office: one application or a selection, the email text staff may
edit first, and offering a freed place to the waiting list with one click."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..auth.access import OFFICE, loaded, requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..formatting import money
from ..models import Activity, Application, EmailOutbox, FeeComponent
from ..saving import saved, show_error
from ..services import bulk, costshare, decisions, messages, review
from ..services.bulk import ShareSpec
from ..services.costshare import Share
from ..services.decisions import Decision, DecisionResult
from ..services.errors import DomainError
from ..services.messages import Letter
from . import bp
from .forms import BulkShareForm, DecisionForm
from .review_filter import ReviewFilterForm

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
    # The review list's filter rides along, so that staff return to the same walk.
    args = _walk_args()
    if not chosen.sends_letter:
        if request.method == "POST" and ActionForm().validate_on_submit():
            saved(
                lambda: decisions.decide(found, chosen, by=staff()),
                done=f"{found.full_name} is marked as under review.",
            )
        return redirect(url_for(".application", application_id=found.id, **args))
    letter = decisions.default_letter(chosen)
    form = DecisionForm(decision=chosen.value, subject=letter.subject, body=letter.body)
    preview = None
    if form.validate_on_submit() and form.previewed.data:
        preview = _email_preview(found, chosen, form)
    elif form.validate_on_submit() and (
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
        return redirect(url_for(".application", application_id=found.id, **args))
    return render_template(
        "staff/applications/decide.html",
        application=found,
        activity=found.activity,
        decision=chosen,
        form=form,
        placeholders=messages.PLACEHOLDERS,
        preview=preview,
        args=args,
    )


def _email_preview(found: Application, chosen: Decision, form: DecisionForm) -> Letter | None:
    """The email the decision would send, as the outbox would hold it; nothing is kept.

    The decision really runs and is then undone, so the preview is the very email sent:
    the same template, the placeholders filled as they will be after the change (status,
    confirm-by date, amount due), or the waiting-list email when the places ran out.
    """
    try:
        decisions.decide(found, chosen, by=staff(), letter=form.letter())
        email = db.session.scalars(
            sa.select(EmailOutbox)
            .where(EmailOutbox.application_id == found.id)
            .order_by(EmailOutbox.id.desc())
            .limit(1)
        ).first()
        return None if email is None else Letter(subject=email.subject, body=email.body_text)
    except DomainError as error:
        show_error(form, error)
        return None
    finally:
        db.session.rollback()


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
    if form.all_matching.data:
        filters = ReviewFilterForm(MultiDict(_list_args())).filters()
        form.ids.data = review.matching_ids(activity, filters)
    chosen_ones = review.of_activity(activity, form.ids.data)
    if not chosen_ones:
        flash("Tick the applications to decide on first.", "error")
        return redirect(back)
    shares = _share_forms(activity) if chosen is Decision.ACCEPT else []
    page = {
        "activity": activity,
        "decision": chosen,
        "form": form,
        "chosen": chosen_ones,
        "shares": shares,
        "placeholders": messages.PLACEHOLDERS,
        "back": back,
    }
    if not (form.confirmed.data or form.previewed.data) and chosen.sends_letter:
        # First step: the email text (and for an acceptance, the cost-share) to fill in.
        letter = decisions.default_letter(chosen)
        form.subject.data, form.body.data = letter.subject, letter.body
        return render_template("staff/applications/decide_many.html", **page)
    if chosen is Decision.ACCEPT:
        specs = _share_specs(shares)
        if specs is None:
            return render_template("staff/applications/decide_many.html", **page)
        try:
            report = bulk.accept_with_cost_share(
                activity,
                chosen_ones,
                shares=specs,
                by=staff(),
                note=form.note.data or "",
                letter=form.letter(),
            )
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
            return render_template("staff/applications/decide_many.html", **page)
        if not form.confirmed.data:
            # The preview is the real run, undone: it shows exactly what confirming does.
            db.session.rollback()
            return render_template("staff/applications/decide_many.html", report=report, **page)
        db.session.commit()
        _tell_report(report, activity)
        return redirect(back)
    try:
        result = decisions.decide_many(
            chosen_ones, chosen, by=staff(), note=form.note.data or "", letter=form.letter()
        )
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return render_template("staff/applications/decide_many.html", **page)
    db.session.commit()
    for reached, done in result.decided.items():
        flash(f"{len(done)} {_people(len(done))} {RESULT_TEXT[reached]}.", "success")
    for application, reason in result.refused:
        flash(f"{application.reference} {application.full_name}: {reason}", "error")
    for offered in result.offered:
        flash(f"A freed place is offered to {offered.full_name}.", "info")
    return redirect(back)


def _share_forms(activity: Activity) -> list[tuple[FeeComponent, BulkShareForm]]:
    """One cost-share form per fee component, named by the component."""
    shares = []
    for component in activity.fee_components:
        share_form = BulkShareForm(prefix=f"fee{component.id}")
        share_form.share.label.text = f"Cost-share of the {component.name}"
        share_form.percent.label.text = f"Part of the {component.name} (%)"
        share_form.amount.label.text = f"Fixed amount of the {component.name} ({activity.currency})"
        shares.append((component, share_form))
    return shares


def _share_specs(shares: list[tuple[FeeComponent, BulkShareForm]]) -> list[ShareSpec] | None:
    """The cost-share asked per component, or None (errors shown) when one does not fit."""
    specs, fits = [], True
    for component, share_form in shares:
        if not share_form.validate() or not share_form.share.data:
            fits = fits and not share_form.errors
            continue
        spec = ShareSpec(component.id, Share(share_form.share.data), share_form.value())
        try:
            costshare.grant_amount(component, spec.share, spec.value)
        except DomainError as error:
            show_error(share_form, error)
            fits = False
        else:
            specs.append(spec)
    return specs if fits else None


def _tell_report(report: bulk.BulkReport, activity: Activity) -> None:
    """Say what was done in green and, as a warning, plainly what was not."""
    done = len(report.accepted)
    flash(f"{done} {_people(done)} accepted.", "success")
    if report.granted:
        total = sum(amount for _person, amount in report.granted)
        flash(
            f"{len(report.granted)} cost-shared, {money(total, activity.currency)} in all; "
            f"{money(max(report.after.remaining, 0), activity.currency)} of the budget is left.",
            "success",
        )
    if report.waitlisted:
        flash(
            f"Not accepted: {len(report.waitlisted)} put on the waiting list because every "
            f"place is taken ({_names(report.waitlisted)}).",
            "warning",
        )
    for person, reason in report.refused:
        flash(f"Not accepted: {person.reference} {person.name}: {reason}", "warning")
    for person, reason in report.not_granted:
        flash(f"Not cost-shared: {person.reference} {person.name}: {reason}", "warning")
    for person in report.offered:
        flash(f"A freed place is offered to {person.name}.", "info")


def _names(people: list[bulk.Person]) -> str:
    return ", ".join(f"{p.reference} {p.name}" for p in people)


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


def _walk_args() -> dict[str, Any]:
    """The review list's filter from the query string (valid values only), or none."""
    if not request.args:
        return {}
    listed = ReviewFilterForm(request.args)
    listed.filters()  # validates: a value that is not valid is dropped
    return listed.query_args()


def _list_args() -> dict[str, Any]:
    """The list's filters, carried through the bulk form so that staff return to them."""
    return {
        key[len("list_") :]: value
        for key, value in request.form.items()
        if key.startswith("list_") and value
    }
