"""Erasing a person: nothing of them left in the database or the files, the figures unchanged."""

from __future__ import annotations

import base64
import io
import json
import os
import sqlite3
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventreg import clock
from eventreg.extensions import db as _db
from eventreg.models import (
    Application,
    ApplicationNote,
    EvaluationResponse,
    PaymentMethod,
    Question,
    Role,
)
from eventreg.personal_data import NOT_ABOUT_APPLICANTS, unclassified
from eventreg.services import (
    access,
    attendance,
    certificates,
    costshare,
    decisions,
    erasure,
    evaluations,
    messages,
    payments,
)
from eventreg.services import questions as question_service
from eventreg.services.applicant import confirm_participation

from ..applicant.conftest import submit

NAME = ("Zbigniew", "Quetzalcoatl-Ōkami")
EMAIL = "zbigniew.q@example.net"
PHONE = "+48 22 555 0199"
PASSPORT = "ZQ7734912"
CV = b"%PDF-1.4\n% Zbigniew's CV, unique marker 8d1f77c3e0\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"diploma-scan-unique-4b9e01" + b"\x00" * 32
STORY = "I organise dock workers in Gdansk with Quetzalcoatl-Okami methods."
TRACES = [
    "Zbigniew",
    "Quetzalcoatl",
    "Ōkami",
    "\\u014ckami",
    EMAIL,
    "zbigniew.q",
    "555 0199",
    "225550199",
    PASSPORT,
    "8d1f77c3e0",
    CV.hex(),
    "4b9e01",
    PNG.hex(),
]


def test_every_table_is_classified_in_the_personal_data_registry(db):
    tables = list(_db.metadata.tables) + ["alembic_version"]
    assert unclassified(tables) == [], "classify new tables in eventreg/personal_data.py"
    assert "applications" not in NOT_ABOUT_APPLICANTS


def add_question(activity, type_, label):
    spec = question_service.QuestionSpec(type=type_, label={"en": label})
    question = question_service.save_question(activity, Question(), spec, by=None)
    _db.session.commit()
    return question


def figures(activity):
    """What staff report: counts by gender, country and status, budget, evaluation."""
    _db.session.expire_all()
    counts = _db.session.execute(
        sa.select(Application.gender, Application.country, Application.status, sa.func.count())
        .where(Application.activity_id == activity.id)
        .group_by(Application.gender, Application.country, Application.status)
        .order_by(Application.gender, Application.country, Application.status)
    ).all()
    report = evaluations.report(activity)
    return (
        [tuple(row) for row in counts],
        costshare.budget(activity),
        repr(report),
        len(certificates.issued_certificates(activity)),
        attendance.head_counts(activity),
    )


def database_dump(app) -> str:
    """The whole database as text: sqlite3's iterdump, or pg_dump on PostgreSQL."""
    _db.session.commit()
    url = _db.engine.url
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database) as connection:
            return "\n".join(connection.iterdump())
    env = dict(os.environ, PGPASSWORD=url.password or "")
    return subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--inserts",
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            url.database,
        ],
        check=True,
        capture_output=True,
        env=env,
    ).stdout.decode("utf-8", "replace")


def files_dump(app, uploads: Path) -> str:
    """Every file the application wrote: its instance folder, uploads and mail folder."""
    found = []
    roots = {Path(app.instance_path), uploads, Path(app.config["OUTBOX_DIR"])}
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file():
                content = path.read_bytes()
                found.append(f"{path}\n{content.decode('utf-8', 'replace')}\n{content.hex()}")
    return "\n".join(found)


@pytest.fixture(params=["folder", "database"])
def file_store(request, app, uploads, monkeypatch):
    """Uploads in a folder, or as rows of stored_files (PostgreSQL's default)."""
    monkeypatch.setitem(app.config, "FILE_STORE", request.param)
    return request.param


