"""A staff member's personal API tokens: create one (shown once), see them, revoke one."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.access import staff
from ..auth.forms import ActionForm
from ..extensions import db
from ..i18n import TranslatedForm
from ..models import ApiToken, utcnow
from ..saving import saved
from ..services import apitokens
from . import bp


class TokenForm(TranslatedForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=apitokens.NAME_MAX)])
    expires_on = DateField("Expires on", validators=[Optional()], format="%Y-%m-%d")


def _page(form: TokenForm | None = None, secret: str | None = None) -> tuple[str, int]:
    # After a token is made, an empty form: the one just sent is done with.
    form = form or TokenForm(formdata=None)
    page = render_template(
        "staff/api_tokens.html",
        form=form,
        tokens=apitokens.tokens_of(staff()),
        action_form=ActionForm(),
        secret=secret,
        now=utcnow(),
    )
    return page, 422 if form.errors else 200


@bp.get("/account/api-tokens")
@login_required
def api_tokens() -> tuple[str, int]:
    return _page()


@bp.post("/account/api-tokens")
@login_required
def api_token_create() -> tuple[str, int]:
    form = TokenForm()

    def create() -> str:
        expires = form.expires_on.data
        _, secret = apitokens.create_token(
            staff(),
            name=form.name.data or "",
            # The token lasts to the end of the day chosen, in UTC.
            expires_at=None if expires is None else datetime.combine(expires, time.max, UTC),
        )
        return secret

    if form.validate_on_submit() and (
        created := saved(
            create,
            done="The token is created. Copy it now: it will not be shown again.",
            form=form,
        )
    ):
        return _page(secret=created.value)
    return _page(form)


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def api_token_revoke(token_id: int) -> Response:
    token = db.get_or_404(ApiToken, token_id)
    if token.staff_user_id != staff().id:
        abort(404)
    if ActionForm().validate_on_submit():
        saved(
            lambda: apitokens.revoke_token(token, by=staff()),
            done=f"The token {token.name} is revoked.",
        )
    else:
        abort(400)
    return redirect(url_for(".api_tokens"))
