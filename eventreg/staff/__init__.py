"""The back office: what staff see after signing in."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import activities, documents, outbox, views  # noqa: E402,F401  (registers the routes)
