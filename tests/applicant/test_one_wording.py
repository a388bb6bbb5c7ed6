"""The application form and the service refuse the same answers with the same words: the
form before anything is sent, the service when answers come another way (API, late
application by staff, a tampered form)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from werkzeug.datastructures import MultiDict

from eventreg.models import Gender, PaymentSource
from eventreg.public.forms import OTHER, application_form
from eventreg.services import applications
from eventreg.services.applications import Answers, InvalidAnswer
from eventreg.services.calls import CallFacts

GOOD = {
    "given_names": "Amina",
    "family_name": "Diallo",
    "email": "amina@example.net",
    "gender": Gender.FEMALE,
    "organisation_type": OTHER,
    "payment_source": PaymentSource.SELF,
    "costshare_requested": False,
    "costshare_component_ids": [],
    "costshare_reason": "",
}

CASES = [
    ("given_names", {"given_names": ""}),
    ("family_name", {"family_name": ""}),
    ("email", {"email": "not-an-email"}),
    ("email", {"email": "amina@localhost"}),
    ("language", {"language": "xx"}),
    ("organisation_type", {"organisation_type": "Martians"}),
    ("sponsor_name", {"payment_source": PaymentSource.SPONSOR, "sponsor_name": ""}),
    ("costshare_component_ids", {"costshare_requested": True, "costshare_reason": "No budget"}),
    ("costshare_reason", {"costshare_requested": True, "costshare_component_ids": "first"}),
]


def as_form_data(values: dict) -> MultiDict:
    data = MultiDict()
    for name, value in values.items():
        if isinstance(value, list):
            for item in value:
                data.add(name, str(item))
        elif isinstance(value, bool):
            if value:
                data.add(name, "y")
        else:
            data.add(name, str(value))
    return data


@pytest.mark.parametrize(
    ("field", "change"), CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(CASES)]
)
def test_the_form_and_the_service_refuse_with_the_same_words(app, db, make_activity, field, change):
    activity = make_activity(costshare_budget=1_000_000)
    db.session.commit()
    facts = CallFacts.of(activity)
    first = facts.fee_components[0][0]
    values = {**GOOD, "language": facts.languages[0], **change}
    if values.get("costshare_component_ids") == "first":
        values["costshare_component_ids"] = [first]

    with app.test_request_context("/", method="POST", data=as_form_data(values)):
        form = application_form(facts)
        form.validate()
        form_says = form.errors.get(field)
    with pytest.raises(InvalidAnswer) as refused:
        applications.submit_application(
            activity,
            answers=Answers(**values),
            submission_key="k" * 32,
            consent=True,
            now=datetime(2026, 12, 1, tzinfo=UTC),
            facts=facts,
        )
    assert refused.value.field == field
    assert form_says is not None, f"the form took {change}"
    assert str(refused.value) in [str(message) for message in form_says]
