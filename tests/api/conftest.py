"""Fixtures for the API: a workshop with staff, and tokens that act for them."""

from __future__ import annotations

from typing import Any

import pytest

from eventreg.extensions import db as database
from eventreg.models import Role
from eventreg.services import apitokens


@pytest.fixture
def token_for(factories):  # type: ignore[no-untyped-def]
    """`token_for(role, activity)`: headers with a new token of a new staff member."""

    def make(role: Role | None = None, activity: Any = None, **fields: Any) -> dict[str, str]:
        user = factories.staff(role, activity, **fields)
        _, secret = apitokens.create_token(user, name="test")
        database.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def workshop(db, make_activity, factories):  # type: ignore[no-untyped-def]
    activity = make_activity(title="Multi-stakeholder partnerships", capacity=2)
    activity.fee_components[0].name = "Tuition"
    activity.fee_components[1].name = "Participant subsistence"
    factories.module(activity, title="Pro-poor partnerships")
    factories.session(activity, title="Opening plenary")
    database.session.commit()
    return activity
