"""Webhooks for admins: register endpoints, turn them off or on, read the delivery log and
ask for a delivery again."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from ..auth.access import requires, staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import Role, WebhookDelivery, WebhookEndpoint, WebhookEventType
from ..saving import saved
from ..services import webhooks
from . import bp
from .forms import choices

EVENT_LABELS = {
    WebhookEventType.APPLICATION_SUBMITTED: "An application is submitted",
    WebhookEventType.STATUS_CHANGED: "An application's status changes",
    WebhookEventType.COSTSHARE_GRANTED: "Cost-sharing is granted",
    WebhookEventType.PAYMENT_RECORDED: "A payment is recorded",
    WebhookEventType.CERTIFICATE_ISSUED: "A certificate is issued",
    WebhookEventType.ATTENDANCE_MARKED: "Attendance is marked",
}


class EndpointForm(TranslatedForm):
    url = StringField("URL", validators=[DataRequired(), Length(max=webhooks.URL_MAX)])
    description = StringField("Description", validators=[Length(max=200)])
    event_types = SelectMultipleField(
        "Events", choices=choices(*((kind.value, label) for kind, label in EVENT_LABELS.items()))
    )


def _list(
    form: EndpointForm | None = None, created: WebhookEndpoint | None = None
) -> tuple[str, int]:
    form = form or EndpointForm()
    endpoints = list(db.session.scalars(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id)))
    page = render_template(
        "staff/webhooks/list.html",
        form=form,
        endpoints=endpoints,
        created=created,
        labels=EVENT_LABELS,
    )
    return page, 422 if form.errors else 200


@bp.get("/webhooks")
@requires(Role.ADMIN)
def webhooks_page() -> tuple[str, int]:
    return _list()


@bp.post("/webhooks")
@requires(Role.ADMIN)
def webhook_register() -> tuple[str, int]:
    form = EndpointForm()
    if form.validate_on_submit() and (
        registered := saved(
            lambda: webhooks.register_endpoint(
                url=form.url.data or "",
                event_types=list(form.event_types.data or []),
                description=form.description.data or "",
                by=staff(),
            ),
            done="The endpoint is registered. Give its signing secret to the receiving system.",
            form=form,
        )
    ):
        return _list(created=registered.value)
    return _list(form)


@bp.get("/webhooks/<int:endpoint_id>")
@requires(Role.ADMIN)
def webhook(endpoint_id: int) -> str:
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    return render_template(
        "staff/webhooks/endpoint.html",
        endpoint=endpoint,
        deliveries=webhooks.deliveries(endpoint),
        labels=EVENT_LABELS,
        form=ActionForm(),
    )


@bp.post("/webhooks/<int:endpoint_id>/active")
@requires(Role.ADMIN)
def webhook_toggle(endpoint_id: int) -> Response:
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    if ActionForm().validate_on_submit():
        turn_on = not endpoint.active
        saved(
            lambda: webhooks.set_active(endpoint, turn_on, by=staff()),
            done="The endpoint is on again." if turn_on else "The endpoint is off.",
        )
    return redirect(url_for(".webhook", endpoint_id=endpoint_id))


@bp.post("/webhooks/deliveries/<int:delivery_id>/redeliver")
@requires(Role.ADMIN)
def webhook_redeliver(delivery_id: int) -> Response:
    delivery = db.get_or_404(WebhookDelivery, delivery_id)
    if ActionForm().validate_on_submit():
        saved(
            lambda: webhooks.redeliver(delivery, by=staff()),
            done="The event will be delivered again, with the same event id.",
        )
    return redirect(url_for(".webhook", endpoint_id=delivery.endpoint_id))
