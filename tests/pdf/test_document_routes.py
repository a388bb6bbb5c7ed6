"""Every document route answers a document or a page saying why not: never a server error."""

from __future__ import annotations

import pytest

from eventreg.models import ApplicationStatus, Role


@pytest.fixture
def office(db, workshop, sign_in_as):
    return sign_in_as(Role.COURSE_ASSISTANT, workshop)


@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_the_acceptance_letter_of_an_application_not_accepted_is_a_page_saying_why(
    db, workshop, make_application, office, status
):
    application = make_application(workshop, status=status)
    response = office.get(f"/staff/applications/{application.id}/acceptance-letter.pdf")
    if status == ApplicationStatus.SUBMITTED:
        assert response.status_code == 409
    if status == ApplicationStatus.ACCEPTED:
        assert response.status_code == 200
    if response.status_code == 200:
        assert response.data[:5] == b"%PDF-"
    else:
        assert response.status_code == 409
        assert response.mimetype == "text/html"
        assert f"that is {status.label.lower()} has no acceptance letter" in response.text


@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_the_statement_of_account_opens_in_every_status(
    db, workshop, make_application, office, status
):
    application = make_application(workshop, status=status)
    response = office.get(f"/staff/applications/{application.id}/statement.pdf")
    assert response.status_code == 200
    assert response.data[:5] == b"%PDF-"


def test_documents_of_an_activity_without_sessions_are_refused_with_a_page(
    db, make_activity, make_application, sign_in_as
):
    empty = make_activity()
    application = make_application(empty, status=ApplicationStatus.CONFIRMED)
    office = sign_in_as(Role.COURSE_ASSISTANT, empty)
    for url in (
        f"/staff/activities/{empty.id}/attendance-sheet.pdf",
        f"/staff/activities/{empty.id}/attendance-sheet.pdf?day=2030-01-01",
        f"/staff/activities/{empty.id}/attendance-sheet.pdf?session=999999",
        f"/staff/activities/{empty.id}/attendance-sheet.pdf?day=not-a-day",
        f"/staff/activities/{empty.id}/attendance-sheet.pdf?order=nonsense",
        f"/staff/activities/{empty.id}/evaluation-sheets.pdf",
        f"/staff/activities/{empty.id}/evaluation.pdf",
        f"/staff/activities/{empty.id}/evaluation.pdf?module=999999",
        f"/staff/activities/{empty.id}/evaluation.csv",
        f"/staff/applications/{application.id}/acceptance-letter.pdf",
        f"/staff/applications/{application.id}/statement.pdf",
        f"/my/{application.token}/calendar.ics",
    ):
        response = office.get(url)
        assert response.status_code < 500, url
        if response.status_code >= 400:
            assert response.mimetype == "text/html", url


def test_a_session_of_another_activity_gives_no_attendance_sheet(
    db, workshop, make_activity, factories, office
):
    elsewhere = factories.session(make_activity())
    response = office.get(
        f"/staff/activities/{workshop.id}/attendance-sheet.pdf?session={elsewhere.id}"
    )
    assert response.status_code == 404
