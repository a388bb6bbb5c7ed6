"""`flask backup`, a wipe, then `flask restore`: the same rows and files come back."""

from __future__ import annotations

import tarfile

import pytest
import sqlalchemy as sa

from eventreg import files
from eventreg.extensions import db as database
from eventreg.models import ApplicationStatus, Job, JobStatus

from ..conftest import drop_everything


def every_row() -> dict[str, list[tuple]]:
    """Each table's rows, in primary-key order, as plain tuples."""
    rows = {}
    with database.engine.connect() as connection:
        for table in database.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows[table.name] = [
                tuple(r) for r in connection.execute(table.select().order_by(*order))
            ]
    return rows


@pytest.mark.parametrize("store_kind", ["folder", "database"])
def test_backup_wipe_restore_gives_back_the_same_rows_and_files(
    app, db, make_activity, factories, tmp_path, monkeypatch, store_kind
):
    monkeypatch.setitem(app.config, "FILE_STORE", store_kind)
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "files"))
    activity = make_activity(title="Partnerships <for> local services")
    for n in range(3):
        factories.application(activity, status=ApplicationStatus.ACCEPTED, given_names=f"Amina {n}")
    store = files.store()
    store.save("cv/T1/abc.pdf", b"%PDF-1.7 a CV")
    store.save("jobs/1/certificates.zip", bytes(range(256)) * 40)
    db.session.add(
        Job(kind="certificates.batch", status=JobStatus.DONE, result_path="jobs/1/certificates.zip")
    )
    db.session.commit()
    before = every_row()
    assert len(before["applications"]) == 3

    runner = app.test_cli_runner()
    archive = tmp_path / "eventreg-backup.tar.gz"
    made = runner.invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    # The database store's files travel inside the database's snapshot.
    assert f"{2 if store_kind == 'folder' else 0} files" in made.output
    with tarfile.open(archive) as contents:
        names = contents.getnames()
    assert "manifest.json" in names

    # Wipe: every table gone, every stored file gone.
    db.session.remove()
    drop_everything()
    for key in list(files.FolderStore(tmp_path / "files").keys()):
        files.FolderStore(tmp_path / "files").delete(key)

    refused = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert refused.exit_code != 0  # asks first, and "no" changes nothing
    restored = runner.invoke(args=["restore", "--yes", str(archive)])
    assert restored.exit_code == 0, restored.output

    assert every_row() == before
    store = files.store()
    assert sorted(store.keys()) == ["cv/T1/abc.pdf", "jobs/1/certificates.zip"]
    assert store.read("jobs/1/certificates.zip") == bytes(range(256)) * 40
    assert store.read("cv/T1/abc.pdf") == b"%PDF-1.7 a CV"


def test_a_backup_never_overwrites_and_restore_refuses_a_stranger(app, db, tmp_path):
    runner = app.test_cli_runner()
    existing = tmp_path / "taken.tar.gz"
    existing.write_bytes(b"something precious")
    answer = runner.invoke(args=["backup", str(existing)])
    assert answer.exit_code != 0 and "exists already" in answer.output
    assert existing.read_bytes() == b"something precious"

    stranger = tmp_path / "stranger.tar.gz"
    with tarfile.open(stranger, "w:gz") as archive:
        note = tmp_path / "manifest.json"
        note.write_text('{"format": 99}')
        archive.add(note, arcname="manifest.json")
    answer = runner.invoke(args=["restore", "--yes", str(stranger)])
    assert answer.exit_code != 0 and "not an eventreg backup" in answer.output
    assert database.session.scalar(sa.text("SELECT count(*) FROM alembic_version")) == 1
