"""The one wording of each refusal the application form and the service share.

The form (`public/forms.py`) shows these next to its fields before anything is sent; the
service (`applications._checked`) refuses the same answers with the same words when they
come another way (the API, a staff member's late application, a tampered form).
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext

REFUSED = {
    "given_names": lazy_gettext("Please give your given names."),
    "family_name": lazy_gettext("Please give your family name."),
    "email": lazy_gettext("This does not look like an email address, e.g. name@example.org."),
    "language": lazy_gettext("Choose a language from the list."),
    "organisation_type": lazy_gettext("Choose a type from the list."),
    "sponsor_name": lazy_gettext("Please give the name of the sponsor."),
    "costshare_component_ids": lazy_gettext("Choose the parts of the fee you ask us to cover."),
    "costshare_reason": lazy_gettext("Please explain why you ask for cost-sharing."),
    "consent": lazy_gettext("Please agree, or we cannot consider your application."),
}


def looks_like_email(address: str) -> bool:
    """Whether an address has the shape of an email address, by the form's own test
    (email-validator, without asking the DNS)."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
