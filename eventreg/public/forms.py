"""The applicant's forms: they check the shape of answers; the services check their meaning."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import current_app
from flask_babel import LazyString, get_locale, lazy_gettext
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, html_params

from ..countries import countries, country_codes
from ..formatting import language_name
from ..i18n import TranslatedForm
from ..models import AudienceTier, Gender, PaymentSource, Proficiency, Title
from ..questions import InvalidAnswer
from ..questions.phone import e164
from ..services import applications
from ..services.applications import Answers
from ..services.calls import OTHER_ORGANISATION_TYPE, CallFacts
from ..services.questions import OPTIONAL_BUILTIN
from ..services.refusals import REFUSED
from ..services.uploads import InvalidUpload, UploadedCV, check_cv


def options(*pairs: tuple[str, str], group: str | None = None) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox field, from (value, label) pairs."""
    return [SelectChoice(value, label, optgroup=group) for value, label in pairs]


TITLES = options(("", lazy_gettext("None")), *((title.value, title.value) for title in Title))
GENDERS = options(
    (Gender.FEMALE.value, lazy_gettext("Female")),
    (Gender.MALE.value, lazy_gettext("Male")),
    (Gender.OTHER.value, lazy_gettext("Another gender")),
    (Gender.UNDISCLOSED.value, lazy_gettext("I prefer not to say")),
)


def _level_meaning(level: Proficiency) -> str:
    return f"{level.label}: {PROFICIENCY_MEANS[level]}"


# The scale is Proficiency's; the form says what each level means.
PROFICIENCY_MEANS = {
    Proficiency.BASIC: lazy_gettext("I follow simple conversations"),
    Proficiency.INTERMEDIATE: lazy_gettext("I follow most discussions"),
    Proficiency.ADVANCED: lazy_gettext("I discuss and write with ease"),
}
PROFICIENCY = options(
    *(
        (level.value, LazyString(_level_meaning, level))
        if level in PROFICIENCY_MEANS
        else (level.value, level.label)
        for level in Proficiency
    )
)
PAYMENT_SOURCES = options(
    (PaymentSource.SELF.value, lazy_gettext("I pay it myself")),
    (PaymentSource.EMPLOYER.value, lazy_gettext("My employer pays it")),
    (PaymentSource.SPONSOR.value, lazy_gettext("A sponsor pays it")),
)

# Limits shown next to the fields and enforced here and by the browser.
MOTIVATION_MAX = 2000
EXPECTATIONS_MAX = 1500
NEEDS_MAX = 500
COSTSHARE_TEXT_MAX = 1000

OTHER = OTHER_ORGANISATION_TYPE


def _country_options() -> str:
    """The <option> list of the country selects, rendered once per process and language."""
    return _country_options_in(str(get_locale() or "en"), _("Choose a country"))


@cache
def _country_options_in(language: str, prompt: str) -> str:
    options = [f'<option value="">{escape(prompt)}</option>']
    options += [
        f'<option value="{code}">{escape(name)}</option>' for code, name in countries(language)
    ]
    return "".join(options)


class CountryField(SelectField):
    """A country by ISO code. Its options are rendered once (CountrySelect) and the answer
    is checked against a set: binding and checking 250 choices per request cost more than
    the rest of the form."""

    def pre_validate(self, form: Any) -> None:
        """Refuse a code that is not a country."""
        if self.data not in country_codes():
            raise ValidationError(
                self.invalid_choice_message or _("Choose a country from the list.")
            )


class CountrySelect:
    """A <select> of every country; its 250 options are rendered once, not per request."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        if field.flags.required:
            kwargs.setdefault("required", True)
        options = _country_options()
        if field.data:
            chosen = f'<option value="{escape(field.data)}">'
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


def strip(value: Any) -> Any:
    """Trim text and write line breaks as one character (browsers count them so)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def international_phone(form: FlaskForm, field: Field) -> None:
    """A valid international phone number (+ and the country code), kept in E.164."""
    try:
        field.data = e164(field.data or "")
    except InvalidAnswer as error:
        raise ValidationError(str(error)) from None


