"""Cost-sharing: the organisers pay all or part of a fee component for some applicants.

A grant is per application and per fee component, never above that component, and all
grants together never above the activity's budget nor over its cap of cost-shared
participants. Those are cross-row rules: every grant takes the activity's row lock
before it sums what is granted, so two assistants granting at the same moment are served
one after the other and the second sees the first's grant.

Grants to applications that ended (rejected, declined, withdrawn, cancelled) no longer
count against the budget or the cap: that money is free again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import selectinload

from ..emails import queue_email
from ..extensions import db
from ..formatting import later, money
from ..models import (
    CLOSED,
    PLACE_HOLDING,
    Activity,
    Application,
    CostShareGrant,
    FeeComponent,
    StaffUser,
)
from . import audit
from .correspondence import email_context
from .errors import DomainError
from .lifecycle import lock_application


class Share(enum.StrEnum):
    """How much of a component a grant covers."""

    ALL = "all"  # the whole component
    PERCENT = "percent"  # a part, as a percentage of the component
    AMOUNT = "amount"  # a fixed amount

    @property
    def label(self) -> str:
        return {"all": "All of it", "percent": "A part (%)", "amount": "A fixed amount"}[self.value]


class GrantRefused(DomainError):
    """The grant does not fit the component or the application."""


class BudgetExceeded(DomainError):
    """The grant would take the activity's cost-sharing beyond its budget."""


class CapReached(DomainError):
    """As many participants as the activity's cap are already cost-shared."""


@dataclass(frozen=True)
class Budget:
    """The cost-sharing budget of an activity as it stands, in minor units."""

    currency: str
    budget: int
    granted: int  # grants to applications still open or holding a place
    committed: int  # of which to accepted, confirmed or attending participants
    released: int  # grants to applications that ended: not counted
    cap: int | None
    cost_shared: int  # participants with a grant that counts

    @property
    def remaining(self) -> int:
        return self.budget - self.granted

    @property
    def cap_left(self) -> int | None:
        return None if self.cap is None else max(self.cap - self.cost_shared, 0)


def budget(activity: Activity) -> Budget:
    """The activity's budget, granted, committed and remaining, in one statement."""
    counts = Application.status.not_in(CLOSED)
    row = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((counts, CostShareGrant.amount), else_=0)), 0),
            sa.func.coalesce(
                sa.func.sum(
                    sa.case((Application.status.in_(PLACE_HOLDING), CostShareGrant.amount), else_=0)
                ),
                0,
            ),
            sa.func.coalesce(sa.func.sum(sa.case((counts, 0), else_=CostShareGrant.amount)), 0),
            sa.func.count(sa.distinct(sa.case((counts, CostShareGrant.application_id)))),
        )
        .select_from(CostShareGrant)
        .join(Application, Application.id == CostShareGrant.application_id)
        # Reached through the activity's fee components, so that the database starts from
        # the few grants rather than from every application of the activity.
        .where(
            CostShareGrant.fee_component_id.in_(
                sa.select(FeeComponent.id).where(FeeComponent.activity_id == activity.id)
            )
        )
    ).one()
    granted, committed, released, cost_shared = (int(value or 0) for value in row)
    return Budget(
        currency=activity.currency,
        budget=activity.costshare_budget,
        granted=granted,
        committed=committed,
        released=released,
        cap=activity.costshare_cap,
        cost_shared=cost_shared,
    )


def granted_by_activity(activity_ids: list[int]) -> dict[int, int]:
    """Per activity, the cost-share granted that counts against its budget (as `budget`
    counts it: grants to applications that have not ended), in one statement."""
    if not activity_ids:
        return {}
    rows = db.session.execute(
        sa.select(FeeComponent.activity_id, sa.func.sum(CostShareGrant.amount))
        .join(FeeComponent, FeeComponent.id == CostShareGrant.fee_component_id)
        .join(Application, Application.id == CostShareGrant.application_id)
        .where(FeeComponent.activity_id.in_(activity_ids), Application.status.not_in(CLOSED))
        .group_by(FeeComponent.activity_id)
    ).all()
    return {activity_id: int(total or 0) for activity_id, total in rows}


def grant_amount(component: FeeComponent, share: Share, value: int | None) -> int:
    """The amount a share of a component comes to, in minor units.

    PERCENT takes `value` as a whole percentage (rounded down to the cent); AMOUNT takes
    it in minor units. Refuses (GrantRefused) nothing, a part outside 1-100 %, or an
    amount above the component.
    """
    field = "percent" if share is Share.PERCENT else "amount"
    if share is Share.ALL:
        amount = component.amount
    elif share is Share.PERCENT:
        if value is None or not 1 <= value <= 100:
            raise GrantRefused("Give a percentage from 1 to 100.", field=field)
        amount = component.amount * value // 100
    else:
        if value is None or value <= 0:
            raise GrantRefused("Give an amount above zero.", field=field)
        amount = value
    if amount > component.amount:
        raise GrantRefused(
            f"A grant cannot be more than the {component.name} itself "
            f"({money(component.amount, component.activity.currency)}).",
            field=field,
        )
    if amount <= 0:
        raise GrantRefused(f"The {component.name} costs nothing: there is nothing to grant.")
    return amount


