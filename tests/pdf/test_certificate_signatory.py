"""The certificate as the organisation shapes it: its signatory, signature, logo, the
issue date, and hours as a reader says them."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from pypdf import PdfReader

from eventreg.extensions import db
from eventreg.formatting import hours_and_minutes
from eventreg.models import OrganisationSettings
from eventreg.pdf import certificate_pdf
from eventreg.pdf.certificates import duration
from eventreg.services.certificates import issue_certificates
from eventreg.services.organisation import update_organisation

from .conftest import pdf_text


def picture(kind: str, colour: str, size: tuple[int, int] = (120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def images_drawn(data: bytes) -> list[tuple[int, int]]:
    """The size in pixels of every image the certificate page draws (pypdf XObjects)."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    return [image.image.size for image in page.images]


def test_the_certificate_shows_the_organisations_signatory_issue_date_and_logo(
    workshop, participant, make_staff
):
    workshop.certificate_signatories = []  # the activity names nobody: the organisation signs
    admin = make_staff()
    update_organisation(
        {
            "name": "Turin Training Centre",
            "signatory_name": "Giulia Ferraris",
            "signatory_title": "Director of Training",
        },
        logo=picture("PNG", "navy", (321, 87)),
        signature=picture("JPEG", "white", (240, 80)),
        by=admin,
    )
    person = participant(workshop, given_names="Amina", family_name="Diallo")
    (certificate,) = issue_certificates(workshop, by=None)
    issued = certificate.issued_at.astimezone(workshop.zone).date()

    data = certificate_pdf(certificate)
    text = pdf_text(data)
    assert person.full_name in text
    assert "Giulia Ferraris" in text and "Director of Training" in text
    assert f"Issued on {issued.day} {issued:%B %Y}" in text
    assert "Turin Training Centre" in text
    sizes = images_drawn(data)
    assert (321, 87) in sizes, sizes  # the logo, as uploaded
    assert (240, 80) in sizes, sizes  # the signature


def test_the_activitys_own_signatories_still_win(workshop, participant, make_staff):
    update_organisation({"signatory_name": "Giulia Ferraris"}, by=make_staff())
    participant(workshop)
    (certificate,) = issue_certificates(workshop, by=None)
    text = pdf_text(certificate_pdf(certificate))
    assert "Director of training" in text and "Giulia Ferraris" not in text


def test_without_settings_the_certificate_is_signed_for_the_configured_organiser(
    workshop, participant, app
):
    workshop.certificate_signatories = []
    participant(workshop)
    (certificate,) = issue_certificates(workshop, by=None)
    assert db.session.get(OrganisationSettings, 1) is None
    text = pdf_text(certificate_pdf(certificate))
    assert f"for {app.config['ORGANISER_NAME']}" in text


def test_hours_read_as_hours_and_minutes_never_as_decimals(app, workshop):
    with app.test_request_context():
        assert hours_and_minutes(31 * 60) == "31 hours"
        assert hours_and_minutes(31 * 60 + 15) == "31 hours 15 minutes"
        assert hours_and_minutes(60) == "1 hour"
        assert hours_and_minutes(45) == "45 minutes"
        # Five three-hour sessions and one of 1 h 15 min (fixture: three days).
        last = workshop.sessions[-1]
        extra = type(last)(
            title="Closing", starts_at=last.ends_at, ends_at=last.ends_at + timedelta(minutes=75)
        )
        workshop.sessions.append(extra)
        db.session.flush()
        assert duration(workshop).endswith("16 hours 15 minutes")
        assert "." not in duration(workshop)


def test_a_signed_certificate_with_a_long_title_and_name_still_fits_one_page(
    workshop, participant, make_staff
):
    workshop.certificate_signatories = []
    workshop.title = "Occupational safety and health in the informal economy: " * 2
    update_organisation(
        {"signatory_name": "Giulia Ferraris", "signatory_title": "Director of Training"},
        logo=picture("PNG", "navy", (300, 120)),
        signature=picture("PNG", "white", (300, 100)),
        by=make_staff(),
    )
    participant(workshop, given_names="Maria de los Ángeles", family_name="F" * 60)
    (certificate,) = issue_certificates(workshop, by=None)
    data = certificate_pdf(certificate)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert "Giulia Ferraris" in pdf_text(data)
