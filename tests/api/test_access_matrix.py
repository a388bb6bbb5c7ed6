"""Every API route, for every kind of caller, against an explicit table (as for the pages).

The routes are read from the app's URL map, so a new API route missing from EXPECTED fails
`test_every_api_route_is_in_the_table`. Each is called with arguments pointing at objects of
one activity, with a token of: nobody (no token), a trainer, a course assistant and an
activity manager of that activity, a course assistant of ANOTHER activity, an admin.
"ok" means the route did its work or refused the request's content (409/412/422/428):
the role check let it through.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, Certificate, Role

NOBODY = "no token"
TRAINER = "trainer"
ASSISTANT = "assistant"
MANAGER = "manager"
OTHER = "assistant of another activity"
ADMIN = "admin"
WITH_TOKEN = (TRAINER, ASSISTANT, MANAGER, OTHER, ADMIN)
CALLERS = (NOBODY, *WITH_TOKEN)

OK, FORBIDDEN, UNAUTHORIZED = "ok", "403", "401"


def only(*allowed: str) -> dict[str, str]:
    return {NOBODY: UNAUTHORIZED} | {c: OK if c in allowed else FORBIDDEN for c in WITH_TOKEN}


ANY_TOKEN = only(*WITH_TOKEN)
IN_THE_ROOM = only(TRAINER, ASSISTANT, MANAGER, ADMIN)
OFFICE = only(ASSISTANT, MANAGER, ADMIN)

EXPECTED: dict[str, dict[str, str]] = {
    "api.list_activities": ANY_TOKEN,
    "api.get_activity": IN_THE_ROOM,
    "api.get_attendance": IN_THE_ROOM,
    "api.list_certificates": IN_THE_ROOM,
    "api.verify_certificate": ANY_TOKEN,
    "api.list_applications": OFFICE,
    "api.get_application": OFFICE,
    "api.decide": OFFICE,
    "api.grant": OFFICE,
    "api.record_payment": OFFICE,
    "api.mark_attendance": IN_THE_ROOM,
}

# Bodies that reach the service (which may then refuse them) on the routes that change.
BODIES: dict[str, dict[str, Any]] = {
    "api.decide": {"decision": "waitlist"},
    "api.grant": {"component_id": 1, "share": "all"},
    "api.record_payment": {"amount": 100, "received_on": "2020-01-02", "method": "cash"},
    "api.mark_attendance": {"present": True},
}


def api_rules(app: Flask) -> list[tuple[Rule, str]]:
    return sorted(
        (
            (rule, method)
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("api.")
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        ),
        key=lambda item: (item[1] != "GET", item[0].endpoint),
    )


def test_every_api_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule, _ in api_rules(app)}
    assert sorted(endpoints - set(EXPECTED)) == [], "add these API routes to EXPECTED"
    assert sorted(set(EXPECTED) - endpoints) == [], "these API routes no longer exist"


@pytest.fixture
def world(db, factories, token_for) -> dict[str, Any]:
    activity = factories.activity()
    session = factories.session(activity)
    application = factories.application(activity, status=ApplicationStatus.CONFIRMED)
    certificate = Certificate(application_id=application.id)
    database.session.add(certificate)
    other = factories.activity()
    database.session.commit()
    tokens = {
        NOBODY: {},
        TRAINER: token_for(Role.TRAINER, activity),
        ASSISTANT: token_for(Role.COURSE_ASSISTANT, activity),
        MANAGER: token_for(Role.ACTIVITY_MANAGER, activity),
        OTHER: token_for(Role.COURSE_ASSISTANT, other),
        ADMIN: token_for(Role.ADMIN),
    }
    return {
        "tokens": tokens,
        "args": {
            "activity_id": activity.id,
            "application_id": application.id,
            "session_id": session.id,
            "code": certificate.code,
        },
    }


def outcome(status: int) -> str:
    if status in (401, 403):
        return str(status)
    if status < 400 or status in (409, 412, 422, 428):
        return OK
    return f"unexpected {status}"


@pytest.mark.parametrize("who", CALLERS)
def test_who_may_call_each_api_route(app, client, world, who):
    adapter = app.url_map.bind("localhost")
    wrong = []
    for rule, method in api_rules(app):
        url = adapter.build(rule.endpoint, {n: world["args"][n] for n in rule.arguments})
        headers = {**world["tokens"][who], "If-Match": '"stale"'}
        response = client.open(
            url, method=method, headers=headers, json=BODIES.get(rule.endpoint, {}) or None
        )
        got = outcome(response.status_code)
        if response.status_code >= 400:
            assert response.content_type == "application/problem+json", url
        if got != EXPECTED[rule.endpoint][who]:
            wrong.append(f"{method} {url}: expected {EXPECTED[rule.endpoint][who]}, got {got}")
    assert wrong == []
