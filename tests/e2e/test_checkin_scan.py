"""The trainer's "Scan" page in Chromium, its camera fed from a video of a participant's QR
code (Chromium's fake camera): the participant is marked present."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import segno
import sqlalchemy as sa
from PIL import Image

from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, Attendance, Role
from eventreg.services import checkin

from ..conftest import PASSWORD
from .conftest import FLAGS, screenshot

WIDTH, HEIGHT = 640, 480


def write_y4m(path: Path, picture: Image.Image, frames: int = 10) -> None:
    """A short YUV 4:2:0 video (Y4M) showing the picture, as a camera would send it."""
    ycbcr = picture.convert("RGB").resize((WIDTH, HEIGHT)).convert("YCbCr")
    y, cb, cr = ycbcr.split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + planes)


def held_up(code: str) -> Image.Image:
    """The QR code held up in front of the camera: a large code on a light background."""
    picture = Image.new("RGB", (WIDTH, HEIGHT), (230, 230, 225))
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="png", scale=8, border=4)
    qr = Image.open(out).convert("RGB")
    picture.paste(qr, ((WIDTH - qr.width) // 2, (HEIGHT - qr.height) // 2))
    return picture


def test_the_trainer_scans_a_participant_with_the_phone_camera(
    served,
    db,
    browser,
    chromium_path,
    make_activity,
    factories,
    make_application,
    make_staff,
    tmp_path,
):
    now = datetime.now(UTC)
    activity = make_activity(starts_at=now - timedelta(hours=1))
    session = factories.session(
        activity, title="Opening plenary", starts_at=now - timedelta(minutes=10)
    )
    person = make_application(
        activity, given_names="Amina", family_name="Diallo", status=ApplicationStatus.CONFIRMED
    )
    trainer = make_staff(Role.TRAINER, activity)
    database.session.commit()
    video = tmp_path / "camera.y4m"
    write_y4m(video, held_up(checkin.code_for(person)))

    camera: Any = browser.browser_type.launch(
        executable_path=chromium_path,
        args=[
            *FLAGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{served.url}/staff/sign-in")
        page.get_by_label("Email").fill(trainer.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{served.url}/trainer/sessions/{session.id}")
        page.get_by_role("link", name="Scan QR codes at the door").click()
        page.get_by_role("button", name="Start the camera").click()
        answer = page.locator("#scan-answer")
        answer.filter(has_text="is marked present").wait_for(timeout=20_000)
        assert answer.inner_text() == "Amina Diallo is marked present."
        screenshot(page, "trainer-scan-390")
        assert errors == []
    finally:
        camera.close()
    database.session.expire_all()
    mark = database.session.scalars(sa.select(Attendance)).one()
    assert (mark.application_id, mark.session_id, mark.present) == (person.id, session.id, True)
