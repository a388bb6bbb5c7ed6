"""The trainer's start page: "My sessions", naming each activity and its year, a page at a time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest

from eventreg import clock
from eventreg.extensions import db as database
from eventreg.models import Role

from ..conftest import sign_in


@pytest.fixture
def long_course(make_activity, factories):
    """A 40-session training of trainers, two sessions a day from 2 March 2026."""
    starts = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    activity = make_activity(
        title="Training of trainers in occupational safety and health",
        starts_at=starts,
        ends_at=starts + timedelta(days=20, hours=10),
    )
    for n in range(40):
        factories.session(
            activity,
            title=f"OSH session {n + 1}",
            starts_at=starts + timedelta(days=n // 2, hours=4 * (n % 2)),
        )
    return activity


def session_titles(html: str) -> list[str]:
    return re.findall(r"OSH session \d+", html)


def test_a_trainer_only_account_lands_on_my_sessions(app, db, make_staff, long_course, client):
    trainer = make_staff(Role.TRAINER, long_course)
    database.session.commit()
    signed_in = sign_in(client, trainer.email)
    assert signed_in.headers["Location"].endswith("/trainer/")


def test_an_assistant_still_lands_on_the_dashboard(app, db, make_staff, long_course, client):
    assistant = make_staff(Role.COURSE_ASSISTANT, long_course)
    database.session.commit()
    assert sign_in(client, assistant.email).headers["Location"].endswith("/staff/")


def test_a_forty_session_course_pages_from_the_next_session(
    db, sign_in_as, long_course, monkeypatch
):
    # Day 7 of the course, 13:00 in Turin: sessions 1-12 are over, 13 and 14 are today.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 8, 12, 0, tzinfo=UTC))
    trainer = sign_in_as(Role.TRAINER, long_course)
    page = trainer.get("/trainer/")
    text = unescape(page.text)
    assert "Training of trainers in occupational safety and health" in text
    assert "2\u201322 March 2026" in text  # the year, with the dates
    today, _, course = text.partition('id="activity-')
    assert session_titles(today) == ["OSH session 13", "OSH session 14"]
    # The course opens on the page holding the next session: 11 to 20 of 40.
    assert session_titles(course) == [f"OSH session {n}" for n in range(11, 21)]
    assert "Sessions 11 to 20 of 40" in text
    later = re.search(r'<a rel="next" href="([^"]+)"', page.text).group(1)
    last = unescape(trainer.get(unescape(later)).text)
    assert "Sessions 21 to 30 of 40" in last
    assert session_titles(last.partition('id="activity-')[2])[0] == "OSH session 21"
    # Nonsense pages are clamped, never an error.
    for query in (f"?activity={long_course.id}&page=99", "?activity=x&page=-1"):
        assert trainer.get("/trainer/" + query).status_code == 200
    clamped = unescape(trainer.get(f"/trainer/?activity={long_course.id}&page=99").text)
    assert "Sessions 31 to 40 of 40" in clamped
