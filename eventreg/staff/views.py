"""The staff dashboard and background-job pages."""

from __future__ import annotations

import io

from flask import abort, render_template, send_file
from flask_login import login_required
from werkzeug.wrappers import Response

from .. import clock, files
from ..auth.access import staff
from ..extensions import db
from ..models import Job
from ..services import dashboard as board
from . import bp


@bp.get("/")
@login_required
def dashboard() -> str:
    return render_template("staff/dashboard.html", board=board.dashboard(staff(), now=clock.now()))


def _visible_job(job_id: int) -> Job:
    record = db.get_or_404(Job, job_id)
    user = staff()
    if not user.is_admin and record.created_by_id != user.id:
        abort(404)  # not 403: do not confirm that someone else's job exists
    return record


@bp.get("/jobs/<int:job_id>")
@login_required
def job(job_id: int) -> str:
    return render_template("staff/job.html", job=_visible_job(job_id))


@bp.get("/jobs/<int:job_id>/download")
@login_required
def job_download(job_id: int) -> Response:
    record = _visible_job(job_id)
    if not record.result_path:
        abort(404)
    try:
        content = files.store().read(record.result_path)
    except (files.MissingFile, ValueError):
        abort(404)
    return send_file(
        io.BytesIO(content), as_attachment=True, download_name=record.result_name or "result"
    )
