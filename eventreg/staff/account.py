"""My account: one's own name, password, two-factor sign-in, and signing out everywhere."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required, logout_user
from werkzeug.wrappers import Response
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from ..auth import SESSION_KEY
from ..auth.access import staff
from ..auth.forms import MIN_PASSWORD, ActionForm, CodeForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..saving import saved
from ..services import staff_accounts, staff_auth, staff_sessions, two_factor
from ..services.errors import DomainError
from ..services.organisation import organisation
from . import bp
from .people import NameForm

# The secret being set up, kept in the signed session cookie until a code confirms it
# (the person sees it anyway, in the QR code).
ENROL_KEY = "two_factor_enrol"
CONFIRM = "confirm"  # the prefix of the password field that confirms a two-factor change


class WrongPassword(DomainError):
    """The current password given to confirm a change is wrong."""


class PasswordForm(TranslatedForm):
    current = PasswordField(lazy_gettext("Current password"), validators=[DataRequired()])
    password = PasswordField(
        lazy_gettext("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD,
                message=lazy_gettext("Use at least %(n)s characters.", n=MIN_PASSWORD),
            ),
        ],
        description=lazy_gettext("At least %(n)s characters.", n=MIN_PASSWORD),
    )
    confirm = PasswordField(
        lazy_gettext("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=lazy_gettext("The two passwords differ.")),
        ],
    )


class ConfirmPasswordForm(TranslatedForm):
    current = PasswordField(lazy_gettext("Your password"), validators=[DataRequired()])


def _check_password(form: PasswordForm | ConfirmPasswordForm) -> None:
    if not staff().check_password(form.current.data or ""):
        raise WrongPassword(_("That is not your current password."), field="current")


def _page(
    name_form: NameForm | None = None,
    password_form: PasswordForm | None = None,
    confirm_form: ConfirmPasswordForm | None = None,
) -> tuple[str, int]:
    forms = [name_form, password_form, confirm_form]
    user = staff()
    page = render_template(
        "staff/account.html",
        person=user,
        name_form=name_form or NameForm(formdata=None, obj=user),
        password_form=password_form or PasswordForm(formdata=None),
        confirm_form=confirm_form or ConfirmPasswordForm(formdata=None, prefix=CONFIRM),
        action_form=ActionForm(),
        codes_left=two_factor.recovery_codes_left(user),
        sessions=staff_sessions.open_sessions(user),
        roles=staff_accounts.roles_of(user),
        role_label=staff_accounts.role_label,
        required=_two_factor_required(),
    )
    return page, 422 if any(form is not None and form.errors for form in forms) else 200


def _two_factor_required() -> bool:
    user = staff()
    return bool(user.is_admin and organisation().admins_need_two_factor) and not user.two_factor


@bp.get("/account")
@login_required
def account() -> tuple[str, int]:
    return _page()


@bp.post("/account/name")
@login_required
def account_name() -> Response | tuple[str, int]:
    form = NameForm()
    if form.validate_on_submit() and saved(
        lambda: staff_accounts.rename(staff(), form.name.data or "", by=staff()),
        done=_("Your name is saved."),
        form=form,
    ):
        return redirect(url_for(".account"))
    return _page(name_form=form)


@bp.post("/account/password")
@login_required
def account_password() -> Response | tuple[str, int]:
    form = PasswordForm()

    def change() -> None:
        _check_password(form)
        staff_auth.set_password(
            staff(), form.password.data or "", keep_session=session.get(SESSION_KEY)
        )

    if form.validate_on_submit() and saved(
        change,
        done=_("Your password is changed; you are signed out in every other browser."),
        form=form,
    ):
        return redirect(url_for(".account"))
    return _page(password_form=form)


@bp.post("/account/sign-out-everywhere")
@login_required
def account_sign_out_everywhere() -> Response:
    if ActionForm().validate_on_submit():
        staff_sessions.end_all_sessions(staff())
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out everywhere, in this browser too."), "success")
        return redirect(url_for("auth.sign_in"))
    return redirect(url_for(".account"))


def _enrol_page(form: CodeForm | None = None) -> tuple[str, int]:
    secret = session.get(ENROL_KEY)
    if not isinstance(secret, str):
        secret = session[ENROL_KEY] = two_factor.new_secret()
    uri = two_factor.provisioning_uri(
        staff(), secret, issuer=organisation().name or two_factor.ISSUER
    )
    form = form or CodeForm(formdata=None)
    page = render_template(
        "staff/two_factor.html",
        form=form,
        secret=secret,
        qr=two_factor.qr_data_uri(uri),
        required=_two_factor_required(),
    )
    return page, 422 if form.errors else 200


@bp.get("/account/two-factor")
@login_required
def two_factor_setup() -> Response | tuple[str, int]:
    if staff().two_factor:
        return redirect(url_for(".account"))
    return _enrol_page()


@bp.post("/account/two-factor")
@login_required
def two_factor_confirm() -> Response | tuple[str, int]:
    if staff().two_factor:
        return redirect(url_for(".account"))
    form = CodeForm()
    secret = session.get(ENROL_KEY)
    valid = form.validate_on_submit()
    if valid and not isinstance(secret, str):
        # The session lost the secret (e.g. signed in again): a new one is shown.
        form.code.errors = [_("The set-up started again: scan this code and type a new one.")]
    elif valid and isinstance(secret, str):
        done = saved(
            lambda: two_factor.confirm_enrolment(staff(), secret, form.code.data or ""),
            done=_("Two-factor sign-in is on."),
            form=form,
        )
        if done:
            session.pop(ENROL_KEY, None)
            return render_template("staff/recovery_codes.html", codes=done.value), 200
    return _enrol_page(form)


@bp.post("/account/two-factor/off")
@login_required
def two_factor_off() -> Response | tuple[str, int]:
    form = ConfirmPasswordForm(prefix=CONFIRM)

    def turn_off() -> None:
        _check_password(form)
        if staff().is_admin and organisation().admins_need_two_factor:
            raise DomainError(_("The organisation requires two-factor sign-in for admins."))
        two_factor.turn_off(staff(), by=staff())

    if form.validate_on_submit() and saved(
        turn_off, done=_("Two-factor sign-in is off."), form=form
    ):
        return redirect(url_for(".account"))
    return _page(confirm_form=form)


@bp.post("/account/two-factor/codes")
@login_required
def two_factor_codes() -> Response | tuple[str, int]:
    form = ConfirmPasswordForm(prefix=CONFIRM)

    def renew() -> list[str]:
        _check_password(form)
        if not staff().two_factor:
            raise DomainError(_("Two-factor sign-in is off: there are no recovery codes."))
        return two_factor.new_recovery_codes(staff())

    if form.validate_on_submit() and (
        done := saved(renew, done=_("Your old recovery codes no longer work."), form=form)
    ):
        return render_template("staff/recovery_codes.html", codes=done.value), 200
    return _page(confirm_form=form)
