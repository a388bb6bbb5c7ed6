"""The migrations build the whole schema from empty, and match the models exactly."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from eventreg.extensions import db

from .conftest import make_test_app


@pytest.fixture
def empty_database_url(tmp_path: Path):
    """A brand-new empty database of the kind the suite runs on."""
    base = os.environ.get("EVENTREG_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"eventreg_mig_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_builds_a_schema_identical_to_the_models(tmp_path, empty_database_url):
    app = make_test_app(tmp_path, DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"activities", "applications", "email_outbox", "audit_log", "certificates"} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path):
    app = make_test_app(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    with app.app_context():
        db.engine.dispose()


def test_upgrade_keeps_existing_data(tmp_path, empty_database_url):
    """Each migration runs over a database that holds the demo, and loses nothing."""
    from eventreg.demo import load_demo
    from eventreg.models import Application, utcnow

    app = make_test_app(tmp_path, DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade(revision="b5c244776a6e")  # the first schema
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO activities (reference, slug, kind, status, title, subtitle,"
                    " summary, background, objectives, outcomes, methodology, evaluation_note,"
                    " audience_note, languages, language_requirement, venue, timezone,"
                    " display_timezones, starts_at, ends_at, deadline_at, capacity, currency,"
                    " not_included, costshare_offer, costshare_budget, certificate_threshold,"
                    " created_at, updated_at) VALUES ('OLD1', 'old', 'workshop', 'published',"
                    " 'Old', '', '', '', '', '', '', '', '', '[\"en\"]', '', '', 'UTC', '[]',"
                    " '2030-01-01 09:00:00', '2030-01-02 09:00:00', '2029-12-01 09:00:00', 5,"
                    " 'EUR', '', '', 0, 80, '2029-01-01 00:00:00', '2029-01-01 00:00:00')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO fee_components (activity_id, name, amount, covers, position)"
                    " SELECT id, 'Tuition', 100000, '', 1 FROM activities WHERE reference='OLD1'"
                )
            )
        upgrade()
        load_demo(str(tmp_path), now=utcnow())
        db.session.commit()
        upgrade()  # nothing left to do: still fine
        old = db.session.execute(
            sa.text("SELECT paper_size, confirm_within_days FROM activities WHERE reference='OLD1'")
        ).one()
        assert tuple(old) == ("A4", 14)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) > 200
        db.session.remove()  # release PostgreSQL's table locks before altering tables
        downgrade(revision="b5c244776a6e")
        assert db.session.execute(sa.text("SELECT count(*) FROM applications")).scalar() > 200
        db.session.remove()
        db.engine.dispose()
