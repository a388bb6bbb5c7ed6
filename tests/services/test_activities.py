"""Managing activities: consistent details, publishing rules, next editions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventreg.models import ActivityStatus, AuditLog, CostShareGrant, FeeComponent, Role
from eventreg.services import activities as service
from eventreg.services.errors import DomainError


def base_values(**changes):
    starts = datetime(2027, 7, 12, 7, 0, tzinfo=UTC)
    values = {name: None for name in service.EDITABLE}
    values.update(
        reference="A927357",
        slug="partnerships-2027",
        kind="workshop",
        title="Partnerships",
        subtitle="",
        summary="Five days.",
        background="",
        objectives="",
        outcomes="",
        methodology="",
        evaluation_note="",
        audience_note="",
        languages=["en"],
        language_requirement="",
        venue="Turin",
        online_url=None,
        timezone="Europe/Rome",
        display_timezones=[],
        starts_at=starts,
        ends_at=starts + timedelta(days=4, hours=9),
        opens_at=starts - timedelta(days=200),
        deadline_at=starts - timedelta(days=27),
        capacity=30,
        currency="EUR",
        not_included="",
        costshare_offer="",
        costshare_budget=1_600_000,
        costshare_cap=8,
        certificate_threshold=80,
        organiser_name="",
        paper_size="A4",
        confirm_within_days=14,
        waitlist_auto_offer=False,
        evaluation_anonymous=True,
        evaluation_per_module=False,
    )
    values.update(changes)
    return values


def test_a_manager_creates_a_draft_and_becomes_its_manager(db, make_staff):
    manager = make_staff()
    activity = service.create_activity(base_values(), by=manager)
    assert activity.status == ActivityStatus.DRAFT
    assert manager.roles_for(activity.id) == {Role.ACTIVITY_MANAGER}
    assert db.session.query(AuditLog).filter_by(action="activity_created").count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"slug": "Not A Slug"}, "slug"),
        ({"reference": "has space"}, "reference"),
        ({"ends_at": datetime(2027, 7, 1, tzinfo=UTC)}, "ends_at"),
        ({"deadline_at": datetime(2027, 8, 1, tzinfo=UTC)}, "deadline_at"),
        ({"opens_at": datetime(2027, 7, 1, tzinfo=UTC)}, "opens_at"),
        ({"capacity": -1}, "capacity"),
        ({"certificate_threshold": 120}, "certificate_threshold"),
        ({"display_timezones": ["Mars/Olympus"]}, "display_timezones"),
    ],
)
def test_inconsistent_details_are_refused_with_their_field(db, make_staff, changes, field):
    with pytest.raises(DomainError) as refused:
        service.create_activity(base_values(**changes), by=make_staff())
    assert refused.value.field == field


def test_a_reference_already_used_is_refused(db, make_staff, make_activity):
    make_activity(reference="A927357")
    with pytest.raises(DomainError, match="already uses this reference"):
        service.create_activity(base_values(), by=make_staff())


def test_a_local_time_that_does_not_exist_is_refused():
    # Clocks in Rome jump from 02:00 to 03:00 on 28 March 2027.
    with pytest.raises(DomainError, match="does not exist"):
        service.local_to_utc(datetime(2027, 3, 28, 2, 30), "Europe/Rome", field="starts_at")
    assert (
        service.local_to_utc(datetime(2027, 7, 12, 9, 0), "Europe/Rome", field="starts_at").hour
        == 7
    )


def test_publishing_needs_what_an_applicant_reads(db, make_staff, factories):
    manager = make_staff()
    activity = service.create_activity(base_values(summary=""), by=manager)
    with pytest.raises(DomainError, match="a summary, at least one contact"):
        service.change_status(activity, ActivityStatus.PUBLISHED, by=manager)
    activity.summary = "Five days."
    factories.contact(activity)
    service.change_status(activity, ActivityStatus.PUBLISHED, by=manager)
    assert activity.status == ActivityStatus.PUBLISHED


def test_statuses_follow_their_order(db, make_staff, make_activity):
    activity = make_activity(status=ActivityStatus.ARCHIVED)
    with pytest.raises(DomainError, match="cannot become published"):
        service.change_status(activity, ActivityStatus.PUBLISHED, by=make_staff())


def test_capacity_cannot_drop_below_the_places_taken(
    db, make_staff, make_activity, make_application
):
    activity = make_activity(capacity=30)
    for _ in range(3):
        make_application(activity, status="accepted")
    values = base_values(reference=activity.reference, slug=activity.slug, capacity=2)
    with pytest.raises(DomainError, match="3 places are already taken"):
        service.update_activity(activity, values, by=make_staff())


def test_raising_the_capacity_offers_the_new_places_to_the_waiting_list_in_order(
    db, make_staff, make_activity, make_application
):
    activity = make_activity(capacity=1, waitlist_auto_offer=True)
    make_application(activity, status="accepted")
    first = make_application(
        activity, status="waitlisted", waitlisted_at=datetime(2031, 1, 1, tzinfo=UTC)
    )
    second = make_application(
        activity, status="waitlisted", waitlisted_at=datetime(2031, 1, 2, tzinfo=UTC)
    )
    third = make_application(
        activity, status="waitlisted", waitlisted_at=datetime(2031, 1, 3, tzinfo=UTC)
    )
    values = base_values(reference=activity.reference, slug=activity.slug, capacity=3)
    values["waitlist_auto_offer"] = True
    service.update_activity(activity, values, by=make_staff())
    assert [str(a.status) for a in (first, second, third)] == [
        "accepted",
        "accepted",
        "waitlisted",
    ]


def test_next_edition_copies_the_programme_and_moves_every_date(db, make_staff, factories):
    manager = make_staff()
    source = service.create_activity(base_values(), by=manager)
    module = factories.module(source, title="Pro-poor partnerships")
    factories.session(source, title="Opening", module_id=module.id)
    factories.contact(source)
    source.fee_components = [FeeComponent(name="Tuition", amount=104_000)]
    edition = service.suggest_next_edition(source)
    assert edition.slug == "partnerships-2028"
    copy = service.duplicate_activity(source, edition, by=manager)
    shift = copy.starts_at - source.starts_at
    assert shift == timedelta(weeks=52)
    assert (
        copy.starts_at.astimezone(copy.zone).weekday()
        == source.starts_at.astimezone(source.zone).weekday()
    )
    assert copy.deadline_at - source.deadline_at == shift
    assert [m.title for m in copy.modules] == ["Pro-poor partnerships"]
    assert copy.sessions[0].starts_at - source.sessions[0].starts_at == shift
    assert copy.sessions[0].module.id == copy.modules[0].id
    assert [f.amount for f in copy.fee_components] == [104_000]
    assert copy.status == ActivityStatus.DRAFT
    assert manager.roles_for(copy.id) == {Role.ACTIVITY_MANAGER}


def test_a_fee_component_with_grants_keeps_its_floor(
    db, make_staff, make_activity, make_application
):
    activity = make_activity(fees=(96_000,))
    component = activity.fee_components[0]
    application = make_application(activity)
    db.session.add(
        CostShareGrant(application_id=application.id, fee_component_id=component.id, amount=50_000)
    )
    db.session.flush()
    manager = make_staff()
    with pytest.raises(DomainError, match="larger than that amount"):
        service.save_part(
            activity,
            component,
            {"name": "Subsistence", "amount": 40_000, "covers": "", "position": 1},
            by=manager,
        )
    with pytest.raises(DomainError, match="cannot be removed"):
        service.delete_part(activity, component, by=manager)


def test_a_photo_shared_with_the_next_edition_stays_until_no_edition_shows_it(
    db, make_staff, app, tmp_path, monkeypatch
):
    """The next edition shares its people's photos with the first: changing the photo on
    one edition leaves the other's, and deleting the last person who shows it removes it."""
    from eventreg import files
    from eventreg.models import ProgrammePerson, ProgrammeRole
    from eventreg.services import programme

    from ..backoffice.test_programme_people import picture

    monkeypatch.setitem(app.config, "FILE_STORE", "folder")
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "files"))
    manager = make_staff()
    source = service.create_activity(base_values(), by=manager)
    person = programme.save_person(
        source,
        ProgrammePerson(),
        {"name": "Hélène Marchetti", "role": ProgrammeRole.MODERATOR},
        photo=picture(),
        remove_photo=False,
        by=manager,
    )
    db.session.commit()
    shared = person.photo_path
    copy = service.duplicate_activity(source, service.suggest_next_edition(source), by=manager)
    db.session.commit()
    [copied] = copy.people
    assert copied.photo_path == shared

    programme.save_person(
        copy, copied, {"name": copied.name}, photo=picture("JPEG"), remove_photo=False, by=manager
    )
    db.session.commit()
    assert files.store().read(shared) == picture()  # the first edition still shows it
    replaced = copied.photo_path
    service.delete_part(copy, copied, by=manager)
    service.delete_part(source, person, by=manager)
    db.session.commit()
    for gone in (shared, replaced):
        with pytest.raises(files.MissingFile):
            files.store().read(gone)
