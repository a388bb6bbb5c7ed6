"""Error pages people can read, for every error the app answers with."""

from __future__ import annotations

from flask import Flask, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from .extensions import db


def init_app(app: Flask) -> None:
    """Render HTTP errors with the site's layout."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        if request.path.startswith("/api/"):  # e.g. an unknown address under the API
            from .api.problems import from_http_error

            return from_http_error(error)  # type: ignore[return-value]
        return render_template("errors/error.html", error=error, code=code), code

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> tuple[str, int]:
        # A lost connection (the database restarting, a failover) is temporary: say so.
        # The pool checks connections before use, so the next request reconnects.
        db.session.rollback()
        if error.connection_invalidated or _is_disconnect(error):
            app.logger.warning("database unavailable: %s", error.orig)
            return render_template("errors/error.html", error=None, code=503), 503
        app.logger.exception("database error")
        return render_template("errors/error.html", error=None, code=500), 500

    @app.teardown_appcontext
    def end_session(_error: BaseException | None) -> None:
        # Registered after Flask-SQLAlchemy, so it runs first. A connection the database
        # dropped after the page was made (a restart between its last query and this
        # rollback) is already invalidated by the pool: the page stands, nothing is lost.
        try:
            db.session.remove()
        except DBAPIError as error:
            if not (error.connection_invalidated or _is_disconnect(error)):
                raise
            app.logger.warning("database connection lost as a request ended: %s", error.orig)
            db.session.registry.clear()

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        return render_template("errors/error.html", error=None, code=500), 500


def _is_disconnect(error: DBAPIError) -> bool:
    text = str(error.orig).lower()
    return any(
        word in text
        for word in (
            "terminating connection",
            "server closed",
            "connection refused",
            "could not connect",
            "connection is closed",
            "the database system is",
        )
    )