def pdf_file(form: FlaskForm, field: Field) -> None:
    """An optional file that is a PDF by its content (not its name), within CV_MAX_BYTES."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        return
    limit = int(current_app.config["CV_MAX_BYTES"])
    content = upload.stream.read(limit + 1)
    upload.stream.seek(0)
    try:
        check_cv(UploadedCV(filename=upload.filename, content=content))
    except InvalidUpload as refusal:
        raise ValidationError(str(refusal)) from None


class CheckboxList(SelectMultipleField):
    """Several choices as checkboxes (rendered by the forms macros)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(TranslatedForm):
    """Everything the applicant tells us; fields the activity does not need are removed."""

    title = SelectField(
        lazy_gettext("Title"),
        choices=TITLES,
        default="",
        invalid_choice_message=lazy_gettext("Choose a title from the list."),
    )
    given_names = StringField(
        lazy_gettext("Given names"),
        filters=[strip],
        validators=[InputRequired(REFUSED["given_names"]), Length(max=120)],
    )
    family_name = StringField(
        lazy_gettext("Family name"),
        filters=[strip],
        validators=[InputRequired(REFUSED["family_name"]), Length(max=120)],
    )
    gender = RadioField(
        lazy_gettext("Gender"),
        choices=GENDERS,
        validators=[InputRequired(lazy_gettext("Please choose an answer."))],
    )
    nationality = CountryField(
        lazy_gettext("Nationality"),
        widget=CountrySelect(),
        invalid_choice_message=lazy_gettext("Choose a country from the list."),
        validators=[InputRequired(lazy_gettext("Please choose your nationality."))],
    )
    country = CountryField(
        lazy_gettext("Country of residence"),
        widget=CountrySelect(),
        invalid_choice_message=lazy_gettext("Choose a country from the list."),
        validators=[InputRequired(lazy_gettext("Please choose the country you live in."))],
    )
    email = EmailField(
        lazy_gettext("Email"),
        filters=[strip],
        validators=[
            InputRequired(lazy_gettext("Please give your email address.")),
            Length(max=254),
            Email(REFUSED["email"]),
        ],
    )
    email_confirm = EmailField(
        lazy_gettext("Email again"),
        filters=[strip],
        validators=[
            InputRequired(lazy_gettext("Please type your email address a second time.")),
            EqualTo("email", lazy_gettext("The two email addresses differ.")),
        ],
    )
    phone = StringField(
        lazy_gettext("Phone"),
        filters=[strip],
        validators=[
            InputRequired(lazy_gettext("Please give a phone number.")),
            international_phone,
            Length(max=40),
        ],
    )
    language = SelectField(
        lazy_gettext("Language for our emails to you"),
        invalid_choice_message=REFUSED["language"],
    )
    organisation = StringField(
        lazy_gettext("Organisation"),
        filters=[strip],
        validators=[InputRequired(lazy_gettext("Please name your organisation.")), Length(max=200)],
    )
    organisation_type = SelectField(
        lazy_gettext("Type of organisation"),
        invalid_choice_message=REFUSED["organisation_type"],
        validators=[InputRequired(lazy_gettext("Please choose a type."))],
    )
    position = StringField(
        lazy_gettext("Position"),
        filters=[strip],
        validators=[InputRequired(lazy_gettext("Please give your position.")), Length(max=200)],
    )
    proficiency = RadioField(
        lazy_gettext("Language"),
        choices=PROFICIENCY,
        validators=[InputRequired(lazy_gettext("Please choose an answer."))],
    )
    motivation = TextAreaField(
        lazy_gettext("Why do you want to take part?"),
        filters=[strip],
        validators=[
            InputRequired(lazy_gettext("Please tell us why you want to take part.")),
            Length(
                max=MOTIVATION_MAX, message=lazy_gettext("Please keep it under 2,000 characters.")
            ),
        ],
    )
    expectations = TextAreaField(
        lazy_gettext("What do you expect to take home?"),
        filters=[strip],
        validators=[
            Optional(),
            Length(
                max=EXPECTATIONS_MAX,
                message=lazy_gettext("Please keep it under 1,500 characters."),
            ),
        ],
    )
    payment_source = RadioField(
        lazy_gettext("Who will pay the fee?"),
        choices=PAYMENT_SOURCES,
        validators=[InputRequired(lazy_gettext("Please choose who pays the fee."))],
    )
    sponsor_name = StringField(
        lazy_gettext("Name of the sponsor"), filters=[strip], validators=[Length(max=200)]
    )
    costshare_requested = BooleanField(
        lazy_gettext("I ask the organisers to cost-share my participation")
    )
    costshare_component_ids = CheckboxList(
        lazy_gettext("Which parts of the fee?"),
        coerce=int,
        choices=[],
        invalid_choice_message=REFUSED["costshare_component_ids"],
    )
    sponsor_covers = TextAreaField(
        lazy_gettext("What will your sponsor or employer cover?"),
        filters=[strip],
        validators=[Length(max=COSTSHARE_TEXT_MAX)],
    )
    costshare_reason = TextAreaField(
        lazy_gettext("Why do you need cost-sharing?"),
        filters=[strip],
        validators=[Length(max=COSTSHARE_TEXT_MAX)],
    )
    dietary_needs = TextAreaField(
        lazy_gettext("Dietary needs"), filters=[strip], validators=[Length(max=NEEDS_MAX)]
    )
    access_needs = TextAreaField(
        lazy_gettext("Access or other needs"), filters=[strip], validators=[Length(max=NEEDS_MAX)]
    )
    cv = FileField(lazy_gettext("CV (optional)"), validators=[pdf_file])
    consent = BooleanField(
        lazy_gettext("I agree to the processing of my data as explained above"),
        validators=[InputRequired(REFUSED["consent"])],
    )
    submission_key = HiddenField(
        validators=[
            InputRequired(lazy_gettext("This form has expired: please reload the page.")),
            Regexp(
                r"^[A-Za-z0-9_-]{16,64}$",
                message=lazy_gettext("This form has expired: reload the page."),
            ),
        ]
    )

    def validate_sponsor_name(self, field: Field) -> None:
        """A sponsor pays: then say which."""
        if "payment_source" in self and self.payment_source.data == PaymentSource.SPONSOR:
            if not field.data:
                raise ValidationError(REFUSED["sponsor_name"])

    def validate_costshare_component_ids(self, field: Field) -> None:
        """A cost-sharing request names the parts of the fee."""
        if self.costshare_requested.data and not field.data:
            raise ValidationError(REFUSED["costshare_component_ids"])

    def validate_costshare_reason(self, field: Field) -> None:
        """A cost-sharing request says why."""
        if self.costshare_requested.data and not field.data:
            raise ValidationError(REFUSED["costshare_reason"])

    def answers(self, kept: Answers | None = None) -> Answers:
        """The validated answers, for the services; fields the form does not ask come from
        `kept` (the application being corrected) when given."""
        data = self.data
        values = {
            name: getattr(kept, name)
            for name in OPTIONAL_BUILTIN
            if kept is not None and name not in data and hasattr(kept, name)
        }
        values |= {name: data[name] for name in applications.ANSWER_FIELDS if name in data}
        values["gender"] = Gender(values["gender"])
        if "payment_source" in values:
            values["payment_source"] = PaymentSource(values["payment_source"])
        values["costshare_component_ids"] = list(values.get("costshare_component_ids") or [])
        return Answers(**values)

    def uploaded_cv(self) -> UploadedCV | None:
        """The attached CV, if any."""
        if "cv" not in self:
            return None
        upload = self.cv.data
        if upload is None or not getattr(upload, "filename", ""):
            return None
        return UploadedCV(filename=upload.filename, content=upload.stream.read())


