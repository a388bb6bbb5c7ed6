"""Fixtures: one migrated database per run, emptied after each test; SQLite or PostgreSQL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient

from eventreg import create_app
from eventreg.extensions import db as _db

from .catalogs import compile_catalogs
from .factories import Factories
from .mailsink import MailSink


def pytest_configure(config: pytest.Config) -> None:
    # A fresh clone has only the .po files (make test compiles them too).
    compile_catalogs()


def test_database_url(tmp_root: Path) -> str:
    """EVENTREG_TEST_DATABASE_URL when set (CI's PostgreSQL), else a SQLite file of this run."""
    return os.environ.get("EVENTREG_TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("eventreg")


class IsolatedClient(FlaskClient):
    """A test client whose every request gets an app context (and so `g`, a db session) of
    its own, as on a real server.

    Without this, a request reuses the test's app context: `g` would carry Flask-Login's
    user and Flask-WTF's CSRF token from one client's request into another's. What the
    test staged in its session is committed first, so the request can see it.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if has_app_context():
            _db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_test_app(tmp_root: Path, **overrides: object) -> Flask:
    """An app configured for tests; overrides win."""
    config: dict[str, object] = {
        "TESTING": True,
        "DATABASE_URL": test_database_url(tmp_root),
        "SECRET_KEY": "test-only-not-a-secret",
        "SERVER_NAME": "localhost",
        "BASE_URL": "http://localhost",
        "OUTBOX_DIR": str(tmp_root / "outbox"),
        "MAIL_SERVER": None,
        "JOBS_BACKEND": "sqlite",
        # Tests sign in and apply many times from one address; tests/security turn it on.
        "RATELIMIT_ENABLED": False,
        "JOBS_SQLITE_PATH": str(tmp_root / "jobs-queue.sqlite3"),
    }
    config.update(overrides)
    # Its own instance folder: nothing a test writes lands in the developer's instance/.
    application = create_app(config, instance_path=str(tmp_root / "instance"))
    application.test_client_class = IsolatedClient
    return application


@pytest.fixture(scope="session")
def app(tmp_root: Path) -> Iterator[Flask]:
    """The app, on a database built by the migrations (not create_all) once per run."""
    from flask_migrate import upgrade

    application = make_test_app(tmp_root)
    with application.app_context():
        drop_everything()
        upgrade()
    yield application
    with application.app_context():
        _db.engine.dispose()


def drop_everything() -> None:
    """Leave the test database empty, whatever an earlier run left in it."""
    engine = _db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def db(app: Flask) -> Iterator[object]:
    """The database inside an app context; every table is emptied afterwards."""
    with app.app_context():
        yield _db
        _db.session.remove()
        empty_tables()


def empty_tables() -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture
def client(app: Flask, db: object) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def factories(db: object) -> Factories:
    return Factories()


@pytest.fixture
def make_activity(factories: Factories):  # type: ignore[no-untyped-def]
    return factories.activity


@pytest.fixture
def make_application(factories: Factories):  # type: ignore[no-untyped-def]
    return factories.application


@pytest.fixture
def make_staff(factories: Factories):  # type: ignore[no-untyped-def]
    return factories.staff


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`move_clock(moment)`: the project's clock reads `moment` for the rest of the test, in
    the views, the services and the worker alike (never sleep)."""
    from datetime import datetime

    from eventreg import clock

    def to(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    return to


class HeldClock:
    """The project's clock held at `at`; `move(seconds)` moves it on."""

    def __init__(self, move_clock) -> None:  # type: ignore[no-untyped-def]
        from eventreg.models import utcnow

        self._move_clock = move_clock
        self.at = utcnow()
        move_clock(self.at)

    def move(self, seconds: float) -> None:
        from datetime import timedelta

        self.at += timedelta(seconds=seconds)
        self._move_clock(self.at)


@pytest.fixture
def frozen_clock(move_clock) -> HeldClock:  # type: ignore[no-untyped-def]
    """The project's clock held still at the current moment until the test moves it."""
    return HeldClock(move_clock)


@pytest.fixture
def smtp(app: Flask) -> Iterator[MailSink]:
    """A real SMTP server on 127.0.0.1; the app sends to it for the length of the test."""
    sink = MailSink().start()
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_USE_TLS=False)
    yield sink
    sink.stop()
    app.config.update(saved)


@pytest.fixture
def deliver(app: Flask):  # type: ignore[no-untyped-def]
    """Run the worker once, as `flask --app eventreg worker --once` does."""
    from eventreg import worker

    def run_once() -> worker.DeliveryReport:
        return worker.run(once=True, interval=0, batch=200, jobs=False)

    return run_once


@pytest.fixture
def write_emails(app: Flask):  # type: ignore[no-untyped-def]
    """Write the emails queued unwritten (the acknowledgements), as the worker does just
    before sending them, and commit."""
    import sqlalchemy as sa

    from eventreg.emails import write_pending
    from eventreg.extensions import db
    from eventreg.models import EmailOutbox

    def run() -> None:
        write_pending(
            db.session.scalars(sa.select(EmailOutbox.id).where(EmailOutbox.unwritten)).all()
        )
        db.session.commit()

    return run


PASSWORD = "correct horse battery"


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """Sign in through the real form (with its CSRF token); returns the response."""
    page = client.get("/staff/sign-in")
    return client.post(
        "/staff/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_token_from(page.text)},
    )


def lets_in(response) -> bool:  # type: ignore[no-untyped-def]
    """Whether a sign-in step sent the browser on into the back office (each role has its
    own start page), rather than back to a sign-in page."""
    location = response.headers.get("Location", "")
    return response.status_code in (302, 303) and "/sign-in" not in location


@pytest.fixture
def sign_in_as(app: Flask, factories: Factories):  # type: ignore[no-untyped-def]
    """`sign_in_as(role, activity)`: a new test client signed in as a new staff member."""

    def make(role=None, activity=None, **fields):  # type: ignore[no-untyped-def]
        from eventreg.extensions import db as database

        user = factories.staff(role, activity, **fields)
        database.session.commit()
        client = app.test_client()
        response = sign_in(client, user.email)
        assert response.status_code in (302, 303), response.text
        client.user = user  # type: ignore[attr-defined]
        return client

    return make


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """Say loudly what did not run: a green run that skipped the browser proves less."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons: dict[str, int] = {}
    for report in skipped:
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else "skipped"
        reasons[reason] = reasons.get(reason, 0) + 1
    terminalreporter.section("SKIPPED TESTS", sep="!", red=True, bold=True)
    for reason, count in sorted(reasons.items()):
        terminalreporter.line(f"{count} test(s) did not run: {reason}", red=True, bold=True)
