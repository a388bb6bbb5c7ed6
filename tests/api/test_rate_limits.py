"""Each API token has its own rate limit; going over it answers 429 as problem details."""

from __future__ import annotations

import pytest

from eventreg.models import Role

from ..conftest import make_test_app


@pytest.fixture
def limited(tmp_path, db):
    from eventreg.extensions import db as database

    app = make_test_app(
        tmp_path,
        DATABASE_URL=database.engine.url.render_as_string(hide_password=False),
        RATELIMIT_ENABLED=True,
        API_RATE_LIMIT="3 per minute",
    )
    yield app
    with app.app_context():
        database.engine.dispose()


def test_a_token_over_its_limit_waits_while_another_token_goes_on(limited, workshop, token_for):
    first, second = token_for(Role.TRAINER, workshop), token_for(Role.TRAINER, workshop)
    client = limited.test_client()
    url = f"/api/v1/activities/{workshop.id}"
    assert [client.get(url, headers=first).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = client.get(url, headers=first)
    assert refused.content_type == "application/problem+json"
    assert refused.json["type"] == "/api/v1/problems/too-many-requests"
    assert "Retry-After" in refused.headers
    assert client.get(url, headers=second).status_code == 200
