"""Letters to an applicant: the acceptance letter, the statement of account or receipt,
written in the applicant's language whoever prints them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale

from ..models import Application, Contact, utcnow
from ..services import answers
from ..services.errors import DomainError
from .render import branding_for, render_pdf


class NotAdmitted(DomainError):
    """The applicant has not been accepted, so no acceptance letter can say otherwise."""


@dataclass(frozen=True)
class FeeLine:
    """One fee component as it stands for one applicant, in minor units."""

    name: str
    covers: str
    fee: int
    granted: int

    @property
    def payable(self) -> int:
        return self.fee - self.granted


def fee_lines(application: Application) -> list[FeeLine]:
    """The activity's fee components with the cost-sharing granted on each."""
    granted: dict[int, int] = {}
    for grant in application.grants:
        granted[grant.fee_component_id] = granted.get(grant.fee_component_id, 0) + grant.amount
    return [
        FeeLine(
            name=component.content("name", application.language),
            covers=component.content("covers", application.language),
            fee=component.amount,
            granted=granted.get(component.id, 0),
        )
        for component in application.activity.fee_components
    ]


def signing_contact(application: Application) -> Contact | None:
    """Who signs letters: the course assistant if the activity lists one, else its first contact."""
    contacts = application.activity.contacts
    for contact in contacts:
        if "assistant" in contact.role.lower():
            return contact
    return contacts[0] if contacts else None


def today_for(application: Application) -> date:
    """Today's date where the activity takes place: letters are dated there."""
    return utcnow().astimezone(application.activity.zone).date()


def _letter_context(application: Application) -> dict[str, Any]:
    lines = fee_lines(application)
    return dict(
        application=application,
        activity=application.activity,
        branding=branding_for(application.activity),
        lines=lines,
        fee_total=sum(line.fee for line in lines),
        granted_total=sum(line.granted for line in lines),
        payable_total=sum(line.payable for line in lines),
        signer=signing_contact(application),
        issued_on=today_for(application),
        travel=answers.follow_up_answers(application, application.language or "en"),
        lang=application.language or "en",
    )


def acceptance_letter(application: Application) -> bytes:
    """The acceptance letter with the fee, cost-sharing per component and the amount due.

    Usable for visa and sponsor purposes. Refuses (NotAdmitted) an application that is not
    accepted, confirmed or attended.
    """
    if not application.status.holds_place:
        raise NotAdmitted(
            f"An application that is {application.status.label.lower()} has no acceptance letter."
        )
    with force_locale(application.language or "en"):
        return render_pdf("pdf/acceptance_letter.html", **_letter_context(application))


def statement_of_account(application: Application) -> bytes:
    """Charges, cost-sharing and payments with the balance; titled a receipt once fully paid."""
    context = _letter_context(application)
    with force_locale(application.language or "en"):
        return render_pdf(
            "pdf/statement_of_account.html", paid_in_full=application.paid_in_full, **context
        )
