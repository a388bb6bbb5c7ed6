"""The back office: what staff see after signing in."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import (  # noqa: E402,F401  (registers the routes)
    account,
    activities,
    apitokens,
    decisions,
    documents,
    eligibility,
    evaluation,
    exports,
    languages,
    late,
    links,
    messages,
    money,
    organisation,
    outbox,
    people,
    privacy,
    questionnaire,
    questions,
    review,
    team,
    views,
    webhooks,
)
