"""Applying, correcting, withdrawing and confirming, and the status rules, without HTTP."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventreg import emails, worker
from eventreg.demo import at
from eventreg.models import (
    ActivityStatus,
    Application,
    ApplicationStatus,
    AudienceGroup,
    AudienceTier,
    AuditLog,
    EmailOutbox,
    OutboxStatus,
    PaymentSource,
    Role,
)
from eventreg.services import applicant, applications, audit, decisions, lifecycle, links
from eventreg.services.applicant import ResponseClosed
from eventreg.services.applications import (
    AlreadyApplied,
    Answers,
    ApplicationsClosed,
    ConsentMissing,
    InvalidAnswer,
    NotCorrectable,
    SubmissionResult,
)
from eventreg.services.lifecycle import TRANSITIONS, InvalidTransition
from eventreg.services.uploads import InvalidUpload, UploadedCV

Status = ApplicationStatus
PDF = b"%PDF-1.4\n% a tiny test file\n%%EOF\n"


@pytest.fixture(autouse=True)
def uploads(app, tmp_path: Path, monkeypatch):
    """CVs go to a folder of this test (the folder store, on either database)."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "FILE_STORE", "folder")
    return tmp_path / "uploads"


@pytest.fixture
def activity(db, make_activity):
    activity = make_activity(
        reference="A901357",
        languages=["en", "fr"],
        costshare_offer="We cost-share a few participants.",
        costshare_budget=500_000,
    )
    activity.audience_groups = [
        AudienceGroup(tier=AudienceTier.PRIMARY, name="Trade unions", position=0),
        AudienceGroup(tier=AudienceTier.ALSO, name="NGOs", position=0),
    ]
    db.session.commit()
    return activity


@pytest.fixture
def staff(make_staff):
    return make_staff(Role.ADMIN)


def answers(**overrides) -> Answers:
    values = dict(
        given_names="Amina",
        family_name="Diallo",
        email="amina@example.net",
        country="NP",
        nationality="NP",
        phone="+977 1 441 2345",
        language="en",
        organisation="GEFONT",
        organisation_type="Other",
        position="Officer",
        proficiency="advanced",
        motivation="To learn.",
    )
    values.update(overrides)
    return Answers(**values)


def apply(activity, *, key: str | None = None, now: datetime | None = None, cv=None, **overrides):
    return applications.submit_application(
        activity,
        answers=answers(**overrides),
        submission_key=key or applications.new_submission_key(),
        consent=True,
        now=now or datetime.now(UTC),
        cv=cv,
    )


def outbox(db, template: str | None = None) -> list[EmailOutbox]:
    query = sa.select(EmailOutbox).order_by(EmailOutbox.id)
    if template:
        query = query.where(EmailOutbox.template == template)
    return list(db.session.scalars(query))


def count_applications(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Application))


# Submitting


def test_applications_are_numbered_per_activity_from_one(db, activity, make_activity):
    other = make_activity(reference="W180612")
    first = apply(activity, email="a@example.net").application
    second = apply(activity, email="b@example.net").application
    elsewhere = apply(other, email="a@example.net", language="en").application
    assert [first.reference, second.reference] == ["A901357-0001", "A901357-0002"]
    assert elsewhere.reference == "W180612-0001"
    assert first.status == Status.SUBMITTED and first.consent_at is not None
    assert len(first.token) >= 43 and first.token != second.token


def test_the_application_handed_back_is_the_row_as_stored(db, activity):
    """The submission writes the row with one INSERT and hands back the application as
    written, without reading it: every column as the database holds it after the commit,
    the columns' own defaults included, and the activity reachable from it."""
    application = apply(activity, email="row@example.net").application
    columns = [column.key for column in Application.__table__.columns]
    handed_back = {name: getattr(application, name) for name in columns}
    assert application.activity.reference == "A901357"
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.get(Application, handed_back["id"])
    assert {name: getattr(stored, name) for name in columns} == handed_back
    assert stored.costshare_component_ids == [] and stored.late is False
    assert stored.gender.value == "undisclosed" and stored.updated_at is not None


