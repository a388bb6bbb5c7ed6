"""API: an activity's applications (the review list's filters, cursor paging) and one
application with its answers, grants and payments."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import load_only

from ..auth.access import OFFICE
from ..extensions import db
from ..models import Activity, Application, ApplicationStatus, Gender, PaymentMethod
from ..services import costshare, decisions, payments, review
from ..services.costshare import Share
from ..services.decisions import Decision
from ..services.lifecycle import lock_application
from . import bp
from .access import authorize, caller
from .schemas import (
    ApplicationDetail,
    ApplicationFilters,
    ApplicationPage,
    DecisionIn,
    GrantIn,
    PaymentIn,
)


def filters_from(args: dict[str, Any]) -> review.Filters:
    """The review list's Filters for the API's query arguments."""
    return review.Filters(
        search=args.get("q", ""),
        status=ApplicationStatus(args["status"]) if args.get("status") else None,
        country=args.get("country", ""),
        region=review.Region(args["region"]) if args.get("region") else None,
        organisation_type=args.get("organisation_type", ""),
        gender=Gender(args["gender"]) if args.get("gender") else None,
        costshare=args.get("costshare"),
        proficiency=args.get("proficiency", ""),
    )


@bp.get("/activities/<int:activity_id>/applications")
@bp.arguments(ApplicationFilters, location="query", as_kwargs=True)
@bp.response(200, ApplicationPage)
def list_applications(activity_id: int, **args: Any) -> dict[str, Any]:
    """Applications in reference order, filtered as on the review list, a page at a time.

    The page is read in one statement (money summed per row); `next_cursor` is null on the
    last page.
    """
    activity = db.get_or_404(Activity, activity_id)
    authorize(activity.id, *OFFICE)
    limit = args["limit"]
    query = (
        sa.select(Application, review.granted_sum(), review.paid_sum())
        .where(Application.activity_id == activity.id, *review.conditions(filters_from(args)))
        .options(load_only(*review.LIST_COLUMNS, raiseload=True))
        .order_by(Application.number)
        .limit(limit + 1)
    )
    if args.get("cursor"):
        query = query.where(Application.number > int(args["cursor"]))
    found = db.session.execute(query).all()
    fee = activity.fee_total
    items = [
        _row(application, int(granted), int(paid), fee)
        for application, granted, paid in found[:limit]
    ]
    more = len(found) > limit
    return {"items": items, "next_cursor": str(found[limit - 1][0].number) if more else None}


def _row(application: Application, granted: int, paid: int, fee: int) -> dict[str, Any]:
    row = {column.key: getattr(application, column.key) for column in review.LIST_COLUMNS}
    row.update(
        granted=granted, paid=paid, payment_status=payments.payment_status(fee, granted, paid)
    )
    return row


def office_application(application_id: int) -> Application:
    """The application, if the token's owner works on its activity; else 404/403."""
    application = db.get_or_404(Application, application_id)
    authorize(application.activity_id, *OFFICE)
    return application


DETAIL_FIELDS = tuple(ApplicationDetail().fields)
COMPUTED = {"granted", "paid", "amount_due", "payment_status", "possible_decisions"}


def detail(application: Application) -> dict[str, Any]:
    """What the API shows of one application (its ETag is computed from this)."""
    data = {name: getattr(application, name) for name in DETAIL_FIELDS if name not in COMPUTED}
    data.update(
        granted=application.granted_total,
        paid=application.paid_total,
        amount_due=application.amount_due,
        payment_status=payments.status_of(application),
        possible_decisions=[d.value for d in decisions.possible_decisions(application)],
    )
    return data


@bp.get("/applications/<int:application_id>")
@bp.etag
@bp.response(200, ApplicationDetail)
def get_application(application_id: int) -> dict[str, Any]:
    """One application with the applicant's answers, its grants and payments.

    The ETag header is what a change to the application must send back in If-Match.
    """
    return detail(office_application(application_id))


def unchanged_since_read(application: Application) -> None:
    """Lock the application's activity, then refuse (412) unless If-Match names the
    application as it now stands: a client that read an older state must read it again."""
    lock_application(application)
    bp.check_etag(detail(application), ApplicationDetail)


@bp.post("/applications/<int:application_id>/decisions")
@bp.etag
@bp.arguments(DecisionIn)
@bp.response(200, ApplicationDetail)
def decide(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Accept, waitlist, reject or cancel, as on the application's page (the applicant is
    told by email). Accepting when every place is taken waitlists: read `status`."""
    application = office_application(application_id)
    unchanged_since_read(application)
    decisions.decide(application, Decision(body["decision"]), by=caller(), note=body["note"])
    db.session.commit()
    return detail(application)


@bp.post("/applications/<int:application_id>/grants")
@bp.etag
@bp.arguments(GrantIn)
@bp.response(200, ApplicationDetail)
def grant(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Grant all or part of a fee component (replacing an earlier grant of it), within the
    budget and the cap, as on the money page."""
    application = office_application(application_id)
    unchanged_since_read(application)
    costshare.grant_cost_share(
        application,
        component_id=body["component_id"],
        share=Share(body["share"]),
        value=body["value"],
        by=caller(),
    )
    db.session.commit()
    return detail(application)


@bp.post("/applications/<int:application_id>/payments")
@bp.etag
@bp.arguments(PaymentIn)
@bp.response(200, ApplicationDetail)
def record_payment(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Record money received (never more than is due, never in the future)."""
    application = office_application(application_id)
    unchanged_since_read(application)
    payments.record_payment(
        application,
        amount=body["amount"],
        received_on=body["received_on"],
        method=PaymentMethod(body["method"]),
        note=body["note"],
        by=caller(),
    )
    db.session.commit()
    return detail(application)
