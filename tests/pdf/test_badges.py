"""Badges: each participant's name, organisation and a check-in code that scans as theirs."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image
from pypdf import PdfReader

from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, Role
from eventreg.services import checkin

from .conftest import pdf_text


def test_badges_carry_each_participants_name_organisation_and_own_code(
    sign_in_as, make_activity, make_application
):
    activity = make_activity(title="Multi-stakeholder partnerships")
    people = [
        make_application(
            activity,
            given_names="Amina",
            family_name="Diallo",
            organisation="City Council of Dakar",
            country="SN",
            status=ApplicationStatus.CONFIRMED,
        ),
        make_application(
            activity,
            given_names="Ravi",
            family_name="Sharma",
            organisation="Union <b>of</b> Workers",
            status=ApplicationStatus.CONFIRMED,
        ),
    ]
    make_application(activity, family_name="Waiting", status=ApplicationStatus.WAITLISTED)
    database.session.commit()
    trainer = sign_in_as(Role.TRAINER, activity)
    answer = trainer.get(f"/staff/activities/{activity.id}/badges.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = pdf_text(answer.data)
    assert "Diallo" in text and "City Council of Dakar" in text and "Senegal" in text
    assert "Union <b>of</b> Workers" in text  # printed as typed, not as markup
    assert "Waiting" not in text
    scanned = []
    for page in PdfReader(io.BytesIO(answer.data)).pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            # Printed small; a phone sees it bigger: enlarge as a camera would.
            picture = picture.resize((picture.width * 4, picture.height * 4), Image.NEAREST)
            scanned += [found.text for found in zxingcpp.read_barcodes(picture)]
    assert sorted(checkin.application_for(code).id for code in scanned) == sorted(
        person.id for person in people
    )
