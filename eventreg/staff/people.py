"""Admins' pages for staff accounts: the list, invitations, names, deactivation, admin rights."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response
from wtforms import EmailField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from ..auth.access import requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import Role, StaffUser
from ..saving import saved
from ..services import staff_accounts, two_factor
from . import bp


class InviteForm(TranslatedForm):
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class NameForm(TranslatedForm):
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])


class SwitchForm(TranslatedForm):
    """An on/off change sent by a button: the wanted state is explicit, never a toggle."""

    to = RadioField(
        choices=[SelectChoice("on", "on"), SelectChoice("off", "off")], validators=[DataRequired()]
    )


def invitation_link(token: str) -> str:
    """The path of an invitation link (the services add the site's address)."""
    return url_for("auth.accept_invitation", token=token)


def _person(staff_id: int) -> StaffUser:
    return db.get_or_404(StaffUser, staff_id)


def _list_page(form: InviteForm | None = None) -> tuple[str, int]:
    form = form or InviteForm(formdata=None)
    page = render_template(
        "staff/people/list.html",
        form=form,
        people=staff_accounts.people(),
        invited=staff_accounts.invited_ids(),
    )
    return page, 422 if form.errors else 200


@bp.get("/people")
@requires(Role.ADMIN)
def people() -> tuple[str, int]:
    return _list_page()


@bp.post("/people")
@requires(Role.ADMIN)
def people_invite() -> Response | tuple[str, int]:
    form = InviteForm()
    if form.validate_on_submit():
        done = saved(
            lambda: staff_accounts.invite(
                form.email.data or "",
                form.name.data or "",
                by=staff(),
                base_url=current_app.config["BASE_URL"],
                link_for=invitation_link,
            ),
            done=lambda user: _("An invitation is on its way to %(email)s.", email=user.email),
            form=form,
        )
        if done:
            return redirect(url_for(".person", staff_id=done.value.id))
    return _list_page(form)


def _person_page(user: StaffUser, name_form: NameForm | None = None) -> tuple[str, int]:
    name_form = name_form or NameForm(formdata=None, obj=user)
    page = render_template(
        "staff/people/person.html",
        person=user,
        name_form=name_form,
        action_form=ActionForm(),
        invitation=staff_accounts.pending_invitation(user),
        codes_left=two_factor.recovery_codes_left(user),
        is_me=user.id == staff().id,
        roles=staff_accounts.roles_of(user),
        history=staff_accounts.history(user),
        change_label=staff_accounts.change_label,
        role_label=staff_accounts.role_label,
    )
    return page, 422 if name_form.errors else 200


@bp.get("/people/<int:staff_id>")
@requires(Role.ADMIN)
def person(staff_id: int) -> tuple[str, int]:
    return _person_page(_person(staff_id))


@bp.post("/people/<int:staff_id>/name")
@requires(Role.ADMIN)
def person_rename(staff_id: int) -> Response | tuple[str, int]:
    user = _person(staff_id)
    form = NameForm()
    if form.validate_on_submit() and saved(
        lambda: staff_accounts.rename(user, form.name.data or "", by=staff()),
        done=_("The name is saved."),
        form=form,
    ):
        return redirect(url_for(".person", staff_id=user.id))
    return _person_page(user, form)


def _switch(
    staff_id: int,
    change: Callable[[StaffUser, bool], None],
    done: Callable[[StaffUser, bool], str],
) -> Response | tuple[str, int]:
    """Turn something about a person on or off, as the button's `to` says."""
    user = _person(staff_id)
    form = SwitchForm()
    if not form.validate_on_submit():
        return _person_page(user)[0], 422
    on = form.to.data == "on"
    saved(lambda: change(user, on), done=done(user, on))
    return redirect(url_for(".person", staff_id=user.id))


@bp.post("/people/<int:staff_id>/active")
@requires(Role.ADMIN)
def person_active(staff_id: int) -> Response | tuple[str, int]:
    return _switch(
        staff_id,
        lambda user, on: staff_accounts.set_active(user, on, by=staff()),
        lambda user, on: (
            _("%(name)s can sign in again.", name=user.name)
            if on
            else _("%(name)s is deactivated and signed out everywhere.", name=user.name)
        ),
    )


@bp.post("/people/<int:staff_id>/admin")
@requires(Role.ADMIN)
def person_admin(staff_id: int) -> Response | tuple[str, int]:
    return _switch(
        staff_id,
        lambda user, on: staff_accounts.set_admin(user, on, by=staff()),
        lambda user, on: (
            _("%(name)s is now an admin.", name=user.name)
            if on
            else _("%(name)s is no longer an admin.", name=user.name)
        ),
    )


@bp.post("/people/<int:staff_id>/invitation")
@requires(Role.ADMIN)
def person_reinvite(staff_id: int) -> Response:
    user = _person(staff_id)
    if ActionForm().validate_on_submit():
        saved(
            lambda: staff_accounts.send_invitation(
                user,
                by=staff(),
                base_url=current_app.config["BASE_URL"],
                link_for=invitation_link,
            ),
            done=_("A new invitation is on its way to %(email)s.", email=user.email),
        )
    return redirect(url_for(".person", staff_id=user.id))


@bp.post("/people/<int:staff_id>/two-factor/reset")
@requires(Role.ADMIN)
def person_two_factor_reset(staff_id: int) -> Response:
    user = _person(staff_id)
    if ActionForm().validate_on_submit():
        saved(
            lambda: two_factor.turn_off(user, by=staff()),
            done=_(
                "Two-factor sign-in of %(name)s is reset: they sign in with their password "
                "and may set it up again.",
                name=user.name,
            ),
        )
    return redirect(url_for(".person", staff_id=user.id))
