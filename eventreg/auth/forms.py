"""Sign-in and password forms: they check shape; the auth service checks meaning."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..i18n import TranslatedForm

MIN_PASSWORD = 10


class SignInForm(TranslatedForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    submit = SubmitField("Sign in")


class ResetRequestForm(TranslatedForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    submit = SubmitField("Send me a link")


class NewPasswordForm(TranslatedForm):
    password = PasswordField(
        "New password",
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD, message=f"Use at least {MIN_PASSWORD} characters."),
        ],
        description=f"At least {MIN_PASSWORD} characters.",
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
    submit = SubmitField("Set the password")


class CodeForm(TranslatedForm):
    code = StringField(
        lazy_gettext("Code"),
        validators=[DataRequired(), Length(max=20)],
        description=lazy_gettext(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
    )
    submit = SubmitField(lazy_gettext("Continue"))


class ActionForm(TranslatedForm):
    """No fields: carries the CSRF token for action buttons."""
