"""Certificates follow attendance: issued to the eligible, emailed once each, verifiable."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader

from eventreg import jobs
from eventreg.models import ApplicationStatus, Certificate, Job, JobStatus, Role
from eventreg.services import attendance

from ..conftest import csrf_token_from


@pytest.fixture
def finished_course(make_activity, factories, make_application, move_clock):
    activity = make_activity(certificate_threshold=80, reference="A901357")
    for n in range(5):
        factories.session(
            activity, title=f"S{n}", starts_at=activity.starts_at + timedelta(hours=4 * n)
        )
    move_clock(activity.ends_at + timedelta(hours=1))  # the course is over
    amina = make_application(
        activity,
        given_names="Amina",
        family_name="Diallo",
        status=ApplicationStatus.CONFIRMED,
        email="amina@example.net",
    )
    binod = make_application(
        activity,
        given_names="Binod",
        family_name="Gurung",
        status=ApplicationStatus.CONFIRMED,
        email="binod@example.net",
    )
    for session in activity.sessions[:4]:
        attendance.mark(amina, session, present=True, by=None)  # 80%
    for session in activity.sessions[:3]:
        attendance.mark(binod, session, present=True, by=None)  # 60%
    return activity, amina, binod


def test_issuing_emails_each_eligible_participant_exactly_once(
    db, app, smtp, deliver, sign_in_as, finished_course
):
    activity, amina, binod = finished_course
    assistant = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = assistant.get(f"/staff/activities/{activity.id}/certificates")
    assert "below the threshold" in page.text and "Issue and email 1 certificate" in page.text
    token = csrf_token_from(page.text)
    started = assistant.post(
        f"/staff/activities/{activity.id}/certificates/issue", data={"csrf_token": token}
    )
    job_url = started.headers["Location"]
    assert "/staff/jobs/" in job_url
    assert jobs.run_pending() == 1
    # Asking again (a double click) issues nothing more.
    assistant.post(
        f"/staff/activities/{activity.id}/certificates/issue", data={"csrf_token": token}
    )
    jobs.run_pending()
    deliver()
    assert len(smtp.to("amina@example.net")) == 1
    assert smtp.to("binod@example.net") == []
    [mail] = smtp.to("amina@example.net")
    [pdf] = [p for p in mail.message.iter_attachments() if p.get_filename().endswith(".pdf")]
    text = PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text()
    assert "Amina" in text and "Diallo" in text
    code = db.session.query(Certificate).one().code
    assert code in mail.message.get_body(preferencelist=("plain",)).get_content()
    assert "Certificate" in assistant.get(f"/verify/{code}").text
    progress = assistant.get(job_url)
    assert "1 certificates issued and emailed" in progress.text


def test_a_batch_zip_runs_as_a_job_and_is_downloaded(db, sign_in_as, finished_course):
    activity, amina, binod = finished_course
    binod.certificate_eligible = True  # staff decided
    from eventreg.services import certificates

    certificates.issue_certificates(activity, by=None)
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    page = manager.get(f"/staff/activities/{activity.id}/certificates")
    started = manager.post(
        f"/staff/activities/{activity.id}/certificates/batch",
        data={"csrf_token": csrf_token_from(page.text), "format": "zip"},
    )
    assert "Waiting for a worker" in manager.get(started.headers["Location"]).text
    jobs.run_pending()
    record = db.session.query(Job).one()
    assert record.status == JobStatus.DONE
    download = manager.get(f"/staff/jobs/{record.id}/download")
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    download.close()
    assert sorted(names) == ["A901357-0001-diallo.pdf", "A901357-0002-gurung.pdf"]


def test_revoking_needs_a_reason_and_the_verification_page_says_so(db, sign_in_as, finished_course):
    activity, amina, _ = finished_course
    from eventreg.services import certificates

    [certificate] = certificates.issue_certificates(activity, by=None)
    assistant = sign_in_as(Role.COURSE_ASSISTANT, activity)
    page = assistant.get(f"/staff/activities/{activity.id}/certificates")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    assistant.post(
        f"/staff/certificates/{certificate.id}/revoke", data={"csrf_token": token, "reason": ""}
    )
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    assistant.post(
        f"/staff/certificates/{certificate.id}/revoke",
        data={"csrf_token": token, "reason": "Attendance was recorded by mistake"},
    )
    verify = assistant.get(f"/verify/{certificate.code}")
    assert "revoked" in verify.text.lower()
    assert "Attendance was recorded by mistake" in verify.text


def test_sheets_and_letters_are_for_the_activitys_staff_only(
    db, sign_in_as, finished_course, make_activity
):
    activity, amina, _ = finished_course
    trainer = sign_in_as(Role.TRAINER, activity)
    sheet = trainer.get(
        f"/staff/activities/{activity.id}/attendance-sheet.pdf?session={activity.sessions[0].id}"
    )
    assert sheet.mimetype == "application/pdf"
    assert "Diallo" in PdfReader(io.BytesIO(sheet.data)).pages[0].extract_text().title()
    assert trainer.get(f"/staff/applications/{amina.id}/acceptance-letter.pdf").status_code == 403
    assistant = sign_in_as(Role.COURSE_ASSISTANT, activity)
    letter = assistant.get(f"/staff/applications/{amina.id}/acceptance-letter.pdf")
    assert amina.reference in PdfReader(io.BytesIO(letter.data)).pages[0].extract_text()
    stranger = sign_in_as(Role.COURSE_ASSISTANT, make_activity())
    assert stranger.get(f"/staff/applications/{amina.id}/statement.pdf").status_code == 403
    assert stranger.get(f"/staff/activities/{activity.id}/evaluation-sheets.pdf").status_code == 403
