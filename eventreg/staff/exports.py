"""Exports: the filtered list with the columns staff choose, and the venue's participants."""

from __future__ import annotations

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from ..auth.access import OFFICE, requires
from ..extensions import db
from ..models import Activity
from ..services import exports
from ..services.exports import Export, Format
from . import bp
from .forms import ExportForm
from .review_filter import ReviewFilterForm


def _download(export: Export) -> Response:
    response = Response(export.content, content_type=export.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/activities/<int:activity_id>/export")
@requires(*OFFICE)
def export(activity_id: int) -> str | Response:
    activity = db.get_or_404(Activity, activity_id)
    filter_form = ReviewFilterForm(request.args)
    form = ExportForm(request.args)
    if "format" in request.args and form.validate():
        try:
            made = exports.export_list(
                activity,
                filters=filter_form.filters(),
                columns=form.columns.data or [],
                format=Format(form.format.data),
            )
        except exports.ExportRefused as error:
            form.columns.errors = [str(error)]
        else:
            return _download(made)
    return render_template(
        "staff/applications/export.html",
        activity=activity,
        form=form,
        args=filter_form.query_args(),
    )


@bp.get("/activities/<int:activity_id>/participants.<fmt>")
@requires(*OFFICE)
def participants(activity_id: int, fmt: str) -> Response:
    activity = db.get_or_404(Activity, activity_id)
    if fmt not in set(Format):
        abort(404)
    return _download(exports.export_participants(activity, format=Format(fmt)))