def test_submitting_records_and_queues_an_acknowledgement_the_worker_writes(
    db, smtp, deliver, activity
):
    submission = apply(activity)
    application = submission.application
    assert submission.result == SubmissionResult.CREATED
    [entry] = audit.history(application)
    assert entry.action == "application.submitted" and entry.actor_label == "applicant"
    # Saved with the application, written by the worker: the applicant does not wait for it.
    [mail] = outbox(db)
    assert mail.template == "application_received" and mail.to_address == "amina@example.net"
    assert mail.unwritten and mail.body_text == "" and mail.attachments == []
    db.session.commit()

    assert deliver().sent == 1
    [received] = smtp.to("amina@example.net")
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    assert application.reference in text and f"/my/{application.token}" in text
    assert [part.get_filename() for part in received.message.iter_attachments()] == ["A901357.ics"]
    db.session.expire_all()
    [mail] = outbox(db)
    assert not mail.unwritten and mail.subject == received.message["Subject"]


def test_the_worker_writes_the_acknowledgement_in_the_applicants_language(
    db, smtp, deliver, activity
):
    application = apply(activity, language="fr").application
    db.session.commit()
    deliver()
    [received] = smtp.to("amina@example.net")
    assert received.message["Subject"] == (
        f"Candidature reçue : {activity.title} ({application.reference})"
    )


def test_an_acknowledgement_that_cannot_be_written_fails_alone_and_the_batch_goes_on(
    db, smtp, deliver, activity, monkeypatch
):
    apply(activity, email="first@example.net")
    apply(activity, email="second@example.net")
    db.session.commit()
    first = outbox(db)[0].id
    real = emails._WRITERS["application_received"]

    class Broken:
        def __iter__(self):
            raise RuntimeError("the template is broken")

    def broken(application):
        context = real(application)
        if application.email == "first@example.net":
            context["answers"] = Broken()  # fails while the template is rendered
        return context

    monkeypatch.setitem(emails._WRITERS, "application_received", broken)
    report = deliver()
    assert (report.sent, report.failed) == (1, 1)
    assert [m.envelope_to for m in smtp.messages] == [["second@example.net"]]
    db.session.expire_all()
    failed = db.session.get(EmailOutbox, first)
    assert failed.status == OutboxStatus.FAILED and failed.unwritten
    assert failed.subject == "" and failed.attachments == []  # nothing half written
    assert failed.last_error == "could not be written: the template is broken"
    # Once mended, staff's "retry now" writes and sends it.
    monkeypatch.setitem(emails._WRITERS, "application_received", real)
    worker.retry_now(failed)
    db.session.commit()
    assert deliver().sent == 1
    assert len(smtp.to("first@example.net")) == 1


def test_the_same_form_sent_twice_finds_the_first_application(db, activity):
    first = apply(activity, key="k" * 32)
    again = apply(activity, key="k" * 32, email="changed@example.net")
    assert again.result == SubmissionResult.RESUBMITTED
    assert again.application.id == first.application.id
    assert count_applications(db) == 1
    assert len(outbox(db)) == 1


def test_a_second_form_with_the_same_email_sends_the_link_again_instead(db, activity):
    first = apply(activity).application
    second = apply(activity, email="  AMINA@example.net ", given_names="Someone else")
    assert second.result == SubmissionResult.ALREADY_APPLIED
    assert second.application.id == first.id
    assert count_applications(db) == 1
    [link] = outbox(db, "private_link")
    assert f"/my/{first.token}" in link.body_text


def test_applying_does_not_take_a_place(db, make_activity):
    tiny = make_activity(capacity=1)
    for n in range(3):
        apply(tiny, email=f"p{n}@example.net")
    assert count_applications(db) == 3
    assert lifecycle.places_taken(tiny.id) == 0


