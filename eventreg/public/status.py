"""The applicant's private page at /my/<token>: status, history, money, and their actions.

The token in the address is the only key: no account, never the id. Every page here is
kept out of caches and never leaks its address to another site through the Referer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import clock, i18n
from ..models import Application
from ..saving import saved
from ..services import (
    answering,
    answers,
    applicant,
    applications,
    checkin,
    correspondence,
    followup,
    lifecycle,
    links,
    questions,
)
from ..services.applications import Answers
from ..services.calls import CallFacts
from . import bp
from .documents import pdf_response
from .forms import ActionForm, ReasonForm, application_form, prefill
from .questionform import reading, render_questions, summarise_errors

Page = str | tuple[str, int] | Response

PRIVATE_ENDPOINTS = frozenset(
    {
        "public.status",
        "public.confirmation",
        "public.correct",
        "public.withdraw",
        "public.confirm",
        "public.decline",
        "public.calendar",
        "public.follow_up",
        "public.my_data",
        "public.my_data_json",
        "public.request_erasure",
    }
)


@bp.after_request
def keep_private(response: Response) -> Response:
    """Private pages: never stored by a browser or proxy, never sent as a Referer."""
    if request.endpoint in PRIVATE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def application_or_404(token: str) -> Application:
    """The application behind a private link; 404 for an unknown or revoked one."""
    application = links.find_by_token(token)
    if application is None:
        abort(404)
    i18n.use_application_language(application.language)
    return application


@bp.get("/my/<token>")
def status(token: str) -> str:
    """The private page: status, next steps, money, history, and what the applicant can do."""
    application = application_or_404(token)
    now = clock.now()
    return render_template(
        "public/status.html",
        application=application,
        activity=application.activity,
        history=applicant.applicant_history(application),
        can_correct=applications.can_correct(application, now),
        can_withdraw=applicant.can_withdraw(application, now),
        can_respond=applicant.can_respond(application, now),
        response_deadline=applicant.response_deadline(application),
        join_link=correspondence.join_link(application),
        waiting_position=lifecycle.waiting_position(application),
        action_form=ActionForm(),
        now=now,
        checkin_qr=checkin.qr_data_uri(application) if application.status.takes_part else None,
        answers=answers.read_by_applicant(application, reading()),
        follow_up_open=followup.is_open(application, now),
        documents=correspondence.documents_for(application),
    )


@bp.get("/my/<token>/confirmation")
def confirmation(token: str) -> str:
    """The page after submitting: the reference number and the private link."""
    application = application_or_404(token)
    return render_template(
        "public/confirmation.html",
        application=application,
        activity=application.activity,
        private_link=correspondence.private_link(application),
    )


@bp.route("/my/<token>/correct", methods=["GET", "POST"])
def correct(token: str) -> Page:
    """The application form again, prefilled, while corrections are allowed."""
    application = application_or_404(token)
    activity = application.activity
    now = clock.now()
    if not applications.can_correct(application, now):
        flash(_("Your application can no longer be corrected here."), "error")
        return redirect(url_for(".status", token=token))
    form = application_form(
        CallFacts.of(activity), correcting=True, data=prefill(Answers.of(application))
    )
    asked = questions.views_of(activity)
    given = answers.answers_of(application)
    sent: Any = answers.form_values(given)
    checked = answering.Checked()
    if request.method == "POST":
        files = frozenset(a.question_id for a in given if isinstance(a.value, dict))
        sent = request.form
        checked = answering.check_answers(
            asked, request.form.getlist, request.files.get, kept_files=files
        )

    def correct_all() -> list[str]:
        changed = applications.correct_application(
            application,
            answers=form.answers(kept=Answers.of(application)),
            cv=form.uploaded_cv(),
            now=now,
        )
        answering.correct_answers(application, asked, checked)
        return changed

    if (
        form.validate_on_submit()
        and not checked.errors
        and saved(
            correct_all,
            done=lambda changed: (
                _("Your corrections are saved.") if changed else _("Nothing was changed.")
            ),
            form=form,
        )
    ):
        return redirect(url_for(".status", token=token))
    summarise_errors(form, asked, checked.errors)
    status_code = 422 if form.errors else 200
    page = render_template(
        "public/status_correct.html",
        application=application,
        activity=activity,
        form=form,
        now=now,
        questions_html=render_questions(
            asked,
            values=sent,
            errors=checked.errors,
            full=answering.full_options(asked),
            held=frozenset(c.option_id for answer in given for c in answer.choices),
        ),
    )
    return page, status_code


@bp.route("/my/<token>/withdraw", methods=["GET", "POST"])
def withdraw(token: str) -> Page:
    """Ask for confirmation (GET), then withdraw the application (POST)."""
    return _confirmed_step(
        token,
        allowed=applicant.can_withdraw,
        not_allowed=_("Your application can no longer be withdrawn here."),
        step=applicant.withdraw_application,
        done=_("Your application is withdrawn. We have sent you a confirmation."),
        template="public/status_withdraw.html",
    )


@bp.post("/my/<token>/confirm")
def confirm(token: str) -> Response:
    """An accepted applicant confirms that they will take part."""
    application = application_or_404(token)
    if ActionForm().validate_on_submit():
        saved(
            lambda: applicant.confirm_participation(application, now=clock.now()),
            done=_("Thank you: your participation is confirmed."),
        )
    return redirect(url_for(".status", token=token))


@bp.route("/my/<token>/decline", methods=["GET", "POST"])
def decline(token: str) -> Page:
    """Ask for confirmation (GET), then decline the place offered (POST)."""
    return _confirmed_step(
        token,
        allowed=applicant.can_respond,
        not_allowed=_("There is no offer to decline, or the date to answer has passed."),
        step=applicant.decline_participation,
        done=_("You have declined your place. We have sent you a confirmation."),
        template="public/status_decline.html",
    )


class _Step(Protocol):
    def __call__(self, application: Application, *, now: datetime, reason: str) -> None: ...


def _confirmed_step(
    token: str,
    *,
    allowed: Callable[[Application, datetime], bool],
    not_allowed: str,
    step: _Step,
    done: str,
    template: str,
) -> Page:
    """A step the applicant confirms on a page of its own, with an optional word of reason."""
    application = application_or_404(token)
    if not allowed(application, clock.now()):
        flash(not_allowed, "error")
        return redirect(url_for(".status", token=token))
    form = ReasonForm()
    if form.validate_on_submit():
        reason = form.reason.data or ""
        saved(lambda: step(application, now=clock.now(), reason=reason), done=done)
        return redirect(url_for(".status", token=token))
    return render_template(
        template, application=application, activity=application.activity, form=form
    )


@bp.get("/my/<token>/calendar.ics")
def calendar(token: str) -> Response:
    """The activity as an .ics file to add to a calendar."""
    application = application_or_404(token)
    if not correspondence.documents_for(application).calendar:
        abort(404)  # an application that ended is not offered the calendar
    ics = correspondence.calendar_for(application.activity, application.language)
    return Response(
        ics.content,
        mimetype=ics.content_type,
        headers={"Content-Disposition": f'attachment; filename="{ics.filename}"'},
    )


@bp.get("/my/<token>/acceptance-letter.pdf")
def acceptance_letter(token: str) -> Response:
    """The acceptance letter (usable as an invitation letter for a visa), while it applies."""
    from ..pdf.letters import acceptance_letter as render

    application = application_or_404(token)
    if not correspondence.documents_for(application).acceptance_letter:
        abort(404)
    return pdf_response(render(application), f"{application.reference}-letter.pdf")


@bp.get("/my/<token>/statement.pdf")
def statement(token: str) -> Response:
    """The statement of account, titled a receipt once paid in full, while it applies."""
    from ..pdf.letters import statement_of_account as render

    application = application_or_404(token)
    if not correspondence.documents_for(application).statement:
        abort(404)
    return pdf_response(render(application), f"{application.reference}-statement.pdf")


@bp.get("/my/<token>/certificate.pdf")
def certificate(token: str) -> Response:
    """The applicant's certificate, once issued and while it is not revoked."""
    from ..pdf.certificates import certificate_pdf

    application = application_or_404(token)
    issued = correspondence.documents_for(application).certificate
    if issued is None:
        abort(404)
    return pdf_response(certificate_pdf(issued), f"{application.reference}-certificate.pdf")
