"""Load and fault tests: real processes on 127.0.0.1, bounded in time; run alone with -m load."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/load/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.load)
    # Restarting PostgreSQL goes last, so no other test of the run meets a database restarting.
    items.sort(key=lambda item: "test_database_restart" in item.nodeid)
