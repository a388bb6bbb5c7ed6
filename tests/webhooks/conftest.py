"""Fixtures for webhooks: endpoints on 127.0.0.1 allowed, and a real receiver there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from ..load.test_concurrent_office import free_port
from .receiver import Receiver


@pytest.fixture
def local_hooks(app: Flask) -> Iterator[None]:
    """Allow endpoints on 127.0.0.1 (and retry at once) for the length of the test."""
    keys = ("WEBHOOK_ALLOWED_NETWORKS", "WEBHOOK_RETRY_BASE_SECONDS")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(WEBHOOK_ALLOWED_NETWORKS=["127.0.0.1/32"], WEBHOOK_RETRY_BASE_SECONDS=0)
    yield
    app.config.update(saved)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver on a free port of 127.0.0.1, not yet listening (start() it)."""
    found = Receiver(port=free_port())
    yield found
    found.stop()
