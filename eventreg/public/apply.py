"""Applying: the application form, and the form that sends a lost private link again."""

from __future__ import annotations

from datetime import datetime

from flask import abort, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from .. import clock
from ..extensions import db
from ..models import Activity
from ..saving import show_error
from ..services import answering, applications, calls, links
from ..services.applications import ApplicationsClosed, SubmissionResult
from ..services.calls import Call
from ..services.errors import DomainError
from . import bp
from .formpage import blank_form_page, call_facts, call_questions, find_call
from .forms import ResendLinkForm, application_form
from .questionform import render_questions, summarise_errors

Page = str | tuple[str, int] | Response


def visible_or_404(slug: str) -> Activity:
    """The public activity behind a slug, or a 404."""
    activity = applications.activity_to_apply(slug)
    if activity is None:
        abort(404)
    return activity


@bp.route("/activities/<slug>/apply", methods=["GET", "POST"])
def apply(slug: str) -> Page:
    """The application form: shown while the call is open, sent to submit_application.

    The blank form comes prepared (see formpage); a submission is checked against the
    facts prepared with it, and the activity is loaded only under its lock.
    """
    call = find_call(slug)
    if call is None:
        abort(404)
    now = clock.now()
    asked = call_questions(call)
    checked = answering.Checked()
    if request.method == "GET":
        if not call.is_open(now):
            return render_template("public/apply_closed.html", activity=load(call), now=now)
        if not session.get("_flashes"):
            return blank_form_page(call, now)
        form = application_form(call_facts(call))
        form.submission_key.data = applications.new_submission_key()
    else:
        facts = call_facts(call)
        form = application_form(facts)
        checked = answering.check_answers(asked, request.form.getlist, request.files.get)
        if form.validate() and not checked.errors:
            try:
                submission = applications.submit_application(
                    call.id,
                    facts=facts,
                    answers=form.answers(),
                    submission_key=form.submission_key.data,
                    consent=form.consent.data,
                    cv=form.uploaded_cv(),
                    now=now,
                    record_answers=lambda application: answering.save_answers(
                        application, asked, checked, language=form.language.data, new=True
                    ),
                )
            except ApplicationsClosed as error:  # a closed call has its own page, not a form error
                db.session.rollback()
                return closed(load(call), now, str(error))
            except answering.InvalidAnswer as error:
                db.session.rollback()
                checked.errors[error.field or ""] = str(error)
            except DomainError as error:
                db.session.rollback()
                show_error(form, error)
            else:
                token = submission.application.token
                db.session.commit()
                if submission.result == SubmissionResult.ALREADY_APPLIED:
                    return redirect(url_for(".link_sent", slug=slug, already="1"))
                return redirect(url_for(".confirmation", token=token))
        elif not call.is_open(now):
            activity = load(call)
            return closed(activity, now, calls.closed_message(activity, now))
    summarise_errors(form, asked, checked.errors)
    status = 422 if form.errors else 200
    asked_html = render_questions(
        asked,
        values=request.form,
        errors=checked.errors,
        full=answering.full_options(asked),
    )
    page = render_template(
        "public/apply.html", activity=load(call), form=form, now=now, questions_html=asked_html
    )
    return page, status


def load(call: Call) -> Activity:
    """The whole activity behind a call."""
    return db.session.get_one(Activity, call.id)


def closed(activity: Activity, now: datetime, message: str) -> tuple[str, int]:
    """The page that says the call is closed, with the reason and the contacts."""
    page = render_template("public/apply_closed.html", activity=activity, now=now, message=message)
    return page, 409


@bp.route("/activities/<slug>/resend-link", methods=["GET", "POST"])
def resend_link(slug: str) -> Page:
    """Send a lost private link again; answers the same whether or not the address applied."""
    activity = visible_or_404(slug)
    form = ResendLinkForm()
    if form.validate_on_submit():
        links.resend_link(activity, email=form.email.data)
        db.session.commit()
        # The same answer whether or not the address applied: it reveals nobody.
        return redirect(url_for(".link_sent", slug=slug))
    status = 422 if form.errors else 200
    return render_template("public/apply_resend_link.html", activity=activity, form=form), status


@bp.get("/activities/<slug>/resend-link/sent")
def link_sent(slug: str) -> str:
    """Tell the visitor to check their email (or that they had already applied)."""
    activity = visible_or_404(slug)
    already = request.args.get("already") == "1"
    return render_template("public/apply_link_sent.html", activity=activity, already=already)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    """A request over MAX_CONTENT_LENGTH (a big CV): say what to do, not a bare 413."""
    return render_template("public/apply_too_large.html"), 413


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> tuple[str, int]:
    """A form sent without its security token, or after it expired: nothing was saved."""
    return render_template("public/apply_expired.html", reason=error.description), 400
