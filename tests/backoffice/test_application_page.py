"""From an application's page: under review, the waiting-list position, the private link."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventreg.models import Application, ApplicationStatus, Role

from ..conftest import csrf_token_from
from .conftest import actions, fresh, mails, post_page

Status = ApplicationStatus


@pytest.fixture
def office(sign_in_as, workshop):
    """A course assistant of the workshop, signed in."""
    return sign_in_as(Role.COURSE_ASSISTANT, workshop)


def test_staff_mark_one_application_under_review_and_the_applicant_sees_it(
    db, office, client, workshop, make_application
):
    application = make_application(workshop)
    url = f"/staff/applications/{application.id}"
    response = post_page(office, url, f"{url}/decide/review")
    assert response.headers["Location"].endswith(url)
    fresh()
    assert db.session.get(Application, application.id).status == Status.UNDER_REVIEW
    assert mails() == []  # being reviewed is not news by email
    assert (
        "The organisers are reviewing your application"
        in client.get(f"/my/{application.token}").text
    )
    again = post_page(office, url, f"{url}/decide/review")  # under review already: refused
    assert again.headers["Location"].endswith(url)
    assert "cannot become under review" in office.get(url).text
    assert actions(application.id).count("application.status_changed") == 1


def test_staff_mark_the_ticked_applications_under_review_in_one_step(
    db, office, workshop, make_application
):
    chosen = [make_application(workshop) for _ in range(2)]
    other = make_application(workshop)
    list_url = f"/staff/activities/{workshop.id}/applications"
    page = office.get(list_url)
    done = office.post(
        f"{list_url}/decide",
        data={
            "csrf_token": csrf_token_from(page.text),
            "decision": "review",
            "ids": [str(a.id) for a in chosen],
        },
    )
    assert done.headers["Location"].endswith(list_url)
    fresh()
    statuses = [db.session.get(Application, a.id).status for a in (*chosen, other)]
    assert statuses == [Status.UNDER_REVIEW, Status.UNDER_REVIEW, Status.SUBMITTED]
    assert "2 applicants are marked as under review." in office.get(list_url).text


def test_the_waiting_list_position_is_shown_to_staff_and_to_the_applicant(
    db, office, client, workshop, make_application
):
    waiting = [
        make_application(
            workshop,
            status=Status.WAITLISTED,
            waitlisted_at=datetime(2031, 1, day, tzinfo=workshop.zone),
        )
        for day in (3, 1, 2)
    ]
    db.session.commit()
    third = waiting[0]
    assert "number 3 on the waiting list" in office.get(f"/staff/applications/{third.id}").text
    assert "waiting list: number <strong>3</strong>" in client.get(f"/my/{third.token}").text
    assert "waiting list: number <strong>1</strong>" in client.get(f"/my/{waiting[1].token}").text
    accepted = make_application(workshop, status=Status.ACCEPTED)
    assert "waiting list" not in client.get(f"/my/{accepted.token}").text


def test_a_leaked_private_link_is_revoked_and_a_new_one_sent_from_the_page(
    db, office, client, workshop, make_application, smtp, deliver
):
    application = make_application(workshop)
    old = application.token
    url = f"/staff/applications/{application.id}"
    revoked = post_page(office, url, f"{url}/link/revoke")
    assert revoked.headers["Location"].endswith(f"{url}#private-link")
    assert client.get(f"/my/{old}").status_code == 404
    assert "no longer opens the application" in office.get(url).text

    post_page(office, url, f"{url}/link/reissue")
    fresh()
    new = db.session.get(Application, application.id).token
    assert new != old and client.get(f"/my/{new}").status_code == 200
    assert client.get(f"/my/{old}").status_code == 404
    deliver()
    [sent] = smtp.to(application.email)
    assert new in sent.message.get_body(preferencelist=("plain",)).get_content()
    history = office.get(url).text
    assert "link revoked" in history and "link reissued" in history


def test_staff_declare_a_participant_eligible_with_a_reason_and_undo_it(
    db, office, workshop, make_application
):
    from eventreg.services import certificates

    participant = make_application(workshop, status=Status.CONFIRMED)
    url = f"/staff/applications/{participant.id}"
    no_reason = post_page(office, url, f"{url}/eligibility", decision="eligible", reason=" ")
    assert no_reason.headers["Location"].endswith(f"{url}#certificate")
    assert "Say why" in office.get(url).text
    fresh()
    assert db.session.get(Application, participant.id).certificate_eligible is None

    post_page(office, url, f"{url}/eligibility", decision="eligible", reason="Ill for two sessions")
    fresh()
    assert certificates.is_eligible(db.session.get(Application, participant.id))  # 0% attended
    page = office.get(url).text
    assert "Declared <strong>eligible</strong>" in page and "Ill for two sessions" in page

    post_page(office, url, f"{url}/eligibility", decision="attendance", reason="Entered in error")
    fresh()
    undone = db.session.get(Application, participant.id)
    assert undone.certificate_eligible is None and not certificates.is_eligible(undone)
    assert actions(participant.id).count("application.eligibility_declared") == 2
