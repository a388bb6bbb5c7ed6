"""PDF rendering: certificates as one batch (merged and ZIP) against one document each.

Run from the repo root: `.venv/bin/python bench/pdf.py`. It builds a throwaway SQLite
database, an activity with 500 eligible participants (names in several scripts) whose
certificates are issued, and renders through the product's own functions:

- the 500 certificates merged into one PDF, and as a ZIP of 500 files. With the default
  settings both are laid out in chunks by worker processes, one per available CPU
  (`processes:`; PDF_PROCESSES=1 in the environment, as EVENTREG_PDF_PROCESSES=1, keeps them
  in this process);
- 50 of the same certificates each as its own WeasyPrint document (the slow way);
- a 300-participant attendance sheet, and the programme of the reference workshop.

Before timing, one certificate is rendered (imports, fontconfig) and the fork server the
workers come from is started and has imported WeasyPrint (`pool_server_start_seconds`,
paid once per process); each batch still starts its own workers and pays their warm-up.

Figures:
- `ratio` = (wall seconds per certificate alone) / (wall seconds per certificate of the
  ZIP batch): what a user waits for, batching and worker processes together.
- `cpu_ratio` is the same with CPU seconds, the workers' included: what batching alone
  saves. CPU is this process's (time.process_time) plus its children's: every live
  descendant's utime + stime + cutime + cstime from /proc (the fork server's workers are
  its children, reaped by it) plus RUSAGE_CHILDREN for reaped direct children; exact to the
  clock tick.
- `peak_memory_mb` = this process's ru_maxrss plus, for the batch where it is highest, the
  sum of each child's peak RSS (VmHWM, sampled every 50 ms from /proc while it runs): an
  upper bound, since the children's peaks need not coincide and pages they share (forked
  from the same server) count in each.
- The machine may be shared: CPU seconds and the load average show how much of the wall
  time went waiting for a core.

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
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat from the 3rd (state, ppid, ...), or None if it ended."""
    try:
        raw = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


class Descendants:
    """The live descendants of this process, from /proc; each PID's parent is read once, so
    a look costs a directory listing, not a read of every process's stat (the sampler
    would otherwise take a few percent of a core from what it measures)."""

    def __init__(self) -> None:
        self.parents: dict[int, int] = {}

    def pids(self) -> set[int]:
        live = {int(entry) for entry in os.listdir("/proc") if entry.isdigit()}
        for pid in self.parents.keys() - live:
            del self.parents[pid]
        for pid in live - self.parents.keys():
            fields = _stat(pid)
            if fields is not None:
                self.parents[pid] = int(fields[1])
        found, frontier = set(), {os.getpid()}
        while frontier:
            frontier = {pid for pid, parent in self.parents.items() if parent in frontier}
            found |= frontier
        return found

    def cpu_seconds(self) -> float:
        """CPU seconds used by every process this one started, and by theirs, so far."""
        ticks = 0
        for pid in self.pids():
            fields = _stat(pid)
            if fields is not None:
                # utime, stime, cutime, cstime: its own time and that of children it reaped
                # (the fork server reaps the workers).
                ticks += sum(int(f) for f in fields[11:15])
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ticks / os.sysconf("SC_CLK_TCK") + reaped.ru_utime + reaped.ru_stime


def peak_rss_kib(pid: int) -> int:
    try:
        for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Block:
    """What a timed block cost: wall and CPU seconds, the children's share, their peak RSS."""

    wall: float = 0.0
    cpu: float = 0.0  # this process and its children
    children_cpu: float = 0.0
    children_peak_kib: dict[int, int] = field(default_factory=dict)

    @property
    def children_peak_mb(self) -> float:
        return sum(self.children_peak_kib.values()) / 1024