@pytest.mark.parametrize("zone", ["Europe/Rome", "Asia/Kathmandu"])
def test_the_deadline_is_a_moment_in_the_activity_timezone(db, make_activity, zone):
    deadline = at(zone, date(2031, 6, 15), "23:59")
    activity = make_activity(
        timezone=zone,
        deadline_at=deadline,
        opens_at=deadline - timedelta(days=90),
        starts_at=deadline + timedelta(days=30),
    )
    just_before = apply(activity, email="early@example.net", now=deadline - timedelta(seconds=1))
    assert just_before.result == SubmissionResult.CREATED
    with pytest.raises(ApplicationsClosed, match="closed on 15 June 2031, 23:59"):
        apply(activity, email="late@example.net", now=deadline + timedelta(seconds=1))
    assert count_applications(db) == 1


def test_no_application_before_the_call_opens_or_to_a_draft(db, make_activity):
    opens = datetime.now(UTC) + timedelta(days=1)
    future = make_activity(opens_at=opens)
    draft = make_activity(status=ActivityStatus.DRAFT)
    with pytest.raises(ApplicationsClosed, match="not open yet"):
        apply(future)
    with pytest.raises(ApplicationsClosed):
        apply(draft)


def test_consent_is_required(db, activity):
    with pytest.raises(ConsentMissing) as refused:
        applications.submit_application(
            activity,
            answers=answers(),
            submission_key=applications.new_submission_key(),
            consent=False,
            now=datetime.now(UTC),
        )
    assert refused.value.field == "consent"
    assert count_applications(db) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"language": "de"}, "language"),
        ({"organisation_type": "Banks"}, "organisation_type"),
        ({"payment_source": PaymentSource.SPONSOR, "sponsor_name": " "}, "sponsor_name"),
        ({"costshare_requested": True, "costshare_component_ids": []}, "costshare_component_ids"),
        (
            {"costshare_requested": True, "costshare_component_ids": [999999]},
            "costshare_component_ids",
        ),
        ({"given_names": "  "}, "given_names"),
    ],
)
def test_answers_that_do_not_fit_the_activity_are_refused(db, activity, overrides, field):
    with pytest.raises(InvalidAnswer) as refused:
        apply(activity, **overrides)
    assert refused.value.field == field
    assert count_applications(db) == 0


def test_a_cost_sharing_request_keeps_its_components(db, activity):
    tuition = activity.fee_components[0]
    application = apply(
        activity,
        organisation_type="Trade unions",
        costshare_requested=True,
        costshare_component_ids=[tuition.id],
        sponsor_covers="Travel",
        costshare_reason="Our union cannot pay the tuition.",
    ).application
    assert application.costshare_requested
    assert application.costshare_component_ids == [tuition.id]
    assert application.organisation_type == "Trade unions"


def test_a_free_activity_asks_nothing_about_money(db, make_activity):
    webinar = make_activity(fees=())
    application = apply(
        webinar,
        payment_source=PaymentSource.SPONSOR,
        sponsor_name="Somebody",
        costshare_requested=True,
        costshare_component_ids=[1],
    ).application
    assert application.payment_source == PaymentSource.SELF
    assert application.sponsor_name == "" and not application.costshare_requested


def test_a_cv_is_kept_under_a_random_name_readable_by_the_owner_only(db, activity, uploads):
    application = apply(activity, cv=UploadedCV("../../etc/My CV.pdf", PDF)).application
    assert application.cv_filename == "My CV.pdf"
    stored = uploads / application.cv_path
    assert stored.read_bytes() == PDF
    assert stored.parent == uploads / "cv" / "A901357"
    assert "My CV" not in stored.name
    assert stored.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"<html>not a pdf</html>", "not a PDF"), (PDF + b"x" * (4 * 1024 * 1024), "larger")],
)
def test_a_cv_that_is_not_a_pdf_or_too_large_is_refused(db, activity, uploads, content, message):
    with pytest.raises(InvalidUpload, match=message) as refused:
        apply(activity, cv=UploadedCV("cv.pdf", content))
    assert refused.value.field == "cv"
    assert count_applications(db) == 0
    assert not uploads.exists() or not any(uploads.rglob("*.pdf"))


