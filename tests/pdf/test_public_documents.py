"""The public programme download and the certificate verification page."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from eventreg.demo import load_demo
from eventreg.models import ApplicationStatus
from eventreg.services.certificates import issue_certificates, revoke_certificate

from .conftest import pdf_pages, pdf_text

MODULES = [
    "Pro-poor partnerships",
    "Social dialogue and partnership",
    "An enabling environment",
    "Employment and labour issues in partnership arrangements",
    "Contracting, performance monitoring and impact assessment",
    "Orientations for future work",
]


@pytest.fixture
def demo(db, app):
    load_demo(app.instance_path, now=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    db.session.commit()


def test_the_reference_programme_downloads_as_a_brochure(client, demo):
    response = client.get("/activities/multi-stakeholder-partnerships-2009/programme.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="A901357-programme.pdf"' in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    text = "\n".join(pages)
    for number, title in enumerate(MODULES, start=1):
        assert f"Module {number}: {title}" in text
    assert "A901357" in text and "13–17 July 2009" in text
    assert "Primarily addressed to" in text and "Also open to" in text
    assert "Tuition" in text and "EUR 1,040" in text and "EUR 960" in text and "EUR 2,000" in text
    assert "Not included" in text and "Cost-sharing" in text
    assert "15 June 2009, 23:59 CEST" in text
    assert "Valter Nebuloni" in text and "s.ouine@itcilo.org" in text
    assert "Monday 13 July 2009" in text and "09:00–09:45" in text  # Rome time, not UTC
    assert "Contents" in pages[0]  # a long programme gets a table of contents
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert all("Multi-stakeholder partnerships" in page for page in pages[1:])  # running header


def test_an_unchanged_programme_is_served_from_the_cache(
    app, client, db, make_activity, monkeypatch, tmp_path
):
    import eventreg.pdf.programme as programme

    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path))
    activity = make_activity(title="Cached programme")
    db.session.commit()
    url = f"/activities/{activity.slug}/programme.pdf"
    first = client.get(url)
    assert first.status_code == 200
    assert len(list((tmp_path / "cache" / "programmes").glob("*.pdf"))) == 1

    def no_layout(*args, **kwargs):
        raise AssertionError("laid out again")

    monkeypatch.setattr(programme, "layout", no_layout)
    assert client.get(url).data == first.data

    activity.title = "Changed programme"
    db.session.commit()
    monkeypatch.undo()
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path))
    assert "Changed programme" in pdf_text(client.get(url).data)


def test_a_draft_has_no_programme(client, demo):
    assert (
        client.get("/activities/water-cooperatives-exchange-2027/programme.pdf").status_code == 404
    )
    assert client.get("/activities/no-such-activity/programme.pdf").status_code == 404


def test_the_activity_page_links_to_the_programme(client, demo):
    page = client.get("/activities/multi-stakeholder-partnerships-2027").text
    assert "Download the programme (PDF)" in page
    assert "/activities/multi-stakeholder-partnerships-2027/programme.pdf" in page


def test_a_short_programme_has_no_contents_and_prints_on_letter_paper(db, make_activity):
    from eventreg.pdf import programme_pdf

    activity = make_activity(paper_size="Letter", title="A short webinar")
    data = programme_pdf(activity)
    assert "Contents" not in pdf_text(data)
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


@pytest.fixture
def certified(db, make_activity, make_application, move_clock):
    activity = make_activity(title="Occupational safety and health", certificate_threshold=0)
    move_clock(activity.ends_at)
    application = make_application(
        activity,
        status=ApplicationStatus.ATTENDED,
        given_names="Ngozi",
        family_name="Okonkwo",
        email="ngozi.private@example.net",
        phone="+234 803 555 0101",
    )
    (certificate,) = issue_certificates(activity, by=None)
    db.session.commit()
    return certificate, application


def test_a_real_code_verifies_without_leaking_contact_details(client, certified):
    certificate, application = certified
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 200
    page = response.text
    assert "This certificate is valid" in page
    assert "Ngozi Okonkwo" in page
    assert "Occupational safety and health" in page
    assert application.activity.reference in page
    assert "ngozi.private@example.net" not in page and "803 555" not in page
    assert 'name="robots" content="noindex"' in page


def test_the_form_finds_a_code_however_it_is_typed(client, certified):
    certificate, _ = certified
    typed = certificate.code.lower().replace("-", " ")
    response = client.get("/verify", query_string={"code": typed})
    assert response.headers["Location"].endswith(f"/verify/{certificate.code}")
    assert "Certificate code" in client.get("/verify").text


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN-PQRS", "not-a-code"])
def test_an_unknown_code_says_so(client, certified, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "No certificate has the code" in response.text
    assert "Ngozi" not in response.text


def test_a_revoked_certificate_says_so_with_the_reason(db, client, certified):
    certificate, application = certified
    revoke_certificate(certificate, reason="Issued to the wrong person", by=None)
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").text
    assert "This certificate was revoked" in page
    assert "Issued to the wrong person" in page
    assert "is valid" not in page
    assert "ngozi.private@example.net" not in page and "803 555" not in page


def test_the_verification_page_escapes_what_it_shows(db, client, certified):
    certificate, application = certified
    application.family_name = "<script>alert(1)</script>"
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("language", "words", "english"),
    [
        (
            "fr",
            ["Contexte", "Public cible", "Emploi du temps", "Coût et financement", "Inscription"],
            ["Background", "Target audience", "Timetable", "Cost and financing", "Registration"],
        ),
        (
            "es",
            ["Antecedentes", "Público destinatario", "Horario", "Costo y financiación"],
            ["Background", "Target audience", "Timetable", "Cost and financing", "Registration"],
        ),
    ],
)
def test_the_programme_is_printed_in_the_readers_language(client, demo, language, words, english):
    """A French or Spanish reader downloads the brochure with its headings, facts and
    closing words in their language (the activity's own texts follow its translations)."""
    response = client.get(
        f"/activities/multi-stakeholder-partnerships-2009/programme.pdf?lang={language}",
        follow_redirects=True,
    )
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    assert [word for word in words if word not in text] == []
    assert [word for word in english if word in text] == []
