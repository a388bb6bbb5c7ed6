"""An applicant's private link from the application's page: revoke a leaked one, send a new one."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from ..auth.access import OFFICE, loaded, staff
from ..auth.forms import ActionForm
from ..models import Application
from ..saving import saved
from ..services import links
from . import bp


@bp.post("/applications/<int:application_id>/link/revoke")
@login_required
def link_revoke(application_id: int) -> Response:
    found = loaded(Application, application_id, *OFFICE)
    if not ActionForm().validate_on_submit():
        abort(400)
    saved(
        lambda: links.revoke_link(found, by=staff()),
        done="The private link is revoked: it no longer opens the application.",
    )
    return redirect(url_for(".application", application_id=found.id) + "#private-link")


@bp.post("/applications/<int:application_id>/link/reissue")
@login_required
def link_reissue(application_id: int) -> Response:
    found = loaded(Application, application_id, *OFFICE)
    if not ActionForm().validate_on_submit():
        abort(400)
    saved(
        lambda: links.reissue_link(found, by=staff()),
        done=f"A new private link is on its way to {found.email}; the old one no longer works.",
    )
    return redirect(url_for(".application", application_id=found.id) + "#private-link")
