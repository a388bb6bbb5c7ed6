"""Headings are never left alone at the foot of a page."""

from __future__ import annotations

from datetime import UTC, datetime

from eventreg.demo import load_demo

from ..pdf.conftest import pdf_pages


def test_the_timetable_heading_stays_with_the_first_day(app, db, client):
    load_demo(app.instance_path, now=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    db.session.commit()
    response = client.get("/activities/multi-stakeholder-partnerships-2009/programme.pdf")
    [page] = [p for p in pdf_pages(response.data) if "\nTimetable\n" in f"\n{p}\n"]
    after = page.split("Timetable", 1)[1]
    assert "Monday 13 July 2009" in after
