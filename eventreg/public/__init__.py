"""The public side: the catalogue and the activity pages."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import apply, documents, evaluate, followup, privacy, status, views  # noqa: E402,F401  (registers the routes)
