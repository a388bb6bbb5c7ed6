"""Fixtures for the organiser's questions: a manager and a way to add questions quickly."""

from __future__ import annotations

from typing import Any

import pytest

from eventreg.models import Activity, Question
from eventreg.services import questions as service


@pytest.fixture
def manager(factories):  # type: ignore[no-untyped-def]
    return factories.staff()


@pytest.fixture
def add_question(manager):  # type: ignore[no-untyped-def]
    """`add_question(activity, type, "Label", options=[("Site A", 2)], ...)`: a saved question."""

    def add(activity: Activity, type_: str, label: str, **fields: Any) -> Question:
        options = [
            service.OptionSpec(label={"en": text}, places=places)
            for text, places in fields.pop("options", [])
        ]
        spec = service.QuestionSpec(type=type_, label={"en": label}, options=options, **fields)
        return service.save_question(activity, Question(), spec, by=manager)

    return add
