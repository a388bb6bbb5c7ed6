"""An activity's team page: who holds which role on it; its managers and admins change it."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from ..auth.access import requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import Activity, Role, StaffAssignment, StaffUser
from ..saving import saved
from ..services import staff_accounts
from ..services.errors import DomainError
from . import bp
from .people import invitation_link


class TeamForm(TranslatedForm):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(lazy_gettext("Role on this activity"), validators=[DataRequired()])
    name = StringField(
        lazy_gettext("Name, for someone without an account yet"),
        validators=[Optional(), Length(max=200)],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [
            SelectChoice(role.value, staff_accounts.role_label(role).capitalize())
            for role in staff_accounts.PER_ACTIVITY_ROLES
        ]


class NameMissing(DomainError):
    """A new person is invited without a name."""


def _page(activity: Activity, form: TeamForm | None = None) -> tuple[str, int]:
    form = form or TeamForm(formdata=None)
    page = render_template(
        "staff/activities/team.html",
        activity=activity,
        form=form,
        action_form=ActionForm(),
        team=staff_accounts.team(activity),
        invited=staff_accounts.invited_ids(),
        role_label=staff_accounts.role_label,
    )
    return page, 422 if form.errors else 200


@bp.get("/activities/<int:activity_id>/team")
@requires(Role.ACTIVITY_MANAGER)
def team(activity_id: int) -> tuple[str, int]:
    return _page(db.get_or_404(Activity, activity_id))


@bp.post("/activities/<int:activity_id>/team")
@requires(Role.ACTIVITY_MANAGER)
def team_add(activity_id: int) -> Response | tuple[str, int]:
    activity = db.get_or_404(Activity, activity_id)
    form = TeamForm()
    if not form.validate_on_submit():
        return _page(activity, form)
    role = Role(form.role.data)
    email = form.email.data or ""

    def add() -> str:
        person = staff_accounts.find_by_email(email)
        if person is not None:
            staff_accounts.assign_role(person, activity, role, by=staff())
            return _("%(name)s is now %(role)s here.", name=person.name, role=_label(role))
        if not (form.name.data or "").strip():
            raise NameMissing(
                _("Nobody has this address yet: give their name to invite them."), field="name"
            )
        invited = staff_accounts.invite(
            email,
            form.name.data or "",
            by=staff(),
            base_url=current_app.config["BASE_URL"],
            link_for=invitation_link,
            activity=activity,
            role=role,
        )
        return _(
            "%(name)s is invited as %(role)s; the invitation is on its way to %(email)s.",
            name=invited.name,
            role=_label(role),
            email=invited.email,
        )

    if saved(add, done=lambda message: message, form=form):
        return redirect(url_for(".team", activity_id=activity.id))
    return _page(activity, form)


def _label(role: Role) -> str:
    return staff_accounts.role_label(role)


@bp.post("/activities/<int:activity_id>/team/<int:assignment_id>/remove")
@requires(Role.ACTIVITY_MANAGER)
def team_remove(activity_id: int, assignment_id: int) -> Response:
    assignment = db.get_or_404(StaffAssignment, assignment_id)
    if assignment.activity_id != activity_id:
        abort(404)
    person: StaffUser = assignment.staff_user
    role = assignment.role
    if ActionForm().validate_on_submit():
        saved(
            lambda: staff_accounts.remove_role(assignment, by=staff()),
            done=_("%(name)s is no longer %(role)s here.", name=person.name, role=_label(role)),
        )
    return redirect(url_for(".team", activity_id=activity_id))