@pytest.fixture
def zbigniew_everywhere(
    app, db, client, workshop, make_staff, factories, deliver, smtp, file_store, monkeypatch
):
    """Zbigniew applies with a CV and answers, and every kind of record is made about him."""
    activity = workshop
    activity.evaluation_anonymous = False
    activity.costshare_offer = "Yes"
    passport = add_question(activity, "short_text", "Passport number")
    story = add_question(activity, "long_text", "Your work")
    diploma = add_question(activity, "file", "Diploma")
    submit(client, activity)  # Amina Diallo, who must keep everything
    response = submit(
        client,
        activity,
        given_names=NAME[0],
        family_name=NAME[1],
        email=EMAIL,
        email_confirm=EMAIL,
        phone=PHONE,
        gender="male",
        country="PL",
        nationality="PL",
        organisation="Solidarność Gdansk",
        motivation=f"{NAME[0]} wants to learn.",
        cv=(io.BytesIO(CV), "zbigniew-cv.pdf"),
        **{
            f"q{passport.id}": PASSPORT,
            f"q{story.id}": STORY,
            f"q{diploma.id}": (io.BytesIO(PNG), "diploma.png"),
        },
    )
    assert "/confirmation" in response.headers["Location"], response.text
    _db.session.expire_all()
    zbigniew = _db.session.scalars(sa.select(Application).filter_by(email=EMAIL)).one()
    amina = _db.session.scalars(sa.select(Application).filter_by(email="amina@example.net")).one()
    assistant = make_staff(Role.COURSE_ASSISTANT, activity)
    for person in (zbigniew, amina):
        decisions.accept_application(person, by=assistant)
        confirm_participation(person, now=clock.now())
    costshare.grant_cost_share(
        zbigniew,
        component_id=activity.fee_components[0].id,
        share=costshare.Share.ALL,
        by=assistant,
    )
    payments.record_payment(
        zbigniew,
        amount=50_000,
        received_on=date(2020, 1, 1),
        method=PaymentMethod.BANK_TRANSFER,
        note=f"Transfer from {NAME[0]} {NAME[1]}",
        by=assistant,
    )
    _db.session.add(
        ApplicationNote(
            application_id=zbigniew.id, author_id=assistant.id, body=f"Called {NAME[0]}"
        )
    )
    _db.session.commit()
    deliver()  # the acknowledgement, the decision, the grant and payment emails go out
    assert smtp.to(EMAIL)
    after_the_end = activity.ends_at + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: after_the_end)  # the course has taken place
    for session in activity.sessions:
        for person in (zbigniew, amina):
            attendance.mark(person, session, present=True, by=assistant)
    invitations = evaluations.invite_participants(activity, by=assistant)
    for invitation in invitations:
        questions = evaluations.ensure_questions(activity)
        values = {q.id: (5 if q.kind == "rating" else "Useful cases.") for q in questions}
        evaluations.submit_online(invitation, values)
    certificates.issue_certificates(activity, by=assistant)
    messages.send_message(
        zbigniew,
        letter=messages.Letter(subject="Your visa", body="Dear {given_names}, about your visa."),
        by=assistant,
    )  # queued, not yet delivered
    _db.session.commit()
    return activity, zbigniew, amina


def test_erasure_leaves_no_trace_of_him_and_the_figures_unchanged(
    app, db, uploads, make_staff, zbigniew_everywhere
):
    activity, zbigniew, amina = zbigniew_everywhere
    # Lower case: SQLite dumps bytes as upper-case hex, pg_dump as lower-case.
    dump_before = (database_dump(app) + files_dump(app, uploads)).lower()
    for trace in ("Zbigniew", PASSPORT, CV.hex(), PNG.hex()):
        assert trace.lower() in dump_before, f"the test made no record holding {trace!r}"
    before = figures(activity)
    amina_before = access.personal_record_json([amina])

    admin = make_staff(Role.ADMIN)
    erased = erasure.erase(erasure.applications_of(EMAIL.upper()), by=admin, actor="test")
    _db.session.commit()
    assert erased == [zbigniew.id]

    dump = (database_dump(app) + files_dump(app, uploads)).lower()
    assert [trace for trace in TRACES if trace.lower() in dump] == []
    assert f"erased applicant #{zbigniew.id}" in dump
    assert figures(activity) == before
    _db.session.expire_all()
    assert access.personal_record_json([_db.session.get(Application, amina.id)]) == amina_before
    assert (
        _db.session.scalar(
            sa.select(sa.func.count()).where(EvaluationResponse.application_id == zbigniew.id)
        )
        == 0
    )
    # Twice is harmless: nothing more happens.
    assert erasure.erase([_db.session.get(Application, zbigniew.id)], actor="test") == []


def test_the_access_download_holds_everything_he_entered(app, db, zbigniew_everywhere):
    activity, zbigniew, amina = zbigniew_everywhere
    record = json.loads(access.personal_record_json(erasure.applications_of(EMAIL)))
    text = json.dumps(record, ensure_ascii=False)
    [row] = record["tables"]["applications"]
    assert row["given_names"] == NAME[0] and row["family_name"] == NAME[1]
    assert row["email"] == EMAIL and row["organisation"] == "Solidarność Gdansk"
    for entered in (PASSPORT, STORY, "Transfer from", "Dear Zbigniew, about your visa."):
        assert entered in text
    uploads = [base64.b64decode(u["base64"]) for u in record["uploads"]]
    assert CV in uploads and PNG in uploads
    assert record["tables"]["email_outbox"], "the emails sent to him"
    assert "Amina" not in text
