"""Accepting a selection and cost-sharing it in one step, with a report of what was not done.

The step is made of the existing decisions: `decisions.decide_many` (places in reference
order, the rest on the waiting list, under the activity's lock) and
`costshare.grant_cost_share` for each applicant accepted and each fee component (budget
and cap checked under the same lock). Nothing here commits: the view commits to act, or
rolls back to show the same report as a preview of what confirming would do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..models import Activity, Application, StaffUser
from . import costshare, decisions
from .costshare import Budget, Share
from .decisions import Decision, DecisionResult
from .errors import DomainError
from .messages import Letter


@dataclass(frozen=True)
class ShareSpec:
    """The cost-share to grant on one fee component: all of it, a percentage or an amount."""

    component_id: int
    share: Share
    value: int | None = None


@dataclass(frozen=True)
class Person:
    """An applicant as the report names them (plain values: they outlive a rollback)."""

    id: int
    reference: str
    name: str

    @classmethod
    def of(cls, application: Application) -> Person:
        return cls(application.id, application.reference, application.full_name)


@dataclass
class BulkReport:
    """What accepting a selection with a cost-share does, person by person."""

    before: Budget
    after: Budget
    accepted: list[Person] = field(default_factory=list)
    waitlisted: list[Person] = field(default_factory=list)  # no place was left
    refused: list[tuple[Person, str]] = field(default_factory=list)  # not accepted, and why
    granted: list[tuple[Person, int]] = field(default_factory=list)  # total granted each
    not_granted: list[tuple[Person, str]] = field(default_factory=list)  # and why
    offered: list[Person] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether everything asked was done: everyone accepted, every grant made."""
        return not (self.waitlisted or self.refused or self.not_granted)


def accept_with_cost_share(
    activity: Activity,
    applications: Iterable[Application],
    *,
    shares: Iterable[ShareSpec] = (),
    by: StaffUser,
    note: str = "",
    letter: Letter | None = None,
    now: datetime | None = None,
) -> BulkReport:
    """Accept the applications and grant each one accepted the same cost-share.

    Those beyond the places left go on the waiting list and get no grant. A decision or a
    grant that cannot be made (a withdrawn application, the budget or the cap reached) is
    reported with its reason and the others go ahead. Raises what `decide_many` raises for
    the whole selection (TooMany, MessageRefused); nothing is changed then.
    """
    shares = list(shares)
    before = costshare.budget(activity)
    result = decisions.decide_many(
        applications, Decision.ACCEPT, by=by, note=note, letter=letter, now=now
    )
    report = BulkReport(before=before, after=before)
    report.accepted = [Person.of(a) for a in result.decided.get(DecisionResult.ACCEPTED, [])]
    report.waitlisted = [Person.of(a) for a in result.decided.get(DecisionResult.WAITLISTED, [])]
    report.refused = [(Person.of(a), reason) for a, reason in result.refused]
    report.offered = [Person.of(a) for a in result.offered]
    for application in result.decided.get(DecisionResult.ACCEPTED, []) if shares else []:
        total, reasons = 0, []
        for spec in shares:
            try:
                grant = costshare.grant_cost_share(
                    application,
                    component_id=spec.component_id,
                    share=spec.share,
                    value=spec.value,
                    by=by,
                )
            except DomainError as refusal:
                # The grant checks before it changes anything: nothing to undo.
                reasons.append(str(refusal))
            else:
                total += grant.amount
        if total:
            report.granted.append((Person.of(application), total))
        if reasons:
            report.not_granted.append((Person.of(application), " ".join(dict.fromkeys(reasons))))
    report.after = costshare.budget(activity)
    return report
