"""The archive of past activities and the catalogue's search reach every public activity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eventreg.demo import load_demo


@pytest.fixture
def demo(db, app):
    load_demo(app.instance_path, now=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    db.session.commit()


def test_the_2009_workshop_is_reached_from_the_catalogue_through_the_archive(client, demo):
    catalogue = client.get("/").text
    assert 'href="/past"' in catalogue
    archive = client.get("/past").text
    assert "A901357" in archive and "13\u201317 July 2009" in archive
    assert 'href="/activities/multi-stakeholder-partnerships-2009"' in archive
    assert "W180612" in archive  # the 2018 webinar
    assert "A927357" not in archive  # next year's edition is not over
    assert "community water cooperatives" not in archive  # a draft stays hidden
    card = '<span class="reference">{}</span>'.format
    assert archive.index(card("A901357")) > archive.index(card("W180612"))  # the latest first
    assert "Apply by" not in archive


def test_searching_narrows_either_list_by_every_word(client, demo):
    found = client.get("/past", query_string={"q": "partnerships 2009"}).text
    assert "A901357" not in found  # "2009" is in no title, reference or place
    found = client.get("/past", query_string={"q": "a901357"}).text
    assert "1 activity found for \u201ca901357\u201d" in found and "A901357" in found
    assert "W180612" not in found
    upcoming = client.get("/", query_string={"q": "Kathmandu"}).text
    assert "Occupational safety and health" in upcoming
    assert "Multi-stakeholder" not in upcoming


def test_a_search_that_finds_nothing_says_so_and_points_at_the_archive(client, demo):
    page = client.get("/", query_string={"q": "reference A901357"}).text
    assert "Nothing matches" in page
    assert 'href="/past?q=reference+A901357"' in page


@pytest.mark.parametrize("typed", ["50%_off", "x" * 500, "<script>"])
def test_odd_searches_are_answered_calmly(client, demo, typed):
    response = client.get("/past", query_string={"q": typed})
    assert response.status_code == 200
    assert "<script>" not in response.text.split("</header>", 1)[1]