def test_two_submissions_racing_get_distinct_numbers(app, db, activity):
    """Real threads, real database: the activity's row lock serialises the numbering."""
    activity_id = activity.id
    db.session.commit()
    start = threading.Barrier(4)
    references: list[str] = []
    errors: list[BaseException] = []

    def submit(n: int) -> None:
        try:
            with app.app_context():
                from eventreg.extensions import db as database
                from eventreg.models import Activity

                mine = database.session.get(Activity, activity_id)
                start.wait(timeout=10)
                submission = apply(mine, email=f"racer{n}@example.net")
                database.session.commit()
                references.append(submission.application.reference)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(references) == [f"A901357-000{n}" for n in range(1, 5)]


# Correcting


def test_a_correction_changes_the_answers_records_them_and_tells_the_applicant(db, activity):
    application = apply(activity).application
    changed = applications.correct_application(
        application,
        answers=answers(position="Secretary general", phone="+977 98 0000 0000"),
        now=datetime.now(UTC),
    )
    assert changed == ["phone", "position"]
    assert application.position == "Secretary general"
    entry = audit.history(application)[-1]
    assert entry.action == "application.corrected"
    assert entry.before == {"phone": "+977 1 441 2345", "position": "Officer"}
    assert [m.template for m in outbox(db)] == ["application_received", "application_corrected"]


def test_a_correction_that_changes_nothing_records_nothing(db, activity):
    application = apply(activity).application
    assert (
        applications.correct_application(application, answers=answers(), now=datetime.now(UTC))
        == []
    )
    assert len(audit.history(application)) == 1
    assert len(outbox(db)) == 1


def test_no_correction_after_the_deadline_or_a_decision(db, activity, staff):
    application = apply(activity).application
    after_deadline = activity.deadline_at + timedelta(seconds=1)
    with pytest.raises(NotCorrectable, match="closed"):
        applications.correct_application(application, answers=answers(), now=after_deadline)
    decisions.reject_application(application, by=staff)
    with pytest.raises(NotCorrectable, match="rejected"):
        applications.correct_application(application, answers=answers(), now=datetime.now(UTC))


def test_a_correction_cannot_take_another_applications_email(db, activity):
    apply(activity, email="taken@example.net")
    application = apply(activity).application
    with pytest.raises(AlreadyApplied) as refused:
        applications.correct_application(
            application, answers=answers(email="Taken@example.net"), now=datetime.now(UTC)
        )
    assert refused.value.field == "email"


# Statuses


ALL_PAIRS = [(old, new) for old in Status for new in Status]


@pytest.mark.parametrize(("old", "new"), ALL_PAIRS, ids=[f"{o}->{n}" for o, n in ALL_PAIRS])
def test_only_the_transitions_in_the_table_are_allowed(db, activity, staff, old, new):
    application = apply(activity).application
    application.status = old
    db.session.flush()
    if new in TRANSITIONS[old]:
        lifecycle.change_status(application, new, by=staff)
        assert application.status == new
    else:
        with pytest.raises(InvalidTransition):
            lifecycle.change_status(application, new, by=staff)
        db.session.expire_all()
        assert application.status == old


def test_a_status_change_is_timed_recorded_and_announced(db, activity, staff):
    application = apply(activity).application
    moment = datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC)
    lifecycle.change_status(application, Status.WAITLISTED, by=staff, note="strong", now=moment)
    assert application.status_changed_at == moment
    assert application.waitlisted_at == moment
    entry = audit.history(application)[-1]
    assert (entry.before["status"], entry.after["status"]) == ("submitted", "waitlisted")
    assert entry.actor_id == staff.id and entry.note == "strong"
    mail = outbox(db, "application_status")[-1]
    assert "waiting list" in mail.body_text.lower()


def test_applicants_cannot_take_decisions_for_themselves(db, activity):
    application = apply(activity).application
    for decision in (Status.ACCEPTED, Status.UNDER_REVIEW, Status.REJECTED):
        with pytest.raises(InvalidTransition, match="Only the organisers"):
            lifecycle.change_status(application, decision, actor="applicant")
    assert application.status == Status.SUBMITTED


