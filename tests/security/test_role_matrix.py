"""Every staff and trainer route, for every kind of visitor, against an explicit table.

The routes are read from the app's URL map, so a new route that is missing from EXPECTED
fails `test_every_route_is_in_the_table`: whoever adds a route decides here who may use it.
Each route is requested (GET, or POST with a valid CSRF token and nothing else) with its
arguments filled from objects of a fixture activity, as:

- anonymous: always sent to the sign-in page;
- a trainer, a course assistant and an activity manager of the activity;
- a course assistant of ANOTHER activity (a role, but not here);
- an administrator.

"ok" means the view ran for them: a page, a redirect that is not to the sign-in page, or a
form sent back as not valid (422); "403" that the role check refused; "404" that the object
is hidden from them (someone else's background job).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from eventreg import files
from eventreg.extensions import db as database
from eventreg.models import (
    Answer,
    ApplicationStatus,
    Certificate,
    CostShareGrant,
    DeliveryStatus,
    EmailOutbox,
    EvaluationQuestion,
    Job,
    Payment,
    PaymentMethod,
    Question,
    QuestionKind,
    Role,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from eventreg.services import apitokens

from ..conftest import csrf_token_from

ANON = "anonymous"
TRAINER = "trainer"
ASSISTANT = "assistant"
MANAGER = "manager"
OTHER = "assistant of another activity"
ADMIN = "admin"
SIGNED_IN = (TRAINER, ASSISTANT, MANAGER, OTHER, ADMIN)
VISITORS = (ANON, *SIGNED_IN)

SIGN_IN, FORBIDDEN, OK, HIDDEN = "sign-in", "403", "ok", "404"


def only(*allowed: str) -> dict[str, str]:
    """Anonymous visitors sign in; the roles given may; every other is refused."""
    return {ANON: SIGN_IN} | {role: OK if role in allowed else FORBIDDEN for role in SIGNED_IN}


EVERYONE_SIGNED_IN = only(*SIGNED_IN)
ADMINS = only(ADMIN)
MANAGERS = only(MANAGER, ADMIN)
OFFICE = only(ASSISTANT, MANAGER, ADMIN)  # admissions, money, messages, exports
IN_THE_ROOM = only(TRAINER, ASSISTANT, MANAGER, ADMIN)
OWN_TOKENS = {ANON: SIGN_IN} | {role: HIDDEN for role in SIGNED_IN}  # each their own
OWN_JOBS = {ANON: SIGN_IN, ADMIN: OK} | {role: HIDDEN for role in SIGNED_IN if role != ADMIN}

EXPECTED: dict[str, dict[str, str]] = {
    # Dashboard, outbox, jobs
    "staff.dashboard": EVERYONE_SIGNED_IN,
    "staff.outbox": ADMINS,
    "staff.outbox_retry": ADMINS,
    "staff.organisation_settings": ADMINS,
    # Personal data: erasure, access, retention, the privacy notice
    "staff.privacy_overview": ADMINS,
    "staff.privacy_person": ADMINS,
    "staff.privacy_person_json": ADMINS,
    "staff.privacy_erase": ADMINS,
    "staff.privacy_refuse": ADMINS,
    "staff.privacy_hold": ADMINS,
    "staff.privacy_release": ADMINS,
    "staff.privacy_notice_edit": ADMINS,
    "staff.default_questionnaire": ADMINS,
    "staff.default_questionnaire_add": ADMINS,
    "staff.default_questionnaire_change": ADMINS,
    "staff.questionnaire": MANAGERS,
    "staff.questionnaire_add": MANAGERS,
    "staff.questionnaire_change": MANAGERS,
    "staff.job": OWN_JOBS,
    "staff.job_download": OWN_JOBS,
    # Webhooks
    "staff.webhooks_page": ADMINS,
    "staff.webhook_register": ADMINS,
    "staff.webhook": ADMINS,
    "staff.webhook_toggle": ADMINS,
    "staff.webhook_redeliver": ADMINS,
    # Personal API tokens
    "staff.api_tokens": EVERYONE_SIGNED_IN,
    "staff.api_token_create": EVERYONE_SIGNED_IN,
    "staff.api_token_revoke": OWN_TOKENS,
    # Staff accounts (admins) and each one's own account
    "staff.people": ADMINS,
    "staff.people_invite": ADMINS,
    "staff.person": ADMINS,
    "staff.person_rename": ADMINS,
    "staff.person_active": ADMINS,
    "staff.person_admin": ADMINS,
    "staff.person_reinvite": ADMINS,
    "staff.person_two_factor_reset": ADMINS,
    "staff.account": EVERYONE_SIGNED_IN,
    "staff.account_name": EVERYONE_SIGNED_IN,
    "staff.account_password": EVERYONE_SIGNED_IN,
    # Everyone may; it signs them out, so it ends on the sign-in page (walked last).
    "staff.account_sign_out_everywhere": {who: SIGN_IN for who in VISITORS},
    "staff.two_factor_setup": EVERYONE_SIGNED_IN,
    "staff.two_factor_confirm": EVERYONE_SIGNED_IN,
    "staff.two_factor_off": EVERYONE_SIGNED_IN,
    "staff.two_factor_codes": EVERYONE_SIGNED_IN,
    # The activity's team: its managers (not another activity's) and admins
    "staff.team": MANAGERS,
    "staff.team_add": MANAGERS,
    "staff.team_remove": MANAGERS,
    # Managing the activity (a manager of any activity may start a new one)
    "staff.activity_new": only(MANAGER, ADMIN),
    "staff.activity": IN_THE_ROOM,
    "staff.activity_edit": MANAGERS,
    "staff.activity_status": MANAGERS,
    "staff.activity_duplicate": MANAGERS,
    "staff.activity_parts": MANAGERS,
    "staff.activity_part_delete": MANAGERS,
    "staff.activity_languages": MANAGERS,
    "staff.activity_translation": MANAGERS,
    "staff.questions": MANAGERS,
    "staff.question_move": MANAGERS,
    "staff.question_remove": MANAGERS,
    "staff.questions_copy": MANAGERS,
    "staff.builtin_fields": MANAGERS,
    "staff.follow_up_deadline": MANAGERS,
    "staff.follow_up_remind": MANAGERS,
    # Reviewing and deciding
    "staff.applications": OFFICE,
    "staff.application": OFFICE,
    "staff.application_cv": OFFICE,
    "staff.answer_file": OFFICE,
    "staff.application_note": OFFICE,
    "staff.link_revoke": OFFICE,
    "staff.application_new": OFFICE,
    "staff.eligibility": OFFICE,
    "staff.link_reissue": OFFICE,
    "staff.activity_audit": OFFICE,
    "staff.decide": OFFICE,
    "staff.decide_many": OFFICE,
    "staff.offer_place": OFFICE,
    # Money
    "staff.application_money": OFFICE,
    "staff.grant": OFFICE,
    "staff.revoke_grant": OFFICE,
    "staff.payment": OFFICE,
    "staff.remove_payment": OFFICE,
    "staff.activity_money": OFFICE,
    # Writing and exporting
    "staff.message": OFFICE,
    "staff.message_many": OFFICE,
    "staff.export": OFFICE,
    "staff.participants": OFFICE,
    # Documents and certificates
    "staff.attendance_sheet": IN_THE_ROOM,
    "staff.evaluation_sheets": IN_THE_ROOM,
    "staff.badges": IN_THE_ROOM,
    "staff.acceptance_letter": OFFICE,
    "staff.statement": OFFICE,
    "staff.certificates_page": IN_THE_ROOM,
    "staff.certificates_issue": IN_THE_ROOM,
    "staff.certificates_batch": IN_THE_ROOM,
    "staff.certificate_download": IN_THE_ROOM,
    "staff.certificate_revoke": OFFICE,
    # Evaluation
    "staff.evaluation": IN_THE_ROOM,
    "staff.evaluation_invite": OFFICE,
    "staff.evaluation_paper": OFFICE,
    "staff.evaluation_csv": IN_THE_ROOM,
    "staff.evaluation_pdf": IN_THE_ROOM,
    # The trainer's workspace
    "trainer.my_sessions": EVERYONE_SIGNED_IN,
    "trainer.session": IN_THE_ROOM,
    "trainer.mark": IN_THE_ROOM,
    "trainer.all_present": IN_THE_ROOM,
    "trainer.scan": IN_THE_ROOM,
    "trainer.scan_code": IN_THE_ROOM,
    "trainer.activity_attendance": IN_THE_ROOM,
}

# Routes that end the visitor's own session: walked after every other one.
LAST = {"staff.account_sign_out_everywhere"}

# Form values some POSTs need to reach their role check's consequences at all.
POST_DATA: dict[str, dict[str, str]] = {
    "trainer.mark": {"present": "1"},  # plus the application, filled in below
}


def walked_rules(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) of the staff and trainer blueprints: GETs first, then POSTs."""
    found = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("staff.", "trainer."))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]
    return sorted(
        found,
        key=lambda item: (
            item[0].endpoint in LAST,
            item[1] != "GET",
            item[0].endpoint,
            item[0].rule,
        ),
    )


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule, _ in walked_rules(app)}
    missing = sorted(endpoints - set(EXPECTED))
    assert missing == [], f"add these routes to EXPECTED: {missing}"
    stale = sorted(set(EXPECTED) - endpoints)
    assert stale == [], f"these routes no longer exist: {stale}"
    for rules in EXPECTED.values():
        assert set(rules) == set(VISITORS)


