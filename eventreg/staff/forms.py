"""Back-office forms: they check shape and convert input; services check meaning."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..models import ActivityKind, AudienceTier, SessionKind
from ..services.activities import known_timezones

LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class MoneyField(StringField):
    """An amount like 1,040 or 1040.50, kept as integer minor units in `.data`."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        text = str(valuelist[0]).strip().replace(",", "").replace(" ", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError("Give an amount in figures, e.g. 1040 or 1,040.50.") from None
        if amount < 0:
            self.data = None
            raise ValueError("An amount cannot be negative.")
        if amount != amount.quantize(Decimal("0.01")):
            self.data = None
            raise ValueError("Give at most two decimals.")
        self.data = int(amount * 100)

    def _value(self) -> str:
        if isinstance(self.data, int):
            units, cents = divmod(self.data, 100)
            return f"{units}" if cents == 0 else f"{units}.{cents:02d}"
        return super()._value()


class CodeListField(StringField):
    """A comma-separated list ("en, fr, es") kept as a list of strings."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]) if valuelist else ""
        self.data = [item.strip() for item in re.split(r"[,\s]+", text) if item.strip()]

    def _value(self) -> str:
        return ", ".join(self.data or [])


def _choices(enum: Any) -> list[SelectChoice]:
    return [SelectChoice(member.value, getattr(member, "label", member.value)) for member in enum]


def choices(*pairs: tuple[Any, str]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def two_letter_codes(form: FlaskForm, field: Field) -> None:
    if not field.data:
        raise ValidationError("Give at least one language, e.g. en.")
    for code in field.data:
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise ValidationError(f"{code} is not a language code such as en, fr or es.")


class ActivityForm(FlaskForm):
    reference = StringField("Reference", validators=[DataRequired(), Length(max=32)])
    slug = StringField("Web address (slug)", validators=[DataRequired(), Length(max=120)])
    kind = SelectField("Kind", choices=_choices(ActivityKind))
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    subtitle = StringField("Subtitle", validators=[Length(max=300)])
    summary = TextAreaField("Summary", validators=[Length(max=2000)])
    background = TextAreaField("Background")
    objectives = TextAreaField("Objectives (one per line)")
    outcomes = TextAreaField("What participants take away")
    methodology = TextAreaField("Methodology")
    evaluation_note = TextAreaField("Evaluation")
    audience_note = TextAreaField("Note on the audience (e.g. gender balance)")
    language_requirement = TextAreaField("Language requirement")
    languages = CodeListField(
        "Languages (codes, the working language first)", validators=[two_letter_codes]
    )
    venue = StringField("Venue", validators=[Length(max=300)])
    online_url = StringField("Online link", validators=[Optional(), URL(), Length(max=500)])
    timezone = SelectField(
        "Timezone", choices=choices(*((z, z) for z in known_timezones())), default="Europe/Rome"
    )
    display_timezones = CodeListField("Also show times in (timezones)")
    starts_at = DateTimeLocalField("Starts", format=LOCAL, validators=[InputRequired()])
    ends_at = DateTimeLocalField("Ends", format=LOCAL, validators=[InputRequired()])
    opens_at = DateTimeLocalField("Applications open", format=LOCAL, validators=[Optional()])
    deadline_at = DateTimeLocalField(
        "Application deadline", format=LOCAL, validators=[InputRequired()]
    )
    capacity = IntegerField("Places", validators=[InputRequired(), NumberRange(min=0)])
    currency = StringField(
        "Currency", default="EUR", validators=[DataRequired(), Length(min=3, max=3)]
    )
    not_included = TextAreaField("Not included in the fee")
    costshare_offer = TextAreaField("Cost-sharing offer")
    costshare_budget = MoneyField("Cost-sharing budget", default=0)
    costshare_cap = IntegerField(
        "Most participants cost-shared", validators=[Optional(), NumberRange(min=0)]
    )
    certificate_threshold = IntegerField(
        "Attendance needed for a certificate (%)",
        default=80,
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    organiser_name = StringField("Organiser shown on documents", validators=[Length(max=200)])
    paper_size = SelectField("Paper", choices=choices(("A4", "A4"), ("Letter", "US Letter")))
    confirm_within_days = IntegerField(
        "Days to confirm after acceptance",
        default=14,
        validators=[InputRequired(), NumberRange(1, 365)],
    )
    waitlist_auto_offer = BooleanField("Offer a freed place to the waiting list automatically")
    evaluation_anonymous = BooleanField("Evaluation answers are anonymous", default=True)
    evaluation_per_module = BooleanField("Evaluate each module")

    def validate_currency(self, field: Field) -> None:
        field.data = (field.data or "").upper()
        if not re.fullmatch(r"[A-Z]{3}", field.data):
            raise ValidationError("Use a three-letter code such as EUR or USD.")

    def validate_reference(self, field: Field) -> None:
        field.data = (field.data or "").strip()

    def validate_slug(self, field: Field) -> None:
        field.data = (field.data or "").strip().lower()


class ModuleForm(FlaskForm):
    number = IntegerField("Number", validators=[InputRequired(), NumberRange(min=1)])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description")


class SessionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    module_id = SelectField("Module", coerce=int, choices=[])
    kind = SelectField("Type", choices=_choices(SessionKind))
    starts_at = DateTimeLocalField("Starts", format=LOCAL, validators=[InputRequired()])
    ends_at = DateTimeLocalField("Ends", format=LOCAL, validators=[InputRequired()])
    room = StringField("Room", validators=[Length(max=120)])
    description = TextAreaField("Description")
    trainer_ids = SelectMultipleField("Trainers", coerce=int, choices=[])


class FeeForm(FlaskForm):
    name = StringField("Component", validators=[DataRequired(), Length(max=120)])
    amount = MoneyField("Amount", validators=[InputRequired()])
    covers = TextAreaField("What it covers")
    position = IntegerField("Order", default=1, validators=[Optional()])


class ContactForm(FlaskForm):
    role = StringField("Role", validators=[DataRequired(), Length(max=120)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    phone = StringField("Phone", validators=[Length(max=60)])
    email = EmailField("Email", validators=[Optional(), Email()])
    position = IntegerField("Order", default=1, validators=[Optional()])


class AudienceForm(FlaskForm):
    tier = SelectField(
        "Tier",
        choices=choices(
            (AudienceTier.PRIMARY.value, "Primarily addressed to"),
            (AudienceTier.ALSO.value, "Also open to"),
        ),
    )
    name = StringField("Group", validators=[DataRequired(), Length(max=200)])
    position = IntegerField("Order", default=1, validators=[Optional()])


class EditionForm(FlaskForm):
    reference = StringField("Reference of the new edition", validators=[DataRequired()])
    slug = StringField("Web address (slug)", validators=[DataRequired()])
    starts_at = DateTimeLocalField("First day starts", format=LOCAL, validators=[InputRequired()])
