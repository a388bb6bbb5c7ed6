"""PDF rendering: certificates as one batch (merged and ZIP) against one document each.

Run from the repo root: `.venv/bin/python bench/pdf.py`. It builds a throwaway SQLite
database, an activity with 500 eligible participants (names in several scripts) whose
certificates are issued, and renders through the product's own functions:

- the 500 certificates merged into one PDF, and as a ZIP of 500 files (one layout, split);
- 50 of the same certificates each as its own WeasyPrint document (the slow way), for the
  ratio: seconds per certificate on its own / seconds per certificate in the ZIP batch;
- a 300-participant attendance sheet, and the programme of the reference workshop.

Prints `name: value` lines (ratio last) and writes bench/results/pdf.json.
"""

from __future__ import annotations

import io
import json
import os
import platform
import resource
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CERTIFICATES = 500
ALONE = 50
ATTENDANCE = 300
SESSIONS = 10

# Mostly Latin names with accents, and some in the other scripts participants write in.
GIVEN = ["Amina", "José", "Zoë", "Łukasz", "Ngozi", "Søren", "Thảo", "Björn", "Inés", "Kwame"]
FAMILY = ["Acharya", "Núñez", "Okonkwo", "Dvořák", "Nguyễn", "Müller", "Ferreira", "Çelik"]
OTHER_SCRIPTS = [
    ("Мария", "Иванова"),
    ("فاطمة", "الزهراء"),
    ("सुनीता", "शर्मा"),
    ("明", "王"),
    ("Ηλέκτρα", "Παπαδοπούλου"),
]


