"""The applicant's PDFs are written in the application's language, whoever opens them:
read back with pypdf, the letter, the statement and the certificate are French or Spanish."""

from __future__ import annotations

import re
from datetime import timedelta

from eventreg.models import ApplicationStatus
from eventreg.services import certificates

from .test_documents import pdf_text

Status = ApplicationStatus


def test_a_french_applicants_letter_and_statement_are_in_french(
    db, client, make_activity, make_application
):
    activity = make_activity(title="Partenariats", venue="Turin (Italie)")
    awa = make_application(
        activity,
        given_names="Awa",
        family_name="Ndiaye",
        nationality="SN",
        status=Status.ACCEPTED,
        language="fr",
    )
    db.session.commit()
    # The browser asks for English: the letter is the applicant's, in her language.
    headers = {"Accept-Language": "en"}
    letter = pdf_text(client.get(f"/my/{awa.token}/acceptance-letter.pdf", headers=headers))
    assert "Lettre d’acceptation" in letter
    assert "Pour les besoins du visa et du parrain" in letter and "Sénégal" in letter
    assert "page 1 sur 1" in letter
    assert "For visa" not in letter and "Dear" not in letter
    statement = pdf_text(client.get(f"/my/{awa.token}/statement.pdf", headers=headers))
    assert "Relevé de compte" in statement and "Solde dû" in statement
    assert re.search(r"2\s000,00\s€", statement)  # French spaces (no-break) in amounts


def test_a_spanish_participants_certificate_is_in_spanish(
    db, client, make_activity, make_application, move_clock
):
    activity = make_activity(title="Seguridad y salud", certificate_threshold=0)
    sita = make_application(
        activity, given_names="Ana", family_name="Quispe", status=Status.CONFIRMED, language="es"
    )
    move_clock(activity.ends_at + timedelta(days=1))
    [certificate] = certificates.issue_certificates(activity, by=None)
    db.session.commit()
    text = pdf_text(client.get(f"/my/{sita.token}/certificate.pdf"))
    assert "Certificado de participación" in text and "Se certifica que" in text
    assert "Expedido el" in text and "Certificate of participation" not in text
