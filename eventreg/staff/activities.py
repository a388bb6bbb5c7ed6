"""Managing activities in the back office: details, programme parts, status, next edition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..auth.access import TEAM, requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..models import (
    Activity,
    ActivityKind,
    ActivitySession,
    ActivityStatus,
    AudienceGroup,
    Contact,
    FeeComponent,
    Module,
    Partner,
    ProgrammePerson,
    Role,
    StaffUser,
)
from ..saving import saved
from ..services import activities as service
from ..services import programme
from ..services.organisation import organisation
from . import bp
from .forms import (
    ActivityForm,
    AudienceForm,
    ContactForm,
    EditionForm,
    FeeForm,
    ModuleForm,
    PartnerForm,
    PersonForm,
    SessionForm,
    choices,
)

DATETIMES = ("starts_at", "ends_at", "opens_at", "deadline_at")


def activity_values(form: ActivityForm) -> dict[str, Any]:
    """The form's values as the service takes them: local times turned into UTC."""
    # The languages have a page of their own (staff/languages.py).
    values = {name: getattr(form, name).data for name in service.EDITABLE if name != "languages"}
    values["kind"] = ActivityKind(values["kind"])
    values["online_url"] = values["online_url"] or None
    values["costshare_budget"] = values["costshare_budget"] or 0
    for name in DATETIMES:
        if values[name] is not None:
            values[name] = service.local_to_utc(values[name], form.timezone.data, field=name)
    return values


def fill_local_times(form: FlaskForm, activity: Activity, names: tuple[str, ...]) -> None:
    """Show stored UTC moments as wall-clock times in the activity's timezone."""
    for name in names:
        moment: datetime | None = getattr(activity, name, None)
        if moment is not None and request.method == "GET":
            getattr(form, name).data = moment.astimezone(activity.zone).replace(tzinfo=None)


def may_create(user: StaffUser) -> bool:
    return user.is_admin or user.has_role(Role.ACTIVITY_MANAGER)


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def activity_new() -> str | Response:
    user = staff()
    if not may_create(user):
        abort(403)
    form = ActivityForm()
    if request.method == "GET":
        # A new activity starts from the organisation's defaults (Organisation settings).
        defaults = organisation()
        form.timezone.data = defaults.timezone
        form.currency.data = defaults.currency
    if form.validate_on_submit() and (
        created := saved(
            lambda: service.create_activity(
                {**activity_values(form), "languages": [organisation().language]}, by=user
            ),
            done=lambda activity: f"{activity.reference} is created as a draft.",
            form=form,
        )
    ):
        return redirect(url_for(".activity", activity_id=created.value.id))
    return render_template(
        "staff/activities/edit.html",
        form=form,
        activity=None,
        main_language=organisation().language,
    )


@bp.get("/activities/<int:activity_id>")
@requires(*TEAM)
def activity(activity_id: int) -> str:
    found = db.get_or_404(Activity, activity_id)
    user = staff()
    roles = user.roles_for(found.id)
    return render_template(
        "staff/activities/overview.html",
        activity=found,
        manages=Role.ACTIVITY_MANAGER in roles,
        problems=service.problems_before_publishing(found),
        next_status=sorted(service.NEXT_STATUS[found.status]),
        form=ActionForm(),
    )


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@requires(Role.ACTIVITY_MANAGER)
def activity_edit(activity_id: int) -> str | Response:
    found = db.get_or_404(Activity, activity_id)
    form = ActivityForm(obj=found)
    fill_local_times(form, found, DATETIMES)
    if form.validate_on_submit() and saved(
        lambda: service.update_activity(found, activity_values(form), by=staff()),
        done="The activity is saved.",
        form=form,
    ):
        return redirect(url_for(".activity", activity_id=found.id))
    return render_template("staff/activities/edit.html", form=form, activity=found)


