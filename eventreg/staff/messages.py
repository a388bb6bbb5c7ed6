"""Writing to applicants: one, a selection, or everyone matching the list's filters.

Every message is previewed (filled in for a first recipient) before the button that sends
it appears. Messages to several people go out through a background job.
"""

from __future__ import annotations

from dataclasses import replace

from flask import redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from ..auth.access import OFFICE, loaded, requires, staff
from ..extensions import db
from ..models import Activity, Application
from ..saving import checked, saved
from ..services import messages, review
from . import bp
from .forms import MessageForm
from .review_filter import ReviewFilterForm


@bp.route("/applications/<int:application_id>/message", methods=["GET", "POST"])
@login_required
def message(application_id: int) -> str | Response:
    found = loaded(Application, application_id, *OFFICE)
    form = MessageForm()
    preview = None
    if form.validate_on_submit():
        if not form.send.data:
            preview = checked(lambda: messages.preview(form.letter(), found), form=form)
        elif saved(
            lambda: messages.send_message(found, letter=form.letter(), by=staff()),
            done=f"The message to {found.full_name} is on its way.",
            form=form,
        ):
            return redirect(url_for(".application", application_id=found.id))
    return render_template(
        "staff/messages/one.html",
        application=found,
        activity=found.activity,
        form=form,
        preview=preview,
        placeholders=messages.PLACEHOLDERS,
    )


@bp.route("/activities/<int:activity_id>/messages", methods=["GET", "POST"])
@requires(*OFFICE)
def message_many(activity_id: int) -> str | Response:
    activity = db.get_or_404(Activity, activity_id)
    filter_form = ReviewFilterForm(request.args)
    form = MessageForm()
    filters = replace(filter_form.filters(), page=1, per_page=3)
    if form.ids.data:
        filters = replace(filters, ids=tuple(form.ids.data))
    recipients = review.count(activity, filters)
    first = review.rows(activity, filters)
    preview = None
    if request.method == "POST" and (form.subject.data or form.body.data):
        if form.validate_on_submit():
            if not form.send.data:
                preview = checked(lambda: _preview(form, first), form=form)
            elif job := saved(
                lambda: messages.send_to_set(
                    activity, filters=filters, letter=form.letter(), by=staff()
                ),
                done=f"{recipients} messages are being queued.",
                form=form,
            ):
                return redirect(url_for(".job", job_id=job.value.id))
    return render_template(
        "staff/messages/many.html",
        activity=activity,
        form=form,
        args=filter_form.query_args(),
        recipients=recipients,
        first=first,
        preview=preview,
        placeholders=messages.PLACEHOLDERS,
    )


def _preview(form: MessageForm, first: list[review.Row]) -> messages.Letter:
    """The letter as the first recipient will read it; NoRecipients when nobody matches."""
    if not first:
        raise messages.NoRecipients("No application matches: nobody to write to.")
    return messages.preview(form.letter(), first[0].application)
