"""Sign-in, sign-out and password reset pages for staff."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from .. import clock
from ..emails import queue_email
from ..extensions import db
from ..models import Role, StaffUser
from ..saving import show_error
from ..services import staff_accounts, staff_auth, staff_sessions, two_factor
from ..services.errors import DomainError
from . import SESSION_KEY, bp, devices
from .forms import ActionForm, CodeForm, NewPasswordForm, ResetRequestForm, SignInForm

# Between the password and the code: who is signing in, for at most this long and
# this many wrong codes (then the password is asked again, with its own brakes).
PENDING_KEY = "two_factor_pending"
PENDING_NEXT = "two_factor_next"
PENDING_SECONDS = 300
PENDING_TRIES = 5


def _safe_next(target: str | None, user: StaffUser | None = None) -> str:
    """Only local paths: never send someone to another site after signing in.

    Without one, each lands on their own start page (landing_page).
    """
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return landing_page(user)


def landing_page(user: StaffUser | None) -> str:
    """A trainer and nothing else starts on "My sessions"; other staff on the dashboard."""
    if (
        user is not None
        and not user.is_admin
        and user.assignments
        and all(assignment.role is Role.TRAINER for assignment in user.assignments)
    ):
        return url_for("trainer.my_sessions")
    return url_for("staff.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response:
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = staff_auth.sign_in(
                form.email.data or "",
                form.password.data or "",
                address=request.remote_addr or "",
                known_ids=devices.known_accounts(request),
            )
        except DomainError as error:
            db.session.commit()  # keep the failure count
            form.password.errors = [str(error)]
        else:
            destination = _safe_next(request.args.get("next"), user)
            if user.two_factor:
                db.session.commit()
                session.clear()
                # The password was right; the session opens once the code is right too.
                session[PENDING_KEY] = {"id": user.id, "at": clock.now().timestamp(), "tries": 0}
                session[PENDING_NEXT] = destination
                return redirect(url_for("auth.sign_in_code"))
            return _open_session(user, destination)
    return render_template("auth/sign_in.html", form=form)


def _open_session(user: StaffUser, destination: str) -> Response:
    """Start the server-side session of someone who has proved who they are."""
    token = staff_sessions.start_session(user)
    db.session.commit()
    session.clear()  # nothing from before sign-in carries over
    login_user(user)
    session[SESSION_KEY] = token
    response = redirect(destination)
    devices.remember(response, request, user.id)
    return response


def _pending_user() -> StaffUser | None:
    """Who typed the right password a moment ago and now owes a code, if anyone."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("id"), int):
        return None
    if clock.now().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    if int(pending.get("tries", 0)) >= PENDING_TRIES:
        return None
    user = db.session.get(StaffUser, pending["id"])
    return user if user is not None and user.active and user.two_factor else None


@bp.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code() -> str | Response | tuple[str, int]:
    user = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Please sign in with your email and password first."), "info")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        address = request.remote_addr or ""
        try:
            staff_auth.check_address(address)
            two_factor.verify(user, form.code.data or "")
        except DomainError as error:
            db.session.rollback()
            # Wrong codes slow the address down as wrong passwords do.
            staff_auth.note_failure(address)
            db.session.commit()
            pending = session[PENDING_KEY]
            session[PENDING_KEY] = {**pending, "tries": int(pending.get("tries", 0)) + 1}
            show_error(form, error)
        else:
            return _open_session(user, str(session.get(PENDING_NEXT) or url_for("staff.dashboard")))
    return render_template("auth/sign_in_code.html", form=form), 422 if form.errors else 200


@bp.post("/sign-out")
@login_required
def sign_out() -> Response:
    if ActionForm().validate_on_submit():
        staff_sessions.end_session(session.get(SESSION_KEY))
        db.session.commit()
        logout_user()
        session.clear()
        flash("You are signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request() -> str | Response:
    form = ResetRequestForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        if user is not None and user.active:
            token = staff_auth.reset_token(user, secret_key=current_app.config["SECRET_KEY"])
            queue_email(
                "password_reset",
                to=user.email,
                to_name=user.name,
                staff_name=user.name,
                link=current_app.config["BASE_URL"].rstrip("/")
                + url_for("auth.reset_password", token=token),
            )
            db.session.commit()
        # The same answer either way: the form must not reveal who has an account.
        flash("If that address belongs to a staff account, a link is on its way.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    try:
        user = staff_auth.user_for_reset(token, secret_key=current_app.config["SECRET_KEY"])
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("auth.reset_request"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        staff_auth.set_password(user, form.password.data or "")
        db.session.commit()
        flash("Your password is set. Please sign in.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    """An invited person sets their first password; a used or expired link says so."""
    try:
        invitation = staff_accounts.invitation_for(token)
    except DomainError as error:
        return render_template("auth/invitation_invalid.html", message=str(error)), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            staff_accounts.accept_invitation(token, form.password.data or "")
        except DomainError as error:
            db.session.rollback()
            return render_template("auth/invitation_invalid.html", message=str(error)), 410
        db.session.commit()
        flash(_("Your password is set. Please sign in."), "success")
        return redirect(url_for("auth.sign_in"))
    page = render_template("auth/invitation.html", form=form, person=invitation.staff_user)
    return page, 422 if form.errors else 200