@bp.post("/activities/<int:activity_id>/status")
@requires(Role.ACTIVITY_MANAGER)
def activity_status(activity_id: int) -> Response:
    found = db.get_or_404(Activity, activity_id)
    wanted = request.form.get("status", "")
    if not ActionForm().validate_on_submit() or wanted not in set(ActivityStatus):
        flash("The request was not valid. Please try again.", "error")
    else:
        saved(
            lambda: service.change_status(found, ActivityStatus(wanted), by=staff()),
            done=lambda _: f"{found.reference} is now {found.status}.",
        )
    return redirect(url_for(".activity", activity_id=activity_id))


@bp.route("/activities/<int:activity_id>/duplicate", methods=["GET", "POST"])
@requires(Role.ACTIVITY_MANAGER)
def activity_duplicate(activity_id: int) -> str | Response:
    source = db.get_or_404(Activity, activity_id)
    suggestion = service.suggest_next_edition(source)
    form = EditionForm(
        reference=suggestion.reference,
        slug=suggestion.slug,
        starts_at=suggestion.starts_at.astimezone(source.zone).replace(tzinfo=None),
    )
    if form.validate_on_submit() and (
        copy := saved(
            lambda: service.duplicate_activity(
                source,
                service.Edition(
                    reference=form.reference.data.strip(),
                    slug=form.slug.data.strip().lower(),
                    starts_at=service.local_to_utc(
                        form.starts_at.data, source.timezone, field="starts_at"
                    ),
                ),
                by=staff(),
            ),
            done=lambda made: f"{made.reference} is a draft copy of {source.reference}.",
            form=form,
        )
    ):
        return redirect(url_for(".activity", activity_id=copy.value.id))
    return render_template("staff/activities/duplicate.html", form=form, activity=source)


@dataclass(frozen=True)
class PartKind:
    """How one kind of part is edited: its model, form, labels and list columns."""

    model: type
    form: type[FlaskForm]
    title: str
    singular: str
    columns: tuple[str, ...]
    local_times: tuple[str, ...] = ()
    empty: str = ""  # what to do when there is none yet


PARTS = {
    "modules": PartKind(Module, ModuleForm, "Modules", "module", ("number", "title")),
    "sessions": PartKind(
        ActivitySession,
        SessionForm,
        "Timetable",
        "session",
        ("starts_at", "title", "kind", "room"),
        ("starts_at", "ends_at"),
    ),
    "fees": PartKind(
        FeeComponent, FeeForm, "Fee components", "fee component", ("name", "amount", "covers")
    ),
    "contacts": PartKind(
        Contact, ContactForm, "Contacts", "contact", ("role", "name", "phone", "email")
    ),
    "audience": PartKind(AudienceGroup, AudienceForm, "Target audience", "group", ("tier", "name")),
    "people": PartKind(
        ProgrammePerson,
        PersonForm,
        "People on the programme",
        "person",
        ("position", "name", "organisation", "role", "trainer_account"),
        empty=lazy_gettext(
            "No one yet: add the speakers, panelists and facilitators applicants should know."
        ),
    ),
    "partners": PartKind(
        Partner,
        PartnerForm,
        "Partners",
        "partner",
        ("name", "part", "url"),
        empty=lazy_gettext("No partner yet: add the organisations the activity is run with."),
    ),
}


def _part_kind(kind: str) -> PartKind:
    if kind not in PARTS:
        abort(404)
    return PARTS[kind]


def _prepare(form: FlaskForm, activity: Activity) -> None:
    if isinstance(form, SessionForm):
        form.module_id.choices = choices(
            (0, "None"), *((m.id, f"{m.number}. {m.title}") for m in activity.modules)
        )
        trainers = programme.trainers_of(activity)
        form.trainer_ids.choices = choices(*((t.id, t.name) for t in trainers))
    if isinstance(form, PersonForm):
        form.staff_user_id.choices = choices(
            (0, _("None")), *((t.id, t.name) for t in programme.trainers_of(activity))
        )


