"""Trainer views: my sessions, marking attendance, the attendance summary."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf.file import FileField
from werkzeug.wrappers import Response

from .. import clock
from ..auth.access import TEAM, loaded, requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import Activity, ActivitySession, Application
from ..saving import saved
from ..services import attendance
from ..services.errors import DomainError
from . import bp, schedule


class ImportForm(TranslatedForm):
    tally = FileField("Tally file (CSV)")


@bp.get("/")
@login_required
def my_sessions() -> str:
    """Today's sessions, then each activity's sessions a page at a time, then earlier ones."""
    return render_template(
        "trainer/sessions.html",
        schedule=schedule.schedule(
            staff(),
            now=clock.now(),
            paged=request.args.get("activity", type=int),
            page=request.args.get("page", type=int),
        ),
    )


@bp.get("/sessions/<int:session_id>")
@login_required
def session(session_id: int) -> str:
    found = loaded(ActivitySession, session_id, *TEAM)
    people = attendance.participants(found.activity)
    return render_template(
        "trainer/session.html",
        session=found,
        activity=found.activity,
        participants=people,
        marks=attendance.marks(found),
        no_marks=attendance.why_no_marks(found),
        form=ActionForm(),
    )


def _answer(found: ActivitySession, message: str, application_id: int | None = None) -> Response:
    """JSON for the page's script; a redirect back to the row without it."""
    if request.accept_mimetypes.best == "application/json":
        marks = attendance.marks(found)
        return jsonify(
            message=message,
            present=marks.get(application_id) if application_id else None,
            head_count=sum(1 for present in marks.values() if present),
        )
    flash(message, "success")
    anchor = f"p{application_id}" if application_id else None
    return redirect(url_for(".session", session_id=found.id, _anchor=anchor))


@bp.post("/sessions/<int:session_id>/mark")
@login_required
def mark(session_id: int) -> Response:
    found = loaded(ActivitySession, session_id, *TEAM)
    if not ActionForm().validate_on_submit():
        abort(400)
    application = db.get_or_404(Application, request.form.get("application_id", type=int) or 0)
    present = request.form.get("present") == "1"
    try:
        attendance.mark(application, found, present=present, by=staff())
    except DomainError as error:  # the page's script takes a plain 409, a browser a message
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return Response(str(error), status=409)
        flash(str(error), "error")
        return redirect(url_for(".session", session_id=found.id))
    db.session.commit()
    word = "present" if present else "absent"
    return _answer(found, f"{application.full_name}: {word}.", application.id)


@bp.post("/sessions/<int:session_id>/all-present")
@login_required
def all_present(session_id: int) -> Response:
    found = loaded(ActivitySession, session_id, *TEAM)
    if not ActionForm().validate_on_submit():
        abort(400)
    done = saved(lambda: attendance.mark_all_present(found, by=staff()))
    if not done:
        return redirect(url_for(".session", session_id=found.id))
    return _answer(found, f"{done.value} participants marked present; now mark the exceptions.")


@bp.route("/activities/<int:activity_id>/attendance", methods=["GET", "POST"])
@requires(*TEAM)
def activity_attendance(activity_id: int) -> str | Response:
    activity = db.get_or_404(Activity, activity_id)
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.tally.data
        text = upload.read().decode("utf-8", errors="replace") if upload else ""
        try:
            report = attendance.import_tally(activity, text, by=staff())
        except attendance.ImportRefused as refused:
            db.session.rollback()
            problems = refused.problems
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash(f"Imported {report.marked} marks.", "success")
            return redirect(url_for(".activity_attendance", activity_id=activity.id))
    return render_template(
        "trainer/attendance.html",
        activity=activity,
        rows=attendance.summary(activity),
        head_counts=attendance.head_counts(activity),
        form=form,
        problems=problems,
    )
