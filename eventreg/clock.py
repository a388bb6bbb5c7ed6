"""The project's clock: the current moment as every rule that depends on time reads it.

Deadlines, confirm-by dates, reminders and date guards ask `now()` rather than the system
clock, so a test moves time for the views, the services and the worker alike by replacing
this one function (`monkeypatch.setattr(clock, "now", ...)`).
"""

from __future__ import annotations

from datetime import datetime

from .models.base import utcnow


def now() -> datetime:
    """The current moment, aware, in UTC."""
    return utcnow()
