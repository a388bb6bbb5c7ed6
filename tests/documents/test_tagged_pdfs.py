"""Every kind of PDF is tagged (PDF/UA), says its language and has a title, emailed ones too."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from eventreg import jobs
from eventreg.models import Certificate, Role
from eventreg.pdf import certificates_zip
from eventreg.services import attendance, certificates

from ..conftest import csrf_token_from
from ..trainer.test_certificates_flow import finished_course  # noqa: F401 (a fixture)


def accessibility_of(data: bytes) -> dict[str, object]:
    """What a screen reader needs from a PDF, as pdfinfo would report it."""
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"].get_object()
    mark_info = catalog.get("/MarkInfo")
    return {
        "tagged": bool(mark_info and mark_info.get_object().get("/Marked"))
        and "/StructTreeRoot" in catalog,
        "lang": str(catalog.get("/Lang", "")),
        "title": str((reader.metadata or {}).get("/Title", "")),
        "pages": len(reader.pages),
    }


@pytest.fixture
def course(request):
    """Amina attended enough for a certificate (Binod did not)."""
    activity, amina, _binod = request.getfixturevalue("finished_course")
    return activity, amina


def test_every_pdf_kind_is_tagged_with_its_language_and_title(db, sign_in_as, client, course):
    activity, amina = course
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    [certificate] = certificates.issue_certificates(activity, by=None)
    db.session.commit()
    session = activity.sessions[0]
    documents = {
        "programme": client.get(f"/activities/{activity.slug}/programme.pdf"),
        "attendance sheet": manager.get(
            f"/staff/activities/{activity.id}/attendance-sheet.pdf?session={session.id}"
        ),
        "evaluation sheets": manager.get(f"/staff/activities/{activity.id}/evaluation-sheets.pdf"),
        "evaluation report": manager.get(f"/staff/activities/{activity.id}/evaluation.pdf"),
        "acceptance letter": manager.get(f"/staff/applications/{amina.id}/acceptance-letter.pdf"),
        "statement": manager.get(f"/staff/applications/{amina.id}/statement.pdf"),
        "certificate": manager.get(f"/staff/certificates/{certificate.id}.pdf"),
    }
    found = {}
    for kind, response in documents.items():
        assert response.status_code == 200, kind
        found[kind] = accessibility_of(response.data)
    untagged = {kind: facts for kind, facts in found.items() if not facts["tagged"]}
    assert untagged == {}
    assert {kind: facts["lang"] for kind, facts in found.items()} == dict.fromkeys(found, "en")
    assert all(facts["title"] for facts in found.values()), found
    assert "A901357" in found["programme"]["title"]
    assert found["acceptance letter"]["pages"] == 1


def test_an_emailed_certificate_is_tagged_and_no_larger_than_the_download(
    db, smtp, deliver, sign_in_as, course
):
    activity, amina = course
    assistant = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = assistant.get(f"/staff/activities/{activity.id}/certificates")
    assistant.post(
        f"/staff/activities/{activity.id}/certificates/issue",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert jobs.run_pending() == 1
    deliver()
    [mail] = smtp.to("amina@example.net")
    [attached] = [
        p for p in mail.message.iter_attachments() if p.get_content_type() == "application/pdf"
    ]
    emailed = attached.get_content()
    facts = accessibility_of(emailed)
    assert facts["tagged"] and facts["lang"] == "en" and facts["title"]
    certificate = db.session.query(Certificate).one()
    downloaded = assistant.get(f"/staff/certificates/{certificate.id}.pdf").data
    assert len(emailed) <= len(downloaded) * 1.05


def test_each_certificate_in_the_zip_is_tagged_with_its_own_title(db, course, make_application):
    activity, amina = course
    carmen = make_application(
        activity, given_names="Carmen", family_name="Quispe", status=amina.status
    )
    for session in activity.sessions:
        attendance.mark(carmen, session, present=True, by=None)
    certificates.issue_certificates(activity, by=None)
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(certificates_zip(activity)))
    found = {name: accessibility_of(archive.read(name)) for name in archive.namelist()}
    assert len(found) == 2  # Amina and Carmen
    for name, facts in found.items():
        assert facts["tagged"] and facts["lang"] == "en" and facts["pages"] == 1, name
        assert str(facts["title"]).startswith("Certificate "), name
    assert len({facts["title"] for facts in found.values()}) == len(found)