def test_withdrawing_frees_the_place_and_is_confirmed_by_email(db, activity, staff):
    application = apply(activity).application
    decisions.accept_application(application, by=staff)
    assert lifecycle.places_taken(activity.id) == 1
    applicant.withdraw_application(application, now=datetime.now(UTC), reason="Visa refused")
    assert application.status == Status.WITHDRAWN
    assert lifecycle.places_taken(activity.id) == 0
    assert "withdrawn" in outbox(db, "application_status")[-1].subject.lower()
    with pytest.raises(InvalidTransition):
        applicant.withdraw_application(application, now=datetime.now(UTC))


def test_no_withdrawal_once_the_activity_has_started(db, activity):
    application = apply(activity).application
    with pytest.raises(InvalidTransition, match="started"):
        applicant.withdraw_application(application, now=activity.starts_at)


def test_an_accepted_applicant_confirms_or_declines_until_the_confirm_by_date(db, activity, staff):
    confirming = apply(activity, email="yes@example.net").application
    declining = apply(activity, email="no@example.net").application
    late = apply(activity, email="late@example.net").application
    for application in (confirming, declining, late):
        decisions.accept_application(application, by=staff)
    deadline = applicant.response_deadline(late)
    assert deadline is not None and deadline.tzinfo is not None
    applicant.confirm_participation(confirming, now=deadline)
    applicant.decline_participation(declining, now=deadline, reason="Other duties")
    with pytest.raises(ResponseClosed):
        applicant.confirm_participation(late, now=deadline + timedelta(seconds=1))
    assert (confirming.status, declining.status, late.status) == (
        Status.CONFIRMED,
        Status.DECLINED,
        Status.ACCEPTED,
    )


def test_only_an_accepted_application_can_be_confirmed(db, activity):
    application = apply(activity).application
    with pytest.raises(InvalidTransition):
        applicant.confirm_participation(application, now=datetime.now(UTC))


def test_the_applicant_sees_their_history_without_staff_notes(db, activity, staff):
    application = apply(activity).application
    decisions.mark_under_review(application, by=staff, note="Check the budget line first")
    audit.record("application.note_added", application, by=staff, note="Internal remark")
    decisions.accept_application(application, by=staff)
    texts = [entry.text for entry in applicant.applicant_history(application)]
    assert texts == ["Application submitted", "Application under review", "Application accepted"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == 4


# Private links


def test_a_revoked_link_finds_nothing_and_a_reissued_one_is_sent(db, activity):
    application = apply(activity).application
    old_token = application.token
    assert links.find_by_token(old_token) is application
    links.revoke_link(application)
    assert links.find_by_token(old_token) is None
    assert links.resend_link(activity, email="amina@example.net") is False
    links.reissue_link(application)
    assert application.token != old_token
    assert links.find_by_token(application.token) is application
    assert f"/my/{application.token}" in outbox(db, "private_link")[-1].body_text


def test_a_lost_link_is_sent_again_but_not_over_and_over(db, activity):
    apply(activity)
    assert links.resend_link(activity, email="Amina@Example.net") is True
    assert links.resend_link(activity, email="amina@example.net") is False
    assert links.resend_link(activity, email="nobody@example.net") is False
    assert len(outbox(db, "private_link")) == 1


def test_find_by_token_refuses_odd_tokens_without_asking_the_database(db):
    assert links.find_by_token("") is None
    assert links.find_by_token("x" * 500) is None


def test_the_worker_writes_a_batch_of_acknowledgements_without_a_query_per_part(db, activity):
    """The applications, their activity and contacts, grants and payments are read once for
    the batch: each further acknowledgement adds only its own answers, its certificate
    check and its writing."""

    activity_id = activity.id

    def statements_to_write(count: int, prefix: str) -> int:
        for n in range(count):
            apply(activity_id, email=f"{prefix}{n}@example.net")
        db.session.commit()
        db.session.expunge_all()  # as in the worker: nothing of the request is at hand
        ids = db.session.scalars(sa.select(EmailOutbox.id).where(EmailOutbox.unwritten)).all()
        ran: list[str] = []

        def count(_connection, _cursor, statement, *_rest) -> None:
            ran.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert emails.write_pending(ids) == {}
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        db.session.commit()
        return len(ran)

    two, six = statements_to_write(2, "two"), statements_to_write(6, "six")
    assert (six - two) / 4 <= 6