def _part_values(form: FlaskForm, activity: Activity, kind: PartKind) -> dict[str, Any]:
    values = {
        name: field.data
        for name, field in form._fields.items()
        if name not in ("csrf_token", "trainer_ids", "module_id", "photo", "remove_photo")
    }
    for name in kind.local_times:
        values[name] = service.local_to_utc(values[name], activity.timezone, field=name)
    if isinstance(form, SessionForm):
        values["module_id"] = form.module_id.data or None
        values["trainers"] = list(
            db.session.scalars(sa.select(StaffUser).where(StaffUser.id.in_(form.trainer_ids.data)))
        )
    if isinstance(form, PersonForm):
        values["staff_user_id"] = form.staff_user_id.data or None
    if "position" in values and values["position"] is None:
        values["position"] = 0
    return values


def _save(activity: Activity, part: Any, form: FlaskForm, spec: PartKind) -> Any:
    values = _part_values(form, activity, spec)
    if isinstance(form, PersonForm):
        upload = form.photo.data
        return programme.save_person(
            activity,
            part,
            values,
            photo=upload.read() if upload else None,
            remove_photo=bool(form.remove_photo.data),
            by=staff(),
        )
    return service.save_part(activity, part, values, by=staff())


@bp.route("/activities/<int:activity_id>/<kind>/", methods=["GET", "POST"])
@bp.route("/activities/<int:activity_id>/<kind>/<int:part_id>", methods=["GET", "POST"])
@requires(Role.ACTIVITY_MANAGER)
def activity_parts(activity_id: int, kind: str, part_id: int | None = None) -> str | Response:
    found = db.get_or_404(Activity, activity_id)
    spec = _part_kind(kind)
    part: Any = db.get_or_404(spec.model, part_id) if part_id else spec.model()
    if part_id and part.activity_id != found.id:
        abort(404)
    form = spec.form(obj=part if part_id else None)
    _prepare(form, found)
    if part_id:
        for name in spec.local_times:
            if request.method == "GET":
                local = getattr(part, name).astimezone(found.zone)
                getattr(form, name).data = local.replace(tzinfo=None)
        if isinstance(form, SessionForm) and request.method == "GET":
            form.module_id.data = part.module_id or 0
            form.trainer_ids.data = [t.id for t in part.trainers]
        if isinstance(form, PersonForm) and request.method == "GET":
            form.staff_user_id.data = part.staff_user_id or 0
    if form.validate_on_submit():
        if saved(
            lambda: _save(found, part, form, spec),
            done=f"The {spec.singular} is saved.",
            form=form,
        ):
            return redirect(url_for(".activity_parts", activity_id=found.id, kind=kind))
    rows: list[Any] = list(
        db.session.scalars(
            sa.select(spec.model).where(spec.model.activity_id == found.id)  # type: ignore[attr-defined]
        )
    )
    if spec.model is ActivitySession:
        rows = sorted(rows, key=lambda s: s.starts_at)
    elif spec.model in (ProgrammePerson, Partner):
        rows = sorted(rows, key=lambda p: (p.position, p.id))
    return render_template(
        "staff/activities/parts.html",
        activity=found,
        kind=kind,
        spec=spec,
        rows=rows,
        form=form,
        part_id=part_id,
        action_form=ActionForm(),
    )


@bp.post("/activities/<int:activity_id>/<kind>/<int:part_id>/delete")
@requires(Role.ACTIVITY_MANAGER)
def activity_part_delete(activity_id: int, kind: str, part_id: int) -> Response:
    found = db.get_or_404(Activity, activity_id)
    spec = _part_kind(kind)
    part: Any = db.get_or_404(spec.model, part_id)
    if part.activity_id != found.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        flash("The request was not valid. Please try again.", "error")
    else:
        saved(
            lambda: service.delete_part(found, part, by=staff()),
            done=f"The {spec.singular} is removed.",
        )
    return redirect(url_for(".activity_parts", activity_id=found.id, kind=kind))
