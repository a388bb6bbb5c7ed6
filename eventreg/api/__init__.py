"""The JSON API at /api/v1: personal tokens, the same services as the pages, OpenAPI 3.1.

The OpenAPI document is generated from the code by flask-smorest (served at
/api/v1/openapi.json); errors are RFC 9457 problem details; each token has its own rate
limit (API_RATE_LIMIT); changes need the resource's ETag in If-Match.
"""

from __future__ import annotations

import http
from typing import Any

from flask import Flask, Response
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from ..extensions import csrf
from ..services.errors import DomainError
from . import problems
from .access import authenticate, rate_limit_key
from .schemas import Problem

PREFIX = "/api/v1"


class ApiBlueprint(SmorestBlueprint):
    """A flask-smorest blueprint whose changes (POST too) need If-Match."""

    METHODS_NEEDING_CHECK_ETAG = ["POST", "PUT", "PATCH", "DELETE"]


class EventregApi(Api):
    """flask-smorest's Api, answering errors as problem details, for its own routes only."""

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self) -> None:
        # The pages keep their HTML error pages: the API's blueprints handle their own.
        pass

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = Problem
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "A refusal or error, as problem details", "schema": Problem}
        prepare_response(default, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


bp = ApiBlueprint("api", __name__, url_prefix=PREFIX, description="eventreg's JSON API, version 1.")


@bp.before_request
def _authenticate() -> None:
    authenticate()


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    return problems.from_http_error(error)


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Response:
    from ..extensions import db

    db.session.rollback()
    return problems.from_domain_error(error)


def init_app(app: Flask) -> None:
    """Register the API and its OpenAPI document; call after the rate limiter exists."""
    app.config.setdefault("API_TITLE", "eventreg")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "servers": [{"url": "/"}],
            "security": [{"token": []}],
            "components": {
                "securitySchemes": {
                    "token": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "A personal API token from the staff account page.",
                    }
                }
            },
        },
    )
    from . import activities, applications  # noqa: F401  (registers the routes)

    api = EventregApi(app)
    api.register_blueprint(bp)
    csrf.exempt(bp)
    limiter = app.extensions.get("eventreg_limiter")
    limit = app.config.get("API_RATE_LIMIT", "600 per minute")
    if limiter is not None and limit:
        limiter.limit(limit, key_func=rate_limit_key)(bp)
