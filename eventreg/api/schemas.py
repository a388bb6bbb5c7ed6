"""What the API's resources look like: marshmallow schemas, which also write the OpenAPI."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from ..models import ApplicationStatus, Gender, PaymentMethod
from ..services import review
from ..services.costshare import Share
from ..services.decisions import Decision
from ..services.payments import PaymentStatus


class Problem(ma.Schema):
    """An error, as RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "Stable URI of the refusal"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    field = fields.String(metadata={"description": "The request field the refusal concerns"})
    errors = fields.Dict(metadata={"description": "Fields that did not validate"})


class FeeComponentOut(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    amount = fields.Integer(required=True, metadata={"description": "Minor units"})
    covers = fields.String()


class ModuleOut(ma.Schema):
    id = fields.Integer(required=True)
    number = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String()


class SessionOut(ma.Schema):
    id = fields.Integer(required=True)
    module_id = fields.Integer(allow_none=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)


class ActivityOut(ma.Schema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    slug = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    title = fields.String(required=True)
    timezone = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    deadline_at = fields.DateTime(required=True)
    capacity = fields.Integer(required=True)
    currency = fields.String(required=True)
    languages = fields.List(fields.String(), required=True)


class ActivityList(ma.Schema):
    items = fields.List(fields.Nested(ActivityOut), required=True)


class ActivityDetail(ActivityOut):
    subtitle = fields.String()
    summary = fields.String()
    venue = fields.String()
    fee_total = fields.Integer(required=True)
    costshare_budget = fields.Integer(required=True)
    certificate_threshold = fields.Integer(required=True)
    modules = fields.List(fields.Nested(ModuleOut), required=True)
    sessions = fields.List(fields.Nested(SessionOut), required=True)
    fee_components = fields.List(fields.Nested(FeeComponentOut), required=True)


def _choice(values: object) -> validate.OneOf:
    return validate.OneOf([str(v) for v in values])  # type: ignore[attr-defined]


class ApplicationFilters(ma.Schema):
    """The review list's filters, and a cursor for the next page."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    status = fields.String(validate=_choice(ApplicationStatus))
    country = fields.String(validate=validate.Regexp(r"^[A-Za-z]{2}$"))
    region = fields.String(validate=_choice(review.Region))
    organisation_type = fields.String(validate=validate.Length(max=200))
    gender = fields.String(validate=_choice(Gender))
    costshare = fields.Boolean()
    proficiency = fields.String(validate=validate.Length(max=32))
    cursor = fields.String(
        validate=validate.Regexp(r"^[0-9]{1,9}$"),
        metadata={"description": "next_cursor of the previous page"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ApplicationOut(ma.Schema):
    id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    reference = fields.String(required=True)
    status = fields.String(required=True)
    title = fields.String()
    given_names = fields.String(required=True)
    family_name = fields.String(required=True)
    gender = fields.String(required=True)
    country = fields.String(required=True)
    organisation = fields.String(required=True)
    organisation_type = fields.String(required=True)
    proficiency = fields.String(required=True)
    costshare_requested = fields.Boolean(required=True)
    submitted_at = fields.DateTime(required=True)
    granted = fields.Integer(required=True, metadata={"description": "Minor units"})
    paid = fields.Integer(required=True, metadata={"description": "Minor units"})
    payment_status = fields.String(required=True, validate=_choice(PaymentStatus))


class ApplicationPage(ma.Schema):
    items = fields.List(fields.Nested(ApplicationOut), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class GrantOut(ma.Schema):
    id = fields.Integer(required=True)
    fee_component_id = fields.Integer(required=True)
    amount = fields.Integer(required=True)
    granted_at = fields.DateTime(required=True)


class PaymentOut(ma.Schema):
    id = fields.Integer(required=True)
    amount = fields.Integer(required=True)
    received_on = fields.Date(required=True)
    method = fields.String(required=True)
    note = fields.String(required=True)


class ApplicationDetail(ApplicationOut):
    email = fields.String(required=True)
    phone = fields.String()
    language = fields.String(required=True)
    nationality = fields.String()
    position = fields.String()
    motivation = fields.String()
    expectations = fields.String()
    payment_source = fields.String()
    sponsor_name = fields.String()
    sponsor_covers = fields.String()
    costshare_reason = fields.String()
    costshare_component_ids = fields.List(fields.Integer())
    dietary_needs = fields.String()
    access_needs = fields.String()
    confirm_by = fields.Date(allow_none=True)
    status_changed_at = fields.DateTime(required=True)
    amount_due = fields.Integer(required=True)
    possible_decisions = fields.List(fields.String(), required=True)
    grants = fields.List(fields.Nested(GrantOut), required=True)
    payments = fields.List(fields.Nested(PaymentOut), required=True)


class AttendanceMark(ma.Schema):
    application_id = fields.Integer(required=True)
    present = fields.Boolean(required=True)


class AttendanceList(ma.Schema):
    session_id = fields.Integer(required=True)
    marks = fields.List(fields.Nested(AttendanceMark), required=True)


class CertificateOut(ma.Schema):
    code = fields.String(required=True)
    application_id = fields.Integer(required=True)
    holder = fields.String(required=True)
    issued_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True)


class CertificateList(ma.Schema):
    items = fields.List(fields.Nested(CertificateOut), required=True)


class CertificateCheck(ma.Schema):
    code = fields.String(required=True)
    valid = fields.Boolean(required=True)
    holder = fields.String(required=True)
    activity = fields.String(required=True)
    issued_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True)


# Changes


class DecisionIn(ma.Schema):
    decision = fields.String(required=True, validate=_choice(Decision))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class GrantIn(ma.Schema):
    component_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    share = fields.String(required=True, validate=_choice(Share))
    value = fields.Integer(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "Percent for share=percent, minor units for share=amount"},
    )


class PaymentIn(ma.Schema):
    amount = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    received_on = fields.Date(required=True)
    method = fields.String(required=True, validate=_choice(PaymentMethod))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class MarkIn(ma.Schema):
    present = fields.Boolean(required=True)
