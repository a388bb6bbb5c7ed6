"""QR self check-in: each confirmed participant's personal code, and the trainer's scan."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime, timedelta

import segno
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, Attendance, OutboxAttachment, Role
from eventreg.services import checkin

from ..conftest import csrf_token_from


def read_qr(png: bytes) -> str:
    """What a phone reads in a QR image."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert len(found) == 1
    return found[0].text


def today_session(factories, activity):  # type: ignore[no-untyped-def]
    return factories.session(activity, starts_at=datetime.now(UTC) - timedelta(minutes=5))


def test_confirming_sends_a_check_in_code_that_names_the_participant(
    client, make_activity, make_application
):
    activity = make_activity()
    application = make_application(activity, status=ApplicationStatus.ACCEPTED)
    database.session.commit()
    status = client.get(f"/my/{application.token}")
    assert "Your check-in code" not in status.text  # not before confirming
    client.post(
        f"/my/{application.token}/confirm", data={"csrf_token": csrf_token_from(status.text)}
    )
    attached = database.session.scalars(
        sa.select(OutboxAttachment).where(OutboxAttachment.filename == "check-in.png")
    ).one()
    code = read_qr(attached.content)
    assert checkin.application_for(code) == application
    assert application.token not in code  # the badge is not the private link
    page = client.get(f"/my/{application.token}")
    assert "Your check-in code" in page.text
    svg = page.text.split('src="data:image/svg+xml;base64,')[1].split('"')[0]
    assert b"<svg" in base64.b64decode(svg)


def test_a_scan_marks_the_participant_present_and_says_why_it_cannot(
    sign_in_as, factories, make_activity, make_application
):
    activity = make_activity(starts_at=datetime.now(UTC) - timedelta(hours=1))
    session = today_session(factories, activity)
    tomorrow = factories.session(activity, starts_at=datetime.now(UTC) + timedelta(days=1))
    amina = make_application(activity, given_names="Amina", status=ApplicationStatus.CONFIRMED)
    waiting = make_application(activity, status=ApplicationStatus.WAITLISTED)
    elsewhere = make_application(make_activity(), status=ApplicationStatus.CONFIRMED)
    trainer = sign_in_as(Role.TRAINER, activity)
    token = csrf_token_from(trainer.get(f"/trainer/sessions/{session.id}/scan").text)

    def scan(target, code):  # type: ignore[no-untyped-def]
        return trainer.post(
            f"/trainer/sessions/{target.id}/scan",
            data={"code": code},
            headers={"X-CSRFToken": token},
        )

    first = scan(session, checkin.code_for(amina))
    assert first.status_code == 200 and first.json["result"] == "present"
    assert first.json["message"] == f"{amina.full_name} is marked present."
    again = scan(session, checkin.code_for(amina))
    assert again.json["result"] == "already_present"
    assert scan(tomorrow, checkin.code_for(amina)).json["result"] == "wrong_day"
    assert scan(session, checkin.code_for(elsewhere)).json["result"] == "wrong_activity"
    assert scan(session, checkin.code_for(waiting)).json["result"] == "not_a_participant"
    assert scan(session, "eventreg-checkin:MQ.forged").json["result"] == "unknown"
    assert scan(session, "https://example.org/").json["result"] == "unknown"
    marks = database.session.execute(sa.select(Attendance.application_id, Attendance.session_id))
    assert sorted(marks) == [(amina.id, session.id)]


def test_a_camera_frame_is_read_on_the_server_when_the_browser_cannot(
    sign_in_as, factories, make_activity, make_application
):
    activity = make_activity(starts_at=datetime.now(UTC) - timedelta(hours=1))
    session = today_session(factories, activity)
    person = make_application(activity, status=ApplicationStatus.CONFIRMED)
    trainer = sign_in_as(Role.COURSE_ASSISTANT, activity)
    token = csrf_token_from(trainer.get(f"/trainer/sessions/{session.id}/scan").text)
    frame = io.BytesIO()
    photo = Image.new("L", (640, 480), 200)  # a grey room with the code held up in it
    code = io.BytesIO()
    segno.make(checkin.code_for(person), error="m").save(code, kind="png", scale=6, border=4)
    photo.paste(Image.open(code).convert("L"), (150, 60))
    photo.convert("RGB").save(frame, format="JPEG", quality=85)

    def send(data: bytes):  # type: ignore[no-untyped-def]
        return trainer.post(
            f"/trainer/sessions/{session.id}/scan",
            data={"frame": (io.BytesIO(data), "frame.jpg")},
            headers={"X-CSRFToken": token},
            content_type="multipart/form-data",
        )

    assert send(b"not an image").json["result"] == "nothing"
    blank = io.BytesIO()
    Image.new("RGB", (64, 48)).save(blank, format="JPEG")
    assert send(blank.getvalue()).json["result"] == "nothing"
    answer = send(frame.getvalue())
    assert answer.json["result"] == "present" and answer.json["head_count"] == 1


def test_only_this_page_may_use_the_camera(sign_in_as, factories, make_activity):
    activity = make_activity()
    session = today_session(factories, activity)
    trainer = sign_in_as(Role.TRAINER, activity)
    scan_page = trainer.get(f"/trainer/sessions/{session.id}/scan")
    assert "camera=(self)" in scan_page.headers["Permissions-Policy"]
    listing = trainer.get(f"/trainer/sessions/{session.id}")
    assert "camera=()" in listing.headers["Permissions-Policy"]
    assert f"/trainer/sessions/{session.id}/scan" in listing.text
