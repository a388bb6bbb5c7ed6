"""Errors of the API as RFC 9457 problem details (application/problem+json).

Each refusal has a stable `type`: a domain refusal is named after its DomainError class
(PlacesFull -> /api/v1/problems/places-full), an HTTP error after its status.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app, json
from werkzeug.exceptions import HTTPException

from ..services.errors import DomainError

MEDIA_TYPE = "application/problem+json"
TYPE_ROOT = "/api/v1/problems/"


def slug(name: str) -> str:
    """CamelCase -> kebab-case (PlacesFull -> places-full)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str = "",
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response; `kind` is the last part of its stable type."""
    body: dict[str, Any] = {"type": TYPE_ROOT + kind, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=MEDIA_TYPE, headers=headers
    )
    return response


def from_domain_error(error: DomainError) -> Response:
    """A refusal of the domain: 409 Conflict with the refusal's own type and message."""
    extra: dict[str, Any] = {}
    if error.field:
        extra["field"] = error.field
    return problem(409, slug(type(error).__name__), "The change was refused.", str(error), **extra)


def from_http_error(error: HTTPException) -> Response:
    """Any HTTP error (404, 405, 429...), typed by its status; validation errors listed."""
    code = error.code or 500
    extra: dict[str, Any] = {}
    data = getattr(error, "data", None) or {}
    if "messages" in data:  # webargs: the request did not match the schema
        extra["errors"] = data["messages"]
    kind = re.sub(r"[^a-z0-9]+", "-", error.name.lower()).strip("-")
    return problem(code, kind, error.name, error.description or "", **extra)
