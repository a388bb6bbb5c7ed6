"""Helpers for PDF tests: read documents back with pypdf, make participants who attended."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from eventreg.extensions import db
from eventreg.models import Activity, ActivitySession, Application, ApplicationStatus, Attendance


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page (in block order, not visual order: test substrings)."""
    assert data[:5] == b"%PDF-", "not a PDF"
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))


def embedded_fonts(data: bytes) -> dict[str, set[int]]:
    """Each embedded font's name and the code points its (subset) cmap covers."""
    fonts: dict[str, set[int]] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    if key in descriptor:
                        raw = descriptor[key].get_object().get_data()
                        cmap = TTFont(io.BytesIO(raw)).getBestCmap() or {}
                        fonts[str(font["/BaseFont"])] = set(cmap)
    return fonts


def uncovered(data: bytes, text: str) -> set[str]:
    """Characters of `text` that no font embedded in the PDF has a glyph for."""
    covered = set().union(*embedded_fonts(data).values())
    return {ch for ch in text if not ch.isspace() and ord(ch) not in covered}


def mark_attendance(application: Application, sessions: Iterable[ActivitySession], present: int):
    """Mark the applicant present at the first `present` sessions and absent at the rest."""
    for index, session in enumerate(sessions):
        db.session.add(
            Attendance(
                application_id=application.id, session_id=session.id, present=index < present
            )
        )
    db.session.flush()


@pytest.fixture
def workshop(make_activity, factories, move_clock) -> Activity:
    """A published five-session workshop with a module, contacts and two signatories, that
    has ended (the project's clock is moved past it: certificates can be issued)."""
    activity = make_activity(
        title="Multi-stakeholder partnerships",
        # 09:00 in Rome: sessions four hours apart stay on the same day whatever the clock says.
        starts_at=datetime(2027, 7, 12, 7, 0, tzinfo=UTC),
        certificate_threshold=80,
        certificate_signatories=[
            {"name": "Valter Nebuloni", "title": "Activity manager"},
            {"name": "Ada Director", "title": "Director of training"},
        ],
    )
    module = factories.module(activity, title="Pro-poor partnerships")
    for hour in range(5):
        session = factories.session(
            activity,
            title=f"Session {hour + 1}",
            starts_at=activity.starts_at + timedelta(days=hour // 2, hours=4 * (hour % 2)),
        )
        session.module_id = module.id
    db.session.flush()
    db.session.expire(activity)
    factories.contact(activity, role="Course assistant", name="Sophie Ouine", phone="+39 011 1")
    move_clock(activity.ends_at + timedelta(days=1))
    return activity


@pytest.fixture
def participant(make_application):
    """`participant(activity, present=5, **fields)`: an attended applicant with attendance."""

    def make(activity: Activity, present: int | None = None, **fields) -> Application:  # type: ignore[no-untyped-def]
        fields.setdefault("status", ApplicationStatus.ATTENDED)
        application = make_application(activity, **fields)
        sessions = list(activity.sessions)
        mark_attendance(application, sessions, len(sessions) if present is None else present)
        return application

    return make
