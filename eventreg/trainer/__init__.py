"""The trainer's workspace: their sessions, attendance, and what follows from it."""

from flask import Blueprint

bp = Blueprint("trainer", __name__, url_prefix="/trainer")

from . import checkin, views  # noqa: E402,F401  (registers the routes)
