"""Logging to stderr, each line carrying the id of the request it belongs to."""

from __future__ import annotations

import logging
import re
import sys
import uuid

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    """Adds record.request_id: the current request's id, or '-' outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class RequestLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to stderr with the request id in every line."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )
        self.addFilter(RequestIdFilter())


def init_app(app: Flask) -> None:
    """Send the app's log to stderr and tag every request with an id."""
    logger = logging.getLogger("eventreg")
    # create_app() may run many times in one process (tests): one handler is enough.
    if not any(isinstance(h, RequestLogHandler) for h in logger.handlers):
        logger.addHandler(RequestLogHandler())
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logger.propagate = False

    @app.before_request
    def assign_request_id() -> None:
        # Keep an id given by a proxy in front of us, if it is a sane one.
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _ACCEPTABLE_ID.match(given) else uuid.uuid4().hex[:16]

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response