@contextmanager
def timed() -> Iterator[Block]:
    """Measure the block: wall, CPU with children's, children's peak RSS (sampled)."""
    block = Block()
    tree = Descendants()
    stop = threading.Event()

    def sample() -> None:
        while True:
            for pid in tree.pids():
                peak = peak_rss_kib(pid)
                block.children_peak_kib[pid] = max(block.children_peak_kib.get(pid, 0), peak)
            if stop.wait(0.05):
                return

    children = tree.cpu_seconds()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield block
    finally:
        block.wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        stop.set()
        sampler.join()
        block.children_cpu = tree.cpu_seconds() - children
        block.cpu = cpu + block.children_cpu


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def main() -> None:
    from flask_migrate import upgrade

    from eventreg import create_app
    from eventreg.demo import load_demo
    from eventreg.extensions import db
    from eventreg.models import Activity
    from eventreg.pdf import attendance_sheet, certificate_pdf, pool, programme_pdf
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

            # Warm up once (fontconfig scan, imports) so neither side pays it; the same for
            # the fork server the workers come from.
            certificate_pdf(certificates[0])
            processes = pool.processes_for(CERTIFICATES)
            with timed() as server_start:
                if processes > 1:
                    pool.start_server("eventreg.pdf.certificates")

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
        alone, merged_seconds, zip_seconds = (
            alone_time.wall / ALONE,
            merged_time.wall,
            zip_time.wall,
        )
        sheet_seconds, programme_seconds = sheet_time.wall, programme_time.wall

        with zipfile.ZipFile(io.BytesIO(archive)) as opened:
            files = opened.namelist()
        assert len(files) == CERTIFICATES, len(files)
        merged_pages = pdf_pages(merged)
        assert merged_pages == CERTIFICATES, merged_pages
        sheet_pages, programme_pages = pdf_pages(sheet), pdf_pages(programme)
        pages = merged_pages + len(files) + sheet_pages + programme_pages
        seconds = merged_seconds + zip_seconds + sheet_seconds + programme_seconds
        parent_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        blocks = (alone_time, merged_time, zip_time, sheet_time, programme_time)
        children_peak_mb = max(block.children_peak_mb for block in blocks)

    alone_cpu = alone_time.cpu / ALONE
    figures: dict[str, float | int] = {
        "certificates": CERTIFICATES,
        "processes": processes,
        "seconds_per_certificate_merged": round(merged_seconds / CERTIFICATES, 4),
        "merged_total_seconds": round(merged_seconds, 2),
        "merged_pdf_kib": len(merged) // 1024,
        "seconds_per_certificate_zip": round(zip_seconds / CERTIFICATES, 4),
        "zip_total_seconds": round(zip_seconds, 2),
        "seconds_per_certificate_alone": round(alone, 4),
        "attendance_sheet_seconds": round(sheet_seconds, 2),
        "attendance_sheet_pages": sheet_pages,
        "programme_seconds": round(programme_seconds, 2),
        "programme_pages": programme_pages,
        "pages_per_second": round(pages / seconds, 1),
        "pool_server_start_seconds": round(server_start.wall, 2),
        "peak_memory_parent_mb": round(parent_peak_mb, 1),
        "peak_memory_children_mb": round(children_peak_mb, 1),
        "peak_memory_mb": round(parent_peak_mb + children_peak_mb, 1),
        # CPU seconds include the worker processes'; with the load they show how much of
        # the wall time was spent waiting for a core on a shared machine.
        "cpu_seconds_merged": round(merged_time.cpu, 2),
        "cpu_seconds_merged_in_children": round(merged_time.children_cpu, 2),
        "cpu_seconds_zip": round(zip_time.cpu, 2),
        "cpu_seconds_zip_in_children": round(zip_time.children_cpu, 2),
        "cpu_seconds_per_certificate_merged": round(merged_time.cpu / CERTIFICATES, 4),
        "cpu_seconds_per_certificate_zip": round(zip_time.cpu / CERTIFICATES, 4),
        "cpu_seconds_per_certificate_alone": round(alone_cpu, 4),
        "cpu_ratio": round(alone_cpu / (zip_time.cpu / CERTIFICATES), 2),
        "load_average_at_start": round(load, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
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
