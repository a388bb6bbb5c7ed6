"""Activity managers build an activity in the back office, and only they can."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eventreg.models import Activity, ActivityStatus, FeeComponent, Role

from ..conftest import csrf_token_from


def form_data(**changes):
    data = {
        "reference": "A927357",
        "slug": "partnerships-2027",
        "kind": "workshop",
        "title": "Multi-stakeholder partnerships",
        "summary": "Five days in Turin.",
        "timezone": "Europe/Rome",
        "starts_at": "2027-07-12T09:00",
        "ends_at": "2027-07-16T18:00",
        "opens_at": "2026-11-01T00:00",
        "deadline_at": "2027-06-15T23:59",
        "languages": "en",
        "venue": "Turin (Italy)",
        "capacity": "30",
        "currency": "eur",
        "costshare_budget": "16,000",
        "certificate_threshold": "80",
        "paper_size": "A4",
        "confirm_within_days": "14",
        "evaluation_anonymous": "y",
    }
    data.update(changes)
    return data


def post_form(client, url, **data):
    page = client.get(url)
    assert page.status_code == 200, page.text
    return client.post(url, data={**data, "csrf_token": csrf_token_from(page.text)})


def test_a_manager_creates_an_activity_in_its_own_timezone(db, sign_in_as, make_activity):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, make_activity())
    response = post_form(manager, "/staff/activities/new", **form_data())
    assert "/staff/activities/" in response.headers["Location"]
    activity = db.session.scalar(sa.select(Activity).where(Activity.reference == "A927357"))
    assert activity.status == ActivityStatus.DRAFT
    assert activity.currency == "EUR"
    assert activity.costshare_budget == 1_600_000
    assert activity.deadline_at.isoformat() == "2027-06-15T21:59:00+00:00"  # 23:59 CEST


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(db, sign_in_as, make_activity):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, make_activity())
    response = post_form(
        manager,
        "/staff/activities/new",
        **form_data(costshare_budget="-5", ends_at="2027-07-01T09:00", capacity="many"),
    )
    assert response.status_code == 200
    assert "An amount cannot be negative." in response.text
    assert "Not a valid integer value." in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 1
    again = post_form(manager, "/staff/activities/new", **form_data(ends_at="2027-07-01T09:00"))
    assert "The activity must end after it starts." in again.text


def test_a_manager_adds_fees_contacts_and_publishes(db, sign_in_as, make_activity):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, make_activity())
    post_form(manager, "/staff/activities/new", **form_data())
    activity = db.session.scalar(sa.select(Activity).where(Activity.reference == "A927357"))
    base = f"/staff/activities/{activity.id}"
    post_form(manager, f"{base}/fees/", name="Tuition", amount="1,040", covers="Teaching")
    post_form(manager, f"{base}/fees/", name="Participant subsistence", amount="960.00")
    refused = post_form(manager, f"{base}/fees/", name="Refund", amount="abc")
    assert "Give an amount in figures" in refused.text
    post_form(
        manager,
        f"{base}/contacts/",
        role="Course assistant",
        name="Sophie Ouine",
        email="s.ouine@example.org",
    )
    post_form(manager, f"{base}/modules/", number="1", title="Pro-poor partnerships")
    session = post_form(
        manager,
        f"{base}/sessions/",
        title="Opening",
        module_id="0",
        kind="plenary",
        starts_at="2027-07-12T09:00",
        ends_at="2027-07-12T10:30",
    )
    assert f"{base}/sessions/" in session.headers["Location"]
    overview = manager.get(base)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', overview.text).group(1)
    manager.post(f"{base}/status", data={"csrf_token": token, "status": "published"})
    db.session.expire_all()
    activity = db.session.get(Activity, activity.id)
    assert activity.status == ActivityStatus.PUBLISHED
    assert activity.fee_total == 200_000
    assert activity.sessions[0].starts_at.isoformat() == "2027-07-12T07:00:00+00:00"
    public = manager.get("/activities/partnerships-2027")
    assert "EUR 2,000" in public.text and "Sophie Ouine" in public.text


def test_others_cannot_manage_an_activity(db, sign_in_as, make_activity):
    activity = make_activity()
    other = make_activity()
    for role in (Role.COURSE_ASSISTANT, Role.TRAINER):
        client = sign_in_as(role, activity)
        assert client.get(f"/staff/activities/{activity.id}/edit").status_code == 403
        assert client.get(f"/staff/activities/{activity.id}/fees/").status_code == 403
        assert client.get("/staff/activities/new").status_code == 403
    other_manager = sign_in_as(Role.ACTIVITY_MANAGER, other)
    assert other_manager.get(f"/staff/activities/{activity.id}/edit").status_code == 403
    page = other_manager.get(f"/staff/activities/{other.id}/fees/")
    forged = other_manager.post(
        f"/staff/activities/{activity.id}/fees/{activity.fee_components[0].id}/delete",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert forged.status_code == 403
    assert db.session.get(FeeComponent, activity.fee_components[0].id) is not None


def test_next_edition_from_the_back_office(db, sign_in_as, make_activity, factories):
    source = make_activity(reference="A901357", slug="partnerships-2026")
    factories.module(source, title="Pro-poor partnerships")
    manager = sign_in_as(Role.ACTIVITY_MANAGER, source)
    page = manager.get(f"/staff/activities/{source.id}/duplicate")
    assert "partnerships-20" in page.text
    response = manager.post(
        f"/staff/activities/{source.id}/duplicate",
        data={
            "reference": "A901357-NEXT",
            "slug": "partnerships-next",
            "starts_at": "2027-07-12T09:00",
            "csrf_token": csrf_token_from(page.text),
        },
    )
    copy = db.session.scalar(sa.select(Activity).where(Activity.reference == "A901357-NEXT"))
    assert response.headers["Location"].endswith(f"/staff/activities/{copy.id}")
    assert [m.title for m in copy.modules] == ["Pro-poor partnerships"]
