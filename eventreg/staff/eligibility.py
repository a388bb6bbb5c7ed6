"""Declaring a participant eligible for a certificate (or not) by hand, and undoing it."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.validators import Length

from ..auth.access import OFFICE, loaded, staff
from ..i18n import TranslatedForm
from ..models import Application
from ..saving import saved
from ..services import certificates
from . import bp
from .forms import choices

# What staff may choose, and the value of `certificate_eligible` it stands for.
CHOICES = {"eligible": True, "not_eligible": False, "attendance": None}


class EligibilityForm(TranslatedForm):
    decision = SelectField(
        "Certificate",
        choices=choices(
            ("eligible", "Eligible, whatever the attendance"),
            ("not_eligible", "Not eligible, whatever the attendance"),
            ("attendance", "As the attendance says (undo a decision by hand)"),
        ),
    )
    reason = StringField("Why", validators=[Length(max=certificates.REASON_MAX)])


@bp.post("/applications/<int:application_id>/eligibility")
@login_required
def eligibility(application_id: int) -> Response:
    found = loaded(Application, application_id, *OFFICE)
    form = EligibilityForm()
    if not form.validate_on_submit():
        flash("The request was not valid. Please try again.", "error")
    else:
        saved(
            lambda: certificates.declare_eligibility(
                found,
                eligible=CHOICES[form.decision.data],
                reason=form.reason.data or "",
                by=staff(),
            ),
            done="The decision on the certificate is saved.",
        )
    return redirect(url_for(".application", application_id=found.id) + "#certificate")
