"""Personal data for admins: requests for erasure, one person's data found by email, erasure,
holds on retention, the retention job's next run, and the privacy notice."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response
from wtforms import EmailField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import clock
from ..auth.access import requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import Application, Role
from ..saving import saved
from ..services import access, erasure, privacy, retention
from . import bp

REASON_MAX = 2000
PREVIEW_LIMIT = 200


class FindForm(TranslatedForm):
    class Meta:
        csrf = False  # a search changes nothing

    email = EmailField(lazy_gettext("Email address"), validators=[DataRequired(), Length(max=254)])


class PersonForm(TranslatedForm):
    email = HiddenField(validators=[DataRequired(), Length(max=254)])
    reason = TextAreaField(lazy_gettext("Reason"), validators=[Length(max=REASON_MAX)])


class HoldForm(TranslatedForm):
    reason = TextAreaField(
        lazy_gettext("Why the data must be kept"), validators=[Length(max=REASON_MAX)]
    )


class NoticeForm(TranslatedForm):
    body = TextAreaField(
        lazy_gettext("Privacy notice"), validators=[DataRequired(), Length(max=privacy.BODY_MAX)]
    )


@bp.get("/privacy")
@requires(Role.ADMIN)
def privacy_overview() -> str:
    """Requests waiting, a search by email, and what the next retention run will erase."""
    return _overview(FindForm(formdata=None))


def _overview(find_form: FindForm) -> str:
    return render_template(
        "staff/privacy.html",
        requests=erasure.requests_waiting(),
        find_form=find_form,
        plan=retention.due(clock.now()),
        preview_limit=PREVIEW_LIMIT,
        notice=privacy.current_notice(),
    )


def _person_page(email: str, form: PersonForm | None = None) -> tuple[str, int]:
    form = form or PersonForm(formdata=None, email=email)
    page = render_template(
        "staff/privacy_person.html",
        email=email,
        applications=erasure.applications_of(email),
        form=form,
        hold_form=HoldForm(formdata=None),
        action_form=ActionForm(),
        erase_after=retention.erase_after,
    )
    return page, 422 if form.errors else 200


@bp.get("/privacy/person")
@requires(Role.ADMIN)
def privacy_person() -> tuple[str, int]:
    """One person's applications across every activity, found by email."""
    form = FindForm(request.args)
    if not form.validate():
        return _overview(form), 422
    return _person_page(form.email.data or "")


@bp.get("/privacy/person.json")
@requires(Role.ADMIN)
def privacy_person_json() -> Response:
    """Everything held about the person with this email, as the applicant would get it."""
    email = request.args.get("email", "")
    people = erasure.applications_of(email)
    return Response(
        access.personal_record_json(people),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="personal-data.json"'},
    )


@bp.post("/privacy/person/erase")
@requires(Role.ADMIN)
def privacy_erase() -> Response | tuple[str, int]:
    """Erase the person everywhere (a request confirmed, or on the organisation's own motion)."""
    form = PersonForm()
    if not form.validate_on_submit():
        return _person_page(form.email.data or "", form)
    email = form.email.data or ""

    def erase() -> int:
        people = erasure.applications_of(email)
        held = [a for a in people if a.retention_hold]
        if held:
            raise erasure.ErasureRefused(_("Release the hold on retention first."))
        return len(erasure.erase(people, by=staff(), reason=form.reason.data or ""))

    done = saved(erase, done=lambda n: _("%(n)s applications erased.", n=n), form=form)
    if not done:
        return _person_page(email, form)
    return redirect(url_for(".privacy_overview"))


@bp.post("/privacy/person/refuse")
@requires(Role.ADMIN)
def privacy_refuse() -> Response | tuple[str, int]:
    """Refuse the person's request for erasure, saying why."""
    form = PersonForm()
    if not form.validate_on_submit():
        return _person_page(form.email.data or "", form)
    email = form.email.data or ""
    done = saved(
        lambda: erasure.refuse_erasure(
            erasure.applications_of(email), reason=form.reason.data or "", by=staff()
        ),
        done=_("The request is refused; the reason is shown on the applicant's page."),
        form=form,
    )
    if not done:
        return _person_page(email, form)
    return redirect(url_for(".privacy_person", email=email))


@bp.post("/privacy/applications/<int:application_id>/hold")
@requires(Role.ADMIN)
def privacy_hold(application_id: int) -> Response | tuple[str, int]:
    """Keep this application past retention, for a reason (legal, a dispute)."""
    application = db.get_or_404(Application, application_id)
    form = HoldForm()
    if form.validate_on_submit():
        saved(
            lambda: retention.hold(application, reason=form.reason.data or "", by=staff()),
            done=_("Kept past retention."),
        )
    else:
        flash(_("Say why the data must be kept."), "error")
    return redirect(url_for(".privacy_person", email=application.email))


@bp.post("/privacy/applications/<int:application_id>/release")
@requires(Role.ADMIN)
def privacy_release(application_id: int) -> Response:
    """Lift the hold: retention applies again."""
    application = db.get_or_404(Application, application_id)
    if ActionForm().validate_on_submit():
        saved(lambda: retention.release(application, by=staff()), done=_("The hold is lifted."))
    return redirect(url_for(".privacy_person", email=application.email))


@bp.route("/privacy/notice", methods=["GET", "POST"])
@requires(Role.ADMIN)
def privacy_notice_edit() -> Response | tuple[str, int]:
    """Publish a new version of the privacy notice (earlier versions stay as accepted)."""
    current = privacy.current_notice()
    form = NoticeForm(data={"body": current.body if current else ""})
    if form.validate_on_submit():
        done = saved(
            lambda: privacy.publish_notice(form.body.data or "", by=staff()),
            done=lambda n: _("Version %(n)s is published.", n=n.version),
            form=form,
        )
        if done:
            return redirect(url_for(".privacy_overview"))
    page = render_template("staff/privacy_notice.html", form=form, notice=current)
    return page, 422 if form.errors else 200