def application_form(
    facts: CallFacts, *, correcting: bool = False, data: dict[str, Any] | None = None
) -> ApplicationForm:
    """The application form for one activity: its languages, audience and fee.

    Correcting an application, the form drops the consent (already given) and the
    one-time key. `data` prefills it (ignored when the request carries a submission).
    """
    form = ApplicationForm(data=data)
    languages = facts.languages
    form.language.choices = options(*((code, language_name(code)) for code in languages))
    if form.language.data is None:
        # The language the applicant reads the form in, when the activity offers it.
        reading = str(get_locale())
        form.language.data = reading if reading in languages else languages[0]
    form.organisation_type.choices = [
        *options(("", lazy_gettext("Choose a type"))),
        *options(
            *((name, name) for name in facts.audience_of(AudienceTier.PRIMARY)),
            group=lazy_gettext("Primarily addressed to"),
        ),
        *options(
            *((name, name) for name in facts.audience_of(AudienceTier.ALSO)),
            group=lazy_gettext("Also open to"),
        ),
        *options((OTHER, OTHER), group=lazy_gettext("Other")),
    ]
    form.proficiency.label.text = _(
        "Your command of %(language)s, the working language of the activity",
        language=language_name(facts.working_language),
    )
    if facts.fee_total == 0:
        del form.payment_source
        del form.sponsor_name
    if not facts.costsharing:
        for name in (
            "costshare_requested",
            "costshare_component_ids",
            "sponsor_covers",
            "costshare_reason",
        ):
            delattr(form, name)
    else:
        form.costshare_component_ids.choices = options(
            *((str(component_id), name) for component_id, name in facts.fee_components)
        )
    for name in facts.builtin_off:
        if name in OPTIONAL_BUILTIN:
            delattr(form, name)
    if correcting:
        del form.consent
        del form.submission_key
    return form


def prefill(answers: Answers) -> dict[str, Any]:
    """Form data from an application's current answers."""
    values = {name: getattr(answers, name) for name in applications.ANSWER_FIELDS}
    values["email_confirm"] = answers.email
    values["gender"] = answers.gender.value
    values["payment_source"] = answers.payment_source.value
    return values


class ResendLinkForm(TranslatedForm):
    """The address an applicant applied with."""

    email = EmailField(
        lazy_gettext("The email address you applied with"),
        filters=[strip],
        validators=[
            InputRequired(lazy_gettext("Please give your email address.")),
            Length(max=254),
            Email(REFUSED["email"]),
        ],
    )


class ActionForm(TranslatedForm):
    """An action button on the private page: only its CSRF token."""


class ReasonForm(TranslatedForm):
    """An action with an optional word of explanation (withdraw, decline)."""

    reason = TextAreaField(
        lazy_gettext("Anything you want to tell the organisers (optional)"),
        filters=[strip],
        validators=[Length(max=NEEDS_MAX)],
    )
