"""Organisation settings for admins: who the organisation is, its logo and signatory, and
the defaults new activities start from."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ..auth.access import requires, staff
from ..i18n import TranslatedForm
from ..models import Role
from ..saving import saved
from ..services import organisation as service
from ..services.activities import known_timezones
from . import bp
from .forms import choices


class OrganisationForm(TranslatedForm):
    name = StringField(lazy_gettext("Name of the organisation"), validators=[Length(max=200)])
    postal_address = TextAreaField(lazy_gettext("Postal address"), validators=[Length(max=1000)])
    letterhead = StringField(lazy_gettext("Letterhead line"), validators=[Length(max=300)])
    logo = FileField(lazy_gettext("Logo (PNG or JPEG)"))
    remove_logo = BooleanField(lazy_gettext("Remove the logo"))
    signatory_name = StringField(
        lazy_gettext("Who signs letters and certificates"), validators=[Length(max=200)]
    )
    signatory_title = StringField(lazy_gettext("Their title"), validators=[Length(max=200)])
    signature = FileField(lazy_gettext("Signature picture (PNG or JPEG)"))
    remove_signature = BooleanField(lazy_gettext("Remove the signature picture"))
    default_timezone = SelectField(
        lazy_gettext("Default timezone of new activities"),
        choices=choices(("", "—"), *((z, z) for z in known_timezones())),
    )
    default_currency = StringField(
        lazy_gettext("Default currency (three-letter code)"), validators=[Length(max=3)]
    )
    default_language = StringField(
        lazy_gettext("Default language (two-letter code)"), validators=[Length(max=2)]
    )
    admins_need_two_factor = BooleanField(
        lazy_gettext("Admins must sign in with a one-time code too (two-factor)")
    )
    email_footer = TextAreaField(
        lazy_gettext("Footer of every email"), validators=[Length(max=2000)]
    )


def _upload(field: FileField) -> bytes | None:
    """The bytes of a chosen file, or None when none was chosen."""
    data = field.data
    if data is None or not getattr(data, "filename", ""):
        return None
    return bytes(data.read())


@bp.route("/organisation", methods=["GET", "POST"])
@requires(Role.ADMIN)
def organisation_settings() -> str | Response | tuple[str, int]:
    row = service.stored()
    form = OrganisationForm(obj=row)
    if not form.is_submitted():
        form.admins_need_two_factor.data = service.organisation().admins_need_two_factor
    if form.validate_on_submit() and saved(
        lambda: service.update_organisation(
            {name: getattr(form, name).data for name in service.TEXT_FIELDS},
            logo=_upload(form.logo),
            signature=_upload(form.signature),
            remove_logo=bool(form.remove_logo.data),
            remove_signature=bool(form.remove_signature.data),
            admins_need_two_factor=bool(form.admins_need_two_factor.data),
            by=staff(),
        ),
        done=_("The organisation's settings are saved."),
        form=form,
    ):
        return redirect(url_for(".organisation_settings"))
    page = render_template(
        "staff/organisation.html",
        form=form,
        current=service.organisation(),
        max_size=service.PICTURE_MAX_BYTES // (1024 * 1024),
    )
    return page, 422 if form.errors else 200


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    """An upload over MAX_CONTENT_LENGTH (a 20 MB logo): say what to do; nothing is saved."""
    here = request.endpoint == "staff.organisation_settings"
    back = url_for(".organisation_settings") if here else None
    return render_template("staff/too_large.html", back=back), 413