@pytest.fixture
def world(app, db, factories, tmp_path: Path, monkeypatch) -> dict[str, Any]:
    """An activity with something of every kind a route can point at, and route arguments."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    activity = factories.activity(languages=["en", "fr"])
    factories.contact(activity)
    module = factories.module(activity, title="Pro-poor partnerships")
    spare = factories.module(activity, title="To be deleted")
    session = factories.session(activity, module_id=module.id)
    application = factories.application(
        activity,
        status=ApplicationStatus.ACCEPTED,
        cv_path="cv/matrix.pdf",
        cv_filename="cv.pdf",
    )
    factories.application(activity, status=ApplicationStatus.CONFIRMED)  # on the sheets
    files.store().save("cv/matrix.pdf", b"%PDF-1.4 matrix")
    grant = CostShareGrant(
        application_id=application.id,
        fee_component_id=activity.fee_components[0].id,
        amount=10_000,
    )
    payment = Payment(
        application_id=application.id,
        amount=5_000,
        received_on=date(2020, 1, 2),
        method=PaymentMethod.CASH,
    )
    certificate = Certificate(application_id=application.id)
    email = EmailOutbox(
        template="message",
        to_address="someone@example.net",
        subject="Hello",
        body_text="Hello",
    )
    owner = factories.staff()
    colleague = factories.staff(Role.TRAINER, activity)
    (assignment,) = colleague.assignments
    files.store().save("jobs/matrix/result.txt", b"a job's result")
    job = Job(
        kind="bulk_message",
        created_by_id=owner.id,
        result_path="jobs/matrix/result.txt",
        result_name="result.txt",
    )
    token, _ = apitokens.create_token(owner, name="Someone else's")
    endpoint = WebhookEndpoint(url="https://hooks.example.org/in", event_types=["payment.recorded"])
    happened = WebhookEvent(type="payment.recorded", payload={})
    hook = WebhookDelivery(
        event=happened, endpoint=endpoint, status=DeliveryStatus.DELIVERED, attempts=1
    )
    question = Question(activity_id=activity.id, type="yes_no", label={"en": "Visa?"})
    spare_question = Question(activity_id=activity.id, type="yes_no", label={"en": "Spare"})
    evaluation_question = EvaluationQuestion(
        activity_id=activity.id, position=1, kind=QuestionKind.RATING, text="Relevance"
    )
    default_question = EvaluationQuestion(
        activity_id=None, position=1, kind=QuestionKind.OPEN, text="Anything else?"
    )
    database.session.add_all(
        [
            grant,
            payment,
            certificate,
            email,
            job,
            hook,
            question,
            spare_question,
            evaluation_question,
            default_question,
        ]
    )
    database.session.flush()
    files.store().save("answers/matrix.png", b"\x89PNG\r\n\x1a\n matrix")
    answer = Answer(
        application_id=application.id,
        question_id=question.id,
        shown="matrix.png",
        value={"filename": "matrix.png", "kind": "png", "path": "answers/matrix.png"},
    )
    database.session.add(answer)
    other = factories.activity()
    database.session.commit()
    return {
        "activity": activity,
        "other": other,
        "args": {
            "activity_id": activity.id,
            "application_id": application.id,
            "kind": "modules",
            "part_id": module.id,
            "session_id": session.id,
            "grant_id": grant.id,
            "payment_id": payment.id,
            "certificate_id": certificate.id,
            "email_id": email.id,
            "job_id": job.id,
            "token_id": token.id,
            "endpoint_id": endpoint.id,
            "delivery_id": hook.id,
            "decision": "waitlist",  # refused for an accepted application: nothing changes
            "fmt": "csv",
            "form_kind": "application",
            "question_id": question.id,
            "answer_id": answer.id,
            "staff_id": owner.id,
            "assignment_id": assignment.id,
            "item_id": evaluation_question.id,
            "language": "fr",
        },
        "overrides": {
            "staff.activity_part_delete": {"part_id": spare.id},
            "staff.question_remove": {"question_id": spare_question.id},
            "staff.default_questionnaire_change": {"item_id": default_question.id},
        },
        "data": {"trainer.mark": {"application_id": str(application.id)}},
        "query": {"staff.attendance_sheet": {"session": session.id}},
    }


def visitor(who: str, world: dict[str, Any], app: Flask, sign_in_as: Any) -> Any:
    activity = world["activity"]
    if who == ANON:
        return app.test_client()
    if who == ADMIN:
        return sign_in_as(Role.ADMIN)
    if who == OTHER:
        return sign_in_as(Role.COURSE_ASSISTANT, world["other"])
    role = {
        TRAINER: Role.TRAINER,
        ASSISTANT: Role.COURSE_ASSISTANT,
        MANAGER: Role.ACTIVITY_MANAGER,
    }[who]
    return sign_in_as(role, activity)


def outcome(response: Any) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and "/staff/sign-in" in location:
        return SIGN_IN
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 404:
        return HIDDEN
    if response.status_code < 400 or response.status_code == 422:
        return OK
    return f"unexpected {response.status_code}"


@pytest.mark.parametrize("who", VISITORS)
def test_who_may_use_each_route(app, db, world, sign_in_as, tmp_path, who):
    saved = app.config.get("UPLOAD_DIR")
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    try:
        client = visitor(who, world, app, sign_in_as)
        page = client.get("/staff/sign-in" if who == ANON else "/staff/")
        token = csrf_token_from(page.text)
        adapter = app.url_map.bind("localhost")
        wrong = []
        for rule, method in walked_rules(app):
            values = {**world["args"], **world["overrides"].get(rule.endpoint, {})}
            missing = [name for name in rule.arguments if name not in values]
            assert missing == [], f"fill {missing} for {rule.rule}"
            arguments = {name: values[name] for name in rule.arguments}
            url = adapter.build(
                rule.endpoint, {**arguments, **world["query"].get(rule.endpoint, {})}
            )
            if method == "GET":
                response = client.get(url)
            else:
                data = {
                    **POST_DATA.get(rule.endpoint, {}),
                    **world["data"].get(rule.endpoint, {}),
                    "csrf_token": token,
                }
                response = client.post(url, data=data)
            got = outcome(response)
            response.close()
            expected = EXPECTED.get(rule.endpoint, {}).get(who, "missing from EXPECTED")
            if got != expected:
                wrong.append(f"{method} {url}: expected {expected}, got {got}")
        assert wrong == []
    finally:
        app.config["UPLOAD_DIR"] = saved
