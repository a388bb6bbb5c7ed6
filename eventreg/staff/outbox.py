"""The outbox as admins see it: queued, sent, retrying and failed mail, with "retry now"."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from .. import worker
from ..auth.access import requires
from ..auth.forms import ActionForm
from ..extensions import db
from ..models import EmailOutbox, OutboxStatus, Role
from . import bp

PAGE_SIZE = 50


@bp.get("/outbox")
@requires(Role.ADMIN)
def outbox() -> str:
    wanted = request.args.get("status", "")
    status = OutboxStatus(wanted) if wanted in set(OutboxStatus) else None
    counts = dict(
        db.session.execute(
            sa.select(EmailOutbox.status, sa.func.count()).group_by(EmailOutbox.status)
        ).all()
    )
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = sa.select(EmailOutbox).order_by(EmailOutbox.id.desc())
    if status is not None:
        query = query.where(EmailOutbox.status == status)
    emails = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "staff/outbox.html",
        emails=emails,
        counts=counts,
        status=status,
        statuses=list(OutboxStatus),
        form=ActionForm(),
    )


@bp.post("/outbox/<int:email_id>/retry")
@requires(Role.ADMIN)
def outbox_retry(email_id: int) -> Response:
    email = db.get_or_404(EmailOutbox, email_id)
    if not ActionForm().validate_on_submit():
        flash("The form had expired. Please try again.", "error")
    else:
        try:
            worker.retry_now(email)
        except ValueError as error:
            db.session.rollback()
            flash(str(error).capitalize() + ".", "error")
        else:
            db.session.commit()
            flash(f"The message to {email.to_address} will be sent again shortly.", "success")
    return redirect(url_for("staff.outbox", status=request.args.get("status") or None))
