"""Certificate PDFs: one, a merged batch, a ZIP of files; names in every script."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from pypdf import PdfReader

from eventreg.pdf import certificate_pdf, certificates_merged, certificates_zip
from eventreg.pdf.certificates import (
    NoCertificates,
    _certificate_document,
    name_size,
    qr_data_uri,
)
from eventreg.services.certificates import (
    CertificateRevoked,
    issue_certificates,
    issued_certificates,
    revoke_certificate,
)

from .conftest import embedded_fonts, pdf_pages, pdf_text, uncovered


def test_a_certificate_names_the_person_activity_dates_signatories_and_code(workshop, participant):
    person = participant(workshop, given_names="Amina", family_name="Diallo")
    (certificate,) = issue_certificates(workshop, by=None)
    pages = pdf_pages(certificate_pdf(certificate))
    assert len(pages) == 1
    text = pages[0]
    assert person.full_name in text
    assert "Certificate of participation" in text
    assert "Multi-stakeholder partnerships" in text
    assert workshop.reference in text
    assert "Valter Nebuloni" in text and "Director of training" in text
    assert certificate.code in text
    assert "http://localhost/verify" in text


def test_the_qr_code_is_an_inline_png_of_the_verification_address():
    uri = qr_data_uri("http://localhost/verify/ABCD-EFGH-JKMN-PQRS")
    assert uri.startswith("data:image/png;base64,")


def test_three_certificates_merge_into_three_pages_in_name_order(workshop, participant):
    for family in ("Zapata", "Abebe", "Moreau"):
        participant(workshop, family_name=family)
    issue_certificates(workshop, by=None)
    progress: list[tuple[int, int]] = []
    pages = pdf_pages(certificates_merged(workshop, progress=lambda *a: progress.append(a)))
    assert len(pages) == 3
    assert ["Abebe" in pages[0], "Moreau" in pages[1], "Zapata" in pages[2]] == [True] * 3
    assert progress[-1] == (3, 3)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_the_zip_holds_one_single_page_file_per_certificate(workshop, participant):
    people = [participant(workshop, family_name=f) for f in ("Núñez", "Okafor", "Lindqvist")]
    issue_certificates(workshop, by=None)
    progress: list[tuple[int, int]] = []
    archive = zipfile.ZipFile(
        io.BytesIO(certificates_zip(workshop, progress=lambda *a: progress.append(a)))
    )
    names = sorted(archive.namelist())
    assert len(names) == 3
    assert any(name.endswith("-nunez.pdf") for name in names)
    for person in people:
        (name,) = [n for n in names if n.startswith(f"{workshop.reference}-{person.number:04d}")]
        data = archive.read(name)
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        assert person.full_name in reader.pages[0].extract_text()
        assert reader.metadata.title == f"Certificate {person.full_name}"
        # Each file carries its own QR image only, not the whole batch's.
        xobjects = reader.pages[0]["/Resources"].get("/XObject", {})
        assert len(xobjects) == 1
    assert progress[-1] == (6, 6)


def test_a_batch_with_no_certificate_is_refused(workshop):
    with pytest.raises(NoCertificates):
        certificates_merged(workshop)
    with pytest.raises(NoCertificates):
        certificates_zip(workshop)


def test_revoked_certificates_are_left_out_and_refused(workshop, participant):
    participant(workshop, family_name="Kept")
    participant(workshop, family_name="Revoked")
    issue_certificates(workshop, by=None)
    revoked = next(
        c for c in issued_certificates(workshop) if c.application.family_name == "Revoked"
    )
    revoke_certificate(revoked, reason="Did not attend", by=None)
    text = pdf_text(certificates_merged(workshop))
    assert "Kept" in text and "Revoked" not in text
    with pytest.raises(CertificateRevoked):
        certificate_pdf(revoked)


NAMES = {
    "accents": ("Zoë", "Ñúñez-Çelik"),
    "cyrillic": ("Мария", "Иванова"),
    "greek": ("Ηλέκτρα", "Παπαδοπούλου"),
    "arabic": ("فاطمة", "الزهراء"),
    "devanagari": ("सुनीता", "देवी"),
    "cjk": ("明", "王"),
}


@pytest.mark.parametrize("script", list(NAMES))
def test_names_in_every_script_print_with_a_font_that_covers_them(workshop, participant, script):
    given, family = NAMES[script]
    participant(workshop, given_names=given, family_name=family)
    (certificate,) = issue_certificates(workshop, by=None)
    data = certificate_pdf(certificate)
    text = pdf_text(data)
    if script == "arabic":
        # Right-to-left text may come back in either order; each word comes back whole.
        assert given in text and family in text
        # Shaped Arabic uses joining forms, which a subset font's cmap does not list.
        assert any("Arabic" in font for font in embedded_fonts(data))
    else:
        assert f"{given} {family}" in text
        assert uncovered(data, given + family) == set()


def test_markup_in_a_name_prints_as_text(workshop, participant):
    participant(workshop, given_names="<b>Bold</b>", family_name="</div></section><p>x")
    (certificate,) = issue_certificates(workshop, by=None)
    text = pdf_text(certificate_pdf(certificate))
    assert "<b>Bold</b> </div></section><p>x" in text


def _name_box_fits(document: Any) -> bool:
    """Whether the laid-out name line is no wider than its paragraph."""

    def walk(box: Any) -> Any:
        if getattr(box, "element_tag", None) == "p" and "name" in (box.element.get("class") or ""):
            return box
        for child in getattr(box, "children", []):
            found = walk(child)
            if found is not None:
                return found
        return None

    paragraph = walk(document.pages[0]._page_box)
    assert paragraph is not None
    widest = max(line.width for line in paragraph.children)
    return widest <= paragraph.width + 0.5


@pytest.mark.parametrize(
    "name",
    [
        "Jo Li",
        "Maria Fernanda Gonçalves da Silva",
        "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff",
        "Maria de los Ángeles Fernández-Castellanos y Rodríguez de la Fuente",
        "欧阳 诸葛明远",
    ],
)
def test_long_names_are_sized_to_fit_on_the_page(app, workshop, participant, name):
    given, family = name.rsplit(" ", 1)
    participant(workshop, given_names=given, family_name=family)
    (certificate,) = issue_certificates(workshop, by=None)
    document = _certificate_document(workshop, [certificate], title="t")
    assert len(document.pages) == 1
    assert _name_box_fits(document)


def test_name_sizes_step_down_with_length():
    sizes = [name_size("x" * n) for n in (10, 30, 40, 60)]
    assert sizes == ["", "size-m", "size-s", "size-xs"]
    assert name_size("明" * 15) == "size-m"  # wide characters count double


def test_letter_paper_certificates_are_us_letter_landscape(workshop, participant):
    workshop.paper_size = "Letter"
    participant(workshop)
    (certificate,) = issue_certificates(workshop, by=None)
    page = PdfReader(io.BytesIO(certificate_pdf(certificate))).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (792, 612)


def test_a_logo_a_long_title_and_a_wrapped_name_still_fit_one_page(app, workshop, participant):
    from pathlib import Path

    from PIL import Image

    folder = Path(app.instance_path) / "test-certificate-logos"
    folder.mkdir(exist_ok=True)
    Image.new("RGB", (300, 120), "navy").save(folder / "logo.png")
    try:
        workshop.logo_path = "test-certificate-logos/logo.png"
        workshop.title = "Occupational safety and health in the informal economy: " * 2
        participant(workshop, given_names="Maria de los Ángeles", family_name="F" * 60)
        (certificate,) = issue_certificates(workshop, by=None)
        reader = PdfReader(io.BytesIO(certificate_pdf(certificate)))
        assert len(reader.pages) == 1
        assert len(reader.pages[0]["/Resources"]["/XObject"]) == 2  # the logo and the QR code
    finally:
        (folder / "logo.png").unlink()
        folder.rmdir()


def test_a_venue_typed_on_two_lines_prints_on_one(workshop, participant):
    workshop.venue = "Training centre\nKathmandu"
    participant(workshop)
    (certificate,) = issue_certificates(workshop, by=None)
    lines = pdf_text(certificate_pdf(certificate)).splitlines()
    assert "held at Training centre Kathmandu" in "\n".join(lines)
    # The code and the verification address stay on lines of their own.
    assert certificate.code in lines
