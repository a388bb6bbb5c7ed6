"""Sign-in, sign-out and password reset pages for staff."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..emails import queue_email
from ..extensions import db
from ..models import StaffUser
from ..services import staff_auth, staff_sessions
from ..services.errors import DomainError
from . import SESSION_KEY, bp, devices
from .forms import ActionForm, NewPasswordForm, ResetRequestForm, SignInForm


def _safe_next(target: str | None) -> str:
    """Only local paths: never send someone to another site after signing in."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
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
            token = staff_sessions.start_session(user)
            db.session.commit()
            destination = _safe_next(request.args.get("next"))
            session.clear()  # nothing from before sign-in carries over
            login_user(user)
            session[SESSION_KEY] = token
            response = redirect(destination)
            devices.remember(response, request, user.id)
            return response
    return render_template("auth/sign_in.html", form=form)


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
