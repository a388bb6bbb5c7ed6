"""Back-office forms: they check shape and convert input; services check meaning."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    Field,
    Form,
    HiddenField,
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

from ..i18n import TranslatedForm
from ..models import (
    ActivityKind,
    AudienceTier,
    PaymentMethod,
    ProgrammeRole,
    SessionKind,
)
from ..models.programme import ROLE_LABELS
from ..services.activities import known_timezones
from ..services.costshare import Share
from ..services.decisions import Decision
from ..services.exports import COLUMNS as EXPORT_COLUMNS
from ..services.exports import DEFAULT_COLUMNS
from ..services.messages import Letter

LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]

# Whole numbers and amounts (minor units) live in INTEGER columns: PostgreSQL refuses more.
LARGEST_WHOLE = 2**31 - 1
MAX_KEEP_DAYS = 100 * 365  # retention periods, in days


class WholeNumberField(IntegerField):
    """A whole number that fits the database's INTEGER columns; a bigger one is refused."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        number: int | None = getattr(self, "data", None)  # set by IntegerField just above
        if number is not None and abs(number) > LARGEST_WHOLE:
            self.data = None
            raise ValueError("This number is too large.")


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
        if amount * 100 > LARGEST_WHOLE:
            self.data = None
            raise ValueError("This amount is too large.")
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


def enum_choices(enum: Any) -> list[SelectChoice]:
    return [SelectChoice(member.value, getattr(member, "label", member.value)) for member in enum]


