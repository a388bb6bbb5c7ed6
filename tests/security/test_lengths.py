"""Lengths agree end to end: whatever a form accepts fits every column it reaches, also
later (the outbox, the audit log), so nothing a form took fails on PostgreSQL afterwards."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from wtforms import SelectFieldBase, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from eventreg.models import (
    Activity,
    ActivitySession,
    Application,
    AudienceGroup,
    Contact,
    EmailOutbox,
    FeeComponent,
    Module,
    Payment,
)
from eventreg.public.forms import ApplicationForm
from eventreg.staff import forms as staff_forms

from ..conftest import csrf_token_from
from .test_xss_and_fuzz import open_call, valid_form  # noqa: F401  (a fixture)

# PostgreSQL's INTEGER, which every whole-number column here is.
LARGEST_INTEGER = 2**31 - 1

FORMS_AND_TABLES = [
    (ApplicationForm, Application),
    (staff_forms.ActivityForm, Activity),
    (staff_forms.EditionForm, Activity),
    (staff_forms.ModuleForm, Module),
    (staff_forms.SessionForm, ActivitySession),
    (staff_forms.FeeForm, FeeComponent),
    (staff_forms.ContactForm, Contact),
    (staff_forms.AudienceForm, AudienceGroup),
    (staff_forms.PaymentForm, Payment),
]


# Choices filled in per request, or a pattern: bounded by where the values come from, which
# test_answers_chosen_from_lists_fit_their_columns checks.
BOUNDED_ELSEWHERE = {
    "ApplicationForm.nationality",  # an ISO 3166 code from the country list
    "ApplicationForm.country",
    "ApplicationForm.language",  # one of the activity's language codes
    "ApplicationForm.organisation_type",  # one of the activity's audience groups, or Other
    "ApplicationForm.submission_key",  # a pattern of 16 to 64 characters
}


def declared_fields(form: type) -> dict[str, Any]:
    """The form's fields as declared on the class (unbound: no request needed)."""
    return {
        name: value
        for klass in reversed(form.__mro__)
        for name, value in vars(klass).items()
        if hasattr(value, "field_class")
    }


def longest_accepted(field: Any) -> int | None:
    """The longest text the field lets through, or None when nothing bounds it."""
    if issubclass(field.field_class, SelectFieldBase):
        choices = field.kwargs.get("choices")
        values = [c.value if isinstance(c, SelectChoice) else c[0] for c in choices or []]
        return max((len(str(value)) for value in values), default=0) if choices else None
    limits = [
        v.max
        for v in field.kwargs.get("validators", [])
        if isinstance(v, Length) and v.max is not None and v.max >= 0
    ]
    return min(limits) if limits else None


@pytest.mark.parametrize(
    ("form", "model"), FORMS_AND_TABLES, ids=[f.__name__ for f, _m in FORMS_AND_TABLES]
)
def test_every_text_a_form_accepts_fits_its_column(form, model):
    columns = model.__table__.columns
    too_long = []
    for name, field in declared_fields(form).items():
        if name not in columns or not issubclass(field.field_class, StringField | SelectFieldBase):
            continue
        if f"{form.__name__}.{name}" in BOUNDED_ELSEWHERE:
            continue
        room = getattr(columns[name].type, "length", None)
        if room is None:
            continue  # TEXT: no limit
        accepted = longest_accepted(field)
        if accepted is None or accepted > room:
            too_long.append(f"{form.__name__}.{name}: accepts {accepted or 'any'}, holds {room}")
    assert too_long == []


@pytest.mark.parametrize(
    ("form", "model"), FORMS_AND_TABLES, ids=[f.__name__ for f, _m in FORMS_AND_TABLES]
)
def test_every_number_a_form_accepts_fits_its_column(app, form, model):
    columns = model.__table__.columns
    too_big = []
    with app.test_request_context(method="POST"):
        for name, unbound in declared_fields(form).items():
            if name not in columns or not isinstance(columns[name].type, sa.Integer):
                continue
            field_form = type("One", (staff_forms.Form,), {name: unbound})
            from werkzeug.datastructures import MultiDict

            bound = field_form(MultiDict({name: str(LARGEST_INTEGER + 1)}))
            if bound.validate():
                too_big.append(f"{form.__name__}.{name}")
    assert too_big == []


def test_answers_chosen_from_lists_fit_their_columns():
    from eventreg.countries import countries
    from eventreg.services.calls import OTHER_ORGANISATION_TYPE

    columns = Application.__table__.columns
    assert {len(code) for code, _name in countries()} == {2}
    assert columns["country"].type.length == columns["nationality"].type.length == 2
    groups = AudienceGroup.__table__.columns["name"].type.length
    assert max(groups, len(OTHER_ORGANISATION_TYPE)) <= columns["organisation_type"].type.length
    assert columns["language"].type.length >= 3  # the activity form takes 2- or 3-letter codes
    assert columns["submission_key"].type.length >= 64


def test_the_outbox_holds_the_longest_name_and_subject_the_forms_allow():
    outbox = EmailOutbox.__table__.columns
    longest_name = 120 + 1 + 120  # given names, a space, family name: the form's limits
    assert outbox["to_name"].type.length is None or outbox["to_name"].type.length >= longest_name
    # Subjects carry the activity's title (300) and staff subjects filled with placeholders.
    assert outbox["subject"].type.length is None


def submit(client, call, **changes):  # type: ignore[no-untyped-def]
    page = client.get(f"/activities/{call.slug}/apply")
    form = valid_form(call, csrf_token_from(page.text), **changes)
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page.text)
    if key:
        form["submission_key"] = key.group(1)
    return client.post(f"/activities/{call.slug}/apply", data=form)


def test_the_longest_names_the_form_takes_reach_the_acknowledgement(
    db, client, request, write_emails
):
    call = request.getfixturevalue("open_call")
    call.title = "T" * 300  # the longest title the activity form takes
    db.session.commit()
    given, family = "G" * 120, "F" * 120
    response = submit(client, call, given_names=given, family_name=family, title="Mx")
    assert response.status_code in (302, 303), response.text[:500]
    write_emails()
    email = db.session.scalar(sa.select(EmailOutbox))
    assert email is not None and email.to_name == f"{given} {family}"
    assert call.title in email.subject
