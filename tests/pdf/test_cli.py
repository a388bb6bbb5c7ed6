"""`flask pdf programme` and `flask pdf certificates`."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader

from eventreg.models import ApplicationStatus


def test_the_programme_command_writes_a_pdf(app, db, make_activity, tmp_path):
    activity = make_activity(title="Programme on the command line")
    db.session.commit()
    out = tmp_path / "out" / "programme.pdf"
    result = app.test_cli_runner().invoke(
        args=["pdf", "programme", activity.reference, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Programme on the command line" in PdfReader(out).pages[0].extract_text()


def test_the_certificates_command_issues_then_writes_merged_and_zip(
    app, db, make_activity, make_application, tmp_path, move_clock
):
    activity = make_activity(certificate_threshold=0)
    move_clock(activity.ends_at)
    for family in ("Abebe", "Okafor"):
        make_application(activity, family_name=family, status=ApplicationStatus.ATTENDED)
    db.session.commit()
    runner = app.test_cli_runner()

    nothing = runner.invoke(
        args=["pdf", "certificates", activity.reference, "--out", str(tmp_path)]
    )
    assert nothing.exit_code != 0 and "no issued certificate" in nothing.output

    merged = runner.invoke(
        args=["pdf", "certificates", activity.reference, "--out", str(tmp_path), "--issue"]
    )
    assert merged.exit_code == 0, merged.output
    assert "issued 2 new certificate(s)" in merged.output
    assert len(PdfReader(tmp_path / f"{activity.reference}-certificates.pdf").pages) == 2

    zipped = runner.invoke(
        args=["pdf", "certificates", activity.reference, "--out", str(tmp_path), "--zip"]
    )
    assert zipped.exit_code == 0, zipped.output
    archive = zipfile.ZipFile(tmp_path / f"{activity.reference}-certificates.zip")
    assert len(archive.namelist()) == 2
    assert all(len(PdfReader(io.BytesIO(archive.read(n))).pages) == 1 for n in archive.namelist())


def test_an_unknown_reference_is_refused(app, db, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["pdf", "programme", "NOPE", "--out", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code != 0 and "no activity has reference NOPE" in result.output
