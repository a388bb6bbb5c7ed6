"""Reading through the API: activities, applications with the review list's filters and a
cursor, one application with its ETag, errors as problem details."""

from __future__ import annotations

from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, Gender, Role


def test_an_assistant_reads_their_activity_and_not_another(
    client, workshop, make_activity, token_for
):
    other = make_activity(title="Another activity")
    headers = token_for(Role.COURSE_ASSISTANT, workshop)
    listed = client.get("/api/v1/activities", headers=headers)
    assert [a["title"] for a in listed.json["items"]] == ["Multi-stakeholder partnerships"]
    detail = client.get(f"/api/v1/activities/{workshop.id}", headers=headers).json
    assert [m["title"] for m in detail["modules"]] == ["Pro-poor partnerships"]
    assert [s["title"] for s in detail["sessions"]] == ["Opening plenary"]
    assert [(f["name"], f["amount"]) for f in detail["fee_components"]] == [
        ("Tuition", 104_000),
        ("Participant subsistence", 96_000),
    ]
    refused = client.get(f"/api/v1/activities/{other.id}", headers=headers)
    assert refused.status_code == 403
    assert refused.content_type == "application/problem+json"
    assert refused.json["type"] == "/api/v1/problems/forbidden"


def test_applications_are_filtered_as_on_the_review_list_and_paged_by_cursor(
    client, workshop, make_application, token_for
):
    for n in range(7):
        make_application(
            workshop,
            gender=Gender.FEMALE if n % 2 else Gender.MALE,
            country="KE" if n < 4 else "IN",
        )
    database.session.commit()
    headers = token_for(Role.COURSE_ASSISTANT, workshop)
    url = f"/api/v1/activities/{workshop.id}/applications"
    seen, cursor = [], None
    while True:
        page = client.get(
            url,
            query_string={"limit": 3, "cursor": cursor} if cursor else {"limit": 3},
            headers=headers,
        ).json
        seen += [item["reference"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7
    women_in_kenya = client.get(
        url, query_string={"gender": "female", "country": "ke"}, headers=headers
    )
    assert [(a["gender"], a["country"]) for a in women_in_kenya.json["items"]] == [
        ("female", "KE")
    ] * 2
    bad = client.get(url, query_string={"status": "dreaming", "limit": 0}, headers=headers)
    assert bad.status_code == 422
    assert bad.content_type == "application/problem+json"
    assert set(bad.json["errors"]["query"]) == {"status", "limit"}


def test_one_application_has_its_answers_money_and_an_etag(
    client, workshop, make_application, token_for
):
    application = make_application(workshop, motivation="To learn about partnerships.")
    database.session.commit()
    headers = token_for(Role.ACTIVITY_MANAGER, workshop)
    answer = client.get(f"/api/v1/applications/{application.id}", headers=headers)
    assert answer.status_code == 200
    assert answer.json["motivation"] == "To learn about partnerships."
    assert answer.json["amount_due"] == 200_000
    assert answer.json["payment_status"] == "unpaid"
    assert "accept" in answer.json["possible_decisions"]
    etag = answer.headers["ETag"]
    again = client.get(
        f"/api/v1/applications/{application.id}", headers={**headers, "If-None-Match": etag}
    )
    assert again.status_code == 304
    application.status = ApplicationStatus.REJECTED
    database.session.commit()
    changed = client.get(
        f"/api/v1/applications/{application.id}", headers={**headers, "If-None-Match": etag}
    )
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_trainer_reads_attendance_but_not_applications(
    client, workshop, make_application, token_for
):
    headers = token_for(Role.TRAINER, workshop)
    session = workshop.sessions[0]
    assert client.get(f"/api/v1/sessions/{session.id}/attendance", headers=headers).json == {
        "session_id": session.id,
        "marks": [],
    }
    assert (
        client.get(f"/api/v1/activities/{workshop.id}/applications", headers=headers).status_code
        == 403
    )


def test_the_openapi_document_is_3_1_and_says_how_to_authenticate(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert "/api/v1/activities/{activity_id}/applications" in document["paths"]
    problem = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