def grant_cost_share(
    application: Application,
    *,
    component_id: int,
    share: Share,
    value: int | None = None,
    by: StaffUser,
) -> CostShareGrant:
    """Grant all or part of one fee component to an application, or change its grant.

    Takes the activity's row lock first, then checks: the component is the activity's,
    the application has not ended, the amount fits the component (`grant_amount`), the
    budget left covers it (GrantRefused, BudgetExceeded), and a first grant to this
    applicant stays within the cap of cost-shared participants (CapReached). The
    applicant is told by email what is covered and what they now owe.
    """
    component = next((c for c in application.activity.fee_components if c.id == component_id), None)
    if component is None:
        raise GrantRefused("Choose one of the activity's fee components.", field="component_id")
    amount = grant_amount(component, share, value)

    activity = lock_application(application)
    now = budget(activity)
    refusal = why_no_grant(application, now)
    if refusal is not None:
        raise refusal
    grants = {grant.fee_component_id: grant for grant in application.grants}
    existing = grants.get(component.id)
    previous = existing.amount if existing is not None else 0
    if amount == previous:
        raise GrantRefused(
            f"{money(amount, activity.currency)} of the {component.name} is already granted."
        )
    if amount - previous > now.remaining:
        raise BudgetExceeded(
            f"Only {money(max(now.remaining, 0), activity.currency)} is left in the "
            "cost-sharing budget.",
            field="percent" if share is Share.PERCENT else "amount",
        )

    if existing is None:
        existing = CostShareGrant(fee_component_id=component.id, amount=amount, granted_by_id=by.id)
        existing.fee_component = component
        application.grants.append(existing)
    else:
        existing.amount = amount
        existing.granted_by_id = by.id
    db.session.flush()
    key = f"granted {component.name}"
    audit.record(
        "costshare.granted",
        application,
        by=by,
        before={key: previous},
        after={key: amount},
        note=f"{money(amount, activity.currency)} of the {component.name}",
    )
    _tell(
        application,
        change=lazy_gettext(
            "The organisers cover %(amount)s of the %(component)s.",
            amount=later(money, amount, activity.currency),
            component=component.name,
        ),
    )
    return existing


def why_no_grant(application: Application, now: Budget) -> DomainError | None:
    """The refusal any grant to this application would meet as things stand, or None.

    `grant_cost_share` raises it (under the lock); pages show it before staff fill in a
    form that cannot succeed: the application ended, or it has no grant yet and the cap
    of cost-shared participants is reached or no money is left.
    """
    if application.status in CLOSED:
        return GrantRefused(
            f"The application is {application.status.label.lower()}: it cannot be cost-shared."
        )
    if application.grants:
        return None  # changing a grant may still fit: the amount decides
    if now.cap is not None and now.cost_shared >= now.cap:
        return CapReached(
            f"{now.cost_shared} participants are cost-shared already, the most this "
            "activity allows."
        )
    if now.remaining <= 0:
        return BudgetExceeded("Nothing is left in the cost-sharing budget.")
    return None


def requests_and_grants(activity: Activity) -> list[Application]:
    """Applications that asked for cost-sharing or were granted some, in reference order."""
    granted = (
        sa.select(CostShareGrant.application_id)
        .join(FeeComponent)
        .where(FeeComponent.activity_id == activity.id)
    )
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(
                Application.activity_id == activity.id,
                sa.or_(Application.costshare_requested, Application.id.in_(granted)),
            )
            .options(selectinload(Application.grants))
            .order_by(Application.number)
        )
    )


def revoke_cost_share(application: Application, *, grant_id: int, by: StaffUser) -> None:
    """Withdraw a grant; its money returns to the budget and the applicant is told."""
    activity = lock_application(application)
    grant = next((g for g in application.grants if g.id == grant_id), None)
    if grant is None:
        raise GrantRefused("This grant does not exist any more.")
    name, amount = grant.fee_component.name, grant.amount
    application.grants.remove(grant)
    db.session.flush()
    key = f"granted {name}"
    audit.record(
        "costshare.revoked",
        application,
        by=by,
        before={key: amount},
        after={key: 0},
        note=f"{money(amount, activity.currency)} of the {name} withdrawn",
    )
    _tell(
        application,
        change=lazy_gettext("The cost-sharing of the %(component)s is withdrawn.", component=name),
    )


def _tell(application: Application, *, change: object) -> None:
    queue_email(
        "costshare_changed",
        to=application.email,
        application=application,
        change=change,
        grants=[
            (grant.fee_component.name, later(money, grant.amount, application.activity.currency))
            for grant in sorted(application.grants, key=lambda g: g.fee_component.position)
        ],
        **email_context(application),
    )
