"""The public catalogue and activity pages, as an applicant reads them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from eventreg.demo import load_demo
from eventreg.models import ActivityKind, ActivityStatus, utcnow


@pytest.fixture
def demo(db, app):
    load_demo(app.instance_path, now=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    db.session.commit()


def text_of(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_catalogue_lists_open_and_upcoming_activities_with_their_facts(client, demo):
    page = text_of(client.get("/"))
    assert "Multi-stakeholder partnerships for local service delivery" in page
    assert "Occupational safety and health: training of trainers" in page
    assert "Organising platform workers" in page
    assert "Workshop" in page and "Webinar" in page and "Training of trainers" in page
    assert "12\u201316 July 2027" in page
    assert "Turin (Italy)" in page and "Online" in page
    assert "English, French, Spanish" in page
    assert "15 June 2027, 23:59 CEST" in page
    assert "days left" in page
    assert "EUR 2,000" in page and "Free" in page


def test_catalogue_leaves_out_drafts_and_past_activities(client, demo):
    page = text_of(client.get("/"))
    assert "community water cooperatives" not in page  # a draft
    assert "A901357" not in page  # the 2009 edition is over
    assert "W180612" not in page


def test_catalogue_says_so_when_nothing_is_open(client, db):
    page = text_of(client.get("/"))
    assert "No activity is open for applications" in page


def test_reference_workshop_page_shows_what_the_announcement_told(client, demo):
    page = text_of(client.get("/activities/multi-stakeholder-partnerships-2027"))
    for number, title in enumerate(
        [
            "Pro-poor partnerships",
            "Social dialogue and partnership",
            "An enabling environment",
            "Employment and labour issues in partnership arrangements",
            "Contracting, performance monitoring and impact assessment",
            "Orientations for future work",
        ],
        start=1,
    ):
        assert f"Module {number}: {title}" in page
    assert "EUR 2,000" in page
    assert "Tuition" in page and "EUR 1,040" in page
    assert "Participant subsistence" in page and "EUR 960" in page
    assert "Travel between your home and the venue is not included" in page
    assert "cost-share the participation of a limited number" in page
    assert "15 June 2027, 23:59 CEST" in page
    assert "Valter Nebuloni" in page and "+39 011 693 6432" in page
    assert "Sophie Ouine" in page and "s.ouine@itcilo.org" in page
    assert "Primarily addressed to" in page and "Also open to" in page
    assert "Local politicians and senior government staff" in page
    assert "National and regional development banks" in page
    assert "Women are strongly encouraged" in page
    assert 'id="apply"' in page


def test_the_timetable_runs_day_by_day_in_the_activity_timezone(client, demo):
    page = text_of(client.get("/activities/multi-stakeholder-partnerships-2027"))
    for day in ["Monday 12 July 2027", "Tuesday 13 July 2027", "Friday 16 July 2027"]:
        assert day in page
    # 09:00 in Turin is 07:00 UTC in July; the page shows the local time.
    assert "09:00\u201312:30" in page
    assert "07:00\u2013" not in page
    assert "Negotiating a local partnership: a simulation" in page


def test_the_2009_edition_stays_readable_and_says_it_is_closed(client, demo):
    page = text_of(client.get("/activities/multi-stakeholder-partnerships-2009"))
    assert "13\u201317 July 2009" in page
    assert "15 June 2009, 23:59 CEST" in page
    assert "The call for applications is closed" in page
    assert 'id="apply"' not in page


def test_an_online_activity_shows_times_in_several_zones(client, demo):
    page = text_of(client.get("/activities/platform-workers-webinar-2018-06-12"))
    assert "Tuesday 12 June 2018" in page
    assert "13:00\u201314:30" in page  # UTC
    assert "15:00\u201316:30" in page  # Rome
    assert "18:30\u201320:00" in page  # Kolkata
    assert "20:00\u201321:30" in page  # Bangkok
    assert "Participation is free of charge" in page
    assert "Your time" in page  # filled in by the browser


def test_a_long_activity_page_opens_with_a_contents_list_of_its_sections(client, demo):
    page = text_of(client.get("/activities/multi-stakeholder-partnerships-2027"))
    contents = re.search(r'<nav class="contents".*?</nav>', page, re.S)
    assert contents, "the long workshop page has no contents list"
    anchors = re.findall(r'<a href="#([a-z]+)">', contents.group(0))
    assert anchors[:2] == ["background", "objectives"] and "timetable" in anchors
    assert all(f'id="{anchor}"' in page for anchor in anchors)  # every link lands somewhere


def test_a_short_activity_page_has_no_contents_list(client, make_activity):
    make_activity(slug="short-one", title="A short one")
    assert 'class="contents"' not in text_of(client.get("/activities/short-one"))


def test_unknown_activities_get_a_readable_404(client, demo):
    response = client.get("/activities/no-such-activity")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_draft_activities_are_not_public(client, make_activity):
    make_activity(slug="secret-draft", status=ActivityStatus.DRAFT, title="Not yet announced")
    response = client.get("/activities/secret-draft")
    assert response.status_code == 404
    assert "Not yet announced" not in response.get_data(as_text=True)


def test_applications_not_yet_open_say_when_they_open(client, make_activity):
    now = utcnow()
    make_activity(
        slug="soon",
        opens_at=now + timedelta(days=3),
        deadline_at=now + timedelta(days=30),
        starts_at=now + timedelta(days=60),
    )
    page = text_of(client.get("/activities/soon"))
    assert "Applications open on" in page
    assert 'id="apply"' not in page


def test_text_from_the_database_is_escaped(client, make_activity, factories):
    activity = make_activity(
        slug="xss",
        title="<script>alert(1)</script>",
        summary="<b>bold</b>",
        kind=ActivityKind.WEBINAR,
    )
    factories.contact(activity, name="</li><img src=x onerror=alert(1)>")
    page = text_of(client.get("/activities/xss"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_every_response_carries_a_request_id(client, db):
    response = client.get("/")
    assert len(response.headers["X-Request-ID"]) >= 8
    given = client.get("/", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    odd = client.get("/", headers={"X-Request-ID": "<script>" + "x" * 100})
    assert odd.headers["X-Request-ID"].isalnum()