def build_activity(reference: str, participants: int, *, eligible: bool) -> Any:
    """An activity with SESSIONS sessions and `participants` attended applicants."""
    from eventreg.extensions import db
    from eventreg.models import (
        Activity,
        ActivityKind,
        ActivitySession,
        ActivityStatus,
        Application,
        ApplicationStatus,
        Attendance,
        FeeComponent,
    )

    starts = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    activity = Activity(
        reference=reference,
        slug=f"bench-{reference.lower()}",
        kind=ActivityKind.TRAINING_OF_TRAINERS,
        status=ActivityStatus.ARCHIVED,
        title="Occupational safety and health: training of trainers",
        venue="Trade union training centre, Kathmandu (Nepal)",
        timezone="Asia/Kathmandu",
        starts_at=starts,
        ends_at=starts + timedelta(days=4, hours=9),
        deadline_at=starts - timedelta(days=30),
        capacity=participants,
        certificate_threshold=80,
        certificate_signatories=[
            {"name": "Valeria Manager", "title": "Activity manager"},
            {"name": "Ada Admin", "title": "Director of training"},
        ],
    )
    activity.fee_components = [FeeComponent(name="Tuition", amount=90_000, position=1)]
    for n in range(SESSIONS):
        day = starts + timedelta(days=n // 2, hours=4 * (n % 2))
        activity.sessions.append(
            ActivitySession(
                title=f"Session {n + 1}", starts_at=day, ends_at=day + timedelta(hours=3)
            )
        )
    db.session.add(activity)
    db.session.flush()
    applications = []
    for number in range(1, participants + 1):
        if number % 10 == 0:
            given, family = OTHER_SCRIPTS[(number // 10) % len(OTHER_SCRIPTS)]
        else:
            given, family = GIVEN[number % len(GIVEN)], FAMILY[(number * 7) % len(FAMILY)]
        applications.append(
            Application(
                activity_id=activity.id,
                number=number,
                reference=f"{reference}-{number:04d}",
                status=ApplicationStatus.ATTENDED if eligible else ApplicationStatus.CONFIRMED,
                given_names=given,
                family_name=family,
                email=f"participant{number}@example.net",
                country=["NP", "IN", "BD", "LK", "PK"][number % 5],
                organisation=["GEFONT", "NTUC", "ANTUF", "Ceylon Workers' Congress"][number % 4],
            )
        )
    db.session.add_all(applications)
    db.session.flush()
    if eligible:
        # Present at 9 of 10 sessions: 90%, above the 80% threshold.
        db.session.add_all(
            Attendance(application_id=a.id, session_id=s.id, present=i != 0)
            for a in applications
            for i, s in enumerate(activity.sessions)
        )
        db.session.flush()
    return activity


@contextmanager
def timed() -> Iterator[list[float]]:
    """Wall-clock and CPU seconds of the block, as [wall, cpu] once it ends."""
    figures: list[float] = []
    wall, cpu = time.perf_counter(), time.process_time()
    yield figures
    figures.extend([time.perf_counter() - wall, time.process_time() - cpu])


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def main() -> None:
    from flask_migrate import upgrade

    from eventreg import create_app
    from eventreg.demo import load_demo
    from eventreg.extensions import db
    from eventreg.models import Activity
    from eventreg.pdf import attendance_sheet, certificate_pdf, programme_pdf
    from eventreg.pdf.certificates import certificates_merged, certificates_zip
    from eventreg.services.certificates import issue_certificates, issued_certificates

    with tempfile.TemporaryDirectory(prefix="eventreg-bench-pdf-") as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                "SECRET_KEY": "bench-only",
                "BASE_URL": "https://events.example.org",
                "OUTBOX_DIR": f"{folder}/outbox",
                "JOBS_SQLITE_PATH": f"{folder}/jobs.sqlite3",
                "LOG_LEVEL": "WARNING",
            }
        )
        with app.app_context():
            upgrade()
            load_demo(folder, now=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
            batch = build_activity("B260500", CERTIFICATES, eligible=True)
            sheet_activity = build_activity("B260300", ATTENDANCE, eligible=False)
            issue_certificates(batch, by=None)
            db.session.commit()
            certificates = issued_certificates(batch)
            assert len(certificates) == CERTIFICATES, len(certificates)
            reference = db.session.scalars(
                db.select(Activity).where(Activity.reference == "A901357")
            ).one()

            # Warm up once (fontconfig scan, imports) so neither side pays it.
            certificate_pdf(certificates[0])

            load = os.getloadavg()[0]
            with timed() as alone_time:
                for certificate in certificates[:ALONE]:
                    certificate_pdf(certificate)
            with timed() as merged_time:
                merged = certificates_merged(batch)
            with timed() as zip_time:
                archive = certificates_zip(batch)
            with timed() as sheet_time:
                sheet = attendance_sheet(sheet_activity, day=date(2026, 3, 2), walk_in_rows=10)
            with timed() as programme_time:
                programme = programme_pdf(reference)
        alone, merged_seconds, zip_seconds = alone_time[0] / ALONE, merged_time[0], zip_time[0]
        sheet_seconds, programme_seconds = sheet_time[0], programme_time[0]

        with zipfile.ZipFile(io.BytesIO(archive)) as opened:
            files = opened.namelist()
        assert len(files) == CERTIFICATES, len(files)
        merged_pages = pdf_pages(merged)
        assert merged_pages == CERTIFICATES, merged_pages
        sheet_pages, programme_pages = pdf_pages(sheet), pdf_pages(programme)
        pages = merged_pages + len(files) + sheet_pages + programme_pages
        seconds = merged_seconds + zip_seconds + sheet_seconds + programme_seconds
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    figures: dict[str, float | int] = {
        "certificates": CERTIFICATES,
        "seconds_per_certificate_merged": round(merged_seconds / CERTIFICATES, 4),
        "merged_total_seconds": round(merged_seconds, 2),
        "seconds_per_certificate_zip": round(zip_seconds / CERTIFICATES, 4),
        "zip_total_seconds": round(zip_seconds, 2),
        "seconds_per_certificate_alone": round(alone, 4),
        "attendance_sheet_seconds": round(sheet_seconds, 2),
        "attendance_sheet_pages": sheet_pages,
        "programme_seconds": round(programme_seconds, 2),
        "programme_pages": programme_pages,
        "pages_per_second": round(pages / seconds, 1),
        "peak_memory_mb": round(peak_kib / 1024, 1),
        # The machine is shared: CPU seconds and the load show how much of the wall time
        # was spent waiting for a core.
        "cpu_seconds_per_certificate_merged": round(merged_time[1] / CERTIFICATES, 4),
        "cpu_seconds_per_certificate_zip": round(zip_time[1] / CERTIFICATES, 4),
        "cpu_seconds_per_certificate_alone": round(alone_time[1] / ALONE, 4),
        "cpu_ratio": round((alone_time[1] / ALONE) / (zip_time[1] / CERTIFICATES), 2),
        "load_average_at_start": round(load, 2),
        "ratio": round(alone / (zip_seconds / CERTIFICATES), 2),
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    payload = {
        "figures": figures,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    (results / "pdf.json").write_text(json.dumps(payload, indent=2) + "\n")


if __name__ == "__main__":
    main()
