"""schemathesis against the live OpenAPI document: no 5xx, no answer the document denies.

The app is served on 127.0.0.1; the schema is read from its /api/v1/openapi.json and every
operation is called with an admin's token on generated data (a bounded number of examples,
so the whole run stays well under two minutes), then the answers are checked against the
document: status codes, content types, headers and bodies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks

from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, Certificate, Role
from eventreg.services import apitokens

from ..e2e.conftest import LiveServer

EXAMPLES = 25  # per operation: the whole run stays under a minute

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def live(app) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def world(db, factories) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """An activity with an application, a session and a certificate, and an admin's token."""
    activity = factories.activity()
    factories.module(activity)
    factories.session(activity)
    application = factories.application(activity, status=ApplicationStatus.CONFIRMED)
    database.session.add(Certificate(application_id=application.id))
    admin = factories.staff(Role.ADMIN)
    _, secret = apitokens.create_token(admin, name="schemathesis")
    database.session.commit()
    return {"headers": {"Authorization": f"Bearer {secret}"}}


def test_the_api_keeps_to_its_openapi_document(live, world):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_url(f"{live.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    tried: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            phases=[Phase.explicit, Phase.generate],
        )
        def conforms(case: Any) -> None:
            case.call_and_validate(base_url=live.url, headers=world["headers"], checks=CHECKS)

        conforms()
        tried.append(operation.label)
    assert len(tried) == len(operations)