def choices(*pairs: tuple[Any, str]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class ActivityForm(TranslatedForm):
    reference = StringField("Reference", validators=[DataRequired(), Length(max=32)])
    slug = StringField("Web address (slug)", validators=[DataRequired(), Length(max=120)])
    kind = SelectField("Kind", choices=enum_choices(ActivityKind))
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
    capacity = WholeNumberField("Places", validators=[InputRequired(), NumberRange(min=0)])
    currency = StringField(
        "Currency", default="EUR", validators=[DataRequired(), Length(min=3, max=3)]
    )
    not_included = TextAreaField("Not included in the fee")
    costshare_offer = TextAreaField("Cost-sharing offer")
    costshare_budget = MoneyField("Cost-sharing budget", default=0)
    costshare_cap = WholeNumberField(
        "Most participants cost-shared", validators=[Optional(), NumberRange(min=0)]
    )
    certificate_threshold = WholeNumberField(
        "Attendance needed for a certificate (%)",
        default=80,
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    organiser_name = StringField("Organiser shown on documents", validators=[Length(max=200)])
    paper_size = SelectField("Paper", choices=choices(("A4", "A4"), ("Letter", "US Letter")))
    confirm_within_days = WholeNumberField(
        "Days to confirm after acceptance",
        default=14,
        validators=[InputRequired(), NumberRange(1, 365)],
    )
    waitlist_auto_offer = BooleanField("Offer a freed place to the waiting list automatically")
    evaluation_anonymous = BooleanField("Evaluation answers are anonymous", default=True)
    evaluation_per_module = BooleanField("Evaluate each module")
    keep_others_days = WholeNumberField(
        lazy_gettext("Days to keep applicants who did not take part, after the end"),
        validators=[Optional(), NumberRange(0, MAX_KEEP_DAYS)],
    )
    keep_participants_days = WholeNumberField(
        lazy_gettext("Days to keep participants, after the end"),
        validators=[Optional(), NumberRange(0, MAX_KEEP_DAYS)],
    )

    def validate_currency(self, field: Field) -> None:
        field.data = (field.data or "").upper()
        if not re.fullmatch(r"[A-Z]{3}", field.data):
            raise ValidationError("Use a three-letter code such as EUR or USD.")

    def validate_reference(self, field: Field) -> None:
        field.data = (field.data or "").strip()

    def validate_slug(self, field: Field) -> None:
        field.data = (field.data or "").strip().lower()


class ModuleForm(TranslatedForm):
    number = WholeNumberField("Number", validators=[InputRequired(), NumberRange(min=1)])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description")


class SessionForm(TranslatedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    module_id = SelectField("Module", coerce=int, choices=[])
    kind = SelectField("Type", choices=enum_choices(SessionKind))
    starts_at = DateTimeLocalField("Starts", format=LOCAL, validators=[InputRequired()])
    ends_at = DateTimeLocalField("Ends", format=LOCAL, validators=[InputRequired()])
    room = StringField("Room", validators=[Length(max=120)])
    description = TextAreaField("Description")
    trainer_ids = SelectMultipleField("Trainers", coerce=int, choices=[])


class FeeForm(TranslatedForm):
    name = StringField("Component", validators=[DataRequired(), Length(max=120)])
    amount = MoneyField("Amount", validators=[InputRequired()])
    covers = TextAreaField("What it covers")
    position = WholeNumberField("Order", default=1, validators=[Optional()])


class ContactForm(TranslatedForm):
    role = StringField("Role", validators=[DataRequired(), Length(max=120)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    phone = StringField("Phone", validators=[Length(max=60)])
    email = EmailField("Email", validators=[Optional(), Email(), Length(max=254)])
    position = WholeNumberField("Order", default=1, validators=[Optional()])


class PersonForm(TranslatedForm):
    """A speaker, panelist, facilitator or moderator on the programme."""

    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(lazy_gettext("Organisation"), validators=[Length(max=200)])
    role = SelectField(
        lazy_gettext("Role on the programme"),
        choices=choices(*((role.value, label) for role, label in ROLE_LABELS.items())),
        default=ProgrammeRole.SPEAKER.value,
    )
    bio = TextAreaField(
        lazy_gettext("Short biography"),
        description=lazy_gettext("A few sentences; at most 1,000 characters."),
        validators=[Length(max=1000)],
    )
    photo = FileField(
        lazy_gettext("Photo"),
        description=lazy_gettext("Optional. A PNG or JPEG picture of at most 2 MB."),
    )
    remove_photo = BooleanField(lazy_gettext("Remove the photo"))
    staff_user_id = SelectField(
        lazy_gettext("Trainer account"),
        description=lazy_gettext("A trainer of this activity who is this person, if any."),
        coerce=int,
        choices=[],
        validate_choice=False,
    )
    position = WholeNumberField(lazy_gettext("Order"), default=1, validators=[Optional()])


class PartnerForm(TranslatedForm):
    """An organisation the activity is run with or supported by."""

    name = StringField(lazy_gettext("Organisation"), validators=[DataRequired(), Length(max=200)])
    part = StringField(
        lazy_gettext("Its part"),
        description=lazy_gettext("For example: co-organiser, hosts the field visit."),
        validators=[Length(max=200)],
    )
    url = StringField(
        lazy_gettext("Web address"),
        validators=[Optional(), URL(require_tld=True), Length(max=500)],
    )
    position = WholeNumberField(lazy_gettext("Order"), default=1, validators=[Optional()])

    def validate_url(self, field: Field) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(lazy_gettext("Give an address starting with https://."))


class AudienceForm(TranslatedForm):
    tier = SelectField(
        "Tier",
        choices=choices(
            (AudienceTier.PRIMARY.value, "Primarily addressed to"),
            (AudienceTier.ALSO.value, "Also open to"),
        ),
    )
    name = StringField("Group", validators=[DataRequired(), Length(max=200)])
    position = WholeNumberField("Order", default=1, validators=[Optional()])


class EditionForm(TranslatedForm):
    reference = StringField(
        "Reference of the new edition", validators=[DataRequired(), Length(max=32)]
    )
    slug = StringField("Web address (slug)", validators=[DataRequired(), Length(max=120)])
    starts_at = DateTimeLocalField("First day starts", format=LOCAL, validators=[InputRequired()])


# -- The back office: reviewing, deciding, money, messages, exports ------------------------


class IdListField(Field):
    """Application ids sent as repeated values (checkboxes or hidden inputs)."""

    data: list[int]

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = sorted({int(value) for value in valuelist if str(value).strip()})
        except ValueError:
            self.data = []
            raise ValueError("The selection was not valid. Please choose again.") from None

    def _value(self) -> str:
        return ",".join(str(i) for i in self.data or [])


def readable_choices(enum: Any) -> list[SelectChoice]:
    """Choices from an enum, labelled from its values when it has no labels of its own."""
    return [
        SelectChoice(m.value, getattr(m, "label", m.value.replace("_", " ").capitalize()))
        for m in enum
    ]


class DecisionForm(TranslatedForm):
    """A decision on one application or a selection, with the email staff may edit."""

    decision = SelectField("Decision", choices=enum_choices(Decision))
    ids = IdListField("Applications")
    note = TextAreaField("Internal note (not sent)", validators=[Optional(), Length(max=2000)])
    subject = StringField("Subject", validators=[Optional(), Length(max=200)])
    body = TextAreaField("Message", validators=[Optional(), Length(max=20_000)])
    confirmed = HiddenField(default="")
    previewed = HiddenField(default="")
    all_matching = BooleanField("All matching the filter")

    def letter(self) -> Letter | None:
        if not (self.subject.data or self.body.data):
            return None
        return Letter(subject=self.subject.data or "", body=self.body.data or "")


class NoteForm(TranslatedForm):
    body = TextAreaField(
        "Note", validators=[DataRequired("Write something in the note."), Length(max=5000)]
    )


class GrantForm(TranslatedForm):
    component_id = SelectField("Fee component", coerce=int, choices=[])
    share = SelectField("Grant", choices=enum_choices(Share), default=Share.ALL.value)
    percent = WholeNumberField(
        "Part (%)", validators=[Optional(), NumberRange(1, 100, "Give a percentage from 1 to 100.")]
    )
    amount = MoneyField("Fixed amount", validators=[Optional()])

    def value(self) -> int | None:
        share = Share(self.share.data)
        if share is Share.PERCENT:
            return self.percent.data
        if share is Share.AMOUNT:
            return self.amount.data
        return None


class BulkShareForm(GrantForm):
    """The cost-share of one fee component in a bulk acceptance: none unless chosen."""

    class Meta:
        csrf = False  # a part of the decision's form, which carries the token

    component_id = None  # one form per component: the component is the form's own
    share = SelectField("Cost-share", choices=[SelectChoice("", "None"), *enum_choices(Share)])

    def value(self) -> int | None:
        return super().value() if self.share.data else None


class PaymentForm(TranslatedForm):
    amount = MoneyField("Amount", validators=[InputRequired("Give the amount received.")])
    received_on = DateField(
        "Received on", default=date.today, validators=[InputRequired("Give the date.")]
    )
    method = SelectField("Method", choices=readable_choices(PaymentMethod))
    note = TextAreaField("Note", validators=[Optional(), Length(max=500)])


class MessageForm(TranslatedForm):
    """A message to one applicant or to a set; previewed before it is sent."""

    ids = IdListField("Recipients")
    subject = StringField(
        "Subject", validators=[DataRequired("Give the message a subject."), Length(max=200)]
    )
    body = TextAreaField(
        "Message", validators=[DataRequired("Write the message."), Length(max=20_000)]
    )
    send = HiddenField(default="")

    def letter(self) -> Letter:
        return Letter(subject=self.subject.data or "", body=self.body.data or "")


class ExportForm(Form):
    """Which columns and which format, read from the query string with the filters."""

    columns = SelectMultipleField(
        "Columns",
        choices=choices(*((key, column.label) for key, column in EXPORT_COLUMNS.items())),
        default=list(DEFAULT_COLUMNS),
    )
    format = SelectField(
        "Format", choices=choices(("xlsx", "Excel (XLSX)"), ("csv", "CSV")), default="xlsx"
    )
