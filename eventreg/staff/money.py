"""Money in the back office: cost-sharing grants, payments, the budget and balances."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from ..auth.access import OFFICE, loaded, requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..models import Activity, Application, PaymentMethod
from ..saving import saved
from ..services import costshare, payments
from ..services.costshare import Share
from . import bp
from .forms import GrantForm, PaymentForm, choices


def _grant_form(application: Application) -> GrantForm:
    form = GrantForm()
    form.component_id.choices = choices(
        *((c.id, c.name) for c in application.activity.fee_components)
    )
    return form


def _page(
    application: Application,
    *,
    grant_form: GrantForm | None = None,
    payment_form: PaymentForm | None = None,
) -> tuple[str, int]:
    grant_form = grant_form or _grant_form(application)
    payment_form = payment_form or PaymentForm()
    failed = bool(grant_form.errors or payment_form.errors)
    budget = costshare.budget(application.activity)
    page = render_template(
        "staff/money/application.html",
        application=application,
        activity=application.activity,
        grant_form=grant_form,
        payment_form=payment_form,
        action_form=ActionForm(),
        budget=budget,
        no_grant=costshare.why_no_grant(application, budget),
        payment_status=payments.status_of(application),
    )
    return page, 422 if failed else 200


@bp.get("/applications/<int:application_id>/money")
@login_required
def application_money(application_id: int) -> tuple[str, int]:
    return _page(loaded(Application, application_id, *OFFICE))


@bp.post("/applications/<int:application_id>/grants")
@login_required
def grant(application_id: int) -> tuple[str, int] | Response:
    found = loaded(Application, application_id, *OFFICE)
    form = _grant_form(found)
    if form.validate_on_submit() and saved(
        lambda: costshare.grant_cost_share(
            found,
            component_id=form.component_id.data,
            share=Share(form.share.data),
            value=form.value(),
            by=staff(),
        ),
        done="The cost-sharing is granted; the applicant is told by email.",
        form=form,
    ):
        return _back_to(found)
    return _page(found, grant_form=form)


@bp.post("/applications/<int:application_id>/grants/<int:grant_id>/revoke")
@login_required
def revoke_grant(application_id: int, grant_id: int) -> Response:
    found = loaded(Application, application_id, *OFFICE)
    if _valid_action():
        saved(
            lambda: costshare.revoke_cost_share(found, grant_id=grant_id, by=staff()),
            done="The grant is withdrawn; the applicant is told by email.",
        )
    return _back_to(found)


@bp.post("/applications/<int:application_id>/payments")
@login_required
def payment(application_id: int) -> tuple[str, int] | Response:
    found = loaded(Application, application_id, *OFFICE)
    form = PaymentForm()
    if form.validate_on_submit() and saved(
        lambda: payments.record_payment(
            found,
            amount=form.amount.data or 0,
            received_on=form.received_on.data,
            method=PaymentMethod(form.method.data),
            note=form.note.data or "",
            by=staff(),
        ),
        done="The payment is recorded; the applicant is told by email.",
        form=form,
    ):
        return _back_to(found)
    return _page(found, payment_form=form)


@bp.post("/applications/<int:application_id>/payments/<int:payment_id>/remove")
@login_required
def remove_payment(application_id: int, payment_id: int) -> Response:
    found = loaded(Application, application_id, *OFFICE)
    if _valid_action():
        saved(
            lambda: payments.remove_payment(found, payment_id=payment_id, by=staff()),
            done="The payment is removed; the applicant is told by email.",
        )
    return _back_to(found)


def _valid_action() -> bool:
    """Whether an action button's form (its CSRF token) is valid; says so when it is not."""
    if ActionForm().validate_on_submit():
        return True
    flash("The request was not valid. Please try again.", "error")
    return False


def _back_to(application: Application) -> Response:
    return redirect(url_for(".application_money", application_id=application.id))


@bp.get("/activities/<int:activity_id>/money")
@requires(*OFFICE)
def activity_money(activity_id: int) -> str:
    activity = db.get_or_404(Activity, activity_id)
    everyone = request.args.get("show") == "all"
    return render_template(
        "staff/money/activity.html",
        activity=activity,
        budget=costshare.budget(activity),
        asked=costshare.requests_and_grants(activity),
        balances=payments.balances(activity, outstanding_only=not everyone),
        everyone=everyone,
    )
