"""The people on the programme and the partners: kept by the activity's managers, shown on
the public page and in the programme PDF, a facilitator linked to a trainer account."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from pypdf import PdfReader

from eventreg import files
from eventreg.demo import load_demo
from eventreg.extensions import db as database
from eventreg.models import (
    Activity,
    ActivityKind,
    ActivitySession,
    ActivityStatus,
    AuditLog,
    Partner,
    ProgrammePerson,
    ProgrammeRole,
    Role,
    StaffUser,
)
from eventreg.services import programme

from ..conftest import csrf_token_from
from .conftest import fresh


def picture(kind: str = "PNG", size: tuple[int, int] = (60, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, kind)
    return out.getvalue()


def send_person(client, activity, *, part_id=None, **fields):  # type: ignore[no-untyped-def]
    """Fill the person form as a manager would (with a file when `photo` is given)."""
    url = f"/staff/activities/{activity.id}/people/" + (str(part_id) if part_id else "")
    page = client.get(url)
    assert page.status_code == 200, page.text
    data = dict(name="", organisation="", role="panelist", bio="", staff_user_id="0", position="1")
    data.update(fields)
    if "photo" in data:
        data["photo"] = (io.BytesIO(data["photo"]), "face.png")
    data["csrf_token"] = csrf_token_from(page.text)
    return client.post(url, data=data, content_type="multipart/form-data")


def people_of(activity: Activity) -> list[ProgrammePerson]:
    fresh()
    return list(
        database.session.scalars(
            sa.select(ProgrammePerson).where(ProgrammePerson.activity_id == activity.id)
        )
    )


def test_a_manager_adds_a_panelist_with_a_photo_that_the_public_page_shows(
    client, workshop, sign_in_as
):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    overview = manager.get(f"/staff/activities/{workshop.id}").text
    assert f'href="/staff/activities/{workshop.id}/people/"' in overview
    empty = manager.get(f"/staff/activities/{workshop.id}/people/").text
    assert "No one yet: add the speakers, panelists and facilitators" in empty

    saved = send_person(
        manager,
        workshop,
        name="Ana Lúcia Ferreira",
        organisation="Works council, Recife",
        bio="Maintenance technician <b>elected</b> to the works council.",
        photo=picture(),
    )

    assert saved.headers["Location"].endswith(f"/staff/activities/{workshop.id}/people/")
    [person] = people_of(workshop)
    assert person.role == ProgrammeRole.PANELIST and person.photo_path
    page = client.get(f"/activities/{workshop.slug}").text
    assert "People on the programme" in page
    assert "Ana Lúcia Ferreira" in page and "Panelist, Works council, Recife" in page
    assert "&lt;b&gt;elected&lt;/b&gt;" in page  # the bio is text, never markup
    photo_url = f"/activities/{workshop.slug}/people/{person.id}/photo"
    assert f'src="{photo_url}"' in page
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    assert photo.data == picture()
    assert database.session.scalar(
        sa.select(sa.func.count()).where(AuditLog.action == "programmeperson_saved")
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 a CV, not a face", "not a PNG or JPEG picture"),
        (b"\xff\xd8\xff" + b"x" * (10 * 1024), "larger than 10 KB"),
    ],
)
def test_a_photo_that_is_not_a_small_picture_is_refused_and_nothing_is_saved(
    workshop, sign_in_as, monkeypatch, content, message
):
    # The limit is 2 MB; a smaller one here keeps the upload in memory in the test client.
    monkeypatch.setattr(programme, "PHOTO_MAX_BYTES", 10 * 1024)
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)

    refused = send_person(manager, workshop, name="Joseph Otieno Mwangi", photo=content)

    assert message in refused.text
    assert people_of(workshop) == []


def test_a_photo_can_be_removed_and_a_draft_hides_its_photos(client, workshop, sign_in_as):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    send_person(manager, workshop, name="Rahul Deshmukh", photo=picture("JPEG"))
    [person] = people_of(workshop)
    photo_url = f"/activities/{workshop.slug}/people/{person.id}/photo"
    assert client.get(photo_url).mimetype == "image/jpeg"

    workshop.status = ActivityStatus.DRAFT
    database.session.commit()
    assert client.get(photo_url).status_code == 404

    edit = manager.get(f"/staff/activities/{workshop.id}/people/{person.id}").text
    assert "Remove the photo" in edit
    first = person.photo_path
    send_person(manager, workshop, part_id=person.id, name="Rahul Deshmukh", photo=picture())
    second = people_of(workshop)[0].photo_path
    assert second != first
    send_person(manager, workshop, part_id=person.id, name="Rahul Deshmukh", remove_photo="y")
    assert people_of(workshop)[0].photo_path is None
    # Neither the replaced photo nor the removed one is left in the store.
    for gone in (first, second):
        with pytest.raises(files.MissingFile):
            files.store().read(gone)


def test_only_a_trainer_of_the_activity_can_be_linked_to_a_facilitator(
    client, workshop, sign_in_as, make_staff, make_activity
):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    trainer = make_staff(Role.TRAINER, workshop, name="Tomás Trainer")
    elsewhere = make_staff(Role.TRAINER, make_activity(), name="Trainer Elsewhere")
    database.session.commit()
    form = manager.get(f"/staff/activities/{workshop.id}/people/").text
    assert "Tomás Trainer" in form and "Trainer Elsewhere" not in form

    refused = send_person(
        manager, workshop, name="X", role="facilitator", staff_user_id=str(elsewhere.id)
    )
    assert "Only a trainer of this activity can be linked" in refused.text
    assert people_of(workshop) == []

    send_person(
        manager, workshop, name="Tomás Trainer", role="facilitator", staff_user_id=str(trainer.id)
    )
    [person] = people_of(workshop)
    assert person.staff_user_id == trainer.id
    listing = manager.get(f"/staff/activities/{workshop.id}/people/").text
    assert listing.count("Tomás Trainer") >= 2  # the person, and the account linked to them

    # The public timetable names the facilitator of the sessions their account trains.
    starts = workshop.starts_at + timedelta(hours=1)
    database.session.add_all(
        [
            ActivitySession(
                activity_id=workshop.id,
                title="Risk mapping",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                trainers=[database.session.get(StaffUser, trainer.id)],
            ),
            ActivitySession(
                activity_id=workshop.id,
                title="Field visit",
                starts_at=starts + timedelta(days=1),
                ends_at=starts + timedelta(days=1, hours=2),
                trainers=[database.session.get(StaffUser, elsewhere.id)],
            ),
        ]
    )
    database.session.commit()
    page = client.get(f"/activities/{workshop.slug}").text
    assert page.count("With Tomás Trainer") == 1
    assert "Trainer Elsewhere" not in page  # a trainer not on the programme is not named


def test_partners_are_kept_and_only_web_addresses_are_linked(client, workshop, sign_in_as):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    url = f"/staff/activities/{workshop.id}/partners/"

    def send(**fields: str):  # type: ignore[no-untyped-def]
        token = csrf_token_from(manager.get(url).text)
        return manager.post(url, data={"position": "1", **fields, "csrf_token": token})

    refused = send(name="Trick", url="javascript://x.org/%0aalert(1)")
    assert "Give an address starting with https://." in refused.text
    send(name="Water Workers' Network", part="Federation", url="https://wwn.example.org")

    fresh()
    [partner] = database.session.scalars(sa.select(Partner)).all()
    assert partner.name == "Water Workers' Network"
    page = client.get(f"/activities/{workshop.slug}").text
    assert 'href="https://wwn.example.org"' in page and "Federation" in page
    assert "javascript" not in page


@pytest.mark.parametrize("role", [Role.COURSE_ASSISTANT, Role.TRAINER])
def test_only_the_activitys_managers_change_its_people_and_partners(
    workshop, make_activity, sign_in_as, role
):
    someone = sign_in_as(role, workshop)
    other_manager = sign_in_as(Role.ACTIVITY_MANAGER, make_activity())
    for kind in ("people", "partners"):
        assert someone.get(f"/staff/activities/{workshop.id}/{kind}/").status_code == 403
        assert other_manager.get(f"/staff/activities/{workshop.id}/{kind}/").status_code == 403


def test_the_demo_congress_session_shows_its_panel_and_partners_in_the_programme_pdf(
    app, db, client
):
    load_demo(app.instance_path, now=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    db.session.commit()
    congress = db.session.scalar(
        sa.select(Activity).where(Activity.kind == ActivityKind.CONGRESS_SESSION)
    )
    assert congress.title == "Worker participation strengthens water utilities at the roots"
    assert len(congress.objectives.splitlines()) == 3
    roles = [person.role for person in congress.people]
    assert roles.count(ProgrammeRole.PANELIST) == 4 and ProgrammeRole.MODERATOR in roles
    assert len(congress.partners) == 3

    page = client.get(f"/activities/{congress.slug}").text
    assert "Marisol Quispe Mamani" in page and "Citizens for Water Justice" in page

    pdf = client.get(f"/activities/{congress.slug}/programme.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "People on the programme" in text
    assert "Joseph Otieno Mwangi" in text and "Panelist" in text
    assert "Water Workers' Network" in text and "Partners" in text

    tot = db.session.scalar(
        sa.select(Activity).where(Activity.kind == ActivityKind.TRAINING_OF_TRAINERS)
    )
    assert tot.people[0].staff_user is not None
    assert tot.people[0].staff_user.email == "trainer@example.org"


def test_a_photo_is_printed_in_the_programme_pdf(client, workshop, sign_in_as):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, workshop)
    send_person(manager, workshop, name="Hélène Marchetti", role="moderator", photo=picture())

    pdf = client.get(f"/activities/{workshop.slug}/programme.pdf")

    reader = PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Hélène Marchetti" in text and "Moderator" in text
    assert sum(len(page.images) for page in reader.pages) >= 1
