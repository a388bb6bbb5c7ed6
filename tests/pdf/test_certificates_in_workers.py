"""Big certificate batches laid out by worker processes: same pages, same files, same order."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from eventreg import files, jobs
from eventreg.batches import certificates_batch  # noqa: F401 - registers the job kind
from eventreg.models import Job, JobStatus
from eventreg.pdf import certificates as certificate_pdfs
from eventreg.pdf import certificates_merged, certificates_zip, pool
from eventreg.pdf.pool import LayoutFailed
from eventreg.services.certificates import issue_certificates, issued_certificates

FAMILIES = ("Zapata", "Abebe", "Núñez", "Okafor", "Lindqvist", "Moreau")


@pytest.fixture
def worker_calls(app, monkeypatch) -> list[int]:
    """Two worker processes, two certificates a chunk, from two certificates up.

    Records how many processes each batch asked for, so a test knows the workers ran.
    """
    monkeypatch.setitem(app.config, "PDF_PROCESSES", 2)
    monkeypatch.setitem(app.config, "PDF_CHUNK_SIZE", 2)
    monkeypatch.setitem(app.config, "PDF_PROCESSES_MIN_BATCH", 2)
    calls: list[int] = []
    real = pool.in_workers

    def recording(*args: Any, processes: int, **kwargs: Any) -> Any:
        calls.append(processes)
        return real(*args, processes=processes, **kwargs)

    monkeypatch.setattr(pool, "in_workers", recording)
    return calls


@pytest.fixture
def six_certificates(workshop, participant) -> list[Any]:
    for family in FAMILIES:
        participant(workshop, family_name=family)
    issue_certificates(workshop, by=None)
    return issued_certificates(workshop)


@pytest.fixture
def logo(app, workshop) -> Any:
    folder = Path(app.instance_path) / "test-worker-logos"
    folder.mkdir(exist_ok=True)
    Image.new("RGB", (300, 120), "navy").save(folder / "logo.png")
    workshop.logo_path = "test-worker-logos/logo.png"
    yield folder / "logo.png"
    (folder / "logo.png").unlink()
    folder.rmdir()


def test_the_merged_pdf_has_every_certificate_in_order(workshop, six_certificates, worker_calls):
    progress: list[tuple[int, int]] = []
    data = certificates_merged(workshop, progress=lambda *a: progress.append(a))
    assert worker_calls == [2]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 6
    for page, certificate in zip(reader.pages, six_certificates, strict=True):
        text = page.extract_text()
        assert certificate.application.full_name in text
        assert certificate.code in text
    assert reader.metadata.title == f"Certificates {workshop.reference}"
    assert progress == [(2, 6), (4, 6), (6, 6)]
    # Joined from three chunks, it is still one tagged document: one structure tree whose
    # elements point at the joined pages, each page with its own parent-tree key.
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and catalog["/Lang"] == "en"
    tree = catalog["/StructTreeRoot"]
    [document] = tree["/K"]
    pages = {page.indirect_reference.idnum for page in reader.pages}
    on_pages = {
        element.get_object().raw_get("/Pg").idnum
        for element in document.get_object()["/K"]
        if "/Pg" in element.get_object()
    }
    assert on_pages == pages
    keys = [page["/StructParents"] for page in reader.pages]
    assert len(set(keys)) == 6
    nums = tree["/ParentTree"]["/Nums"]
    assert set(keys) <= {nums[index] for index in range(0, len(nums), 2)}


def test_the_zip_has_the_same_files_in_the_same_order(
    app, workshop, six_certificates, worker_calls, logo, monkeypatch
):
    progress: list[tuple[int, int]] = []
    archive = zipfile.ZipFile(
        io.BytesIO(certificates_zip(workshop, progress=lambda *a: progress.append(a)))
    )
    assert worker_calls == [2]
    names = archive.namelist()
    assert names == [certificate_pdfs.zip_name(workshop, c) for c in six_certificates]
    for name, certificate in zip(names, six_certificates, strict=True):
        reader = PdfReader(io.BytesIO(archive.read(name)))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        assert certificate.application.full_name in text and certificate.code in text
        assert reader.metadata.title == f"Certificate {certificate.application.full_name}"
        # Each file is tagged for screen readers (PDF/UA), as the one downloaded alone is.
        catalog = reader.trailer["/Root"]
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
        # Its own QR code and the logo, which the worker's fetcher was allowed to read.
        assert len(reader.pages[0]["/Resources"]["/XObject"]) == 2
    done = [d for d, _ in progress]
    assert done == sorted(done) and progress[-1] == (12, 12)

    monkeypatch.setitem(app.config, "PDF_PROCESSES", 1)
    here = zipfile.ZipFile(io.BytesIO(certificates_zip(workshop)))
    assert worker_calls == [2]  # laid out in this process this time
    assert here.namelist() == names


def test_a_batch_job_reports_progress_to_the_end(db, workshop, six_certificates, worker_calls):
    record = jobs.submit("certificates.batch", params={"activity_id": workshop.id, "as_zip": True})
    db.session.commit()
    jobs.execute(record.id)
    record = db.session.get(Job, record.id)
    assert record.status == JobStatus.DONE, record.error
    assert (record.done, record.total) == (12, 12)
    assert worker_calls == [2]
    archive = zipfile.ZipFile(io.BytesIO(files.store().read(record.result_path)))
    assert len(archive.namelist()) == 6


def test_the_cli_writes_a_batch_laid_out_by_workers(
    app, db, workshop, six_certificates, worker_calls, tmp_path
):
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["pdf", "certificates", workshop.reference, "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert worker_calls == [2]
    assert len(PdfReader(tmp_path / f"{workshop.reference}-certificates.pdf").pages) == 6


def fail_in_worker(chunk: Any) -> list[bytes]:
    """Stands in for the worker's layout (it runs in the worker process, found by name)."""
    if "Núñez" in chunk.html:
        raise ValueError("no font for this name")
    return certificate_pdfs._lay_out_chunk(chunk)


def die_in_worker(chunk: Any) -> list[bytes]:
    os._exit(3)


def test_a_chunk_failing_in_a_worker_names_the_certificates(
    workshop, six_certificates, worker_calls, monkeypatch
):
    monkeypatch.setattr(certificate_pdfs, "_lay_out_chunk", fail_in_worker)
    with pytest.raises(LayoutFailed) as failure:
        certificates_zip(workshop)
    # Núñez is third by family name: the second chunk of two.
    message = str(failure.value)
    assert f"certificates 3 to 4 of {workshop.reference}" in message
    assert "ValueError: no font for this name" in message


def test_a_worker_that_dies_is_an_error_not_a_hang(
    workshop, six_certificates, worker_calls, monkeypatch
):
    monkeypatch.setattr(certificate_pdfs, "_lay_out_chunk", die_in_worker)
    with pytest.raises(LayoutFailed, match="stopped unexpectedly"):
        certificates_merged(workshop)


def test_small_batches_stay_in_this_process(app, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_PROCESSES", 4)
    monkeypatch.setitem(app.config, "PDF_PROCESSES_MIN_BATCH", 100)
    monkeypatch.setitem(app.config, "PDF_CHUNK_SIZE", 50)
    with app.app_context():
        assert pool.processes_for(99) == 1
        assert pool.processes_for(100) == 4
        assert pool.chunk_size(500, 4) == 50
        assert pool.chunk_size(100, 4) == 25  # every process gets a share
        monkeypatch.setitem(app.config, "PDF_PROCESSES", 1)
        assert pool.processes_for(10_000) == 1
