"""The file store: the same behaviour from the folder and from the database."""

from __future__ import annotations

import pytest

from eventreg import files


@pytest.fixture(params=["folder", "database"])
def store(request, app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE", request.param)
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "files"))
    return files.store()


def test_a_saved_file_reads_back_and_is_listed(store, db):
    store.save("jobs/7/certificates.zip", b"PK\x03\x04 zip bytes")
    store.save("cv/A901357/abc.pdf", b"%PDF-1.7")
    db.session.commit()
    assert store.read("jobs/7/certificates.zip") == b"PK\x03\x04 zip bytes"
    assert list(store.keys()) == ["cv/A901357/abc.pdf", "jobs/7/certificates.zip"]


def test_saving_again_replaces_and_delete_removes(store, db):
    store.save("cv/x.pdf", b"first")
    store.save("cv/x.pdf", b"second")
    assert store.read("cv/x.pdf") == b"second"
    store.delete("cv/x.pdf")
    store.delete("cv/x.pdf")  # nothing there: no error
    with pytest.raises(files.MissingFile, match="cv/x.pdf"):
        store.read("cv/x.pdf")


def test_a_discarded_file_goes_with_the_commit_and_stays_after_a_rollback(store, db):
    """A file the transaction stops referring to (a replaced CV, a removed signature) is
    removed when the change is committed; a change rolled back still has its file."""
    for key in ("cv/kept.pdf", "cv/gone.pdf"):
        store.save(key, b"%PDF-1.7")
    db.session.commit()

    files.discard("cv/kept.pdf")
    db.session.rollback()
    files.discard("cv/gone.pdf")
    files.discard(None)  # nothing to discard: no error
    db.session.commit()
    db.session.commit()  # a later transaction discards nothing more

    assert store.read("cv/kept.pdf") == b"%PDF-1.7"
    with pytest.raises(files.MissingFile):
        store.read("cv/gone.pdf")


def test_an_upload_stays_only_if_its_change_is_committed(store, db):
    """An upload saved with its change: committed, it stays; rolled back, or left when the
    request ends without a commit, it goes (a refused form leaves no file behind)."""
    files.save_with_change("cv/committed.pdf", b"%PDF-1.7")
    db.session.commit()
    files.save_with_change("cv/rolled-back.pdf", b"%PDF-1.7")
    db.session.rollback()
    files.save_with_change("cv/abandoned.pdf", b"%PDF-1.7")
    db.session.remove()

    assert store.read("cv/committed.pdf") == b"%PDF-1.7"
    for key in ("cv/rolled-back.pdf", "cv/abandoned.pdf"):
        with pytest.raises(files.MissingFile):
            store.read(key)


@pytest.mark.parametrize("key", ["../secret", "/etc/passwd", "cv/../../x", "", "a\\b"])
def test_a_key_that_climbs_out_is_refused(store, key):
    with pytest.raises(ValueError, match="not a file key"):
        store.save(key, b"x")
    with pytest.raises(ValueError, match="not a file key"):
        store.read(key)


def test_the_database_store_is_the_default_on_postgresql_only(app, monkeypatch):
    monkeypatch.setitem(app.config, "FILE_STORE", None)
    on_postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    with app.app_context():
        assert files.store_kind() == ("database" if on_postgresql else "folder")
    monkeypatch.setitem(app.config, "FILE_STORE", "s3")
    with app.app_context(), pytest.raises(ValueError, match="FILE_STORE must be"):
        files.store()


def test_a_job_result_in_the_database_downloads_without_the_worker_s_folder(
    app, db, sign_in_as, monkeypatch, tmp_path
):
    from eventreg import jobs
    from eventreg.models import Job, Role

    monkeypatch.setitem(app.config, "FILE_STORE", "database")
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "nowhere"))
    admin = sign_in_as(Role.ADMIN)
    record = jobs.submit("test.result", params={})
    db.session.commit()
    jobs.execute(record.id)
    record = db.session.get(Job, record.id)
    assert record.result_path == f"jobs/{record.id}/numbers.csv"
    assert not (tmp_path / "nowhere").exists()
    download = admin.get(f"/staff/jobs/{record.id}/download")
    assert download.status_code == 200
    assert download.data == b"1,2,3\n"
    assert "numbers.csv" in download.headers["Content-Disposition"]


@pytest.fixture(autouse=True, scope="module")
def result_job():
    from eventreg import jobs

    @jobs.job("test.result")
    def numbers(record, progress):  # type: ignore[no-untyped-def]
        return jobs.JobResult(data=b"1,2,3\n", name="numbers.csv", message="done")

    yield
    jobs.REGISTRY.pop("test.result", None)
